/// Glue between a raw ``ByteReader`` (a file) and a ``StreamDecoder``: compressed bytes are read
/// into one fixed, reused input buffer and decoded straight into the caller's memory.
///
///     source ──read(2)──▶ input buffer [start ..< end] ──decode──▶ caller's buffer
///
/// Invariant: `0 ≤ start ≤ end ≤ input.count`; `input[start ..< end]` is read but not yet consumed,
/// and `input[0]` is compressed byte `inputOrigin`. The buffer is refilled only once the decoder has
/// consumed all of it, so memory stays at `chunkSize` plus the codec's own state, whatever the size
/// of the input.
///
/// Three guarantees on top of the decoder's own checks, for every format:
/// - **Guesses cost nothing.** A format chosen without a magic number (zlib, `.lzma`, see
///   ``CompressionFormat/isGuess(_:)``) is on probation: its output is held in a small buffer
///   (at most ``probationLimit``) until it is confirmed (by ``CompressionFormat/confirmingOutput(for:prefix:)``
///   bytes of output, or the verified end of the stream). If it fails first, the input is read
///   again from byte 0 as plain bytes, as `zcat -f` would pass it through.
/// - **Only true bytes.** When a decoder withholds a failing call's output and asks for a replay
///   (ISA-L, see ``DecodeFailure/Replay``), a rewindable source is read again from the replay
///   offset by the reference decoder, which drops the bytes already delivered and then delivers
///   every good byte up to its own verdict. A pipe cannot be read again: the withheld bytes are lost
///   and the error is reported.
/// - **Nothing after the end is ignored.** Bytes after a stream the decoder declared complete
///   are trailing garbage (decoders that allow concatenation or padding consume them themselves).
///
/// Errors carry the input path and the compressed byte offset. Bytes decoded before a fault are
/// returned first; the fault is thrown by the next call (and every call after it). Not thread-safe.
public final class DecodingReader: ByteReader {
    public let path: String
    /// The format being decoded: the detected one, or ``CompressionFormat/plain`` after a failed guess.
    public private(set) var format: CompressionFormat
    public let source: ByteReader
    /// The decoder in use (replaced by a replay or a fallback to plain).
    public private(set) var decoder: StreamDecoder
    /// Receives one-line warnings the decoder reports at the end of the stream (path included).
    public var notice: ((String) -> Void)?
    private let input: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private var inputOrigin: Int64 = 0
    private var sourceEnded = false
    private var finished = false
    private var pendingError: SluiceError?
    /// The run's byte counters (decoded bytes), if it keeps them.
    private let counters: IOCounters?
    /// The input and probation buffers' bytes, taken from the run's budget.
    private let reservation: Reservation
    /// Output of a guessed format, held until the guess is confirmed; nil once confirmed.
    private var probation: UnsafeMutableRawBufferPointer?
    /// Held output confirmed and not yet handed out: `held[heldStart ..< heldEnd]`.
    private var held: UnsafeMutableRawBufferPointer?
    private var heldStart = 0
    private var heldEnd = 0
    /// Held output that confirms the guess.
    private let confirmAfter: Int
    /// A weak guess (a zlib header of text bytes) is confirmed only by its verified end: with
    /// more output than the probation buffer holds, a rewindable input is decoded to its end once
    /// without delivering anything (`verifying`), then again for real with `restart`'s decoder; any
    /// other input is taken as plain.
    private var weakGuess: Bool { confirmAfter >= Self.probationLimit.bytes }
    private var verifying = false
    private let restart: (() throws(SluiceError) -> StreamDecoder)?
    /// Decoded bytes a replay decoder produces again that were delivered before: dropped.
    private var skipOutput: Int64 = 0
    /// Compressed bytes the decoder has consumed.
    public private(set) var compressedOffset: Int64 = 0
    /// Decompressed bytes handed to callers.
    public private(set) var decodedBytes: Int64 = 0

    /// Output held back from a guessed format before it counts as confirmed.
    public static let probationLimit = ByteCount.kibibytes(64)

    /// Wraps `source`; `prefetched` bytes already read from it are decoded first.
    /// - Parameter chunkSize: size of the one input buffer (default 128 KiB).
    /// - Parameter confirmAfter: the format was guessed, not read from a magic number: hold this
    ///   much output (at most ``probationLimit``) on probation and fall back to plain if the decoder
    ///   fails first. 0: no probation.
    /// - Parameter reservation: ``reservation(chunkSize:guessed:)`` bytes taken from the run's
    ///   budget (nil: uncounted); released when the reader goes away.
    public init(path: String, format: CompressionFormat, source: ByteReader, decoder: StreamDecoder,
                chunkSize: ByteCount = .kibibytes(128), prefetched: UnsafeRawBufferPointer? = nil,
                confirmAfter: ByteCount = .bytes(0), restart: (() throws(SluiceError) -> StreamDecoder)? = nil,
                reservation: consuming Reservation? = nil, counters: IOCounters? = nil) {
        self.restart = restart
        let guessed = confirmAfter.bytes > 0
        self.confirmAfter = min(confirmAfter.bytes, Self.probationLimit.bytes)
        switch consume reservation {
        case .some(let taken): self.reservation = taken
        case .none: self.reservation = Reservation(unbudgeted: Self.reservation(chunkSize: chunkSize, guessed: guessed))
        }
        self.counters = counters
        self.path = path
        self.format = format
        self.source = source
        self.decoder = decoder
        let size = max(chunkSize.bytes, CompressionFormat.detectionPrefixLength, prefetched?.count ?? 0)
        self.input = .allocate(byteCount: size, alignment: 64)
        if let prefetched, prefetched.count > 0 {
            input.copyMemory(from: prefetched)
            end = prefetched.count
        }
        if guessed {
            probation = .allocate(byteCount: Self.probationLimit.bytes, alignment: 16)
        }
    }

    deinit {
        input.deallocate()
        probation?.deallocate()
        held?.deallocate()
    }

    /// What a reader holds: the input buffer, plus the probation buffer for a guessed format.
    public static func reservation(chunkSize: ByteCount, guessed: Bool) -> ByteCount {
        .bytes(chunkSize.bytes + (guessed ? probationLimit.bytes : 0))
    }

    /// Whether the input decoded completely and verified (false before the end or after a fault).
    public var isFinished: Bool { finished }

    /// The decoder's report with this reader's byte counts filled in.
    public var report: DecodeReport {
        var r = decoder.report
        r.compressedBytes = compressedOffset
        r.uncompressedBytes = decodedBytes
        return r
    }

    public func read(into out: UnsafeMutableRawBufferPointer) throws(SluiceError) -> Int {
        if out.count == 0 { return 0 }
        while true {
            if held != nil { return serveHeld(into: out) }
            if let pendingError { throw pendingError }
            if finished { return 0 }
            let n = try decodeStep(into: out)
            if n > 0 { return n }
        }
    }

    /// One decoder call into `out`, or into the free part of the probation buffer while a guess is
    /// on probation, with the bookkeeping of every guarantee. Returns bytes delivered into `out`;
    /// sets `pendingError` or `finished` when the stream is over.
    private func decodeStep(into caller: UnsafeMutableRawBufferPointer) throws(SluiceError) -> Int {
        if start == end && !sourceEnded {
            try refill()
            if held != nil { return 0 }  // the refill confirmed the guess: its held bytes go first
        }
        let out = probation.map { UnsafeMutableRawBufferPointer(rebasing: $0[heldEnd...]) } ?? caller
        let step: CodecStep
        do throws(DecodeFailure) {
            step = try decoder.decode(UnsafeRawBufferPointer(rebasing: input[start..<end]), into: out,
                                      inputEnded: sourceEnded, inputOffset: compressedOffset)
            if step.consumed == 0 && step.produced == 0 && step.status != .streamEnd && !(start == end && !sourceEnded) {
                // The decoder neither consumed nor produced with input available, or at the end of
                // the input: never spin. Handled like the decoder's own failure (a guess falls back).
                throw DecodeFailure(SluiceError(sourceEnded ? .truncated : .corrupt,
                                                sourceEnded ? "unexpected end of input" : "decoder made no progress",
                                                offset: compressedOffset))
            }
        } catch {
            // A guess that fails before its confirming output is plain data (output the failing
            // call produced counts: a binary-header guess is confirmed by its first byte).
            if probation != nil, heldEnd + error.produced < confirmAfter,
               [.corrupt, .truncated, .trailingGarbage].contains(error.error.kind), try fallBackToPlain() {
                return 0
            }
            // The bytes before the failure are good; a replay then skips them with the rest it
            // re-decodes (the failing call's own output was withheld by the decoder).
            if let replay = error.replay, probation == nil {
                let n = accept(produced: error.produced, in: out)
                if try startReplay(replay) { return n }
                pendingError = error.error.at(path: path)
                return n
            }
            pendingError = error.error.at(path: path)
            return accept(produced: error.produced, in: out, ending: true)
        }
        start += step.consumed
        compressedOffset += Int64(step.consumed)
        if step.status == .streamEnd {
            if probation != nil && weakGuess {
                // Verified end of a weak guess: held or verified, it holds only if nothing follows.
                if start == end && !sourceEnded { try refill() }
                if start < end {
                    _ = try fallBackToPlain()  // trailing bytes: not a zlib stream after all
                    return 0
                }
                if verifying { return try startRealPass() }
            }
            let n = accept(produced: step.produced, in: out, ending: true)
            try checkNothingFollows()
            return n
        }
        let n = accept(produced: step.produced, in: out, ending: false)
        if let probation, weakGuess, heldEnd == probation.count {
            // More output than a weak guess may hold unverified.
            if let rewindable = source as? RewindableByteReader, rewindable.canRewind, restart != nil {
                verifying = true
                heldEnd = 0
            } else {
                _ = try fallBackToPlain()
            }
        }
        return n
    }

    /// A weak guess decoded to its verified end: read the input again from byte 0 with a fresh
    /// decoder, delivering this time.
    private func startRealPass() throws(SluiceError) -> Int {
        guard let rewindable = source as? RewindableByteReader, let restart else {
            _ = try fallBackToPlain()
            return 0
        }
        let fresh: StreamDecoder
        do {
            fresh = try restart()
        } catch {
            throw error.at(path: path)
        }
        try rewindable.rewind(to: 0)
        decoder = fresh
        start = 0
        end = 0
        inputOrigin = 0
        sourceEnded = false
        compressedOffset = 0
        verifying = false
        heldEnd = 0
        probation?.deallocate()
        probation = nil
        return 0
    }

    /// Counts `produced` bytes at the start of `out`, first dropping what a replay decodes again.
    /// On probation the bytes are held (and the guess confirmed once the buffer is full or the
    /// stream is `ending`); returns the bytes delivered to the caller.
    private func accept(produced: Int, in out: UnsafeMutableRawBufferPointer, ending: Bool = false) -> Int {
        var n = produced
        if skipOutput > 0 && n > 0 {
            let drop = Int(min(skipOutput, Int64(n)))
            skipOutput -= Int64(drop)
            n -= drop
            if n > 0, let base = out.baseAddress { base.copyMemory(from: base + drop, byteCount: n) }
        }
        if probation != nil {
            if verifying { return 0 }  // decoded only to check the stream; delivered on the real pass
            heldEnd += n
            if ending || (!weakGuess && heldEnd >= confirmAfter) { confirmProbation() }
            return 0
        }
        decodedBytes += Int64(n)
        counters?.countDecoded(n)
        return n
    }

    /// After the decoder's stream end: anything left in the buffer or the source is an error.
    private func checkNothingFollows() throws(SluiceError) {
        finished = true
        confirmProbation()
        for warning in decoder.report.warnings { notice?("\(path): \(warning)") }
        if start == end && !sourceEnded { try refill() }
        if start < end {
            finished = false
            pendingError = SluiceError(.trailingGarbage, "trailing garbage after the \(format.rawValue) stream",
                                       offset: compressedOffset, path: path)
        }
    }

    /// A guessed format failed before it was confirmed: read the input again from byte 0 as plain
    /// bytes. Possible when the source rewinds or byte 0 is still in the buffer; false otherwise.
    private func fallBackToPlain() throws(SluiceError) -> Bool {
        if inputOrigin == 0 {
            start = 0
        } else if let rewindable = source as? RewindableByteReader, rewindable.canRewind {
            try rewindable.rewind(to: 0)
            start = 0
            end = 0
            inputOrigin = 0
            sourceEnded = false
        } else {
            return false
        }
        compressedOffset = 0
        heldEnd = 0
        verifying = false
        format = .plain
        decoder = PassthroughDecoder()
        probation?.deallocate()
        probation = nil
        return true
    }

    /// Hands the decoder's replay to its reference decoder, reading the source again from the
    /// replay offset. False when the source cannot rewind or the decoder offers no replay.
    private func startReplay(_ replay: DecodeFailure.Replay) throws(SluiceError) -> Bool {
        guard let rewindable = source as? RewindableByteReader, rewindable.canRewind else { return false }
        // No reference decoder (say, its memory does not fit next to the failed one): the original
        // error stands, with the withheld bytes lost rather than replaced.
        guard let next = try? decoder.makeReplayDecoder() else { return false }
        try rewindable.rewind(to: replay.offset)
        decoder = next
        start = 0
        end = 0
        inputOrigin = replay.offset
        sourceEnded = false
        compressedOffset = replay.offset
        skipOutput = replay.skip
        return true
    }

    /// The guess holds (or its verdict is final): the held output is handed out before anything else.
    private func confirmProbation() {
        guard let probation else { return }
        self.probation = nil
        if heldEnd > 0 {
            held = probation
            heldStart = 0
        } else {
            probation.deallocate()
        }
    }

    private func serveHeld(into out: UnsafeMutableRawBufferPointer) -> Int {
        let n = min(out.count, heldEnd - heldStart)
        out.baseAddress!.copyMemory(from: held!.baseAddress! + heldStart, byteCount: n)
        heldStart += n
        if heldStart == heldEnd {
            held?.deallocate()
            held = nil
            heldStart = 0
            heldEnd = 0
        }
        decodedBytes += Int64(n)
        counters?.countDecoded(n)
        return n
    }

    /// Reads the next stretch of compressed input. While a guess is on probation, a source that
    /// cannot rewind keeps byte 0 in the buffer (reading on behind it) as long as there is room;
    /// once there is none, the guess counts as confirmed.
    private func refill() throws(SluiceError) {
        let keepOrigin = probation != nil && inputOrigin == 0 && end < input.count
            && !((source as? RewindableByteReader)?.canRewind ?? false)
        if keepOrigin {
            let n = try readSource(into: UnsafeMutableRawBufferPointer(rebasing: input[end...]))
            end += n
            if n == 0 { sourceEnded = true }
            return
        }
        if probation != nil && inputOrigin == 0 && !((source as? RewindableByteReader)?.canRewind ?? false) {
            // Byte 0 is about to leave the buffer: a strong guess is confirmed now, a weak one
            // (it would need its verified end) is taken as plain while it still can be.
            if weakGuess {
                if try fallBackToPlain() { return }
            } else {
                confirmProbation()
            }
        }
        inputOrigin = compressedOffset
        start = 0
        end = try readSource(into: input)
        if end == 0 { sourceEnded = true }
    }

    private func readSource(into buffer: UnsafeMutableRawBufferPointer) throws(SluiceError) -> Int {
        do {
            return try source.read(into: buffer)
        } catch {
            let fault = error.at(path: path)
            pendingError = fault
            throw fault
        }
    }
}

@available(*, unavailable)
extension DecodingReader: Sendable {}

/// Passes bytes through unchanged: the decoder for ``CompressionFormat/plain`` (like `zcat -f`).
public final class PassthroughDecoder: StreamDecoder {
    private var total: Int64 = 0
    public init() {}

    public func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
                       inputEnded: Bool, inputOffset: Int64) throws(DecodeFailure) -> CodecStep {
        let n = min(input.count, output.count)
        if n > 0, let src = input.baseAddress, let dst = output.baseAddress {
            dst.copyMemory(from: src, byteCount: n)
        }
        total += Int64(n)
        let done = inputEnded && n == input.count
        return CodecStep(consumed: n, produced: n, status: done ? .streamEnd : .progress)
    }

    public var report: DecodeReport { DecodeReport(format: .plain, members: nil, check: nil) }
}
