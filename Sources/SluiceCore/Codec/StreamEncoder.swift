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
}
