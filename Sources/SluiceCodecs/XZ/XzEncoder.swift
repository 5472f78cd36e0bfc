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
/// (independent blocks of `blockSize` compressed in parallel, as `xz -T N` does, with smaller
/// blocks: see ``defaultBlockSize(dictionary:)``).
///
/// The `lzma_stream` lives behind an allocated pointer and ends with `lzma_end`. Not thread-safe
/// (liblzma's own worker threads are internal to it).
public final class XzEncoder: StreamEncoder {
    public var format: CompressionFormat { .xz }
    private let stream: UnsafeMutablePointer<lzma_stream>
    private var ended = false
    private let multithreaded: Bool
    private let allocator: UnsafeMutablePointer<lzma_allocator>?

    /// - Parameters:
    ///   - preset: 0–9, as `xz -0` … `xz -9`; `extreme` adds `LZMA_PRESET_EXTREME` (`xz -e`).
    ///   - check: the integrity check, CRC64 by default as `xz` does.
    ///   - threads: encoder threads; 1 writes a single-block stream like plain `xz`.
    ///   - blockSize: uncompressed bytes per block in multithreaded mode (nil: half the preset's
    ///     dictionary, see ``defaultBlockSize(dictionary:)``).
    /// - Throws: ``SluiceError/Kind/usage`` for an out-of-range preset, ``SluiceError/Kind/limit`` if
    ///   liblzma cannot allocate its state (`LZMA_MEM_ERROR`).
    public init(preset: Int = 6, extreme: Bool = false, check: XzCheck = .crc64, threads: Int = 1,
                blockSize: ByteCount? = nil, budget: MemoryBudget? = nil) throws(SluiceError) {
        guard (0...9).contains(preset) else { throw SluiceError(.usage, "xz level \(preset) is out of range 0-9") }
        stream = .allocate(capacity: 1)
        multithreaded = threads > 1
        sluice_lzma_stream_init(stream)
        allocator = budget.map { CodecAllocator.lzmaAllocator(budget: $0) }
        if let allocator { stream.pointee.allocator = UnsafePointer(allocator) }
        let flags = UInt32(preset) | (extreme ? sluice_lzma_preset_extreme() : 0)
        let ret: lzma_ret
        if threads > 1 {
            ret = Self.withMultithreadedOptions(preset: flags, threads: threads, blockSize: blockSize?.bytes, check: check) {
                lzma_stream_encoder_mt(stream, $0)
            } ?? LZMA_OPTIONS_ERROR
        } else {
            ret = lzma_easy_encoder(stream, flags, check.lzma)
        }
        // On failure `deinit` runs (every stored property is set) and frees the stream: clean up only there.
        guard ret == LZMA_OK else {
            throw SluiceError(ret == LZMA_MEM_ERROR ? .limit : .unsupported, "cannot start the xz encoder at level \(preset)",
                              code: LzmaCode.codeName(ret))
        }
    }

    /// Sluice's default block size for the multithreaded encoder: half the preset's dictionary,
    /// 1 MiB at least.
    ///
    /// Blocks are compressed independently, so a thread's match finder only ever fills as much of
    /// its window and tables as one block covers. xz uses 3 × the dictionary (24 MiB at -6), so a
    /// short input never reaches every thread and peak RSS keeps growing with the input up to
    /// `threads × block`: at -6 -T2, 126 MiB for 16 MiB of input and 238 MiB from 64 MiB on. With
    /// 4 MiB blocks (and the dictionary cut to match) every thread is at its full size within
    /// 8 MiB of input, and peak RSS is 111 MiB for 16 MiB and 512 MiB alike; output is about 2 %
    /// larger (smaller effective window).
    /// `--block-size` chooses xz's trade instead.
    public static func defaultBlockSize(dictionary: Int) -> Int {
        max(1 << 20, dictionary / 2)
    }

    /// Bytes liblzma says the encoder needs (`lzma_easy_encoder_memusage` or
    /// `lzma_stream_encoder_mt_memusage` with the options ``init`` would use); nil for a bad preset.
    public static func memoryUsage(preset: Int, extreme: Bool = false, threads: Int, blockSize: ByteCount? = nil) -> Int? {
        let flags = UInt32(preset) | (extreme ? sluice_lzma_preset_extreme() : 0)
        if threads > 1 {
            let bytes = withMultithreadedOptions(preset: flags, threads: threads, blockSize: blockSize?.bytes, check: .crc64) {
                lzma_stream_encoder_mt_memusage($0)
            }
            return bytes.flatMap { $0 == UInt64.max ? nil : Int(clamping: $0) }
        }
        let bytes = lzma_easy_encoder_memusage(flags)  // UINT32_MAX on error
        return bytes == UInt64(UInt32.max) ? nil : Int(clamping: bytes)
    }

    /// The multithreaded encoder's options: the preset's LZMA2 settings with the dictionary cut to
    /// the block size (a block is compressed on its own, so a larger window is never used, only
    /// allocated: at -9 with 32 MiB blocks this halves the hash tables), `timeout` 0.
    private static func withMultithreadedOptions<R>(preset flags: UInt32, threads: Int, blockSize: Int?, check: XzCheck,
                                                    _ body: (UnsafePointer<lzma_mt>) -> R) -> R? {
        var lzma = lzma_options_lzma()
        guard lzma_lzma_preset(&lzma, flags) == 0 else { return nil }
        let block = blockSize ?? defaultBlockSize(dictionary: Int(lzma.dict_size))
        lzma.dict_size = UInt32(clamping: max(4096, min(Int(lzma.dict_size), block)))
        return withUnsafeMutablePointer(to: &lzma) { options in
            var filters = (lzma_filter(id: sluice_lzma_filter_lzma2(), options: UnsafeMutableRawPointer(options)),
                           lzma_filter(id: sluice_lzma_vli_unknown(), options: nil))
            return withUnsafeMutableBytes(of: &filters) { raw in
                var mt = lzma_mt()
                sluice_lzma_mt_clear(&mt)
                mt.threads = UInt32(clamping: threads)
                mt.block_size = UInt64(block)
                mt.timeout = 0
                mt.preset = flags
                mt.filters = UnsafePointer(raw.baseAddress!.assumingMemoryBound(to: lzma_filter.self))
                mt.check = check.lzma
                return body(&mt)
            }
        }
    }

    deinit {
        lzma_end(stream)
        stream.deallocate()
        allocator?.deallocate()
    }

    public func encode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
                       finish: Bool) throws(SluiceError) -> CodecStep {
        if ended { return CodecStep(consumed: 0, produced: 0, status: .streamEnd) }
        let (consumed, produced, end) = try code(input, into: output, action: finish ? LZMA_FINISH : LZMA_RUN)
        ended = end
        return CodecStep(consumed: consumed, produced: produced, status: end ? .streamEnd : .progress)
    }

    /// `LZMA_SYNC_FLUSH` on one thread; the multithreaded encoder has no sync flush, so it ends the
    /// current block with `LZMA_FULL_FLUSH` (and waits for its workers). liblzma signals the flush
    /// done with `LZMA_STREAM_END`; the stream then goes on with `LZMA_RUN`.
    public func flush(into output: UnsafeMutableRawBufferPointer) throws(SluiceError) -> FlushStep {
        if ended { return FlushStep(produced: 0, complete: true) }
        let (_, produced, end) = try code(UnsafeRawBufferPointer(start: nil, count: 0), into: output,
                                          action: multithreaded ? LZMA_FULL_FLUSH : LZMA_SYNC_FLUSH)
        return FlushStep(produced: produced, complete: end)
    }

    private func code(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
                      action: lzma_action) throws(SluiceError) -> (consumed: Int, produced: Int, end: Bool) {
        stream.pointee.next_in = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_in = input.count
        stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_out = output.count
        let ret = lzma_code(stream, action)
        let consumed = input.count - stream.pointee.avail_in
        let produced = output.count - stream.pointee.avail_out
        switch ret {
        case LZMA_OK, LZMA_BUF_ERROR: return (consumed, produced, false)
        case LZMA_STREAM_END: return (consumed, produced, true)
        case LZMA_MEM_ERROR:
            throw SluiceError(.limit, "xz encoder cannot allocate memory", code: LzmaCode.codeName(ret))
        default:
            throw SluiceError(.corrupt, "xz encoder failed", code: LzmaCode.codeName(ret))
        }
    }
}

@available(*, unavailable)
extension XzEncoder: Sendable {}
