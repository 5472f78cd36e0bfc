/// Collects small writes (matched lines, prefixes, numbers) into one fixed buffer and hands the
/// sink large writes. The buffer is allocated once; bytes larger than it go straight through.
public final class BufferedWriter {
    public let sink: ByteSink
    private let buffer: UnsafeMutableRawBufferPointer
    private var used = 0

    public init(_ sink: ByteSink, capacity: ByteCount = .kibibytes(64)) {
        self.sink = sink
        buffer = .allocate(byteCount: max(capacity.bytes, 64), alignment: 64)
    }

    deinit { buffer.deallocate() }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(SluiceError) {
        if used + bytes.count > buffer.count {
            try flush()
            if bytes.count > buffer.count {
                try sink.write(bytes)
                return
            }
        }
        if bytes.count > 0 {
            UnsafeMutableRawBufferPointer(rebasing: buffer[used..<(used + bytes.count)]).copyMemory(from: bytes)
            used += bytes.count
        }
    }

    public func write(byte: UInt8) throws(SluiceError) {
        if used == buffer.count { try flush() }
        buffer[used] = byte
        used += 1
    }

    public func write(_ text: String) throws(SluiceError) {
        for byte in text.utf8 { try write(byte: byte) }
    }

    /// Writes a decimal number without allocating.
    public func write(decimal value: Int) throws(SluiceError) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var v = value.magnitude
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[19 - n] = UInt8(truncatingIfNeeded: v % 10) + 0x30
                v /= 10
                n += 1
            } while v > 0
        }
        if value < 0 { try write(byte: 0x2D) }
        try withUnsafeBytes(of: &digits) { (d) throws(SluiceError) in
            try write(UnsafeRawBufferPointer(rebasing: d[(20 - n)...]))
        }
    }

    public func flush() throws(SluiceError) {
        guard used > 0 else { return }
        let n = used
        used = 0
        try sink.write(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
    }
}

@available(*, unavailable)
extension BufferedWriter: Sendable {}
