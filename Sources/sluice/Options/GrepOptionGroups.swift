import ArgumentParser
import Sluice

extension GrepOptions.BinaryFiles: ExpressibleByArgument {}

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
        if filesWithMatches { return .filesWithMatches }
        if filesWithoutMatch { return .filesWithoutMatch }
        return count ? .count : .lines
    }

    func options(context: GrepContext, colors: GrepColors?) -> GrepOptions {
        var o = GrepOptions()
        (o.output, o.onlyMatching, o.maxCount) = (output, onlyMatching, maxCount)
        (o.lineNumbers, o.byteOffsets, o.nullAfterName) = (lineNumbers, byteOffset, null)
        o.binaryFiles = text ? .text : skipBinary ? .withoutMatch : binaryFiles
        o.colors = color == .always || (color == .auto && GrepColors.standardOutputWantsColor) ? colors : nil
        (o.after, o.before) = (context.after ?? context.context ?? 0, context.before ?? context.context ?? 0)
        o.contextRequested = context.after != nil || context.before != nil || context.context != nil
        o.groupSeparator = context.noGroupSeparator ? nil : PathName.bytes(context.groupSeparator)
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
    @Flag(help: "Print nothing between groups of context.")
    var noGroupSeparator = false
}

/// GNU grep's file and directory selection.
struct GrepFiles: ParsableArguments {
    @Flag(name: [.customShort("r"), .customShort("R"), .customLong("recursive"), .customLong("dereference-recursive")],
          help: "Search directories recursively (hidden files included, symbolic links inside not followed); no input means `.`.")
    var recursive = false
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

/// The grep argument spellings ArgumentParser cannot express, rewritten before parsing:
/// `-NUM` is `--context NUM`, `--color`/`--colour` without a value is `--color=auto`, and
/// --include/--exclude become ordered `--name-rule` values (the last matching one wins).
enum GrepArguments {
    static let shortWithValue = Set("efmABCjT")
    static let longWithValue: Set<String> = [
        "--regexp", "--file", "--max-count", "--after-context", "--before-context", "--context", "--jobs", "--threads",
        "--output", "--to", "--level", "--label", "--exclude-dir", "--group-separator", "--binary-files", "--format",
        "--gzip-backend", "--chunk-size", "--memory-cap", "--max-line", "--xz-check", "--block-size", "--gzip-encoder",
    ]

    static func normalize(_ arguments: [String]) -> [String] {
        var out: [String] = []
        var index = 0
        while index < arguments.count {
            let a = arguments[index]
            index += 1
            if a == "--" {
                out += arguments[(index - 1)...]
                break
            }
            if a.hasPrefix("--") {
                let name = String(a.prefix { $0 != "=" })
                let value = a.contains("=") ? String(a.drop { $0 != "=" }.dropFirst()) : nil
                switch name {
                case "--color", "--colour":
                    out.append("--color=\(value ?? "auto")")
                case "--include", "--exclude":
                    let glob = value ?? (index < arguments.count ? arguments[index] : "")
                    if value == nil { index += 1 }
                    out.append("--name-rule=\(name == "--include" ? "+" : "-")\(glob)")
                default:
                    out.append(a)
                    if value == nil && longWithValue.contains(name) && index < arguments.count {
                        out.append(arguments[index])
                        index += 1
                    }
                }
                continue
            }
            if a.count > 1 && a.hasPrefix("-") && a.dropFirst().allSatisfy(\.isASCII) && a.dropFirst().allSatisfy(\.isNumber) {
                out.append("--context=\(a.dropFirst())")
                continue
            }
            out.append(a)
            // A cluster of short options: the first that takes a value takes the rest, or the next argument.
            if a.hasPrefix("-") && a.count > 1 {
                for (offset, c) in a.dropFirst().enumerated() where shortWithValue.contains(c) {
                    if offset == a.count - 2 && index < arguments.count {
                        out.append(arguments[index])
                        index += 1
                    }
                    break
                }
            }
        }
        return out
    }
}
