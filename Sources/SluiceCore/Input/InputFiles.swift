#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Expands command-line inputs: `-` stays standard input; with `recursive`, directories are
/// walked (sorted by bytes; hidden entries skipped unless `hidden`; symbolic links met on the way
/// followed only with `followLinks`, as `grep -R`, each directory walked once) and their regular
/// files listed, as `filter` allows (grep's --include, --exclude, --exclude-dir).
public enum InputFiles {
    /// The inputs `paths` name (none: standard input), directories expanded when `recursive`,
    /// and the directories that could not be read.
    public static func expand(_ paths: [String], recursive: Bool, hidden: Bool = false, followLinks: Bool = false,
                              filter: NameFilter = NameFilter()) -> (files: [String], errors: [SluiceError]) {
        var files: [String] = []
        var errors: [SluiceError] = []
        var walker = Walker(hidden: hidden, followLinks: followLinks, filter: filter)
        for path in paths.isEmpty ? ["-"] : paths {
            if recursive && path != "-" && isDirectory(path) {
                if filter.includesDirectory(path, commandLine: true) { walker.walk(path, into: &files, errors: &errors) }
            } else if filter.includesFile(path, commandLine: true) {
                files.append(path)
            }
        }
        return (files, errors)
    }

    /// True when `path` names a directory (`stat(2)`, following links).
    public static func isDirectory(_ path: String) -> Bool { SystemCalls.isDirectory(path) }

    private struct Walker {
    let hidden: Bool
    let followLinks: Bool
    let filter: NameFilter
    /// Directories walked, by device and inode: a link back up the tree is not walked again.
    var visited: Set<[UInt64]> = []

    mutating func walk(_ dir: String, into files: inout [String], errors: inout [SluiceError]) {
        var st = stat()
        if PathName.withCString(dir, { stat($0, &st) }) == 0 {
            guard visited.insert([UInt64(st.st_dev), UInt64(st.st_ino)]).inserted else { return }
        }
        guard let handle = PathName.withCString(dir, { opendir($0) }) else {
            errors.append(SluiceError(.io, "cannot read directory: \(SystemCalls.describe(errno: errno))", path: dir))
            return
        }
        var names: [(String, UInt8)] = []
        while let entry = readdir(handle) {
            // Names are bytes: one that is not UTF-8 is carried as it is (see PathName).
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                PathName.string(fromRaw: Array(raw.prefix { $0 != 0 }))
            }
            if name == "." || name == ".." || (!hidden && name.hasPrefix(".")) { continue }
            names.append((name, entry.pointee.d_type))
        }
        closedir(handle)
        // Sorted by bytes, as `LC_ALL=C ls` sorts (String's < would compare Unicode-normalized).
        for (name, type) in names.sorted(by: { PathName.bytes($0.0).lexicographicallyPrecedes(PathName.bytes($1.0)) }) {
            let full = dir.hasSuffix("/") ? dir + name : dir + "/" + name
            var kind = type
            if type == UInt8(DT_UNKNOWN) || (followLinks && type == UInt8(DT_LNK)) {
                var st = stat()
                let status = PathName.withCString(full) { followLinks ? stat($0, &st) : lstat($0, &st) }
                guard status == 0 else {
                    // -R: a link to nothing is an input that cannot be read, as grep reports it.
                    if followLinks { errors.append(SluiceError(.io, "cannot open: \(SystemCalls.describe(errno: errno))", path: full)) }
                    continue
                }
                kind = (st.st_mode & S_IFMT) == S_IFDIR ? UInt8(DT_DIR) : (st.st_mode & S_IFMT) == S_IFREG ? UInt8(DT_REG) : type
            }
            if kind == UInt8(DT_DIR) {
                if filter.includesDirectory(name, commandLine: false) { walk(full, into: &files, errors: &errors) }
            } else if kind == UInt8(DT_REG) && filter.includesFile(name, commandLine: false) {
                files.append(full)
            }
        }
    }
    }
}
