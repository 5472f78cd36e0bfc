#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An existing device, FIFO or socket named by `-o` with `--force`: written into in place, as
/// `cat > FILE` does, since such a path cannot be replaced atomically (and replacing
/// `/dev/null` with a regular file would be a disaster). Closed by ``finish()``.
public final class DeviceSink: ByteSink {
    public let path: String
    private var fd: Int32
    private let counters: IOCounters?

    /// Opens `path` for writing if it exists and is neither a regular file nor a symbolic link
    /// (nor a directory); nil when the atomic file sink should handle it.
    public static func openIfSpecial(_ path: String, counters: IOCounters? = nil) throws(SluiceError) -> DeviceSink? {
        var st = stat()
        guard PathName.withCString(path, { lstat($0, &st) }) == 0 else { return nil }
        let type = st.st_mode & S_IFMT
        guard type == S_IFCHR || type == S_IFBLK || type == S_IFIFO || type == S_IFSOCK else { return nil }
        let fd = PathName.withCString(path) { open($0, O_WRONLY | O_TRUNC | O_CLOEXEC) }
        guard fd >= 0 else {
            let err = errno
            throw SluiceError(.io, "cannot open output: \(SystemCalls.describe(errno: err))", code: SystemCalls.name(errno: err), path: path)
        }
        return DeviceSink(fd: fd, path: path, counters: counters)
    }

    private init(fd: Int32, path: String, counters: IOCounters?) {
        self.fd = fd
        self.path = path
        self.counters = counters
    }

    deinit { if fd >= 0 { _ = close(fd) } }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(SluiceError) {
        try SystemCalls.writeAll(fd, bytes, path: path)
        counters?.countWritten(bytes.count)
    }

    public func finish() throws(SluiceError) {
        guard fd >= 0 else { return }
        let rc = close(fd)
        fd = -1
        if rc != 0 {
            let err = errno
            throw SluiceError(.io, "cannot close output: \(SystemCalls.describe(errno: err))", code: SystemCalls.name(errno: err), path: path)
        }
    }
}

@available(*, unavailable)
extension DeviceSink: Sendable {}
