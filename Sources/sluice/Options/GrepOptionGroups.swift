import ArgumentParser
import Sluice

extension GrepOptions.BinaryFiles: ExpressibleByArgument {}

/// -l or -L, whichever came last.
enum ListFiles: String, ExpressibleByArgument {
    case with, without
}

/// `--color[=WHEN]`.
enum ColorWhen: String, ExpressibleByArgument, CaseIterable {
    case never, always, auto
}

/// GNU grep's pattern-selection options.
struct GrepMatching: ParsableArguments {
    @Option(name: [.customShort("e", allowingJoined: true), .customLong("regexp")],
            help: ArgumentHelp("A pattern (repeatable); then every argument is an input.", valueName: "patterns"))
    var patterns: [String] = []
    @Option(name: [.customShort("f", allowingJoined: true), .customLong("file")],
            help: ArgumentHelp("Patterns from a file, one per line (repeatable; `-` is standard input). Many fixed strings are searched at once by an Aho-Corasick automaton.", valueName: "file"))
    var patternFiles: [String] = []
    @Flag(name: [.customShort("i"), .customLong("ignore-case")], help: "Ignore case distinctions.")
    var ignoreCase = false
    @Flag(name: .customLong("no-ignore-case"), help: "Do not ignore case (the default; undoes -i).")
    var noIgnoreCase = false
    @Flag(name: [.customShort("v"), .customLong("invert-match")], help: "Select lines that do not match.")
    var invert = false
    @Flag(name: [.customShort("w"), .customLong("word-regexp")], help: "Match only whole words (not next to a letter, digit or _).")
    var wordRegexp = false
    @Flag(name: [.customShort("x"), .customLong("line-regexp")], help: "Match only whole lines.")
    var lineRegexp = false
    @Flag(name: [.customShort("F"), .customLong("fixed-strings")], help: "Patterns are fixed strings.")
    var fixed = false
    @Flag(name: [.customShort("G"), .customLong("basic-regexp")], help: "Patterns are basic regular expressions (the default), translated to PCRE2.")
    var basic = false
    @Flag(name: [.customShort("E"), .customLong("extended-regexp")], help: "Patterns are extended regular expressions, translated to PCRE2.")
    var extended = false
    @Flag(name: [.customShort("P"), .customLong("perl-regexp")], help: "Patterns are PCRE2 (Perl) regular expressions.")
    var perl = false

    var syntax: PatternSyntax { fixed ? .fixed : extended ? .extended : perl ? .perl : .basic }
}

/// GNU grep's output-control options.
struct GrepPrinting: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Print only a count of selected lines per input.")
    var count = false
    @Flag(name: [.customShort("l", allowingJoined: true), .customLong("files-with-matches")], help: "Print only the names of inputs with a selected line.")
    var filesWithMatches = false
    @Flag(name: [.customShort("L"), .customLong("files-without-match")], help: "Print only the names of inputs without one.")
    var filesWithoutMatch = false
    @Flag(name: [.customShort("q"), .customLong("quiet"), .customLong("silent")], help: "Print nothing; exit 0 on the first selected line.")
    var quiet = false
    @Flag(name: [.customShort("s"), .customLong("no-messages")], help: "Suppress messages about inputs that do not exist or cannot be read.")
    var noMessages = false
    @Option(name: [.customShort("m", allowingJoined: true), .customLong("max-count")], help: "Stop reading an input after NUM selected lines.")
    var maxCount: Int?
    @Flag(name: [.customShort("o"), .customLong("only-matching")], help: "Print only the matched parts of lines, each on its own line.")
    var onlyMatching = false
    @Flag(name: [.customShort("n", allowingJoined: true), .customLong("line-number")], help: "Prefix each line with its 1-based line number.")
    var lineNumbers = false
    @Flag(name: [.customShort("b"), .customLong("byte-offset")], help: "Prefix each line (or -o match) with its 0-based offset in the decoded stream.")
    var byteOffset = false
    @Flag(name: [.customShort("H"), .customLong("with-filename")], help: "Prefix each line with the file name.")
    var withFilename = false
    @Flag(name: [.customShort("h"), .customLong("no-filename")], help: "Never prefix lines with the file name.")
    var noFilename = false
    @Option(help: ArgumentHelp("The name printed for standard input.", valueName: "label"))
    var label: String?
    @Flag(name: .customLong("empty-label"), help: .hidden)
    var emptyLabel = false
    /// -l and -L as GNU grep reads them: the last one given wins (see ``GrepArguments``).
    @Option(name: .customLong("list-files"), help: .hidden)
    var listFiles: ListFiles?
    @Flag(name: [.customShort("Z"), .customLong("null")], help: "Print a NUL byte after each file name instead of `:` or a newline.")
    var null = false
    @Option(help: ArgumentHelp("Mark matches, names, numbers and separators with colors (GREP_COLORS's mt, ms, mc, fn, ln, bn, se, ne): never, always or auto (a terminal); --color alone means auto.",
                               valueName: "when"))
    var color: ColorWhen = .never
    @Flag(name: [.customShort("a"), .customLong("text")], help: "Read binary inputs as text.")
    var text = false
    @Flag(name: .customShort("I"), help: "Skip binary inputs (--binary-files=without-match).")
    var skipBinary = false
    @Option(help: ArgumentHelp("binary (say that a binary file matches), text (as -a) or without-match (as -I).", valueName: "type"))
    var binaryFiles: GrepOptions.BinaryFiles = .binary

    var output: GrepOptions.Output {
        if quiet { return .quiet }
        if let listFiles { return listFiles == .with ? .filesWithMatches : .filesWithoutMatch }
        if filesWithMatches { return .filesWithMatches }
        if filesWithoutMatch { return .filesWithoutMatch }
        return count ? .count : .lines
    }

    func options(context: GrepContext, colors: GrepColors?) -> GrepOptions {
        var o = GrepOptions()
        // A negative -m means no limit, as in GNU grep.
        (o.output, o.onlyMatching, o.maxCount) = (output, onlyMatching, maxCount.flatMap { $0 < 0 ? nil : $0 })
        (o.lineNumbers, o.byteOffsets, o.nullAfterName) = (lineNumbers, byteOffset, null)
        o.binaryFiles = text ? .text : skipBinary ? .withoutMatch : binaryFiles
        o.colors = color == .always || (color == .auto && GrepColors.standardOutputWantsColor) ? colors : nil
        (o.after, o.before) = (context.after ?? context.context ?? 0, context.before ?? context.context ?? 0)
        o.contextRequested = context.after != nil || context.before != nil || context.context != nil
        o.groupSeparator = context.noGroupSeparator ? nil : context.emptyGroupSeparator ? [] : PathName.bytes(context.groupSeparator)
        return o
    }
}

/// GNU grep's context options (`-NUM` is read as `--context NUM`).
struct GrepContext: ParsableArguments {
    @Option(name: [.customShort("A", allowingJoined: true), .customLong("after-context")], help: ArgumentHelp("Print NUM lines of context after each selected line.", valueName: "num"))
    var after: Int?
    @Option(name: [.customShort("B", allowingJoined: true), .customLong("before-context")], help: ArgumentHelp("Print NUM lines of context before each selected line.", valueName: "num"))
    var before: Int?
    @Option(name: [.customShort("C", allowingJoined: true), .customLong("context")], help: ArgumentHelp("Print NUM lines of context around each selected line (also -NUM).", valueName: "num"))
    var context: Int?
    @Option(help: ArgumentHelp("The line between groups of context (default --).", valueName: "sep"))
    var groupSeparator = "--"
    @Flag(name: .customLong("empty-group-separator"), help: .hidden)
    var emptyGroupSeparator = false
    @Flag(help: "Print nothing between groups of context.")
    var noGroupSeparator = false
}

/// GNU grep's file and directory selection.
struct GrepFiles: ParsableArguments {
    @Flag(name: [.customShort("r"), .customLong("recursive")],
          help: "Search directories recursively (hidden files included, symbolic links inside not followed); no input means `.`.")
    var recursive = false
    @Flag(name: [.customShort("R"), .customLong("dereference-recursive")], help: "Like -r, following every symbolic link.")
    var dereferenceRecursive = false
    @Option(help: ArgumentHelp("Search only files whose base name matches GLOB (repeatable).", valueName: "glob"))
    var include: [String] = []
    @Option(help: ArgumentHelp("Skip files whose base name matches GLOB; a file named on the command line is skipped when any name suffix after a / matches (repeatable).", valueName: "glob"))
    var exclude: [String] = []
    @Option(help: ArgumentHelp("Skip directories whose base name matches GLOB (repeatable).", valueName: "glob"))
    var excludeDir: [String] = []
    /// --include and --exclude in command-line order (see ``GrepArguments``).
    @Option(name: .customLong("name-rule"), help: .hidden)
    var nameRules: [String] = []

    var nameFilter: NameFilter {
        var rules = nameRules.map { $0.hasPrefix("+") ? NameFilter.Rule.include(String($0.dropFirst())) : .exclude(String($0.dropFirst())) }
        rules += include.map(NameFilter.Rule.include) + exclude.map(NameFilter.Rule.exclude)
        return NameFilter(rules: rules, excludedDirectories: excludeDir)
    }
}

/// The grep argument spellings ArgumentParser cannot express, rewritten before parsing as GNU
/// grep's getopt reads them: `-NUM` (also inside a cluster, `-5n`) is `--context NUM`; a cluster
/// ends at its first option that takes a value, the rest being the value (`-inC2`, `-efoo`); a
/// value may start with `-` (`-e -x`) or be empty (`--group-separator=`); counts too large for an
/// integer mean "no limit"; `--color` without a value is `--color=auto`; --include/--exclude
/// become ordered `--name-rule` values and -l/-L a `--list-files` value (the last one wins).
enum GrepArguments {
    static let shortWithValue: [Character: String] = [
        "e": "--regexp", "f": "--file", "m": "--max-count", "A": "--after-context", "B": "--before-context",
        "C": "--context", "j": "--jobs", "T": "--threads",
    ]
    static let longWithValue: Set<String> = [
        "--regexp", "--file", "--max-count", "--after-context", "--before-context", "--context", "--jobs", "--threads",
        "--output", "--to", "--level", "--label", "--exclude-dir", "--group-separator", "--binary-files", "--format",
        "--gzip-backend", "--chunk-size", "--memory-cap", "--max-line", "--xz-check", "--block-size", "--gzip-encoder",
    ]
    static let counts: Set<String> = ["--max-count", "--after-context", "--before-context", "--context"]

    static func normalize(_ arguments: [String]) -> [String] {
        var out: [String] = []
        var index = 0
        func next() -> String? {
            guard index < arguments.count else { return nil }
            index += 1
            return arguments[index - 1]
        }
        /// `name=value`, spelled so ArgumentParser takes any value, an empty one included.
        func option(_ name: String, _ value: String) {
            if value.isEmpty {
                switch name {
                case "--group-separator": out.append("--empty-group-separator")
                case "--label": out.append("--empty-label")
                default: out += [name, ""]
                }
            } else {
                out.append("\(name)=\(counts.contains(name) ? clamped(value) : value)")
            }
        }
        while let a = next() {
            if a == "--" {
                out += arguments[(index - 1)...]
                break
            }
            if a.hasPrefix("--") {
                let name = String(a.prefix { $0 != "=" })
                let inline = a.contains("=") ? String(a.drop { $0 != "=" }.dropFirst()) : nil
                switch name {
                case "--color", "--colour":
                    out.append("--color=\(inline ?? "auto")")
                case "--include", "--exclude":
                    let glob = inline ?? next() ?? ""
                    out.append("--name-rule=\(name == "--include" ? "+" : "-")\(glob)")
                case "--files-with-matches": out.append("--list-files=with")
                case "--files-without-match": out.append("--list-files=without")
                default:
                    if longWithValue.contains(name), let value = inline ?? next() {
                        option(name, value)
                    } else {
                        out.append(a)
                    }
                }
                continue
            }
            guard a.count > 1 && a.hasPrefix("-") else {
                out.append(a)
                continue
            }
            let cluster = Array(a.dropFirst())
            var k = 0
            while k < cluster.count {
                let c = cluster[k]
                if c.isASCII && c.isNumber {
                    var digits = ""
                    while k < cluster.count && cluster[k].isASCII && cluster[k].isNumber {
                        digits.append(cluster[k])
                        k += 1
                    }
                    out.append("--context=\(clamped(digits))")
                    continue
                }
                if let long = shortWithValue[c] {
                    let rest = String(cluster[(k + 1)...])
                    if let value = rest.isEmpty ? next() : rest { option(long, value) } else { out.append("-\(c)") }
                    break
                }
                switch c {
                case "l": out.append("--list-files=with")
                case "L": out.append("--list-files=without")
                default: out.append("-\(c)")
                }
                k += 1
            }
        }
        return out
    }

    /// A count too large for an integer is as good as no limit, as in GNU grep.
    static func clamped(_ value: String) -> String {
        value.allSatisfy(\.isNumber) && value.count > 18 ? String(Int.max) : value
    }
}
