import CLzma
import SluiceCodecs
import SluiceCore

/// One configuration to benchmark: a codec, a level and a thread count.
public struct BenchConfig: Sendable, Hashable, CustomStringConvertible {
    public var codec: CompressionFormat
    public var level: Int
    public var threads: Int

    public init(codec: CompressionFormat, level: Int, threads: Int) {
        self.codec = codec
        self.level = level
        self.threads = threads
    }

    public var description: String { "\(codec.rawValue) -\(level)" + (threads > 1 ? " -T\(threads)" : "") }
}

/// Memory a configuration needs, predicted from the libraries' own figures before anything runs.
public enum MemoryPrediction {
    /// Fixed buffers around a codec in a bench run: 128 KiB input chunk, 256 KiB output, decoder input.
    public static let bufferBytes = (128 + 256 + 128) << 10

    /// Bytes to compress with `config` (the larger of encoder and decoder, plus buffers).
    public static func needed(_ config: BenchConfig) -> Int {
        max(encoder(config), decoder(config)) + bufferBytes
    }

    /// Encoder memory: liblzma's `lzma_easy_encoder_memusage` / `lzma_stream_encoder_mt_memusage`
    /// for xz; zlib's documented `(1 << (windowBits + 2)) + (1 << (memLevel + 9))` per deflate
    /// stream for gzip, times the threads plus their 128 KiB blocks for parallel gzip.
    public static func encoder(_ config: BenchConfig) -> Int {
        switch config.codec {
        case .xz:
            return XzEncoder.memoryUsage(preset: config.level, threads: config.threads) ?? Int.max / 2
        default:
            let deflate = (1 << 17) + (1 << 17) + (6 << 10)
            if config.threads > 1 {
                // Per thread: a deflate stream, its 128 KiB input block and output, the 32 KiB dictionary.
                return config.threads * (deflate + 2 * (128 << 10) + (32 << 10) + (4 << 10))
            }
            return deflate
        }
    }

    /// Decoder memory: `lzma_easy_decoder_memusage` for xz; ISA-L's ~85 KiB inflate state for gzip.
    public static func decoder(_ config: BenchConfig) -> Int {
        switch config.codec {
        case .xz:
            let m = lzma_easy_decoder_memusage(UInt32(config.level))
            return m == UInt32.max ? Int.max / 2 : Int(m)
        default:
            return 96 << 10
        }
    }

    /// The highest level of `codec` whose needs fit `cap` at `threads`, for the refusal message.
    public static func highestFitting(_ codec: CompressionFormat, threads: Int, cap: Int) -> Int? {
        let levels = codec == .xz ? Array(0...9) : Array(1...9)
        return levels.last { needed(BenchConfig(codec: codec, level: $0, threads: threads)) <= cap }
    }
}
