import SluiceCore

/// A raw-deflate (RFC 1951) engine: the part of gzip decoding that ISA-L and zlib both provide.
///
/// The gzip framing (headers, trailers, members) lives in ``GzipDecoder`` and is shared, so both
/// backends accept and reject exactly the same files.
protocol RawInflater: AnyObject {
    /// Backend name for messages and `--gzip-backend`: `isal` or `zlib`.
    var backendName: String { get }
    /// Starts a new deflate stream (the next gzip member).
    func reset()
    /// Inflates from `input` into `output`.
    ///
    /// When the deflate stream ends, `finished` is true and `consumed` excludes every byte after
    /// its last bit. Bytes after the end that the engine had already taken from *earlier* calls are
    /// returned in `pushback` (oldest first); the caller treats them as coming before `input`.
    func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(InflateError)
        -> (consumed: Int, produced: Int, finished: Bool, pushback: [UInt8])
    /// CRC-32 of everything produced since the last ``reset()``.
    var crc32: UInt32 { get }
}

/// An engine's failure: its C code name, a sentence, and the progress made before it.
struct InflateError: Error {
    var code: String
    var message: String
    var consumed: Int
    var produced: Int
}
