import ArgumentParser
import Sluice

struct Head: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the first lines of each input; stops decoding as soon as it has them.",
        discussion: """
            The output is byte for byte what `zcat FILE | head -n N` prints: `\\r\\n` and a last \
            line without a newline are kept as they are. With several inputs each is preceded by \
            `==> name <==`, as head does.

            Examples:
              sluice head huge.log.xz
              sluice head -n 3 a.gz b.gz
              sluice head -n 100000 huge.log.xz -o sample.gz
            """)

    @OptionGroup var decoding: DecodingOptions

    @OptionGroup var output: OutputOptions

    @OptionGroup var count: LineCount

    @OptionGroup var limit: LineLimit

    @Argument(help: "Input files; `-` or none reads standard input.")
    var files: [String] = []

    func run() throws {
        let wanted = count.lines
        try EachInput.run(files, output: output, threads: decoding.threads) { path, out in
            let reader = try LineReader(try Decoders.open(path, options: decoding.decodeOptions), path: path,
                                        maxLineLength: limit.maxLine, budget: RunContext.current.budget)
            var left = wanted
            // Whole blocks are written as they are, up to and including the last wanted `\n`.
            while left > 0, try reader.withNextBlock({ (block) throws(SluiceError) -> Void in
                let end = block.endOfLines(&left)
                try out.write(block[..<end])
            }) != nil {}
        }
    }
}

struct Tail: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the last lines of each input, in memory bounded by the lines kept.",
        discussion: """
            Compressed streams cannot be read backwards, so the input is decoded to its end; only \
            the last N lines are held, and memory grows with the lines actually kept (counted \
            against --memory-cap), never with N alone. The output is byte for byte what \
            `zcat FILE | tail -n N` prints. A line over --max-line that is not among the last N \
            is read past in bounded memory; one that is among them is an error. On a damaged \
            input the last lines before the fault are printed, then the fault.

            Examples:
              sluice tail app.log.gz
              sluice tail -n 100 big.xz
              sluice tail -n 5000 app.log.gz --to xz > recent.xz
            """)

    @OptionGroup var decoding: DecodingOptions

    @OptionGroup var output: OutputOptions

    @OptionGroup var count: LineCount

    @OptionGroup var limit: LineLimit

    @Argument(help: "Input files; `-` or none reads standard input.")
    var files: [String] = []

    func run() throws {
        let wanted = count.lines
        try EachInput.run(files, output: output, threads: decoding.threads) { path, out in
            var tail = TailBuffer(count: wanted, budget: RunContext.current.budget, path: path)
            let reader = try LineReader(try Decoders.open(path, options: decoding.decodeOptions), path: path,
                                        maxLineLength: limit.maxLine, longLines: .skip, budget: RunContext.current.budget)
            // A fault of the input ends the loop: the last lines read before it are printed, as
            // `zcat | tail` would, then it is reported. A budget error of the window is not caught:
            // it ends the input with nothing printed.
            var fault: SluiceError?
            while true {
                var more = false
                var windowError: SluiceError?
                do throws(SluiceError) {
                    more = try reader.withNextBlock({ (block) throws(SluiceError) -> Void in
                        do throws(SluiceError) {
                            try tail.add(dropped: reader.takeSkippedLines())
                            try tail.add(block: block)
                        } catch {
                            windowError = error
                        }
                    }) != nil
                } catch {
                    fault = error
                }
                if let windowError { throw windowError }
                if !more || fault != nil {
                    try tail.add(dropped: reader.takeSkippedLines())
                    break
                }
            }
            try tail.forEach { line in try out.write(line) }
            if let fault { throw fault }
        }
    }
}

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

/// The per-input loop head and tail share: `==> name <==` before each of several inputs, one
/// line per bad input (the others still run), a quiet end when stdout closes, exit 1 on any fault.
/// Output goes where `output` says (stdout, or compressed and/or an atomic file that a fault
/// leaves unwritten, as in cat).
enum EachInput {
    static func run(_ files: [String], output: OutputOptions, threads: Int,
                    _ body: (String, BufferedWriter) throws -> Void) throws {
        Console.ignoreBrokenPipeSignal()
        let target = try output.openTargetOrExit(threads: threads)
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
