#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The process-wide signal settings a command-line run makes once, at its start, besides the
/// temporary-file cleanup ``TemporaryFiles/installSignalHandlers()`` installs.
public enum Signals {
    /// `SIGPIPE` ignored: a closed reader becomes a quiet `EPIPE` write error
    /// (``SluiceError/isBrokenPipe``) instead of killing the process.
    public static func ignoreBrokenPipe() { signal(SIGPIPE, SIG_IGN) }

    /// `SIGXFSZ` ignored: a file-size limit (`ulimit -f`) becomes an `EFBIG` write error with the
    /// usual cleanup, not a silent kill that leaves a temporary file behind.
    public static func ignoreFileSizeLimit() { signal(SIGXFSZ, SIG_IGN) }
}
