import SluiceCore

/// A single zlib-wrapped (RFC 1950) or raw (RFC 1951) deflate stream through zlib's `inflate`.
///
/// zlib verifies the Adler-32 of the wrapper itself. Anything after the end of the stream is
/// trailing garbage: neither format has members to concatenate.
public final class DeflateDecoder: StreamDecoder {
    private let engine: ZlibInflater
    private let format: CompressionFormat
    private var ended = false

    /// - Parameter format: ``CompressionFormat/zlib`` or ``CompressionFormat/deflate``.
    public init(format: CompressionFormat, budget: MemoryBudget? = nil) throws(SluiceError) {
        precondition(format == .zlib || format == .deflate, "DeflateDecoder handles zlib and raw deflate only")
        self.format = format
        engine = try ZlibInflater(windowBits: format == .zlib ? 15 : -15, computesCRC: false, budget: budget)
    }

    public var report: DecodeReport {
        DecodeReport(format: format, members: ended ? 1 : 0, check: format == .zlib ? .adler32 : IntegrityCheck.none)
    }

    public func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
                       inputEnded: Bool, inputOffset: Int64) throws(DecodeFailure) -> CodecStep {
        if ended {
            if input.count > 0 {
                throw DecodeFailure(SluiceError(.trailingGarbage, "trailing garbage after \(format.rawValue) stream", offset: inputOffset))
            }
            return CodecStep(consumed: 0, produced: 0, status: inputEnded ? .streamEnd : .progress)
        }
        let step: (consumed: Int, produced: Int, finished: Bool, pushback: [UInt8])
        do {
            step = try engine.inflate(input, into: output)
        } catch {
            if error.code == "Z_NEED_DICT" {
                // FDICT: the stream was made against a dictionary the file does not carry.
                let id = String(engine.dictionaryID, radix: 16, uppercase: false)
                throw DecodeFailure(SluiceError(.unsupported, "zlib stream needs a preset dictionary (DICTID 0x\(id)) that is not in the file",
                                                code: error.code, offset: 2))
            }
            throw DecodeFailure(SluiceError(error.code == "Z_MEM_ERROR" ? .limit : .corrupt,
                                            error.code == "Z_MEM_ERROR" ? "zlib could not allocate its window within the memory cap" : error.message,
                                            code: error.code, offset: inputOffset + Int64(error.consumed)),
                                produced: error.produced)
        }
        if step.finished {
            ended = true
            if step.consumed < input.count {
                throw DecodeFailure(SluiceError(.trailingGarbage, "trailing garbage after \(format.rawValue) stream",
                                                offset: inputOffset + Int64(step.consumed)), produced: step.produced)
            }
            return CodecStep(consumed: step.consumed, produced: step.produced, status: inputEnded ? .streamEnd : .progress)
        }
        if step.consumed == input.count && step.produced == 0 && inputEnded && step.produced < output.count {
            throw DecodeFailure(SluiceError(.truncated, "unexpected end of input in \(format.rawValue) stream",
                                            offset: inputOffset + Int64(step.consumed)))
        }
        return CodecStep(consumed: step.consumed, produced: step.produced, status: .progress)
    }
}

@available(*, unavailable)
extension DeflateDecoder: Sendable {}
