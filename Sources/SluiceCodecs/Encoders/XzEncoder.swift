import CLzma
import SluiceCore

/// The integrity check an xz stream carries (`xz --check`).
public enum XzCheck: String, Sendable, CaseIterable {
    case none, crc32, crc64, sha256

    var lzma: lzma_check {
        switch self {
        case .none: return LZMA_CHECK_NONE
        case .crc32: return LZMA_CHECK_CRC32
        case .crc64: return LZMA_CHECK_CRC64
        case .sha256: return LZMA_CHECK_SHA256
        }
    }
}

/// xz through liblzma: `lzma_easy_encoder` on one thread, `lzma_stream_encoder_mt` for `threads > 1`
/// (independent blocks of `blockSize`, default 2 × the preset's dictionary, compressed in parallel,
/// as `xz -T N` does, with blocks a third smaller).
///
/// The `lzma_stream` lives behind an allocated pointer and ends with `lzma_end`. Not thread-safe
/// (liblzma's own worker threads are internal to it).
public final class XzEncoder: StreamEncoder {
    public var format: CompressionFormat { .xz }
    private let stream: UnsafeMutablePointer<lzma_stream>
    private var ended = false
    private let allocator: UnsafeMutablePointer<lzma_allocator>?

    /// - Parameters:
    ///   - preset: 0–9, as `xz -0` … `xz -9`; `extreme` adds `LZMA_PRESET_EXTREME` (`xz -e`).
    ///   - check: the integrity check, CRC64 by default as `xz` does.
    ///   - threads: encoder threads; 1 writes a single-block stream like plain `xz`.
    ///   - blockSize: uncompressed bytes per block in multithreaded mode (nil: 2 × the preset's
    ///     dictionary, where xz and liblzma use 3 ×: each thread holds a block in and a block out,
    ///     so at `-6 -T2` this saves about 20 MiB of peak RSS for 0.2% larger output, and smaller
    ///     blocks also spread a short input over more threads).
    /// - Throws: ``SluiceError/Kind/usage`` for an out-of-range preset, ``SluiceError/Kind/limit`` if
    ///   liblzma cannot allocate its state (`LZMA_MEM_ERROR`).
    public init(preset: Int = 6, extreme: Bool = false, check: XzCheck = .crc64, threads: Int = 1,
                blockSize: ByteCount? = nil, budget: MemoryBudget? = nil) throws(SluiceError) {
        guard (0...9).contains(preset) else { throw SluiceError(.usage, "xz level \(preset) is out of range 0-9") }
        stream = .allocate(capacity: 1)
        sluice_lzma_stream_init(stream)
        allocator = budget.map { CodecAllocator.lzmaAllocator(budget: $0) }
        if let allocator { stream.pointee.allocator = UnsafePointer(allocator) }
        let flags = UInt32(preset) | (extreme ? sluice_lzma_preset_extreme() : 0)
        let ret: lzma_ret
        if threads > 1 {
            var mt = lzma_mt()
            sluice_lzma_mt_clear(&mt)
            mt.threads = UInt32(clamping: threads)
            mt.block_size = UInt64(blockSize?.bytes ?? Self.defaultBlockSize(preset: flags))
            mt.timeout = 0
            mt.preset = flags
            mt.check = check.lzma
            ret = lzma_stream_encoder_mt(stream, &mt)
        } else {
            ret = lzma_easy_encoder(stream, flags, check.lzma)
        }
        guard ret == LZMA_OK else {
            lzma_end(stream)
            stream.deallocate()
            allocator?.deallocate()
            throw SluiceError(ret == LZMA_MEM_ERROR ? .limit : .unsupported, "cannot start the xz encoder at level \(preset)",
                              code: LzmaDecoder.codeName(ret))
        }
    }

    /// Sluice's default block size for the multithreaded encoder: 2 × the preset's dictionary
    /// (1 MiB minimum), via `lzma_lzma_preset`.
    public static func defaultBlockSize(preset: UInt32) -> Int {
        var options = lzma_options_lzma()
        guard lzma_lzma_preset(&options, preset) == 0 else { return 0 }
        return max(1 << 20, 2 * Int(options.dict_size))
    }

    deinit {
        lzma_end(stream)
        stream.deallocate()
        allocator?.deallocate()
    }

    public func encode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
                       finish: Bool) throws(SluiceError) -> CodecStep {
        if ended { return CodecStep(consumed: 0, produced: 0, status: .streamEnd) }
        stream.pointee.next_in = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_in = input.count
        stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_out = output.count
        let ret = lzma_code(stream, finish ? LZMA_FINISH : LZMA_RUN)
        let consumed = input.count - stream.pointee.avail_in
        let produced = output.count - stream.pointee.avail_out
        switch ret {
        case LZMA_OK, LZMA_BUF_ERROR:
            return CodecStep(consumed: consumed, produced: produced, status: .progress)
        case LZMA_STREAM_END:
            ended = true
            return CodecStep(consumed: consumed, produced: produced, status: .streamEnd)
        case LZMA_MEM_ERROR:
            throw SluiceError(.limit, "xz encoder cannot allocate memory", code: LzmaDecoder.codeName(ret))
        default:
            throw SluiceError(.corrupt, "xz encoder failed", code: LzmaDecoder.codeName(ret))
        }
    }
}

@available(*, unavailable)
extension XzEncoder: Sendable {}
