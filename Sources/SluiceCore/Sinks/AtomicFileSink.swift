#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A file that appears under its final name complete or not at all.
///
/// Bytes go to a temporary file beside the destination (same directory, so the final step is a
/// rename within one filesystem). ``finish()`` fsyncs it and moves it into place; anything else —
/// an error, ``abort()``, `deinit` without `finish()`, SIGINT/SIGTERM/SIGHUP/SIGQUIT (through
/// ``TemporaryFiles``) — deletes it.
///
///     dir/.NAME.sluice-XXXXXX  ──write──▶  fsync  ──link/rename──▶  dir/NAME  ──▶ fsync(dir)
///         (mkstemp, mode 0600;                     no-replace unless
///          fchmod to `mode`)                       `force`
///
/// Without `force` an existing file is never replaced: the check at open gives an early error,
/// and the final `link(2)` fails rather than overwrite a file that appeared meanwhile. With
/// `force`, a replaced regular file keeps its permission bits (a 0600 file stays 0600); a
/// symbolic link is replaced only with `replaceSymlink` (the link itself, never its target);
/// anything else (a device, a FIFO, a directory) is refused: it cannot be replaced atomically,
/// and a caller that wants to write into it opens it itself. Not
/// thread-safe; it may be written from one thread (an encoder's) and finished from another once
/// that thread has been joined.
public final class AtomicFileSink: ByteSink {
    /// The final path.
    public let path: String
    /// Where the bytes are until ``finish()``.
    public let temporaryPath: String
    public let force: Bool
    private var fd: Int32
    private var slot: Int?
    private var done = false
    public private(set) var bytesWritten: Int64 = 0
    /// The run's counters the bytes written are added to, if any.
    public let counters: IOCounters?

    /// Creates the temporary file (`mkstemp(3)`).
    /// - Parameters:
    ///   - force: replace an existing regular file at `path`.
    ///   - replaceSymlink: with `force`, replace a symbolic link at `path` too.
    ///   - mode: permission bits for the result (default: those of the regular file replaced,
    ///     else `0666 & ~umask`, like any new file).
    /// - Throws: `EEXIST` if `path` exists and `force` is false; `ELOOP` for a symbolic link
    ///   without `replaceSymlink`; `EEXIST` for an existing path that is not a regular file; the
    ///   `mkstemp` error otherwise.
    public init(path: String, force: Bool = false, replaceSymlink: Bool = false, mode: UInt32? = nil,
                counters: IOCounters? = nil) throws(SluiceError) {
        self.path = path
        self.counters = counters
        self.force = force
        var st = stat()
        var existingMode: UInt32?
        if PathName.withCString(path, { lstat($0, &st) }) == 0 {
            let type = st.st_mode & S_IFMT
            guard force else {
                throw SluiceError(.io, "output file already exists", code: "EEXIST", path: path)
            }
            if type == S_IFLNK && !replaceSymlink {
                throw SluiceError(.io, "output is a symbolic link; -f does not replace one (add --replace-symlink)",
                                  code: "ELOOP", path: path)
            }
            if type != S_IFLNK && type != S_IFREG {
                throw SluiceError(.io, "output exists and is not a regular file; it cannot be replaced atomically",
                                  code: "EEXIST", path: path)
            }
            if type == S_IFREG { existingMode = UInt32(st.st_mode) & 0o777 }
        }
        let (dir, base) = Self.split(path)
        var template = (PathName.bytes(dir + "." + base + ".sluice-XXXXXX") + [0]).map { CChar(bitPattern: $0) }
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            let err = errno
            throw SluiceError(.io, "cannot create output: \(SystemCalls.describe(errno: err))",
                              code: SystemCalls.name(errno: err), path: path)
        }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        self.fd = fd
        temporaryPath = PathName.string(fromRaw: template.dropLast().map { UInt8(bitPattern: $0) })
        slot = TemporaryFiles.register(temporaryPath)
        let bits = mode ?? existingMode ?? {
            let mask = umask(0)
            umask(mask)
            return 0o666 & ~UInt32(mask)
        }()
        _ = fchmod(fd, mode_t(bits & 0o7777))
    }

    deinit { abort() }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(SluiceError) {
        guard !done, fd >= 0 else { throw SluiceError(.io, "write after the output was finished", path: path) }
        try SystemCalls.writeAll(fd, bytes, path: path)
        counters?.countWritten(bytes.count)
        bytesWritten += Int64(bytes.count)
    }

    /// fsyncs the data, moves it under the final name, fsyncs the directory.
    /// - Throws: the failing call's errno (`ENOSPC`, `EIO`, `EEXIST`…) naming the final path; the
    ///   temporary file is removed and nothing appears under `path`.
    public func finish() throws(SluiceError) {
        guard !done else { return }
        do throws(SluiceError) {
            try sync()
            try moveIntoPlace()
        } catch {
            abort()
            throw error
        }
        done = true
        TemporaryFiles.unregister(slot)
        slot = nil
        let (dir, _) = Self.split(path)
        let dirfd = PathName.withCString(dir.isEmpty ? "." : dir) { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        if dirfd >= 0 {
            _ = fsync(dirfd)
            _ = close(dirfd)
        }
    }

    /// fsyncs and closes the temporary file without moving it, so it can be verified at
    /// ``temporaryPath`` first; ``finish()`` then only moves it. On failure the file is removed.
    public func sync() throws(SluiceError) {
        guard fd >= 0 else { return }
        do throws(SluiceError) {
            try check(fsync(fd), "cannot sync output")
            let rc = close(fd)
            fd = -1
            try check(rc, "cannot close output")
        } catch {
            abort()
            throw error
        }
    }

    /// Deletes the temporary file; the final path is left untouched. Idempotent.
    public func abort() {
        guard !done else { return }
        done = true
        if fd >= 0 { _ = close(fd); fd = -1 }
        _ = PathName.withCString(temporaryPath) { unlink($0) }
        TemporaryFiles.unregister(slot)
        slot = nil
    }

    private func moveIntoPlace() throws(SluiceError) {
        if force {
            try check(Self.rename(temporaryPath, path), "cannot rename output into place")
            return
        }
        let linked = PathName.withCString(temporaryPath) { from in PathName.withCString(path) { link(from, $0) } }
        if linked == 0 {
            _ = PathName.withCString(temporaryPath) { unlink($0) }
            return
        }
        let err = errno
        if err == EEXIST {
            throw SluiceError(.io, "output file already exists", code: "EEXIST", path: path)
        }
        // Filesystems without hard links: check, then rename (a small window, documented above).
        guard err == EPERM || err == EOPNOTSUPP || err == ENOSYS || err == EMLINK else {
            throw SluiceError(.io, "cannot move output into place: \(SystemCalls.describe(errno: err))",
                              code: SystemCalls.name(errno: err), path: path)
        }
        var st = stat()
        if PathName.withCString(path, { lstat($0, &st) }) == 0 {
            throw SluiceError(.io, "output file already exists", code: "EEXIST", path: path)
        }
        try check(Self.rename(temporaryPath, path), "cannot rename output into place")
    }

    private func check(_ rc: Int32, _ what: String) throws(SluiceError) {
        guard rc != 0 else { return }
        let err = errno
        throw SluiceError(.io, "\(what): \(SystemCalls.describe(errno: err))", code: SystemCalls.name(errno: err), path: path)
    }

    /// `rename(2)` of two paths given as ``PathName`` strings.
    static func rename(_ from: String, _ to: String) -> Int32 {
        PathName.withCString(from) { f in PathName.withCString(to) { Glibc.rename(f, $0) } }
    }

    /// `("dir/", "name")` for `dir/name`, `("", "name")` for a bare name.
    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[...slash]), String(path[path.index(after: slash)...]))
    }
}

@available(*, unavailable)
extension AtomicFileSink: Sendable {}
