/// Moves bytes from a reader to a sink through one buffer it owns, reserved from a budget.
///
///     reader ──read(into:)──▶ [ buffer, reused ] ──write──▶ sink
///
/// Not thread-safe: one pump per thread.
public final class Pump {
    private let storage: ReservedBuffer
    private var buffer: UnsafeMutableRawBufferPointer { storage.bytes }

    /// - Parameter capacity: the buffer (default 256 KiB), reserved from `budget`.
    /// - Throws: ``SluiceError/Kind/limit`` when the buffer does not fit the budget.
    public init(capacity: ByteCount = .kibibytes(256), budget: MemoryBudget? = nil) throws(SluiceError) {
        storage = try ReservedBuffer(capacity, from: budget, for: "the copy buffer")
    }

    /// Copies everything `reader` yields into `sink`; returns the number of bytes moved.
    /// Bytes read before a fault reach the sink before the fault is rethrown.
    @discardableResult
    public func copy(from reader: ByteReader, to sink: ByteSink) throws(SluiceError) -> Int64 {
        var total: Int64 = 0
        while true {
            let n = try reader.read(into: buffer)
            if n == 0 { return total }
            try sink.write(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
            total += Int64(n)
        }
    }
}

@available(*, unavailable)
extension Pump: Sendable {}
