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

/// Memory a configuration needs, predicted before anything runs (``CodecMemory``, next to the
/// codecs it describes).
public enum MemoryPrediction {
    /// Fixed buffers around a codec in a bench run (``CodecMemory/streamingBuffers``).
    public static let bufferBytes = CodecMemory.streamingBuffers

    /// Bytes to compress and decompress with `config`.
    public static func needed(_ config: BenchConfig) -> Int {
        CodecMemory.roundTrip(config.codec, level: config.level, threads: config.threads)
    }

    /// The highest level of `codec` whose needs fit `cap` at `threads`, for the refusal message.
    public static func highestFitting(_ codec: CompressionFormat, threads: Int, cap: Int) -> Int? {
        CodecMemory.highestLevel(of: codec, threads: threads, fitting: cap)
    }
}
