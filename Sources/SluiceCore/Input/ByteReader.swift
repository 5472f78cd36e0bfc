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
