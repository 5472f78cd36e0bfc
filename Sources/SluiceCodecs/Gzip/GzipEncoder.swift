import CZlib
import SluiceCore

/// One gzip member (RFC 1952) on one thread: our header, raw deflate from zlib or ISA-L, and the
/// CRC-32/ISIZE trailer.
///
///     [ header ] [ raw deflate of every input byte ........ ] [ CRC32 | ISIZE ]
///       owed       engine output, written straight into the      owed
///       bytes      caller's buffer                               bytes
///
/// The header has no name and mtime 0 unless asked for (like `gzip -n`), so the same input and
/// level always give the same bytes. Framing bytes are handed out as space allows, so any output
/// window works, down to one byte. Not thread-safe.
public final class GzipEncoder: StreamEncoder {
    public var format: CompressionFormat { .gzip }
    /// zlib `deflate`, levels 0–9: the reference, and what `gzip` itself produces; or ISA-L
    /// `isal_deflate`, levels 0–3: much faster, slightly larger output.
    public let engine: GzipBackend
    private let zlib: ZlibDeflater?
    private let isal: IsalDeflater?
    private var header: PendingBytes
    private var trailer: PendingBytes?
    private var crc = CRC32()
    private var size: UInt64 = 0

    /// - Parameters:
    ///   - level: 0–9 for zlib, 0–3 for ISA-L.
    ///   - name, modificationTime: optional header fields (FNAME, MTIME); the defaults keep output reproducible.
    /// - Throws: ``SluiceError/Kind/usage`` for a level the engine does not have.
    public init(level: Int = 6, engine: GzipBackend = .zlib, name: String? = nil, modificationTime: UInt32 = 0,
                budget: MemoryBudget? = nil) throws(SluiceError) {
        self.engine = engine
        switch engine {
        case .zlib:
            guard (0...9).contains(level) else { throw SluiceError(.usage, "gzip level \(level) is out of range 0-9") }
            zlib = try ZlibDeflater(level: level, windowBits: -15, budget: budget)
            isal = nil
        case .isal:
            guard (0...3).contains(level) else { throw SluiceError(.usage, "ISA-L gzip level \(level) is out of range 0-3") }
            zlib = nil
            isal = try IsalDeflater(level: level, budget: budget)
        }
        header = PendingBytes(GzipFraming.header(level: engine == .isal ? 1 : level, name: name,
                                                 modificationTime: modificationTime))
    }

    public func encode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
                       finish: Bool) throws(SluiceError) -> CodecStep {
        var produced = header.drain(into: output)
        var consumed = 0
        if header.isEmpty && trailer == nil && produced < output.count {
            let space = UnsafeMutableRawBufferPointer(rebasing: output[produced...])
            let r = if let zlib {
                try zlib.deflate(input, into: space, flush: finish ? Z_FINISH : Z_NO_FLUSH)
            } else {
                try isal!.deflate(input, into: space, finish: finish)
            }
            consumed = r.consumed
            produced += r.produced
            crc.update(UnsafeRawBufferPointer(rebasing: input[..<consumed]))
            size &+= UInt64(consumed)
            if r.ended { trailer = PendingBytes(GzipFraming.trailer(crc: crc.value, size: size)) }
        }
        if trailer != nil {
            produced += trailer!.drain(into: UnsafeMutableRawBufferPointer(rebasing: output[produced...]))
            if trailer!.isEmpty { return CodecStep(consumed: consumed, produced: produced, status: .streamEnd) }
        }
        return CodecStep(consumed: consumed, produced: produced, status: .progress)
    }

    public func flush(into output: UnsafeMutableRawBufferPointer) throws(SluiceError) -> FlushStep {
        let produced = header.drain(into: output)
        guard header.isEmpty else { return FlushStep(produced: produced, complete: false) }
        guard trailer == nil else { return FlushStep(produced: produced, complete: true) }
        let space = UnsafeMutableRawBufferPointer(rebasing: output[produced...])
        guard !space.isEmpty else { return FlushStep(produced: produced, complete: false) }
        let r = if let zlib {
            try zlib.deflate(UnsafeRawBufferPointer(start: nil, count: 0), into: space, flush: Z_SYNC_FLUSH)
        } else {
            try isal!.flush(into: space)
        }
        return FlushStep(produced: produced + r.produced, complete: r.produced < space.count)
    }
}

@available(*, unavailable)
extension GzipEncoder: Sendable {}
