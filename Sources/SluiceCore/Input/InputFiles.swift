#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Expands command-line inputs: `-` stays standard input; with `recursive`, directories are
/// walked (sorted, hidden entries skipped, symlinks not followed) and their regular files listed.
public enum InputFiles {
    /// The inputs `paths` name (none: standard input), directories expanded when `recursive`,
    /// and the directories that could not be read.
    public static func expand(_ paths: [String], recursive: Bool) -> (files: [String], errors: [SluiceError]) {
        var files: [String] = []
        var errors: [SluiceError] = []
        for path in paths.isEmpty ? ["-"] : paths {
            if recursive && path != "-" && isDirectory(path) {
                walk(path, into: &files, errors: &errors)
            } else {
                files.append(path)
            }
        }
        return (files, errors)
    }

    static func isDirectory(_ path: String) -> Bool { SystemCalls.isDirectory(path) }

    private static func walk(_ dir: String, into files: inout [String], errors: inout [SluiceError]) {
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
            if name.hasPrefix(".") { continue }
            names.append((name, entry.pointee.d_type))
        }
        closedir(handle)
        // Sorted by bytes, as `LC_ALL=C ls` sorts (String's < would compare Unicode-normalized).
        for (name, type) in names.sorted(by: { PathName.bytes($0.0).lexicographicallyPrecedes(PathName.bytes($1.0)) }) {
            let full = dir.hasSuffix("/") ? dir + name : dir + "/" + name
            if type == UInt8(DT_DIR) {
                walk(full, into: &files, errors: &errors)
            } else if type == UInt8(DT_REG) {
                files.append(full)
            } else if type == UInt8(DT_UNKNOWN) {
                var st = stat()
                if PathName.withCString(full, { lstat($0, &st) }) == 0 {
                    if (st.st_mode & S_IFMT) == S_IFDIR { walk(full, into: &files, errors: &errors) }
                    else if (st.st_mode & S_IFMT) == S_IFREG { files.append(full) }
                }
            }
        }
    }
}
