import SluiceCore

/// gzip (RFC 1952) over a raw-deflate engine: ISA-L by default, zlib on request.
///
/// One member after another, each verified before the next begins:
///
///     ┌ header ┐┌──── deflate body (engine) ────┐┌ CRC32 ISIZE ┐┌ header ┐ …
///       parser         RawInflater                 trailer
///
/// The phases form a small state machine; every phase accepts input split anywhere, down to one
/// byte per call. The framing is shared by both engines, so both accept and reject the same files:
/// a member that ends early is truncation, bytes after a member that do not begin another one are
/// trailing garbage, and a CRC-32 or length mismatch is corruption, reported with the member number.
///
/// Zero bytes after a member (tape and block devices, `dd`, some log shippers pad with them) are
/// accepted to the end of the input and noted in the report, as gzip 1.12, pigz, igzip and Python do;
/// a non-zero byte after them is trailing garbage.
///
/// ISA-L may write bytes that are not in the stream in the call where it fails (a match distance
/// before the member start copies whatever preceded it) and may hold good output it never hands
/// out. So an ISA-L failure withholds that call's output and asks for a replay of the member from
/// its first byte (``DecodeFailure/Replay``); ``makeReplayDecoder()`` gives the zlib decoder that
/// re-decodes it, so the output is exactly zlib's: every good byte, and no other.
public final class GzipDecoder: StreamDecoder {
    private enum Phase { case boundary, header, body, trailer, padding }

    private let engine: RawInflater
    private var phase = Phase.boundary
    private var header = GzipHeaderParser()
    /// Bytes the engine read past the end of a deflate body; consumed before new input.
    private var pushback: [UInt8] = []
    private var trailer: UInt64 = 0
    private var trailerCount = 0
    private var members = 0
    /// Compressed offset of the current member's first header byte.
    private var memberStart: Int64 = 0
    /// Bytes decoded from the current member so far (ISIZE stores them modulo 2^32).
    private var memberOutput: Int64 = 0
    /// Zero bytes seen after the last member.
    private var zeroPadding: Int64 = 0
    private let backend: GzipBackend
    private let verifiesChecks: Bool
    private let budget: MemoryBudget?

    /// The engine in use: `isal` or `zlib`.
    public var backendName: String { engine.backendName }

    /// - Parameters:
    ///   - backend: `.isal` (default, the fast path) or `.zlib`.
    ///   - budget: counts (and caps) the engine's memory.
    ///   - membersBefore: members already decoded (by the decoder this one replaces), for numbering.
    ///   - verifiesChecks: compare each member's CRC-32 and ISIZE (false: `--ignore-check`).
    public init(backend: GzipBackend = .isal, verifiesChecks: Bool = true, budget: MemoryBudget? = nil,
                membersBefore: Int = 0) throws(SluiceError) {
        self.backend = backend
        self.verifiesChecks = verifiesChecks
        self.budget = budget
        self.members = membersBefore
        switch backend {
        case .isal: engine = try IsalInflater(budget: budget)
        case .zlib: engine = try ZlibInflater(windowBits: -15, budget: budget)
        }
    }

    public var report: DecodeReport {
        var report = DecodeReport(format: .gzip, members: members, check: .crc32)
        report.checkVerified = verifiesChecks
        if zeroPadding > 0 { report.notes.append("\(zeroPadding) trailing zero bytes ignored") }
        return report
    }

    /// A zlib-backed decoder that re-decodes from the start of the member ISA-L failed on.
    public func makeReplayDecoder() throws(SluiceError) -> StreamDecoder? {
        guard backend == .isal else { return nil }
        return try GzipDecoder(backend: .zlib, verifiesChecks: verifiesChecks, budget: budget, membersBefore: members)
    }

    public func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
                       inputEnded: Bool, inputOffset: Int64) throws(DecodeFailure) -> CodecStep {
        var consumed = 0
        var produced = 0
        /// Compressed offset of the next byte to be examined (pushback bytes come before input).
        func position() -> Int64 { inputOffset + Int64(consumed) - Int64(pushback.count) }
        func fail(_ kind: SluiceError.Kind, _ message: String, code: String? = nil, at offset: Int64) -> DecodeFailure {
            DecodeFailure(SluiceError(kind, message, code: code, offset: offset), produced: produced)
        }

        while true {
            switch phase {
            case .boundary:
                if pushback.isEmpty && consumed == input.count {
                    guard inputEnded else { return CodecStep(consumed: consumed, produced: produced, status: .progress) }
                    if members == 0 { throw fail(.truncated, "empty input, no gzip member", at: position()) }
                    return CodecStep(consumed: consumed, produced: produced, status: .streamEnd)
                }
                let next = pushback.first ?? input[consumed]
                if members > 0 && next == 0 {
                    phase = .padding
                    continue
                }
                header = GzipHeaderParser()
                memberStart = position()
                phase = .header

            case .padding:
                while let byte = pushback.first {
                    guard byte == 0 else { throw fail(.trailingGarbage, "trailing garbage after \(zeroPadding) zero bytes (member \(members))", at: position()) }
                    pushback.removeFirst()
                    zeroPadding += 1
                }
                while consumed < input.count {
                    guard input[consumed] == 0 else {
                        throw fail(.trailingGarbage, "trailing garbage after \(zeroPadding) zero bytes (member \(members))", at: position())
                    }
                    consumed += 1
                    zeroPadding += 1
                }
                return CodecStep(consumed: consumed, produced: produced, status: inputEnded ? .streamEnd : .progress)

            case .header:
                do throws(GzipHeaderParser.Rejection) {
                    if !pushback.isEmpty {
                        var used = 0
                        var rejection: GzipHeaderParser.Rejection?
                        pushback.withUnsafeBytes { bytes in
                            do throws(GzipHeaderParser.Rejection) { used = try header.feed(bytes) } catch { rejection = error }
                        }
                        if let rejection { throw rejection }
                        pushback.removeFirst(used)
                    }
                    if pushback.isEmpty && consumed < input.count {
                        consumed += try header.feed(UnsafeRawBufferPointer(rebasing: input[consumed...]))
                    }
                } catch {
                    let at = position() + Int64(error.index)
                    if members == 0 && error.kind == .trailingGarbage {
                        throw fail(.corrupt, "not in gzip format", at: at)
                    }
                    throw fail(error.kind, error.kind == .trailingGarbage ? "\(error.message) (member \(members))" : "\(error.message) in member \(members + 1)", at: at)
                }
                if header.isDone {
                    engine.reset()
                    memberOutput = 0
                    phase = .body
                } else if inputEnded {
                    throw fail(.truncated, "unexpected end of input in gzip header of member \(members + 1)", at: position())
                } else {
                    return CodecStep(consumed: consumed, produced: produced, status: .progress)
                }

            case .body:
                if produced == output.count { return CodecStep(consumed: consumed, produced: produced, status: .progress) }
                let step: (consumed: Int, produced: Int, finished: Bool, pushback: [UInt8])
                do {
                    step = try engine.inflate(UnsafeRawBufferPointer(rebasing: input[consumed...]),
                                              into: UnsafeMutableRawBufferPointer(rebasing: output[produced...]))
                } catch {
                    let memory = error.code == "Z_MEM_ERROR"
                    var failure = fail(memory ? .limit : .corrupt,
                                       memory ? "zlib could not allocate its window within the memory cap" : "\(error.message) in member \(members + 1)",
                                       code: error.code, at: inputOffset + Int64(consumed + error.consumed))
                    if backend == .isal {
                        // Withhold this call's output: it may hold bytes that are not in the stream.
                        failure.replay = DecodeFailure.Replay(offset: memberStart, skip: memberOutput)
                    } else {
                        failure.produced += error.produced  // zlib writes only bytes it decoded
                    }
                    throw failure
                }
                consumed += step.consumed
                produced += step.produced
                memberOutput += Int64(step.produced)
                if step.finished {
                    pushback = step.pushback
                    trailer = 0
                    trailerCount = 0
                    phase = .trailer
                } else if step.consumed == 0 && step.produced == 0 {
                    if consumed < input.count {
                        return CodecStep(consumed: consumed, produced: produced, status: .progress)
                    }
                    if inputEnded {
                        var failure = fail(.truncated, "unexpected end of input in member \(members + 1)", at: position())
                        // ISA-L keeps the last few bits it cannot yet decode without more input;
                        // zlib decodes them, so a rewindable input ends exactly where zlib ends.
                        if backend == .isal { failure.replay = DecodeFailure.Replay(offset: memberStart, skip: memberOutput) }
                        throw failure
                    }
                    return CodecStep(consumed: consumed, produced: produced, status: .progress)
                }

            case .trailer:
                let trailerStart = position() - Int64(trailerCount)
                while trailerCount < 8 && !pushback.isEmpty {
                    trailer |= UInt64(pushback.removeFirst()) << (8 * UInt64(trailerCount))
                    trailerCount += 1
                }
                while trailerCount < 8 && consumed < input.count {
                    trailer |= UInt64(input[consumed]) << (8 * UInt64(trailerCount))
                    trailerCount += 1
                    consumed += 1
                }
                if trailerCount < 8 {
                    if inputEnded { throw fail(.truncated, "unexpected end of input in trailer of member \(members + 1)", at: position()) }
                    return CodecStep(consumed: consumed, produced: produced, status: .progress)
                }
                let storedCRC = UInt32(truncatingIfNeeded: trailer)
                let storedLength = UInt32(truncatingIfNeeded: trailer >> 32)
                let computedCRC = engine.crc32
                guard storedCRC == computedCRC || !verifiesChecks else {
                    throw fail(.corrupt, "CRC32 mismatch in member \(members + 1) (stored 0x\(hex(storedCRC)), computed 0x\(hex(computedCRC)))",
                               at: trailerStart)
                }
                let memberLength = UInt32(truncatingIfNeeded: memberOutput)  // what ISIZE stores: modulo 2^32
                guard storedLength == memberLength || !verifiesChecks else {
                    throw fail(.corrupt, "length mismatch in member \(members + 1) (ISIZE \(storedLength), decoded \(memberLength))",
                               at: trailerStart + 4)
                }
                members += 1
                phase = .boundary
            }
        }
    }
}

/// Which deflate engine reads or writes gzip: the one choice for decoders and encoders alike.
public enum GzipBackend: String, Sendable, CaseIterable {
    /// Intel ISA-L (`isal_inflate`, `isal_deflate`): the fast path.
    case isal
    /// zlib (`inflate`, `deflate`): the reference implementation.
    case zlib
}

@available(*, unavailable)
extension GzipDecoder: Sendable {}
