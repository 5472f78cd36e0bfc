import ArgumentParser
import Sluice

extension CompressionFormat: ExpressibleByArgument {}
extension GzipBackend: ExpressibleByArgument {}

extension ByteCount: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

/// Options every decoding command shares, pulled in with `@OptionGroup`.
struct DecodingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Decode as this format instead of detecting it from the magic bytes.", valueName: "format"))
    var format: CompressionFormat?

    @Option(help: "Engine for gzip members: isal (fast, default) or zlib (reference).")
    var gzipBackend: GzipBackend = .isal

    @Option(help: ArgumentHelp("Size of the compressed-input buffer, e.g. 64KiB or 1MiB.", valueName: "size"))
    var chunkSize: ByteCount = .kibibytes(128)

    @Option(name: [.customShort("T", allowingJoined: true), .long], help: "Decoder threads for multi-block xz files (like xz -T).")
    var threads: Int = 1

    func validate() throws {
        guard chunkSize.bytes >= 1024 && chunkSize.bytes <= 64 << 20 else {
            throw ValidationError("--chunk-size must be between 1KiB and 64MiB.")
        }
        guard threads >= 1 && threads <= 256 else { throw ValidationError("--threads must be between 1 and 256.") }
    }

    var decodeOptions: DecodeOptions {
        DecodeOptions(format: format, gzipBackend: gzipBackend, chunkSize: chunkSize, threads: threads)
    }
}
