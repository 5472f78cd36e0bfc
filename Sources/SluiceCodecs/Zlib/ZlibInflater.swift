import CZlib
import SluiceCore

/// Raw deflate (or the zlib wrapper) through zlib's `inflate`.
///
/// The `z_stream` lives behind an allocated pointer: zlib checks that it never moves. zlib returns
/// unused input exactly at the end of a stream, so `pushback` is always empty.
final class ZlibInflater: RawInflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private var crc = CRC32()
    private let computesCRC: Bool

    var backendName: String { "zlib" }

    /// - Parameter windowBits: -15 for raw deflate, 15 for the zlib wrapper (RFC 1950).
    /// - Parameter budget: counts zlib's allocations (its 32 KiB window and state) and can refuse them.
    init(windowBits: Int32 = -15, computesCRC: Bool = true, budget: MemoryBudget? = nil) throws(SluiceError) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        self.computesCRC = computesCRC
        if let budget { CodecAllocator.install(on: stream, budget: budget) }
        let ret = sluice_inflateInit2(stream, windowBits)
        // On failure `deinit` runs (every stored property is set) and frees the stream: clean up only there.
        guard ret == Z_OK else {
            throw SluiceError(.limit, "cannot start zlib inflate: the memory cap is reached", code: ZlibCode.name(ret))
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    func reset() {
        inflateReset(stream)
        crc = CRC32()
    }

    var crc32: UInt32 { crc.value }

    /// After `Z_NEED_DICT`: the DICTID of the preset dictionary the stream was made with
    /// (zlib leaves it in `adler`).
    var dictionaryID: UInt32 { UInt32(truncatingIfNeeded: stream.pointee.adler) }

    func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(InflateError)
        -> (consumed: Int, produced: Int, finished: Bool, pushback: [UInt8])
    {
        let (ret, consumed, produced) = stream.step(input, output) { CZlib.inflate($0, Z_NO_FLUSH) }
        if computesCRC { crc.update(UnsafeRawBufferPointer(rebasing: output[..<produced])) }
        switch ret {
        case Z_OK, Z_BUF_ERROR:
            return (consumed, produced, false, [])
        case Z_STREAM_END:
            return (consumed, produced, true, [])
        default:
            let detail = stream.pointee.msg.map { String(cString: $0) } ?? "corrupt deflate data"
            throw InflateError(code: ZlibCode.name(ret), message: detail, consumed: consumed, produced: produced)
        }
    }

}

@available(*, unavailable)
extension ZlibInflater: Sendable {}
