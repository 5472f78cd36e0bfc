/// Something that fills caller-owned memory with bytes, in order, until it runs dry.
///
/// This is the one interface every stage of Sluice reads through: a file, standard input, a decoder
/// over either of them. The caller owns the buffer, so a decoder writes straight into a line
/// framer's free space or a ring's writable region, with no copy in between.
///
/// Readers are not thread-safe; one thread drives one reader.
public protocol ByteReader: AnyObject {
    /// Writes up to `buffer.count` bytes to the start of `buffer` and returns how many it wrote.
    ///
    /// Returns 0 only at the end of the stream (and for an empty `buffer`). May return fewer bytes
    /// than asked for at any time. Throws ``SluiceError`` for I/O and data errors; every byte
    /// decoded before a fault is returned by earlier calls before the error is thrown.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(SluiceError) -> Int
}

/// A ``ByteReader`` that can continue from an earlier byte offset: a regular file or a buffer in
/// memory, but not a pipe or a terminal.
///
/// Decoders use it to replay a stretch of input: a format guess that turned out wrong is read again
/// as plain bytes, and a gzip member on which the fast ISA-L engine failed is decoded again by zlib
/// (the reference), so that output is always a prefix of the true decoding.
public protocol RewindableByteReader: ByteReader {
    /// Whether ``rewind(to:)`` works on this reader now (false for pipes and terminals).
    var canRewind: Bool { get }
    /// Makes the next ``ByteReader/read(into:)`` return bytes from absolute `offset` on
    /// (`lseek(2)` with `SEEK_SET` for files). Throws ``SluiceError`` naming the path.
    func rewind(to offset: Int64) throws(SluiceError)
}
