import ArgumentParser
import Sluice

/// `-n N`, the option head and tail share.
struct LineCount: ParsableArguments {
    @Option(name: [.customShort("n", allowingJoined: true), .customLong("lines")],
            help: "Number of lines (digits only: coreutils' +N and -N forms are not supported).")
    var count: LineTotal = LineTotal(10)

    var lines: Int { count.value }
}

/// A line count written with digits only. Swift's `Int("+5")` is 5, which would make `tail -n +5`
/// (coreutils: from line 5 on) print the last 5 lines without a word: a sign is refused instead.
struct LineTotal: ExpressibleByArgument {
    let value: Int
    init(_ value: Int) { self.value = value }
    init?(argument: String) {
        guard let first = argument.unicodeScalars.first, ("0"..."9").contains(first), let value = Int(argument) else { return nil }
        self.value = value
    }
    var defaultValueDescription: String { String(value) }
}

/// `--max-line`, which every command that frames lines takes (grep, head, tail).
struct LineLimit: ParsableArguments {
    @Option(help: ArgumentHelp("Longest line accepted, e.g. 64MiB (newline excluded).", valueName: "size"))
    var maxLine: ByteCount = .mebibytes(64)

    func validate() throws {
        if maxLine.bytes < 1 { throw ValidationError("--max-line must be at least 1 byte.") }
    }
}

/// What head and tail share: their options, and the per-input loop.
struct LineWindowOptions: ParsableArguments {
    @OptionGroup var decoding: DecodingOptions

    @OptionGroup var output: OutputOptions

    @OptionGroup var count: LineCount

    @OptionGroup var limit: LineLimit

    @Argument(help: "Input files; `-` or none reads standard input.")
    var files: [String] = []

    /// A line reader over the decoded input, its buffer reserved from the run's budget.
    func lineReader(_ path: String, longLines: LineReader.LongLines = .fail) throws(SluiceError) -> LineReader {
        try LineReader(try Decoders.open(path, options: decoding.decodeOptions), path: path,
                       maxLineLength: limit.maxLine, longLines: longLines, budget: RunContext.current.budget)
    }

    /// The per-input loop: `==> name <==` before each of several inputs, one line per bad input
    /// (the others still run), a quiet end when stdout closes, exit 1 on any fault. Output goes
    /// where `output` says (stdout, or compressed and/or an atomic file that a fault leaves
    /// unwritten, as in cat).
    func eachInput(_ body: (String, BufferedWriter) throws -> Void) throws {
        Console.ignoreBrokenPipeSignal()
        let target = try output.openTargetOrExit(threads: decoding.threads)
        let out: BufferedWriter
        do {
            out = try BufferedWriter(target.sink, budget: RunContext.current.budget)
        } catch {
            try target.outputFailed(error.at(path: target.path))
        }
        let inputs = Console.inputs(files)
        let progress = target.progress(for: inputs, force: output.progress)
        defer { progress.stop() }
        var failed = false
        for (k, path) in inputs.enumerated() {
            do {
                if inputs.count > 1 {
                    try out.write(PathName.bytes((k > 0 ? "\n" : "") + "==> \(path == "-" ? "standard input" : path) <==\n"))
                }
                try body(path, out)
                try out.flush()
            } catch let error as SluiceError {
                if !error.isBrokenPipe { try? out.flush() }
                try target.inputFailed(error)
                failed = true
            }
        }
        try target.finishOrExit()
        if failed { throw ExitCode.failure }
    }
}
