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

    @Flag(help: "Do not verify integrity checks (gzip CRC-32 and ISIZE, xz and lzip checks), like xz --ignore-check.")
    var ignoreCheck = false

    @OptionGroup var resources: ResourceOptions

    func validate() throws {
        guard chunkSize.bytes >= 1024 && chunkSize.bytes <= 64 << 20 else {
            throw ValidationError("--chunk-size must be between 1KiB and 64MiB.")
        }
        guard threads >= 1 && threads <= 256 else { throw ValidationError("--threads must be between 1 and 256.") }
    }

    var decodeOptions: DecodeOptions {
        let run = RunContext.current
        var options = DecodeOptions(format: format, gzipBackend: gzipBackend, chunkSize: chunkSize, threads: threads,
                                    budget: run.budget, counters: run.counters)
        options.ignoreCheck = ignoreCheck
        options.notice = { Console.error($0) }
        return options
    }

    /// The run these options describe (see ``ResourceOptions/activate()``).
    func activate() { resources.activate() }
}

/// --memory-cap and --stats, which every command takes.
struct ResourceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Memory budget for buffers and codecs, e.g. 64MiB or 1G (default: the cgroup limit, if any).", valueName: "size"))
    var memoryCap: ByteCount?

    @Flag(help: "On exit, print bytes in/out, ratio, speed, peak RSS and codec memory to stderr (--stats=json for JSON).")
    var stats = false

    @Flag(help: .hidden)
    var statsJson = false

    func validate() throws {
        if let memoryCap, memoryCap.bytes == 0 {
            throw ValidationError("--memory-cap must be more than 0 (leave it out for no cap).")
        }
    }

    /// Starts the process's run: its budget from --memory-cap (or the cgroup limit), its
    /// statistics from --stats.
    func activate() {
        RunContext.current = RunContext(cap: memoryCap ?? CgroupMemoryLimit.read(),
                                        statistics: statsJson ? .json : stats ? .line : nil)
    }
}
