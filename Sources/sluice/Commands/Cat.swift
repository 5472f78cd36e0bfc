import ArgumentParser
import Sluice

struct Cat: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decode each input to standard output, in order (like zcat -f / xz -dcf).",
        discussion: """
            Plain (uncompressed) input passes through unchanged. On a damaged input every byte \
            decoded before the fault is written, then the fault is reported with its compressed \
            byte offset and the next input is processed; the exit status is then 1.

            Examples:
              sluice cat app.log.gz | grep ERROR
              sluice cat -T 2 big.xz > big
              cat part1.gz part2.gz | sluice cat -
            """)

    @OptionGroup var decoding: DecodingOptions

    @Argument(help: "Input files; `-` or none reads standard input.")
    var files: [String] = []

    func run() throws {
        Console.ignoreBrokenPipeSignal()
        let sink = FileDescriptorSink.standardOutput()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: decoding.chunkSize.bytes * 2, alignment: 64)
        defer { buffer.deallocate() }
        var failed = false
        for path in Console.inputs(files) {
            do {
                let reader = try Decoders.open(path, options: decoding.decodeOptions)
                try Pump.copy(from: reader, to: sink, buffer: buffer)
            } catch {
                if error.isBrokenPipe { throw ExitCode.success }
                Console.error(error.description)
                failed = true
            }
        }
        if failed { throw ExitCode.failure }
    }
}
