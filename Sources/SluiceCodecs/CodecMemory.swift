import CLzma
import SluiceCore

/// What a codec configuration needs in memory, predicted from the libraries' own figures before
/// anything runs: for fitting encoders and decoders to a cap, and for `bench`.
///
/// - xz: liblzma's `lzma_easy_encoder_memusage` / `lzma_stream_encoder_mt_memusage` (with the
///   block size and dictionary ``XzEncoder`` uses) and `lzma_easy_decoder_memusage`.
/// - gzip, zlib, deflate: zlib's documented `(1 << (windowBits + 2)) + (1 << (memLevel + 9))` per
///   deflate stream, plus, for parallel gzip, its `2 × threads + 2` slots (a 128 KiB block, its
///   output bound and the 32 KiB dictionary each); ISA-L's inflate state (about 40 KiB) and zlib's 32 KiB window to decode.
public enum CodecMemory {
    /// One zlib deflate stream at windowBits 15, memLevel 8, with its state (about 262 KiB).
    static let deflateStream = (1 << 17) + (1 << 17) + (6 << 10)

    /// Bytes an encoder for `format` at `level` on `threads` needs; nil when liblzma cannot say
    /// (an invalid preset).
    public static func encoder(_ format: CompressionFormat, level: Int, threads: Int = 1, extreme: Bool = false,
                               blockSize: ByteCount? = nil) -> Int? {
        switch format {
        case .xz:
            return XzEncoder.memoryUsage(preset: level, extreme: extreme, threads: threads, blockSize: blockSize)
        default:
            if format == .gzip && threads > 1 {
                // What ParallelGzipEncoder reserves: its slots, and a deflate stream per thread.
                return (2 * threads + 2) * DeflateSlot.bytes + threads * deflateStream
            }
            return deflateStream
        }
    }

    /// Bytes a decoder for data written by `format` at `level` needs (xz: its dictionary and state).
    public static func decoder(_ format: CompressionFormat, level: Int) -> Int? {
        switch format {
        case .xz, .lzma, .lzip:
            let bytes = lzma_easy_decoder_memusage(UInt32(clamping: level))
            return bytes == UInt64(UInt32.max) ? nil : Int(clamping: bytes)
        default:
            return 96 << 10
        }
    }

    /// The fixed buffers around a codec in a streaming round trip: 128 KiB input chunk, 256 KiB
    /// output, the decoder's 128 KiB input.
    public static let streamingBuffers = (128 + 256 + 128) << 10

    /// Bytes to compress and decompress with this configuration: the larger of encoder and decoder,
    /// plus ``streamingBuffers``. `Int.max / 2` when liblzma cannot say.
    public static func roundTrip(_ format: CompressionFormat, level: Int, threads: Int = 1, extreme: Bool = false,
                                 blockSize: ByteCount? = nil) -> Int {
        guard let enc = encoder(format, level: level, threads: threads, extreme: extreme, blockSize: blockSize),
              let dec = decoder(format, level: level) else { return Int.max / 2 }
        return max(enc, dec) + streamingBuffers
    }

    /// The highest level of `format` whose round trip on `threads` fits in `cap` bytes, for
    /// refusals that say what would fit.
    public static func highestLevel(of format: CompressionFormat, threads: Int = 1, fitting cap: Int) -> Int? {
        let levels = format == .xz ? Array(0...9) : Array(1...9)
        return levels.last { roundTrip(format, level: $0, threads: threads) <= cap }
    }
}

extension Encoders {
    /// Fits an encoder to what is left of `budget` before it starts, as xz does: threads are
    /// reduced first (each reduction reported through `notice`), and a level that cannot fit even
    /// on one thread is refused with what it needs and which levels would fit.
    ///
    /// - Throws: ``SluiceError/Kind/limit`` naming the level, its need and the cap.
    public static func fit(_ options: inout EncodeOptions, budget: MemoryBudget,
                           notice: ((String) -> Void)? = nil) throws(SluiceError) {
        guard let remaining = budget.remaining, let cap = budget.cap else { return }
        let level = options.level ?? defaultLevel
        let format = options.format
        let extreme = options.extreme, blockSize = options.blockSize
        func need(_ threads: Int) -> Int {
            CodecMemory.encoder(format, level: level, threads: threads, extreme: extreme, blockSize: blockSize) ?? Int.max / 2
        }
        var threads = options.threads
        while threads > 1 && need(threads) > remaining.bytes { threads -= 1 }
        if threads < options.threads {
            notice?("reduced encoder threads from \(options.threads) to \(threads) to fit the \(cap) memory cap")
            options.threads = threads
        }
        let needed = need(threads)
        guard needed <= remaining.bytes else {
            let name = format == .xz ? "xz preset \(level)" : "\(format.rawValue) level \(level)"
            var message = "\(name) needs \(ByteCount(bytes: needed)) to compress; cap is \(cap)"
            if let fitting = CodecMemory.highestLevel(of: format == .xz ? .xz : .gzip, fitting: remaining.bytes) {
                message += " (\(format == .xz ? "preset" : "level") ≤ \(fitting) fits)"
            }
            throw SluiceError(.limit, message)
        }
    }
}
