/// Collects small writes (matched lines, prefixes, numbers) into one fixed buffer and hands the
/// sink large writes. The buffer is allocated once; bytes larger than it go straight through.
public final class BufferedWriter {
    public let sink: ByteSink
    private let storage: ReservedBuffer
    private let buffer: UnsafeMutableRawBufferPointer
    private var used = 0

    /// The default buffer.
    public static let defaultCapacity = ByteCount.kibibytes(64)

    /// Writes to `sink` through the reserved buffer (at least 64 bytes are used).
    public init(_ sink: ByteSink, buffer: consuming ReservedBuffer) {
        self.sink = sink
        storage = buffer
        self.buffer = storage.bytes
    }

    /// Writes to `sink` through a buffer of `capacity` bytes reserved from `budget` (nil: uncounted).
    /// - Throws: ``SluiceError/Kind/limit`` when it does not fit.
    public convenience init(_ sink: ByteSink, capacity: ByteCount = defaultCapacity, budget: MemoryBudget?) throws(SluiceError) {
        self.init(sink, buffer: try ReservedBuffer(.bytes(max(capacity.bytes, 64)), from: budget, for: "the output buffer"))
    }

    /// Writes to `sink` through a buffer of `capacity` bytes counted in no budget.
    public convenience init(_ sink: ByteSink, capacity: ByteCount = defaultCapacity) {
        self.init(sink, buffer: ReservedBuffer(Reservation(unbudgeted: .bytes(max(capacity.bytes, 64)))))
    }

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

    /// Writes bytes held in an array (a file name from ``PathName/bytes(_:)``).
    public func write(_ bytes: [UInt8]) throws(SluiceError) {
        let result = bytes.withUnsafeBytes { raw in Result { () throws(SluiceError) in try write(raw) } }
        try result.get()
    }

    /// Writes part of a borrowed block (the lines of a block up to some line).
    public func write(_ bytes: Slice<UnsafeRawBufferPointer>) throws(SluiceError) {
        try write(UnsafeRawBufferPointer(rebasing: bytes))
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
