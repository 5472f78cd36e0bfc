import CZlib
import SluiceCore

/// zlib's `deflate` over a `z_stream` that lives behind an allocated pointer (zlib checks that the
/// stream never moves); `deflateEnd` in `deinit`.
///
/// `windowBits` picks the wrapper: -15 raw deflate, 15 zlib (RFC 1950), 31 gzip. Not thread-safe.
final class ZlibDeflater {
    private let stream: UnsafeMutablePointer<z_stream>

    /// `deflateInit2(level, Z_DEFLATED, windowBits, memLevel 8, Z_DEFAULT_STRATEGY)`.
    /// - Throws: ``SluiceError/Kind/limit`` (`Z_MEM_ERROR`) or ``SluiceError/Kind/usage`` for a bad level.
    init(level: Int, windowBits: Int32, budget: MemoryBudget? = nil) throws(SluiceError) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        if let budget { CodecAllocator.install(on: stream, budget: budget) }
        let ret = sluice_deflateInit2(stream, Int32(level), windowBits, 8, Z_DEFAULT_STRATEGY)
        // On failure `deinit` runs (every stored property is set) and frees the stream: clean up only there.
        guard ret == Z_OK else {
            throw SluiceError(ret == Z_MEM_ERROR ? .limit : .usage, "cannot start the zlib encoder at level \(level)",
                              code: ZlibCode.name(ret))
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// `deflateReset`: start a new stream with the same parameters.
    func reset() { deflateReset(stream) }

    /// `deflateSetDictionary`: prime the window (right after init or reset, before any deflate).
    func setDictionary(_ dictionary: UnsafeRawBufferPointer) throws(SluiceError) {
        let ret = deflateSetDictionary(stream, dictionary.baseAddress?.assumingMemoryBound(to: Bytef.self),
                                       uInt(dictionary.count))
        guard ret == Z_OK else { throw SluiceError(.corrupt, "cannot set the deflate dictionary", code: ZlibCode.name(ret)) }
    }

    /// One `deflate(strm, flush)` call: returns consumed and produced counts and whether the stream ended
    /// (`Z_STREAM_END`, only with `Z_FINISH`). `Z_BUF_ERROR` (no progress possible) is not a failure.
    func deflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
                 flush: Int32) throws(SluiceError) -> (consumed: Int, produced: Int, ended: Bool) {
        let (ret, consumed, produced) = stream.step(input, output) { CZlib.deflate($0, flush) }
        switch ret {
        case Z_OK, Z_BUF_ERROR: return (consumed, produced, false)
        case Z_STREAM_END: return (consumed, produced, true)
        default: throw SluiceError(.corrupt, "zlib deflate failed", code: ZlibCode.name(ret))
        }
    }

}

@available(*, unavailable)
extension ZlibDeflater: Sendable {}
