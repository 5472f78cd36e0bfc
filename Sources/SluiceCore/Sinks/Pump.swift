/// Moves bytes from a reader to a sink through one caller-owned buffer, until the reader runs dry.
public enum Pump {
    /// Copies everything `reader` yields into `sink`; returns the number of bytes moved.
    ///
    /// Bytes read before a fault reach the sink before the fault is rethrown.
    @discardableResult
    public static func copy(from reader: ByteReader, to sink: ByteSink, buffer: UnsafeMutableRawBufferPointer) throws(SluiceError) -> Int64 {
        var total: Int64 = 0
        while true {
            let n = try reader.read(into: buffer)
            if n == 0 { return total }
            try sink.write(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
            total += Int64(n)
        }
    }

    /// Reads `reader` to its end, discarding the bytes (for verification); returns how many there were.
    @discardableResult
    public static func drain(_ reader: ByteReader, buffer: UnsafeMutableRawBufferPointer) throws(SluiceError) -> Int64 {
        var total: Int64 = 0
        while true {
            let n = try reader.read(into: buffer)
            if n == 0 { return total }
            total += Int64(n)
        }
    }
}
