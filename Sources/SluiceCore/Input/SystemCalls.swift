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

    /// `write(2)` of all of `bytes` (a message, a table row), as ``writeAll(_:_:path:)-(_,UnsafeRawBufferPointer,_)``.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(SluiceError) {
        let result = bytes.withUnsafeBytes { raw in Result { () throws(SluiceError) in try writeAll(fd, raw, path: path) } }
        try result.get()
    }

    /// `open(2)` for writing, creating or truncating `path` with `mode` (a scratch file, a report).
    /// The caller closes the descriptor with ``close(_:)``.
    public static func create(_ path: String, mode: UInt32 = 0o644) throws(SluiceError) -> Int32 {
        let fd = PathName.withCString(path) { Glibc.open($0, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(mode)) }
        guard fd >= 0 else {
            let err = errno
            throw SluiceError(.io, "cannot create: \(describe(errno: err))", code: name(errno: err), path: path)
        }
        return fd
    }

    /// `unlink(2)`.
    public static func remove(_ path: String) throws(SluiceError) {
        guard PathName.withCString(path, { unlink($0) }) != 0 else { return }
        let err = errno
        throw SluiceError(.io, "cannot remove: \(describe(errno: err))", code: name(errno: err), path: path)
    }

    /// The permission bits of `path` (`stat(2)`, following links).
    public static func permissionBits(of path: String) throws(SluiceError) -> UInt32 {
        var st = stat()
        guard PathName.withCString(path, { stat($0, &st) }) == 0 else {
            let err = errno
            throw SluiceError(.io, "cannot open: \(describe(errno: err))", code: name(errno: err), path: path)
        }
        return UInt32(st.st_mode) & 0o7777
    }

    /// True when `path` names a directory (`stat(2)`, following links).
    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return PathName.withCString(path, { stat($0, &st) }) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// `isatty(3)`.
    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// `getenv(3)`: the variable's value, nil when unset.
    public static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }

    /// `clock_gettime(CLOCK_MONOTONIC)` in seconds: for durations, never for dates.
    public static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// The process's peak resident set in bytes (`getrusage(RUSAGE_SELF).ru_maxrss`).
    public static func peakResidentBytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
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
