import ArgumentParser
import Sluice

struct Grep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print lines that match patterns, in compressed or plain inputs (a drop-in for zgrep and grep).",
        discussion: """
            Options, output and exit status follow GNU grep 3.8, over the decoded bytes of each input: \
            patterns are basic regular expressions (-G) unless -E (extended), -F (fixed strings) or -P \
            (PCRE2) says otherwise; a pattern without operators is searched as a fixed string. Exit 0 if \
            a line was selected, 1 if none was, 2 if an error occurred (the other inputs are still \
            searched).

            An input with a NUL byte is binary: its matching lines are not printed, and \
            "sluice: NAME: binary file matches" goes to standard error (-a prints them, -I skips the \
            input). In a UTF-8 locale a line that is not valid UTF-8 is withheld the same way.

            --output FILE writes the output to a file (atomically: nothing appears under its name if an \
            input fails), compressed when --to or the suffix (.gz, .xz, .zz) says so. In grep, -o is \
            GNU grep's --only-matching; the output file has only the long name.

            Examples:
              sluice grep -c ERROR app.log.gz
              sluice grep -C 3 -n 'timeout' api.log.xz
              sluice grep -r -w -F -f ids.txt --include='*.gz' /var/log/archive/
              sluice grep -o -E 'user-[0-9]+' app.log.gz | sort | uniq -c
              sluice grep ERROR app.log.gz --output errors.xz
            """)

    @OptionGroup var decoding: DecodingOptions
    @OptionGroup var output: OutputOptionsNamed<OutputFileLongOnly>
    @OptionGroup var matching: GrepMatching
    @OptionGroup var printing: GrepPrinting
    @OptionGroup var context: GrepContext
    @OptionGroup var files: GrepFiles
    @OptionGroup var limit: LineLimit

    @Option(name: [.customShort("j", allowingJoined: true), .customLong("jobs")],
            help: "Inputs searched in parallel (default: number of cores; 1 with context options); output stays in input order.")
    var jobs: Int?

    @Argument(help: "PATTERN (unless -e or -f is given), then input files; `-` reads standard input, and none reads it too (or `.` with -r).")
    var arguments: [String] = []

    func validate() throws {
        if matching.patterns.isEmpty && matching.patternFiles.isEmpty && arguments.isEmpty { throw ValidationError("Missing PATTERN.") }
        if [matching.fixed, matching.basic, matching.extended, matching.perl].filter({ $0 }).count > 1 {
            throw ValidationError("-F, -G, -E and -P cannot be combined.")
        }
        if let jobs, jobs < 1 { throw ValidationError("-j must be at least 1.") }
        for n in [context.after, context.before, context.context].compactMap({ $0 }) where n < 0 {
            throw ValidationError("context lengths must be 0 or more.")
        }
    }

    var recursive: Bool { files.recursive || files.dereferenceRecursive }

    func run() throws {
        Console.ignoreBrokenPipeSignal()
        let fromOptions = !matching.patterns.isEmpty || !matching.patternFiles.isEmpty
        let inputs = fromOptions ? arguments : Array(arguments.dropFirst())
        var texts = matching.patterns.map(PathName.bytes)
        if !fromOptions { texts.append(PathName.bytes(arguments[0])) }
        for file in matching.patternFiles {
            do {
                texts += try PatternSet.read(from: file, options: decoding.decodeOptions)
            } catch {
                Console.error(error.description)
                throw ExitCode(2)
            }
        }
        let patterns = PatternSet(texts, syntax: matching.syntax, ignoreCase: matching.ignoreCase && !matching.noIgnoreCase,
                                  scope: matching.lineRegexp ? .line : matching.wordRegexp ? .word : .substring)
        do {
            _ = try patterns.makeMatcher(budget: decoding.decodeOptions.budget)
        } catch {
            Console.error(error.message)
            throw ExitCode(2)
        }
        var options = printing.options(context: context, colors: GrepColors.fromEnvironment)
        options.checksEncoding = RegexMatcher.isUTF8Locale && options.binaryFiles != .text
        // As grep: nothing can be selected, so no input is read (-L still lists every input).
        let selectsNothing = options.maxCount == 0 || (patterns.patterns.isEmpty && !matching.invert)
            || (patterns.onlyEmpty && matching.invert && patterns.scope == .substring)
        if selectsNothing && options.output != .filesWithoutMatch { throw ExitCode.failure }
        options.invert = matching.invert

        // `grep -r` without an input walks `.` and names files without the leading `./`, as GNU grep.
        let implicit = recursive && inputs.isEmpty
        let walk = implicit ? ["."] : inputs
        var (paths, walkErrors) = InputFiles.expand(walk, recursive: recursive, hidden: true,
                                                    followLinks: files.dereferenceRecursive, filter: files.nameFilter)
        if implicit { paths = paths.map { $0.hasPrefix("./") ? String($0.dropFirst(2)) : $0 } }
        if !printing.noMessages { for error in walkErrors { Console.error(error.description) } }
        let anyDirectory = recursive && walk.contains { InputFiles.isDirectory($0) }
        options.withFileName = printing.withFilename || (!printing.noFilename && (paths.count > 1 || anyDirectory))

        let target = try output.openTargetOrExit(threads: decoding.threads, failureCode: 2)
        // Separators between groups depend on what earlier inputs printed: one input at a time.
        let parallel = options.contextRequested && options.output == .lines ? 1 : (jobs ?? Processors.online)
        let workers = min(parallel, max(1, paths.count))
        let progress = target.progress(for: paths, force: output.progress)
        let search = GrepJob(patterns: patterns, options: options, run: GrepRun(), label: printing.emptyLabel ? "" : printing.label ?? "(standard input)",
                             maxLine: limit.maxLine, decode: decoding.decodeOptions, quietErrors: printing.noMessages)
        let outcome = OrderedRunner.run(paths, workers: workers, stopOnFirstSuccess: options.output == .quiet,
                                        destination: target.sink) { path, out in
            try search.search(path, out)
        }
        progress.stop()
        if outcome.brokenPipe {
            target.cancel(SluiceError(.io, "broken pipe", code: "EPIPE"))
            throw ExitCode.success
        }
        if let broken = outcome.outputFailure { try target.outputFailed(broken, failureCode: 2) }
        // An output file is all or nothing, as in cat: a failed input leaves no file behind.
        if (outcome.anyError || search.run.silentFailures) && target.file != nil {
            target.cancel(SluiceError(.io, "an input failed"))
            throw ExitCode(2)
        }
        try target.finishOrExit(failureCode: 2)
        if options.output == .quiet && outcome.anySelected { throw ExitCode.success }
        if outcome.anyError || !walkErrors.isEmpty || search.run.silentFailures { throw ExitCode(2) }
        if !outcome.anySelected { throw ExitCode.failure }
    }
}

/// Searches one input and reports a binary match, as GNU grep does after the input's lines.
struct GrepJob: Sendable {
    var patterns: PatternSet
    var options: GrepOptions
    var run: GrepRun
    var label: String
    var maxLine: ByteCount
    var decode: DecodeOptions
    /// -s: an input that cannot be opened is not reported (the exit status still says so).
    var quietErrors: Bool

    /// Whether a line was selected (what the exit status tells, for -L too, as in grep 3.8).
    func search(_ path: String, _ out: BufferedWriter) throws -> Bool {
        let matcher = try patterns.makeMatcher(budget: decode.budget)
        let name = path == "-" ? label : path
        var result = GrepResult()
        do throws(SluiceError) {
            result = try GrepSearcher.search(path, name: name, matcher: matcher, options: options, run: run, out: out,
                                             decode: decode, maxLine: maxLine)
        } catch {
            guard quietErrors && error.kind == .io && error.offset == nil else { throw error }
            run.noteSilentFailure()
            return false
        }
        if result.binaryMatched && options.output == .lines {
            try out.flush()
            Console.error("\(Console.listed(name)): binary file matches")
        }
        return result.selected > 0
    }
}
