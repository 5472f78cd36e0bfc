#if canImport(Glibc)
import Glibc
#endif
import Sluice

/// Expands command-line inputs: `-` stays standard input; with `recursive`, directories are
/// walked (sorted, hidden entries skipped, symlinks not followed) and their regular files listed.
enum InputFiles {
    static func expand(_ paths: [String], recursive: Bool) -> (files: [String], errors: [SluiceError]) {
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

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    private static func walk(_ dir: String, into files: inout [String], errors: inout [SluiceError]) {
        guard let handle = opendir(dir) else {
            errors.append(SluiceError(.io, "cannot read directory: \(SystemCalls.describe(errno: errno))", path: dir))
            return
        }
        var names: [(String, UInt8)] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            names.append((name, entry.pointee.d_type))
        }
        closedir(handle)
        for (name, type) in names.sorted(by: { $0.0 < $1.0 }) {
            let full = dir.hasSuffix("/") ? dir + name : dir + "/" + name
            if type == UInt8(DT_DIR) {
                walk(full, into: &files, errors: &errors)
            } else if type == UInt8(DT_REG) {
                files.append(full)
            } else if type == UInt8(DT_UNKNOWN) {
                var st = stat()
                if lstat(full, &st) == 0 {
                    if (st.st_mode & S_IFMT) == S_IFDIR { walk(full, into: &files, errors: &errors) }
                    else if (st.st_mode & S_IFMT) == S_IFREG { files.append(full) }
                }
            }
        }
    }
}
