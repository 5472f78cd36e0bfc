import SluiceCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What `grep` prints and how, GNU grep 3.8's options as values. Shared by every input of a run.
public struct GrepOptions: Sendable {
    /// What is printed for an input.
    public enum Output: Sendable, Equatable {
        /// The selected lines (and their context).
        case lines
        /// `-c`: the number of selected lines.
        case count
        /// `-l`: the name of an input with a selected line.
        case filesWithMatches
        /// `-L`: the name of an input without one.
        case filesWithoutMatch
        /// `-q`: nothing.
        case quiet
    }

    /// `--binary-files`: what happens to an input found to hold a NUL byte.
    public enum BinaryFiles: String, Sendable, CaseIterable {
        /// Print no more lines from it; say "binary file matches" on standard error when one would
        /// have been printed (GNU grep's default).
        case binary
        /// Treat it as text (`-a`).
        case text
        /// Treat it as holding no match (`-I`).
        case withoutMatch = "without-match"
    }

    public var output: Output = .lines
    /// `-v`: select the lines that do not match.
    public var invert = false
    /// `-o`: print each non-empty match of a printed line on a line of its own, not the line.
    public var onlyMatching = false
    /// `-B`, `-A` (`-C` sets both): lines of context before and after each selected line.
    public var before = 0
    public var after = 0
    /// Whether a context option was given at all (even `-A 0`): then non-adjacent groups of lines
    /// are divided by ``groupSeparator``.
    public var contextRequested = false
    /// `--group-separator` (nil: `--no-group-separator`).
    public var groupSeparator: [UInt8]? = Array("--".utf8)
    /// `-m`: stop reading an input after this many selected lines (trailing context still printed).
    public var maxCount: Int?
    /// `-n`: the 1-based line number before each line.
    public var lineNumbers = false
    /// `-b`: the 0-based offset in the decoded stream of each line (or, with `-o`, of each match).
    public var byteOffsets = false
    /// `-H`: the input's name before each line.
    public var withFileName = false
    /// `-Z`: a NUL byte after each name instead of `:`, `-` or the newline of `-l`/`-L`.
    public var nullAfterName = false
    public var binaryFiles: BinaryFiles = .binary
    /// `--color`: the SGR sequences to mark output with, or nil for none.
    public var colors: GrepColors?
    /// Whether the locale is UTF-8: then, as GNU grep does, a line (or `-o` match) that is not
    /// valid UTF-8 is not printed, and the input is reported as a binary file that matches.
    public var checksEncoding = false

    public init() {}

    /// Whether lines are written, as opposed to a count, a name or nothing.
    var printsLines: Bool { output == .lines }
}

/// GNU grep's `GREP_COLORS` capabilities (the common ones), as SGR parameter strings such as
/// `01;31`. Each marked piece is written `ESC [ sgr m ESC [ K` … `ESC [ m ESC [ K`, byte for byte
/// as grep 3.8 writes it (without the `ESC [ K` parts when `ne` is set).
public struct GrepColors: Sendable, Equatable {
    /// Matches in selected lines (`ms`) and in context lines (`mc`); `mt` sets both.
    public var selectedMatch = "01;31"
    public var contextMatch = "01;31"
    /// File names (`fn`), line numbers (`ln`), byte offsets (`bn`), separators (`se`).
    public var fileName = "35"
    public var lineNumber = "32"
    public var byteOffset = "32"
    public var separator = "36"
    /// `ne`: no `ESC [ K` (erase to end of line) after each sequence.
    public var noErase = false

    public init() {}

    /// The defaults changed by a `GREP_COLORS` value (`ms=01;32:fn=34:ne`); unknown keys are
    /// ignored, as grep does. `sl`, `cx` and `rv` (whole-line colors) are not supported.
    public init(grepColors: String?) {
        self.init()
        guard let grepColors else { return }
        for item in grepColors.split(separator: ":", omittingEmptySubsequences: true) {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0])
            let value = parts.count > 1 ? String(parts[1]) : ""
            guard value.allSatisfy({ $0.isNumber || $0 == ";" }) else { continue }
            switch key {
            case "mt": selectedMatch = value; contextMatch = value
            case "ms": selectedMatch = value
            case "mc": contextMatch = value
            case "fn": fileName = value
            case "ln": lineNumber = value
            case "bn": byteOffset = value
            case "se": separator = value
            case "ne": noErase = true
            default: continue
            }
        }
    }

    /// The defaults changed by the `GREP_COLORS` environment variable.
    /// The deprecated `GREP_COLOR` still sets the match color when `GREP_COLORS` does not, as in
    /// grep 3.8.
    public static var fromEnvironment: GrepColors {
        let colors = getenv("GREP_COLORS").map { String(cString: $0) }
        var result = GrepColors(grepColors: colors)
        // Keys GREP_COLORS sets win; the old variable fills in the match colors it leaves.
        let keys = Set((colors ?? "").split(separator: ":").map { String($0.split(separator: "=").first ?? "") })
        if let old = getenv("GREP_COLOR").map({ String(cString: $0) }), !old.isEmpty,
           old.allSatisfy({ $0.isNumber || $0 == ";" }), !keys.contains("mt") {
            if !keys.contains("ms") { result.selectedMatch = old }
            if !keys.contains("mc") { result.contextMatch = old }
        }
        return result
    }

    /// What `--color=auto` decides, as grep: standard output is a terminal and `TERM` is set and
    /// not `dumb`.
    public static var standardOutputWantsColor: Bool {
        guard isatty(1) == 1, let term = getenv("TERM").map({ String(cString: $0) }) else { return false }
        return term != "dumb"
    }

    /// The bytes that start marking with `sgr`.
    func start(_ sgr: String) -> [UInt8] { Array("\u{1B}[\(sgr)m\(noErase ? "" : "\u{1B}[K")".utf8) }
    /// The bytes that end it.
    var end: [UInt8] { Array("\u{1B}[m\(noErase ? "" : "\u{1B}[K")".utf8) }
}
