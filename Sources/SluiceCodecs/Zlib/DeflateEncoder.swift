import CZlib
import SluiceCore

/// zlib (RFC 1950) or raw deflate (RFC 1951) through zlib's `deflate`. Not thread-safe.
public final class DeflateEncoder: StreamEncoder {
    public let format: CompressionFormat
    private let deflater: ZlibDeflater
    private var ended = false

    /// - Parameters:
    ///   - format: `.zlib` (2-byte header, Adler-32 trailer) or `.deflate` (no framing).
    ///   - level: 0–9.
    public init(format: CompressionFormat, level: Int = 6, budget: MemoryBudget? = nil) throws(SluiceError) {
        precondition(format == .zlib || format == .deflate, "DeflateEncoder writes zlib or raw deflate")
        guard (0...9).contains(level) else { throw SluiceError(.usage, "\(format.rawValue) level \(level) is out of range 0-9") }
        self.format = format
        deflater = try ZlibDeflater(level: level, windowBits: format == .zlib ? 15 : -15, budget: budget)
    }

    public func encode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
                       finish: Bool) throws(SluiceError) -> CodecStep {
        if ended { return CodecStep(consumed: 0, produced: 0, status: .streamEnd) }
        let r = try deflater.deflate(input, into: output, flush: finish ? Z_FINISH : Z_NO_FLUSH)
        ended = r.ended
        return CodecStep(consumed: r.consumed, produced: r.produced, status: r.ended ? .streamEnd : .progress)
    }

    public func flush(into output: UnsafeMutableRawBufferPointer) throws(SluiceError) -> FlushStep {
        if ended { return FlushStep(produced: 0, complete: true) }
        guard !output.isEmpty else { return FlushStep(produced: 0, complete: false) }
        let r = try deflater.deflate(UnsafeRawBufferPointer(start: nil, count: 0), into: output, flush: Z_SYNC_FLUSH)
        return FlushStep(produced: r.produced, complete: r.produced < output.count)
    }
}

@available(*, unavailable)
extension DeflateEncoder: Sendable {}
