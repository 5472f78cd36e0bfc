import CLzma
import SluiceCore

/// xz, lzip and legacy `.lzma` through liblzma's `lzma_code`.
///
/// - xz: `lzma_stream_decoder` (or `lzma_stream_decoder_mt` with `threads > 1`, which decodes
///   blocks in parallel when the file has several) with `LZMA_CONCATENATED`, so concatenated
///   streams and stream padding decode like `xz -dc`. Every check type is verified; a check this
///   liblzma cannot verify is refused as unsupported rather than skipped silently.
/// - lzip: `lzma_lzip_decoder`; trailing data after the last member is ignored, as XZ Utils does.
/// - lzma: `lzma_alone_decoder`.
///
/// The `lzma_stream` lives behind an allocated pointer for its whole life and ends with `lzma_end`.
public final class LzmaDecoder: StreamDecoder {
    private let stream: UnsafeMutablePointer<lzma_stream>
    private let format: CompressionFormat
    private var streams = 0
    private var check: String?
    private let allocator: UnsafeMutablePointer<lzma_allocator>?
    private let budget: MemoryBudget?

    /// - Parameters:
    ///   - format: `.xz`, `.lzip` or `.lzma`.
    ///   - threads: decoder threads for xz (1 = single-threaded).
    ///   - memoryLimit: liblzma's memory usage limit in bytes (`nil`: none).
    ///   - budget: every liblzma allocation is counted here; what is left of its cap becomes
    ///     liblzma's memory limit, so a dictionary that does not fit fails up front with the figure.
    public init(format: CompressionFormat, threads: Int = 1, memoryLimit: UInt64? = nil,
                budget: MemoryBudget? = nil) throws(SluiceError) {
        precondition(format == .xz || format == .lzip || format == .lzma, "LzmaDecoder handles xz, lzip and lzma")
        self.format = format
        self.budget = budget
        stream = .allocate(capacity: 1)
        sluice_lzma_stream_init(stream)
        allocator = budget.map { CodecAllocator.lzmaAllocator(budget: $0) }
        if let allocator { stream.pointee.allocator = UnsafePointer(allocator) }
        var limit = memoryLimit ?? UInt64.max
        if let remaining = budget?.remaining { limit = min(limit, UInt64(max(remaining.bytes, 1))) }
        let flags = sluice_lzma_concatenated() | sluice_lzma_tell_unsupported_check() | sluice_lzma_tell_any_check()
        let ret: lzma_ret
        switch format {
        case .xz where threads > 1:
            var mt = lzma_mt()
            sluice_lzma_mt_clear(&mt)
            mt.flags = flags
            mt.threads = UInt32(clamping: threads)
            mt.memlimit_threading = limit
            mt.memlimit_stop = limit
            ret = lzma_stream_decoder_mt(stream, &mt)
        case .xz:
            ret = lzma_stream_decoder(stream, limit, flags)
        case .lzip:
            ret = lzma_lzip_decoder(stream, limit, flags)
        default:
            ret = lzma_alone_decoder(stream, limit)
            check = "None"
        }
        guard ret == LZMA_OK else {
            lzma_end(stream)
            stream.deallocate()
            allocator?.deallocate()
            throw SluiceError(.limit, "cannot start the \(format.rawValue) decoder", code: Self.codeName(ret))
        }
    }

    deinit {
        lzma_end(stream)
        stream.deallocate()
        allocator?.deallocate()
    }

    public var report: DecodeReport {
        DecodeReport(format: format, members: format == .lzma ? 1 : streams, check: check)
    }

    public func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
                       inputEnded: Bool, inputOffset: Int64) throws(DecodeFailure) -> CodecStep {
        stream.pointee.next_in = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_in = input.count
        stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_out = output.count
        let action = inputEnded ? LZMA_FINISH : LZMA_RUN
        while true {
            let ret = lzma_code(stream, action)
            let consumed = input.count - stream.pointee.avail_in
            let produced = output.count - stream.pointee.avail_out
            switch ret {
            case LZMA_OK:
                return CodecStep(consumed: consumed, produced: produced, status: .progress)
            case LZMA_STREAM_END:
                return CodecStep(consumed: consumed, produced: produced, status: .streamEnd)
            case LZMA_GET_CHECK:
                streams += 1
                check = format == .lzip ? "CRC32" : Self.checkName(lzma_get_check(stream))
                continue
            case LZMA_BUF_ERROR where !inputEnded:
                return CodecStep(consumed: consumed, produced: produced, status: .progress)
            default:
                throw DecodeFailure(error(for: ret, offset: inputOffset + Int64(consumed)), produced: produced)
            }
        }
    }

    private func error(for ret: lzma_ret, offset: Int64) -> SluiceError {
        let code = Self.codeName(ret)
        switch ret {
        case LZMA_BUF_ERROR:
            return SluiceError(.truncated, "unexpected end of input", code: code, offset: offset)
        case LZMA_FORMAT_ERROR where streams > 0:
            return SluiceError(.trailingGarbage, "trailing garbage after \(format.rawValue) stream \(streams)", code: code, offset: offset)
        case LZMA_FORMAT_ERROR:
            return SluiceError(.corrupt, "file format not recognized", code: code, offset: offset)
        case LZMA_UNSUPPORTED_CHECK:
            let id = lzma_get_check(stream).rawValue
            return SluiceError(.unsupported, "unsupported integrity check type \(id)", code: code, offset: offset)
        case LZMA_OPTIONS_ERROR:
            return SluiceError(.unsupported, "unsupported options (a filter or header field this liblzma cannot decode)",
                               code: code, offset: offset)
        case LZMA_MEMLIMIT_ERROR:
            let needed = ByteCount(bytes: Int(clamping: lzma_memusage(stream)))
            if let cap = budget?.cap {
                return SluiceError(.limit, "\(format.rawValue) decoding needs \(needed) (its dictionary); memory cap is \(cap)", code: code, offset: offset)
            }
            return SluiceError(.limit, "\(format.rawValue) decoding needs \(needed), over the memory limit", code: code, offset: offset)
        case LZMA_MEM_ERROR:
            if let cap = budget?.cap {
                return SluiceError(.limit, "\(format.rawValue) decoder memory exceeds the \(cap) memory cap", code: code, offset: offset)
            }
            return SluiceError(.limit, "cannot allocate memory", code: code, offset: offset)
        default:
            return SluiceError(.corrupt, "compressed data is corrupt", code: code, offset: offset)
        }
    }

    static func checkName(_ check: lzma_check) -> String {
        switch check {
        case LZMA_CHECK_NONE: return "None"
        case LZMA_CHECK_CRC32: return "CRC32"
        case LZMA_CHECK_CRC64: return "CRC64"
        case LZMA_CHECK_SHA256: return "SHA-256"
        default: return "Unknown-\(check.rawValue)"
        }
    }

    static func codeName(_ ret: lzma_ret) -> String {
        switch ret {
        case LZMA_OK: return "LZMA_OK"
        case LZMA_STREAM_END: return "LZMA_STREAM_END"
        case LZMA_NO_CHECK: return "LZMA_NO_CHECK"
        case LZMA_UNSUPPORTED_CHECK: return "LZMA_UNSUPPORTED_CHECK"
        case LZMA_GET_CHECK: return "LZMA_GET_CHECK"
        case LZMA_MEM_ERROR: return "LZMA_MEM_ERROR"
        case LZMA_MEMLIMIT_ERROR: return "LZMA_MEMLIMIT_ERROR"
        case LZMA_FORMAT_ERROR: return "LZMA_FORMAT_ERROR"
        case LZMA_OPTIONS_ERROR: return "LZMA_OPTIONS_ERROR"
        case LZMA_DATA_ERROR: return "LZMA_DATA_ERROR"
        case LZMA_BUF_ERROR: return "LZMA_BUF_ERROR"
        case LZMA_PROG_ERROR: return "LZMA_PROG_ERROR"
        default: return "lzma_ret \(ret.rawValue)"
        }
    }
}

@available(*, unavailable)
extension LzmaDecoder: Sendable {}
