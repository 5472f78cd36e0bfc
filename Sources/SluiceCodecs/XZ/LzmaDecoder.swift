import CLzma
import SluiceCore

/// xz, lzip and legacy `.lzma` through liblzma's `lzma_code`.
///
/// - xz: `lzma_stream_decoder` (or `lzma_stream_decoder_mt` with `threads > 1`, which decodes
///   blocks in parallel when the file has several) with `LZMA_CONCATENATED`, so concatenated
///   streams and stream padding decode like `xz -dc`. Every check type is verified. A check this
///   liblzma cannot verify is decoded as xz does, and then reported as unsupported after the data,
///   so it is never skipped silently; `ignoreCheck` (`LZMA_IGNORE_CHECK`, `xz --ignore-check`)
///   skips every check instead.
/// - lzip: `lzma_lzip_decoder`, one member at a time; what follows a member is judged the way
///   `lzip -t` judges it: the `LZIP` magic starts the next member; a prefix of it at the end of
///   the input is a truncated header, and 2 or 3 of its 4 bytes in place a corrupt header (errors);
///   other trailing data is skipped with a warning, as the lzip format allows.
/// - lzma: `lzma_alone_decoder`; it has no members, so any byte after the end of the stream is
///   trailing garbage. Input goes through a small staging buffer that always keeps
///   ``aloneLookahead`` bytes back until the input ends: liblzma 5.4.1 forgets that an end marker
///   is allowed after a known size when the input runs out in the middle of that marker (the flag
///   is a local of `lzma_decode`), and fails a valid file with LZMA_DATA_ERROR.
///
/// The `lzma_stream` lives behind an allocated pointer for its whole life and ends with `lzma_end`.
public final class LzmaDecoder: StreamDecoder {
    private let stream: UnsafeMutablePointer<lzma_stream>
    private let format: CompressionFormat
    private var streams = 0
    private var check: IntegrityCheck?
    private let allocator: UnsafeMutablePointer<lzma_allocator>?
    private let budget: MemoryBudget?
    private let memoryLimit: UInt64
    private let flags: UInt32
    private let ignoreCheck: Bool
    /// Decoded bytes handed out by calls that succeeded, for a replay to skip.
    private var delivered: Int64 = 0
    /// xz only: the input offset of the call that failed with output, where a replay turns careful.
    private var failedCallOffset: Int64?
    /// A replay decoder: from this compressed offset on, `lzma_code` gets one input byte per call.
    private let carefulFrom: Int64?
    private let threads: Int
    /// .lzma only: input taken from callers and not yet given to liblzma (see ``decodeAlone``).
    private var staged: UnsafeMutableRawBufferPointer?
    private var stagedStart = 0
    private var stagedEnd = 0
    /// A check type this liblzma cannot verify (`LZMA_UNSUPPORTED_CHECK`): the data is decoded
    /// anyway and the failure is reported at the end.
    private var unverifiedCheck: UInt32?
    /// lzip only: the bytes after a member are being judged (``judgeLzipTail``).
    private var betweenMembers = false
    private var lzipTail: [UInt8] = []
    /// lzip only: trailing data being skipped, and how much.
    private var skippingTrailingData = false
    private var skippedBytes: Int64 = 0
    private static let lzipMagic: [UInt8] = [0x4C, 0x5A, 0x49, 0x50]  // "LZIP"

    /// - Parameters:
    ///   - format: `.xz`, `.lzip` or `.lzma`.
    ///   - threads: decoder threads for xz (1 = single-threaded).
    ///   - memoryLimit: liblzma's memory usage limit in bytes (`nil`: none).
    ///   - budget: every liblzma allocation is counted here; what is left of its cap becomes
    ///     liblzma's memory limit, so a dictionary that does not fit fails up front with the figure.
    ///   - ignoreCheck: do not verify integrity checks (`LZMA_IGNORE_CHECK`).
    ///   - carefulFrom: for a replay (``makeReplayDecoder()``): from this compressed offset on,
    ///     feed liblzma one byte per call.
    public init(format: CompressionFormat, threads: Int = 1, ignoreCheck: Bool = false, memoryLimit: UInt64? = nil,
                budget: MemoryBudget? = nil, carefulFrom: Int64? = nil) throws(SluiceError) {
        self.carefulFrom = carefulFrom
        self.threads = threads
        precondition(format == .xz || format == .lzip || format == .lzma, "LzmaDecoder handles xz, lzip and lzma")
        self.format = format
        self.budget = budget
        stream = .allocate(capacity: 1)
        sluice_lzma_stream_init(stream)
        allocator = budget.map { CodecAllocator.lzmaAllocator(budget: $0) }
        if let allocator { stream.pointee.allocator = UnsafePointer(allocator) }
        var limit = memoryLimit ?? UInt64.max
        if let remaining = budget?.remaining { limit = min(limit, UInt64(max(remaining.bytes, 1))) }
        self.memoryLimit = limit
        self.ignoreCheck = ignoreCheck
        let tell = sluice_lzma_tell_unsupported_check() | sluice_lzma_tell_any_check()
            | (ignoreCheck ? sluice_lzma_ignore_check() : 0)
        let flags = format == .xz ? sluice_lzma_concatenated() | tell : tell
        self.flags = flags
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
            check = IntegrityCheck.none
        }
        // On failure `deinit` runs (every stored property is set) and frees the stream: clean up only there.
        guard ret == LZMA_OK else {
            throw SluiceError(.limit, "cannot start the \(format.rawValue) decoder", code: LzmaCode.codeName(ret))
        }
    }

    deinit {
        staged?.deallocate()
        lzma_end(stream)
        stream.deallocate()
        allocator?.deallocate()
    }

    public var report: DecodeReport {
        var report = DecodeReport(format: format, members: format == .lzma ? 1 : streams, check: check)
        report.checkVerified = !ignoreCheck && unverifiedCheck == nil
        if skippedBytes > 0 {
            report.warnings.append("\(skippedBytes) bytes of trailing data after lzip member \(streams) ignored")
        }
        return report
    }

    public func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
                       inputEnded: Bool, inputOffset: Int64) throws(DecodeFailure) -> CodecStep {
        if format == .xz { return try decodeXz(input, into: output, inputEnded: inputEnded, inputOffset: inputOffset) }
        if format == .lzma { return try decodeAlone(input, into: output, inputEnded: inputEnded, inputOffset: inputOffset) }
        guard format == .lzip else { return try code(input, into: output, inputEnded: inputEnded, inputOffset: inputOffset) }
        var consumed = 0
        var produced = 0
        while true {
            if skippingTrailingData {
                skippedBytes += Int64(input.count - consumed)
                return CodecStep(consumed: input.count, produced: produced, status: inputEnded ? .streamEnd : .progress)
            }
            if betweenMembers {
                while lzipTail.count < 4 && consumed < input.count {
                    lzipTail.append(input[consumed])
                    consumed += 1
                }
                if lzipTail.count < 4 && !inputEnded {
                    return CodecStep(consumed: consumed, produced: produced, status: .progress)
                }
                let tailOffset = inputOffset + Int64(consumed - lzipTail.count)
                if lzipTail.isEmpty { return CodecStep(consumed: consumed, produced: produced, status: .streamEnd) }
                do throws(SluiceError) {
                    if try judgeLzipTail(at: tailOffset) { continue }
                } catch {
                    throw DecodeFailure(error, produced: produced)
                }
                skippedBytes = Int64(lzipTail.count)
                skippingTrailingData = true
                continue
            }
            let rest = UnsafeRawBufferPointer(rebasing: input[consumed...])
            let out = UnsafeMutableRawBufferPointer(rebasing: output[produced...])
            let step: CodecStep
            do {
                step = try code(rest, into: out, inputEnded: inputEnded, inputOffset: inputOffset + Int64(consumed))
            } catch {
                throw DecodeFailure(error.error, produced: produced + error.produced)
            }
            consumed += step.consumed
            produced += step.produced
            guard step.status == .streamEnd else { return CodecStep(consumed: consumed, produced: produced, status: .progress) }
            betweenMembers = true
            lzipTail.removeAll(keepingCapacity: true)
        }
    }

    /// xz: liblzma's BCJ filters (`simple_coder.c`) return an error with `out_pos` already moved
    /// over bytes they have not converted yet, so the output of a failing call may hold bytes that
    /// are not in the stream. It is withheld, and a replay (``makeReplayDecoder()``) decodes the
    /// input again, one byte per call from where the failing call began, so that only the bytes of
    /// the last, failing byte are lost. Calls get at most ``sliceBytes`` of input, which bounds what
    /// a failing call withholds where no replay is possible (a pipe).
    private func decodeXz(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
                          inputEnded: Bool, inputOffset: Int64) throws(DecodeFailure) -> CodecStep {
        var consumed = 0
        var produced = 0
        while true {
            let position = inputOffset + Int64(consumed)
            let careful = carefulFrom.map { position >= $0 } ?? false
            let limit = carefulFrom.map { careful ? 1 : min(Self.sliceBytes, Int(clamping: $0 - position)) } ?? Self.sliceBytes
            let take = min(input.count - consumed, limit)
            let last = consumed + take == input.count
            let step: CodecStep
            do {
                step = try code(UnsafeRawBufferPointer(rebasing: input[consumed..<(consumed + take)]),
                                into: UnsafeMutableRawBufferPointer(rebasing: output[produced...]),
                                inputEnded: inputEnded && last, inputOffset: position)
            } catch {
                // The failing call's own output is withheld (an unsupported check is no data error).
                if error.error.kind == .unsupported || error.produced == 0 {
                    throw DecodeFailure(error.error, produced: produced + error.produced)
                }
                guard carefulFrom == nil else { throw DecodeFailure(error.error, produced: produced) }
                failedCallOffset = position
                throw DecodeFailure(error.error, produced: produced,
                                    replay: DecodeFailure.Replay(offset: 0, skip: delivered))
            }
            consumed += step.consumed
            produced += step.produced
            if carefulFrom == nil { delivered += Int64(step.produced) }
            if step.status == .streamEnd || produced == output.count || (step.consumed == 0 && step.produced == 0) || consumed == input.count {
                return CodecStep(consumed: consumed, produced: produced, status: step.status)
            }
        }
    }

    /// .lzma: bytes held back from liblzma until the input ends, more than an end marker needs.
    static let aloneLookahead = 64
    static let aloneStaging = 64 << 10

    /// .lzma through the staging buffer: callers' input is copied in, and liblzma gets all but the
    /// last ``aloneLookahead`` bytes until the input has ended, so an end marker is never split.
    private func decodeAlone(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
                             inputEnded: Bool, inputOffset: Int64) throws(DecodeFailure) -> CodecStep {
        let buffer = staged ?? {
            let b = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.aloneStaging, alignment: 16)
            staged = b
            return b
        }()
        var consumed = 0
        var produced = 0
        while true {
            if stagedStart > 0 && stagedEnd == buffer.count {
                let kept = stagedEnd - stagedStart
                buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + stagedStart, byteCount: kept)
                stagedStart = 0
                stagedEnd = kept
            }
            let move = min(buffer.count - stagedEnd, input.count - consumed)
            if move > 0 {
                UnsafeMutableRawBufferPointer(rebasing: buffer[stagedEnd..<(stagedEnd + move)])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: input[consumed..<(consumed + move)]))
                stagedEnd += move
                consumed += move
            }
            let ended = inputEnded && consumed == input.count
            let feedable = ended ? stagedEnd - stagedStart : max(0, stagedEnd - stagedStart - Self.aloneLookahead)
            // Compressed offset of staged[stagedStart]: what callers gave, less what is still staged.
            let position = inputOffset + Int64(consumed) - Int64(stagedEnd - stagedStart)
            if feedable == 0 && !ended {
                return CodecStep(consumed: consumed, produced: produced, status: .progress)
            }
            let step: CodecStep
            do {
                step = try code(UnsafeRawBufferPointer(rebasing: buffer[stagedStart..<(stagedStart + feedable)]),
                                into: UnsafeMutableRawBufferPointer(rebasing: output[produced...]),
                                inputEnded: ended, inputOffset: position)
            } catch {
                throw DecodeFailure(error.error, produced: produced + error.produced)
            }
            stagedStart += step.consumed
            produced += step.produced
            if step.status == .streamEnd {
                if stagedEnd > stagedStart || consumed < input.count {
                    throw DecodeFailure(SluiceError(.trailingGarbage, "trailing garbage after the lzma stream",
                                                    offset: position + Int64(step.consumed)), produced: produced)
                }
                return CodecStep(consumed: consumed, produced: produced, status: .streamEnd)
            }
            if produced == output.count || (step.consumed == 0 && step.produced == 0 && consumed == input.count) {
                return CodecStep(consumed: consumed, produced: produced, status: .progress)
            }
        }
    }

    /// The most compressed input one `lzma_code` call gets (xz).
    static let sliceBytes = 16 << 10

    /// The replay after an xz call failed with output (see ``decodeXz``): a single-threaded decoder
    /// that turns careful where that call began.
    ///
    /// The multithreaded decoder reads input far ahead of its output, so where its failing call
    /// began says little: it is replayed by a plain single-threaded decoder first, which finds the
    /// failing call for itself (and is replayed carefully in turn).
    public func makeReplayDecoder() throws(SluiceError) -> StreamDecoder? {
        guard format == .xz, carefulFrom == nil, let from = failedCallOffset else { return nil }
        if threads > 1 {
            return try LzmaDecoder(format: .xz, threads: 1, ignoreCheck: ignoreCheck, memoryLimit: memoryLimit, budget: budget)
        }
        return try LzmaDecoder(format: .xz, threads: 1, ignoreCheck: ignoreCheck, memoryLimit: memoryLimit, budget: budget,
                               carefulFrom: from)
    }

    /// What follows an lzip member, as `lzip -t` judges it: true when `lzipTail` is the next
    /// member's magic (the decoder is restarted and has consumed it), false for trailing data to
    /// skip; throws for a truncated or corrupt member header.
    private func judgeLzipTail(at offset: Int64) throws(SluiceError) -> Bool {
        let magic = Self.lzipMagic
        if lzipTail == magic {
            let ret = lzma_lzip_decoder(stream, memoryLimit, flags)
            guard ret == LZMA_OK else { throw SluiceError(.limit, "cannot restart the lzip decoder", code: LzmaCode.codeName(ret), offset: offset) }
            let result = lzipTail.withUnsafeBytes { bytes in
                Result { () throws(DecodeFailure) -> CodecStep in
                    try code(bytes, into: UnsafeMutableRawBufferPointer(start: nil, count: 0), inputEnded: false, inputOffset: offset)
                }
            }
            let step: CodecStep
            switch result {
            case .success(let s): step = s
            case .failure(let failure): throw failure.error
            }
            precondition(step.consumed == magic.count, "liblzma takes the lzip magic in one call")
            betweenMembers = false
            return true
        }
        if lzipTail.count < magic.count && magic.starts(with: lzipTail) {
            throw SluiceError(.truncated, "truncated header of lzip member \(streams + 1)", offset: offset)
        }
        let inPlace = zip(lzipTail, magic).filter { $0 == $1 }.count
        if inPlace > 1 {
            throw SluiceError(.corrupt, "corrupt header of lzip member \(streams + 1)", offset: offset)
        }
        return false
    }

    /// One run of `lzma_code` over `input` (LZMA_FINISH once the input has ended).
    private func code(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
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
                if let id = unverifiedCheck, !ignoreCheck {
                    throw DecodeFailure(SluiceError(.unsupported, "integrity check type \(id) is not supported by this liblzma: the data was decoded but not verified",
                                                    code: "LZMA_UNSUPPORTED_CHECK", offset: inputOffset + Int64(consumed)),
                                        produced: produced)
                }
                return CodecStep(consumed: consumed, produced: produced, status: .streamEnd)
            case LZMA_GET_CHECK:
                streams += 1
                check = format == .lzip ? .crc32 : LzmaCode.check(lzma_get_check(stream))
                continue
            case LZMA_UNSUPPORTED_CHECK:
                // Decode on, as xz does; the data is delivered and the refusal comes at the end.
                unverifiedCheck = lzma_get_check(stream).rawValue
                check = .unknown(id: lzma_get_check(stream).rawValue)
                continue
            case LZMA_BUF_ERROR where !inputEnded:
                return CodecStep(consumed: consumed, produced: produced, status: .progress)
            default:
                throw DecodeFailure(error(for: ret, offset: inputOffset + Int64(consumed)), produced: produced)
            }
        }
    }

    private func error(for ret: lzma_ret, offset: Int64) -> SluiceError {
        let code = LzmaCode.codeName(ret)
        switch ret {
        case LZMA_BUF_ERROR:
            return SluiceError(.truncated, "unexpected end of input", code: code, offset: offset)
        case LZMA_FORMAT_ERROR where streams > 0:
            return SluiceError(.trailingGarbage, "trailing garbage after \(format.rawValue) stream \(streams)", code: code, offset: offset)
        case LZMA_FORMAT_ERROR:
            return SluiceError(.corrupt, "file format not recognized", code: code, offset: offset)
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
}

@available(*, unavailable)
extension LzmaDecoder: Sendable {}
