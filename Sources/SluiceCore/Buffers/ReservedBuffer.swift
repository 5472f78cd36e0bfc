/// A fixed block of raw bytes sized from a ``Reservation``: the buffers Sluice's readers, writers
/// and workers allocate, each counted against the run's budget for as long as it lives.
///
///     ReservedBuffer(reservation)  ─▶  bytes: [ 0 ..< reservation.size ]  (aligned to 64)
///                     deinit       ─▶  deallocate, then the reservation releases
///
/// `~Copyable`, one owner; store it in the class that uses it. ``bytes`` is valid for the
/// buffer's lifetime. Not thread-safe by itself: the owner decides who writes when.
public struct ReservedBuffer: ~Copyable, @unchecked Sendable {
    /// The memory, `reservation.size` bytes (at least 1).
    public let bytes: UnsafeMutableRawBufferPointer
    private let reservation: Reservation

    /// Allocates the reserved size. Cost: one allocation.
    public init(_ reservation: consuming Reservation, alignment: Int = 64) {
        bytes = .allocate(byteCount: max(reservation.size.bytes, 1), alignment: alignment)
        self.reservation = reservation
    }

    /// Reserves `size` from `budget` (nil: uncounted) and allocates it.
    /// - Throws: ``SluiceError/Kind/limit`` naming `what` when it does not fit.
    public init(_ size: ByteCount, from budget: MemoryBudget?, for what: String) throws(SluiceError) {
        self.init(try Reservation(size, from: budget, for: what))
    }

    deinit { bytes.deallocate() }

    /// Bytes in the buffer.
    public var count: Int { bytes.count }
}
