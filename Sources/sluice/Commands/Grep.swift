import ArgumentParser
import Sluice

struct Grep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print lines that match a pattern, in compressed or plain inputs (like zgrep, rg -z).",
        discussion: """
            A pattern without regular-expression characters is searched as a fixed string; anything \
            else is a PCRE2 regular expression (Perl/ERE syntax). Both run through PCRE2's JIT over \
            whole blocks of lines, not line by line. -F forces fixed strings, -E regular expressions.

            Output and exit status follow GNU grep: `file:line` when several inputs are searched \
            (-H/-h force or suppress the name), -n adds line numbers; exit 0 if a line was selected, \
            1 if none was, 2 if an error occurred (a bad input is reported and the others are \
            still searched).

            -o FILE writes the selected lines to a file instead (atomically: nothing appears under \
            its name if an input fails), compressed when --to or the suffix (.gz, .xz, .zz) says so; \
            --to alone compresses standard output. Note: -o names the output file, as in cat and \
            recompress; it is not GNU grep's --only-matching.

            Examples:
              sluice grep -c ERROR app.log.gz
              sluice grep -i -m 10 'timeout' api.log.xz
              sluice grep -r -n -E 'user-[0-9]+5\\b' /var/log/archive/
              sluice grep ERROR app.log.gz -o errors.xz
            """)

    @OptionGroup var decoding: DecodingOptions

    @OptionGroup var output: OutputOptions

    @Flag(name: .shortAndLong, help: "Print only a count of selected lines per input.")
    var count = false
    @Flag(name: [.customShort("v"), .customLong("invert-match")], help: "Select lines that do not match.")
    var invert = false
    @Flag(name: [.customShort("i"), .customLong("ignore-case")], help: "Ignore case distinctions.")
    var ignoreCase = false
    @Flag(name: [.customShort("F"), .customLong("fixed-strings")], help: "Patterns are fixed strings, not regular expressions.")
    var fixed = false
    @Flag(name: [.customShort("E"), .customLong("extended-regexp")], help: "Patterns are regular expressions (PCRE2 syntax).")
    var extended = false
    @Flag(name: [.customShort("n", allowingJoined: true), .customLong("line-number")], help: "Prefix each line with its 1-based line number.")
    var lineNumbers = false
    @Flag(name: [.customShort("H"), .customLong("with-filename")], help: "Prefix each line with the file name.")
    var withFilename = false
    @Flag(name: [.customShort("h"), .customLong("no-filename")], help: "Never prefix lines with the file name.")
    var noFilename = false
    @Flag(name: [.customShort("l", allowingJoined: true), .customLong("files-with-matches")], help: "Print only the names of inputs with a match.")
    var filesWithMatches = false
    @Flag(name: [.customShort("q"), .customLong("quiet")], help: "Print nothing; exit 0 on the first match.")
    var quiet = false
    @Option(name: [.customShort("m", allowingJoined: true), .customLong("max-count")], help: "Stop reading an input after NUM selected lines.")
    var maxCount: Int?
    @Option(name: [.customShort("e", allowingJoined: true), .customLong("regexp")], help: "A pattern (repeatable); then every argument is an input.")
    var patterns: [String] = []
    @Flag(name: [.customShort("r"), .customLong("recursive")], help: "Search directories recursively.")
    var recursive = false
    @Option(name: [.customShort("j", allowingJoined: true), .customLong("jobs")], help: "Inputs searched in parallel (default: number of cores); output stays in input order.")
    var jobs: Int?
    @OptionGroup var limit: LineLimit

    @Argument(help: "PATTERN (unless -e is given), then input files; `-` or none reads standard input.")
    var arguments: [String] = []

    func validate() throws {
        if patterns.isEmpty && arguments.isEmpty { throw ValidationError("Missing PATTERN.") }
        if fixed && extended { throw ValidationError("-F and -E cannot be combined.") }
        if let maxCount, maxCount < 0 { throw ValidationError("-m must be 0 or more.") }
        if let jobs, jobs < 1 { throw ValidationError("-j must be at least 1.") }
    }

    func run() throws {
        Console.ignoreBrokenPipeSignal()
        let allPatterns = patterns.isEmpty ? [arguments[0]] : patterns
        let inputs = patterns.isEmpty ? Array(arguments.dropFirst()) : arguments
        let spec = MatchSpec(patterns: allPatterns, fixed: fixed, regex: extended, ignoreCase: ignoreCase)
        do {
            _ = try spec.makeMatcher()
        } catch {
            Console.error(error.message)
            throw ExitCode(2)
        }
        let (files, walkErrors) = InputFiles.expand(inputs, recursive: recursive)
        for error in walkErrors { Console.error(error.description) }
        let showNames = withFilename || (!noFilename && (files.count > 1 || recursive))
        let settings = GrepSettings(spec: spec, invert: invert, count: count, lineNumbers: lineNumbers, showNames: showNames,
                                    filesOnly: filesWithMatches, quiet: quiet, maxCount: maxCount, maxLine: limit.maxLine,
                                    decode: decoding.decodeOptions)
        let target = try output.openTargetOrExit(threads: decoding.threads, failureCode: 2)
        let workers = min(jobs ?? Processors.online, max(1, files.count))
        let progress = target.progress(for: files, force: output.progress)
        let outcome = OrderedRunner.run(files, workers: workers, stopOnFirstSuccess: quiet, destination: target.sink) { path, out in
            try settings.search(path, out)
        }
        progress.stop()
        if outcome.brokenPipe {
            target.cancel(SluiceError(.io, "broken pipe", code: "EPIPE"))
            throw ExitCode.success
        }
        if let broken = outcome.outputFailure { try target.outputFailed(broken, failureCode: 2) }
        // An output file is all or nothing, as in cat: a failed input leaves no file behind.
        if outcome.anyError && target.file != nil {
            target.cancel(SluiceError(.io, "an input failed"))
            throw ExitCode(2)
        }
        try target.finishOrExit(failureCode: 2)
        if quiet && outcome.anySelected { throw ExitCode.success }
        if outcome.anyError || !walkErrors.isEmpty { throw ExitCode(2) }
        if !outcome.anySelected { throw ExitCode.failure }
    }
}

/// How to build the matcher: one per worker, since PCRE2 match data is per thread.
struct MatchSpec: Sendable {
    var patterns: [String]
    var fixed: Bool
    var regex: Bool
    var ignoreCase: Bool

    static let metacharacters = Set("\\^$.|?*+()[]{}")

    /// Fixed strings longer than this go to `memmem` instead of PCRE2, which refuses compiled
    /// patterns over 64 KiB ("regular expression is too large").
    static let longLiteral = 1024

    func makeMatcher() throws(SluiceError) -> LineMatcher {
        var matchers: [LineMatcher] = []
        for pattern in patterns {
            let literal = fixed || (!regex && !pattern.contains(where: { Self.metacharacters.contains($0) }))
            // Command-line arguments are bytes; a pattern need not be UTF-8 (see PathName).
            let bytes = PathName.bytes(pattern)
            if literal && bytes.count > Self.longLiteral {
                matchers.append(ignoreCase ? CaselessFixedStringMatcher(bytes: bytes) : FixedStringMatcher(bytes: bytes))
                continue
            }
            // Literals go through PCRE2 too (PCRE2_LITERAL): its JIT finds them faster than glibc's
            // memmem here (128 MiB log: 0.20 s against 0.23 s for `grep -c ERROR`, decode included).
            matchers.append(try RegexMatcher(bytes: bytes, ignoreCase: ignoreCase, literal: literal))
        }
        return matchers.count == 1 ? matchers[0] : AnyOfMatcher(matchers)
    }
}

struct GrepSettings: Sendable {
    var spec: MatchSpec
    var invert: Bool
    var count: Bool
    var lineNumbers: Bool
    var showNames: Bool
    var filesOnly: Bool
    var quiet: Bool
    var maxCount: Int?
    var maxLine: ByteCount
    var decode: DecodeOptions

    /// Searches one input, writing its output to `out`; returns whether any line was selected.
    ///
    /// A fault after the input opened ends the search as zgrep's does: the lines (or the count,
    /// or the name for -l) selected before it are written, then the fault is thrown.
    func search(_ path: String, _ out: BufferedWriter) throws -> Bool {
        let matcher = try spec.makeMatcher()
        let display = PathName.bytes(path == "-" ? "(standard input)" : path)
        // Opened here, not by the pipeline, so that an input that cannot be opened prints no count.
        let reader = try Decoders.open(path, options: decode)
        var pipeline = LinePipeline(path: path) { () throws(SluiceError) -> ByteReader in reader }
            .grep(matcher, invert: invert)
        pipeline.budget = decode.budget
        pipeline.maxLineLength = maxLine
        if lineNumbers && !count && !filesOnly && !quiet { pipeline = pipeline.numbered() }
        if filesOnly || quiet { pipeline = pipeline.prefix(1) } else if let maxCount { pipeline = pipeline.prefix(maxCount) }
        var selected = 0
        var fault: SluiceError?
        do throws(SluiceError) {
            if maxCount == 0 {
                // grep -m 0 reads nothing.
            } else if count || filesOnly || quiet {
                try pipeline.lines { _ in selected += 1 }
            } else {
                try pipeline.lines { (line) throws(SluiceError) in
                    selected += 1
                    if showNames { try out.write(display); try out.write(byte: 0x3A) }
                    if line.number > 0 { try out.write(decimal: line.number); try out.write(byte: 0x3A) }
                    try out.write(line.bytes)
                    if line.carriageReturn { try out.write(byte: 0x0D) }
                    try out.write(byte: 0x0A)
                }
            }
        } catch where error.isBrokenPipe {
            throw error
        } catch {
            fault = error
        }
        if count {
            if showNames { try out.write(display); try out.write(byte: 0x3A) }
            try out.write(decimal: selected)
            try out.write(byte: 0x0A)
        } else if filesOnly && selected > 0 {
            try out.write(display)
            try out.write(byte: 0x0A)
        }
        if let fault { throw fault }
        return selected > 0
    }
}
