import ArgumentParser
import Sluice

struct Cat: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decode each input to standard output, in order (like zcat -f / xz -dcf).",
        discussion: """
            Plain (uncompressed) input passes through unchanged. On a damaged input every byte \
            decoded before the fault is written, then the fault is reported with its compressed \
            byte offset and the next input is processed; the exit status is then 1.

            With --to FORMAT or -o FILE the decoded stream is compressed again on a second thread \
            (-T N also sets the encoder threads). An output file is written atomically: if any \
            input fails, nothing appears under its name. While writing a file, a progress line is \
            shown on standard error when it is a terminal (--progress / --no-progress force it).

            Examples:
              sluice cat app.log.gz | grep ERROR
              sluice cat -T 2 big.xz > big
              cat part1.gz part2.gz | sluice cat -
              sluice cat a.gz b.xz --to xz > all.xz
              sluice cat -o all.log.gz --level 9 logs/*.xz
            """)

    @OptionGroup var decoding: DecodingOptions

    @OptionGroup var output: OutputOptions

    @Argument(help: "Input files; `-` or none reads standard input.")
    var files: [String] = []

    /// Decoded bytes go to an ``OutputTarget``: plain standard output, or an encoder and/or an
    /// atomic file when --to or -o asks for one (finish and cancel are no-ops for plain stdout).
    func run() throws {
        Console.ignoreBrokenPipeSignal()
        let target = try output.openTargetOrExit(threads: decoding.threads)
        var failed = false
        let inputs = Console.inputs(files)
        let progress = target.progress(for: inputs, force: output.progress)
        defer { progress.stop() }
        for path in inputs {
            do {
                let reader = try Decoders.open(path, options: decoding.decodeOptions)
                if let encoding = target.encoding {
                    while try encoding.fill(from: reader) > 0 {}
                } else {
                    // Per input, after its reader: a cap too small for it names the input.
                    try Pump(capacity: .bytes(decoding.chunkSize.bytes * 2), budget: RunContext.current.budget)
                        .copy(from: reader, to: target.sink)
                }
            } catch {
                try target.inputFailed(error.at(path: path))
                failed = true
            }
        }
        try target.finishOrExit()
        if failed { throw ExitCode.failure }
    }
}
