/// Memory taken from a ``MemoryBudget`` for one buffer; given back when the reservation goes away.
///
///     let r = try budget.reserve(.kibibytes(64), for: "the output buffer")   // counted
///     let buffer = ReservedBuffer(r)                                         // sized from it
///     …                                                                      // buffer dies ─▶ released
///
/// `~Copyable`: a reservation has exactly one owner, so it cannot be released twice or
/// forgotten; `deinit` returns ``size`` to the budget. A reservation without a budget (a library
/// user who does not count) carries its size and releases nothing. It may grow (a line buffer for
/// a long line, the tail's kept lines) and shrink, always through the budget.
public struct Reservation: ~Copyable, @unchecked Sendable {
    /// Bytes held from the budget.
    public private(set) var size: ByteCount
    private let budget: MemoryBudget?

    /// Takes `size` from `budget` (nothing is counted when `budget` is nil).
    /// - Throws: ``SluiceError/Kind/limit`` naming `what`, its size and what is left of the cap.
    public init(_ size: ByteCount, from budget: MemoryBudget?, for what: String) throws(SluiceError) {
        try budget?.take(size, for: what)
        self.size = size
        self.budget = budget
    }

    /// An empty reservation on `budget`, to ``grow(to:for:)`` later.
    public init(emptyFrom budget: MemoryBudget?) {
        self.size = .bytes(0)
        self.budget = budget
    }

    /// A reservation counted nowhere: for buffers a caller sizes without a budget.
    public init(unbudgeted size: ByteCount) {
        self.size = size
        self.budget = nil
    }

    deinit { budget?.release(size.bytes) }

    /// Grows the reservation to `newSize` (no-op when it is already that large).
    /// - Throws: ``SluiceError/Kind/limit`` naming `what`, with the reservation unchanged.
    public mutating func grow(to newSize: ByteCount, for what: String) throws(SluiceError) {
        guard newSize > size else { return }
        try budget?.take(.bytes(newSize.bytes - size.bytes), for: what)
        size = newSize
    }

    /// Gives back all but `newSize` bytes.
    public mutating func shrink(to newSize: ByteCount) {
        guard newSize < size else { return }
        budget?.release(size.bytes - newSize.bytes)
        size = newSize
    }
}

extension MemoryBudget {
    /// Reserves `size` for a buffer; the reservation gives it back when it goes away.
    /// - Throws: ``SluiceError/Kind/limit`` naming `what`, its size and what is left of the cap.
    public func reserve(_ size: ByteCount, for what: String) throws(SluiceError) -> Reservation {
        try Reservation(size, from: self, for: what)
    }
}
