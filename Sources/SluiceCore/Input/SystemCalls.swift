#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Thin, honest wrappers over the few POSIX calls Sluice makes. Each names its C function,
/// retries `EINTR`, and reports failures as ``SluiceError`` with the errno name.
public enum SystemCalls {
    /// `read(2)` into `buffer`, retrying on `EINTR`. Returns 0 at end of file.
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws(SluiceError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = Glibc.read(fd, base, buffer.count)
            if n >= 0 { return n }
            let err = errno
            if err == EINTR { continue }
            throw SluiceError(.io, "read failed: \(describe(errno: err))", code: name(errno: err), path: path)
        }
    }

    /// `pread(2)` at absolute `offset` into `buffer`, retrying on `EINTR`; the file position does
    /// not move. Returns 0 at end of file.
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64,
                            path: String) throws(SluiceError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = Glibc.pread(fd, base, buffer.count, off_t(offset))
            if n >= 0 { return n }
            let err = errno
            if err == EINTR { continue }
            throw SluiceError(.io, "read failed: \(describe(errno: err))", code: name(errno: err), path: path)
        }
    }

    /// `write(2)` of all of `bytes`, retrying on `EINTR` and short writes.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(SluiceError) {
        guard var p = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let n = Glibc.write(fd, p, left)
            if n < 0 {
                let err = errno
                if err == EINTR { continue }
                throw SluiceError(.io, "write failed: \(describe(errno: err))", code: name(errno: err), path: path)
            }
            p += n
            left -= n
        }
    }

    /// `open(2)` read-only; `-` means standard input and is not opened.
    public static func openForReading(_ path: String) throws(SluiceError) -> Int32 {
        if path == "-" { return 0 }
        while true {
            let fd = PathName.withCString(path) { Glibc.open($0, O_RDONLY | O_CLOEXEC) }
            if fd >= 0 {
                var st = stat()
                if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
                    _ = Glibc.close(fd)
                    throw SluiceError(.io, "is a directory", code: "EISDIR", path: path)
                }
                return fd
            }
            let err = errno
            if err == EINTR { continue }
            throw SluiceError(.io, "cannot open: \(describe(errno: err))", code: name(errno: err), path: path)
        }
    }

    /// Size of a regular file behind `fd` (`fstat(2)`), nil for pipes, terminals and sockets.
    public static func regularFileSize(_ fd: Int32) -> Int64? {
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(st.st_size)
    }

    /// `close(2)`; errors are returned, not thrown (there is nothing useful to do on a read descriptor).
    @discardableResult
    public static func close(_ fd: Int32) -> Int32 { Glibc.close(fd) }

    /// `lseek(2)` to an absolute position.
    public static func seek(_ fd: Int32, to offset: Int64, path: String) throws(SluiceError) {
        if Glibc.lseek(fd, off_t(offset), SEEK_SET) < 0 {
            let err = errno
            throw SluiceError(.io, "seek failed: \(describe(errno: err))", code: name(errno: err), path: path)
        }
    }

    /// Size of the regular file at `path` (`stat(2)`), nil otherwise.
    public static func regularFileSizeOf(path: String) -> Int64? {
        var st = stat()
        guard PathName.withCString(path, { stat($0, &st) }) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(st.st_size)
    }

    /// `strerror(3)` text for an errno value.
    public static func describe(errno value: Int32) -> String {
        guard let text = strerror(value) else { return "error \(value)" }
        return String(cString: text)
    }

    /// The symbolic name of common errno values (`ENOENT`), or `errno N`.
    public static func name(errno value: Int32) -> String {
        switch value {
        case ENOENT: return "ENOENT"
        case EACCES: return "EACCES"
        case EISDIR: return "EISDIR"
        case EPIPE: return "EPIPE"
        case ENOSPC: return "ENOSPC"
        case EIO: return "EIO"
        case EBADF: return "EBADF"
        case EEXIST: return "EEXIST"
        case EROFS: return "EROFS"
        case EDQUOT: return "EDQUOT"
        case ENOTDIR: return "ENOTDIR"
        case EMFILE: return "EMFILE"
        case EFBIG: return "EFBIG"
        default: return "errno \(value)"
        }
    }
}
