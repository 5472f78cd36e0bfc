import ArgumentParser
import Sluice

struct Head: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the first lines of each input; stops decoding as soon as it has them.",
        discussion: """
            With several inputs each is preceded by `==> name <==`, as head does.

            Examples:
              sluice head huge.log.xz
              sluice head -n 3 a.gz b.gz
              sluice head -n 100000 huge.log.xz -o sample.gz
            """)

    @OptionGroup var decoding: DecodingOptions

    @OptionGroup var output: OutputOptions

    @OptionGroup var count: LineCount

    @Argument(help: "Input files; `-` or none reads standard input.")
    var files: [String] = []

    private var lines: Int { count.lines }

    func run() throws {
        try EachInput.run(files, output: output, threads: decoding.threads) { path, out in
            try Sluice.lines(of: path, options: decoding.decodeOptions).prefix(lines).lines { line in
                try out.write(line.bytes)
                if line.carriageReturn { try out.write(byte: 0x0D) }
                try out.write(byte: 0x0A)
            }
        }
    }
}

struct Tail: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the last lines of each input, in memory bounded by the lines kept.",
        discussion: """
            Compressed streams cannot be read backwards, so the input is decoded to its end; only \
            the last N lines are held, in N reused slots.

            Examples:
              sluice tail app.log.gz
              sluice tail -n 100 big.xz
              sluice tail -n 5000 app.log.gz --to xz > recent.xz
            """)

    @OptionGroup var decoding: DecodingOptions

    @OptionGroup var output: OutputOptions

    @OptionGroup var count: LineCount

    @Argument(help: "Input files; `-` or none reads standard input.")
    var files: [String] = []

    private var lines: Int { count.lines }

    func run() throws {
        try EachInput.run(files, output: output, threads: decoding.threads) { path, out in
            var tail = TailBuffer(count: lines)
            let reader = try LineReader(try Decoders.open(path, options: decoding.decodeOptions), path: path,
                                        budget: MemoryBudget.shared)
            while let block = try reader.nextBlock() { tail.add(block: block) }
            try tail.forEach { line in
                try out.write(line)
                try out.write(byte: 0x0A)
            }
        }
    }
}

/// `-n N`, the option head and tail share.
struct LineCount: ParsableArguments {
    @Option(name: [.customShort("n", allowingJoined: true), .customLong("lines")], help: "Number of lines.")
    var lines: Int = 10

    func validate() throws {
        if lines < 0 { throw ValidationError("-n must be 0 or more.") }
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
        let out = BufferedWriter(target.sink)
        let inputs = Console.inputs(files)
        let progress = target.progress(for: inputs, force: output.progress)
        defer { progress.stop() }
        var failed = false
        for (k, path) in inputs.enumerated() {
            do {
                if inputs.count > 1 { try out.write((k > 0 ? "\n" : "") + "==> \(path == "-" ? "standard input" : path) <==\n") }
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
