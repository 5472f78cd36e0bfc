#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// GNU grep's `--include`, `--exclude` and `--exclude-dir`: which files and directories a search
/// reads, by glob (`fnmatch(3)`, no flags: `*` matches `/` too, a leading `.` is not special).
///
/// Which name a glob sees follows grep 3.8: for a file or directory found while walking a tree,
/// its base name; for one named on the command line, every *name suffix* — the whole name, or a
/// trailing part that starts just after a `/` — so `--exclude=sub/a.log` skips `logs/sub/a.log`.
/// Standard input (`-`) is never filtered. When file rules contradict each other, the last rule
/// that matches wins; when none matches, a file is read unless the first rule is an include.
public struct NameFilter: Sendable, Equatable {
    /// One file rule, in command-line order.
    public enum Rule: Sendable, Equatable {
        case include(String)
        case exclude(String)
    }

    public var rules: [Rule] = []
    /// `--exclude-dir` globs.
    public var excludedDirectories: [String] = []

    public init(rules: [Rule] = [], excludedDirectories: [String] = []) {
        self.rules = rules
        self.excludedDirectories = excludedDirectories
    }

    public var isEmpty: Bool { rules.isEmpty && excludedDirectories.isEmpty }

    /// Whether a file is read. `commandLine`: it was named as an operand (suffix matching).
    public func includesFile(_ path: String, commandLine: Bool) -> Bool {
        if path == "-" || rules.isEmpty { return true }
        let names = commandLine ? Self.suffixes(path) : [Self.baseName(path)]
        var verdict: Bool?
        for rule in rules {
            switch rule {
            case .include(let glob) where names.contains(where: { Self.matches(glob, $0) }): verdict = true
            case .exclude(let glob) where names.contains(where: { Self.matches(glob, $0) }): verdict = false
            default: continue
            }
        }
        if let verdict { return verdict }
        if case .include = rules[0] { return false }
        return true
    }

    /// Whether a directory is walked.
    public func includesDirectory(_ path: String, commandLine: Bool) -> Bool {
        if excludedDirectories.isEmpty { return true }
        let names = commandLine ? Self.suffixes(path) : [Self.baseName(path)]
        return !excludedDirectories.contains { glob in names.contains { Self.matches(glob, $0) } }
    }

    static func matches(_ glob: String, _ name: String) -> Bool {
        PathName.withCString(glob) { g in PathName.withCString(name) { n in fnmatch(g, n, 0) == 0 } }
    }

    static func baseName(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return trimmed.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
    }

    /// The whole name and each trailing part that starts after a `/` (trailing slashes dropped).
    static func suffixes(_ path: String) -> [String] {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        var result = [String(trimmed)]
        var index = trimmed.startIndex
        while let slash = trimmed[index...].firstIndex(of: "/") {
            let next = trimmed.index(after: slash)
            if next < trimmed.endIndex && trimmed[next] != "/" { result.append(String(trimmed[next...])) }
            index = next
        }
        return result
    }
}
