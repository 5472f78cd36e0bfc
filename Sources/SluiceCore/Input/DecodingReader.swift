/// Glue between a raw ``ByteReader`` (a file) and a ``StreamDecoder``: compressed bytes are read
/// into one fixed, reused input buffer and decoded straight into the caller's memory.
///
///     source ──read(2)──▶ input buffer [start ..< end] ──decode──▶ caller's buffer
///
/// Invariant: `0 ≤ start ≤ end ≤ input.count`; `input[start ..< end]` is read but not yet consumed.
/// The buffer is refilled only once the decoder has consumed all of it, so memory stays at
/// `chunkSize` plus the codec's own state, whatever the size of the input.
///
/// Errors carry the input path and the compressed byte offset. Bytes decoded before a fault are
/// returned first; the fault is thrown by the next call (and every call after it). Not thread-safe.
public final class DecodingReader: ByteReader {
    public let path: String
    public let format: CompressionFormat
    public let source: ByteReader
    public let decoder: StreamDecoder
    private let input: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private var sourceEnded = false
    private var finished = false
    private var pendingError: SluiceError?
    private let budget: MemoryBudget?
    private let reservedBytes: Int
    /// Compressed bytes the decoder has consumed.
    public private(set) var compressedOffset: Int64 = 0
    /// Decompressed bytes handed to callers.
    public private(set) var decodedBytes: Int64 = 0

    /// Wraps `source`; `prefetched` bytes already read from it are decoded first.
    /// - Parameter chunkSize: size of the one input buffer (default 128 KiB).
    /// - Parameter budget: a budget `chunkSize` was reserved from; released when the reader goes away.
    public init(path: String, format: CompressionFormat, source: ByteReader, decoder: StreamDecoder,
                chunkSize: ByteCount = .kibibytes(128), prefetched: UnsafeRawBufferPointer? = nil,
                budget: MemoryBudget? = nil) {
        self.budget = budget
        self.reservedBytes = chunkSize.bytes
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
    }

    deinit {
        input.deallocate()
        budget?.release(reservedBytes)
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
        if let pendingError { throw pendingError }
        if finished || out.count == 0 { return 0 }
        while true {
            if start == end && !sourceEnded { try refill() }
            let step: CodecStep
            do {
                step = try decoder.decode(UnsafeRawBufferPointer(rebasing: input[start..<end]), into: out,
                                          inputEnded: sourceEnded && true, inputOffset: compressedOffset)
            } catch {
                let fault = error.error.at(path: path)
                pendingError = fault
                if error.produced > 0 {
                    decodedBytes += Int64(error.produced)
                    IOStatistics.countDecoded(error.produced)
                    return error.produced
                }
                throw fault
            }
            start += step.consumed
            compressedOffset += Int64(step.consumed)
            decodedBytes += Int64(step.produced)
            IOStatistics.countDecoded(step.produced)
            if step.status == .streamEnd {
                finished = true
                return step.produced
            }
            if step.produced > 0 { return step.produced }
            if step.consumed == 0 {
                if start == end && !sourceEnded { continue }
                // The decoder neither consumed nor produced with input available: never spin.
                let fault = SluiceError(sourceEnded ? .truncated : .corrupt,
                                        sourceEnded ? "unexpected end of input" : "decoder made no progress",
                                        offset: compressedOffset, path: path)
                pendingError = fault
                throw fault
            }
        }
    }

    private func refill() throws(SluiceError) {
        start = 0
        end = 0
        do {
            end = try source.read(into: input)
        } catch {
            let fault = error.at(path: path)
            pendingError = fault
            throw fault
        }
        if end == 0 { sourceEnded = true }
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
