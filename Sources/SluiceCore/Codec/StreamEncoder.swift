/// A push-style streaming encoder: plain bytes in, compressed bytes out, positions reported.
///
/// The mirror of ``StreamDecoder``. One call consumes what it can of `input` and writes what fits
/// into `output`; a full output buffer is flow control (``CodecStep/Status/progress`` with
/// `produced == output.count`), never an error.
///
///     caller ──input──▶ encode(input, output, finish) ──▶ (consumed, produced, status)
///
///     finish == false : progress only; the encoder may hold bytes back in its own state.
///     finish == true  : `input` holds the last bytes; call again (with the rest of the input, then
///                       with an empty input) until the status is `.streamEnd`: everything, trailer
///                       included, has then been written.
///     flush(into:)    : between encode calls; call until `complete`: every byte consumed so far
///                       is then in the output, so a reader of what was written can decode all of
///                       it now (a log shipper's sync point). Costs ratio; the stream goes on after.
///
/// Implementations own their C stream state behind a pointer (zlib, liblzma and ISA-L require the
/// state never to move) and release it in `deinit`. Not thread-safe: one thread drives one encoder
/// (a parallel encoder runs its own worker threads internally).
public protocol StreamEncoder: AnyObject {
    /// The container the encoder writes.
    var format: CompressionFormat { get }

    /// Encodes as much of `input` into `output` as fits.
    ///
    /// Always makes progress when it can: it returns with `consumed == 0 && produced == 0` only when
    /// `input` is empty and `finish` is false. Cost: the codec's work on the consumed bytes.
    /// - Throws: ``SluiceError`` for a codec failure (out of memory, bad options), naming the C code.
    func encode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
                finish: Bool) throws(SluiceError) -> CodecStep

    /// Writes out everything consumed so far, ending on a boundary a decoder can stop at: zlib's
    /// and ISA-L's `SYNC_FLUSH` (an empty stored block), liblzma's `LZMA_SYNC_FLUSH` (one thread)
    /// or `LZMA_FULL_FLUSH` (the multithreaded encoder ends its block).
    ///
    /// Call again with more output space until `complete` is true, passing no input in between.
    /// After a finish it has nothing to do and reports complete.
    func flush(into output: UnsafeMutableRawBufferPointer) throws(SluiceError) -> FlushStep
}

/// What one ``StreamEncoder/flush(into:)`` call did.
public struct FlushStep: Sendable, Equatable {
    /// Bytes written to the output.
    public var produced: Int
    /// True when everything consumed so far has been written.
    public var complete: Bool

    public init(produced: Int, complete: Bool) {
        self.produced = produced
        self.complete = complete
    }
}
