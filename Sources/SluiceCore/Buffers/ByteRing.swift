/// A fixed-capacity byte ring between one producer thread and one consumer thread.
///
/// The ring never grows: a full ring makes the producer wait, an empty one makes the consumer wait.
/// Both sides see their space as at most two contiguous regions, so a decoder writes into the ring
/// and an encoder reads from it in place, with no copy in between.
///
///     storage  0                                                     capacity
///              ├──────────────┬──────────────────────────┬───────────┤
///     one run: │   writable   │        readable          │ writable  │
///              │   (second)   │ head ..< head + count    │  (first)  │
///              ├──────────────┴──────────────────────────┴───────────┤
///     wrapped: │ readable (2nd)│       writable          │ readable (first)
///              └───────────────┴─────────────────────────┴───────────┘
///
/// Invariants, checked on every change: `0 ≤ head < capacity`, `0 ≤ count ≤ capacity`; the
/// readable bytes are `head ..< head + count` taken modulo `capacity`; the writable bytes are the
/// other `capacity - count`, starting at `(head + count) % capacity`. A side's regions stay valid
/// until that side calls ``commit(written:)`` or ``consume(count:)``; the other side only ever
/// grows them, never touches them.
///
/// Shutdown: the producer calls ``close()`` after its last byte (the consumer then drains and sees
/// end of stream); either side calls ``fail(_:)`` to abandon the transfer, which wakes the other
/// side with that error on its next (or current) wait. Neither thread can hang on a peer that has
/// gone away, as long as that peer closes or fails the ring on every exit path.
///
/// Thread safety: `@unchecked Sendable` because all mutable state (`head`, `count`, `closed`,
/// `failure`) is read and written only while holding `mutex`; the byte storage itself is split
/// between the two sides by those indices, and the mutex hand-off (release on unlock, acquire on
/// lock) orders the producer's stores to the bytes before the consumer's loads of them. The ring
/// supports exactly one producer and one consumer thread.
public final class ByteRing: @unchecked Sendable {
    /// Total bytes the ring holds when full.
    public let capacity: Int
    private let buffer: ReservedBuffer
    private let storage: UnsafeMutableRawPointer
    /// Condition ``readable`` is signalled when bytes become readable, or the ring closes or
    /// fails; ``writable`` when space becomes writable, or the ring fails.
    private let mutex = ConditionLock(conditions: 2)
    private let readable = 0, writable = 1
    private var head = 0
    private var count = 0
    private var closed = false
    private var failure: SluiceError?

    /// Allocates the reserved bytes (at least 1). Cost: one allocation, never repeated.
    public init(_ reservation: consuming Reservation) {
        precondition(reservation.size.bytes >= 1, "a ring needs at least one byte")
        buffer = ReservedBuffer(reservation)
        capacity = buffer.count
        storage = buffer.bytes.baseAddress!
    }

    /// A ring of `capacity` bytes counted in no budget.
    public convenience init(capacity: ByteCount) {
        self.init(Reservation(unbudgeted: capacity))
    }


    // MARK: Regions

    /// At most two contiguous runs of bytes, in ring order; `second` is empty unless the run wraps.
    public struct Regions {
        public var first: UnsafeMutableRawBufferPointer
        public var second: UnsafeMutableRawBufferPointer
        /// Bytes in both runs together.
        public var count: Int { first.count + second.count }
        public var isEmpty: Bool { first.isEmpty }
    }

    /// Where `[start, start + length)` modulo `capacity` lies in storage: one or two runs.
    ///
    /// Preconditions: `0 ≤ start < capacity`, `0 ≤ length ≤ capacity`.
    private func runs(start: Int, length: Int) -> Regions {
        assert(start >= 0 && start < capacity && length >= 0 && length <= capacity)
        let firstLength = min(length, capacity - start)
        let first = UnsafeMutableRawBufferPointer(start: storage + start, count: firstLength)
        let second = UnsafeMutableRawBufferPointer(start: storage, count: length - firstLength)
        return Regions(first: first, second: second)
    }

    /// The bytes the consumer may read now, without waiting. Valid until ``consume(count:)``.
    public var readableRegions: Regions {
        lock(); defer { unlock() }
        return runs(start: head, length: count)
    }

    /// The space the producer may fill now, without waiting. Valid until ``commit(written:)``.
    public var writableRegions: Regions {
        lock(); defer { unlock() }
        return runs(start: (head + count) % capacity, length: capacity - count)
    }

    /// Bytes readable now.
    public var readableCount: Int {
        lock(); defer { unlock() }
        return count
    }

    // MARK: Producer

    /// Waits until at least one byte of space is free, then returns the writable regions.
    ///
    /// - Throws: the error passed to ``fail(_:)`` by either side. Calling it after ``close()`` is
    ///   a programming error.
    public func waitForWritable() throws(SluiceError) -> Regions {
        lock(); defer { unlock() }
        precondition(!closed, "write after close")
        while failure == nil && count == capacity { mutex.wait(writable) }
        if let failure { throw failure }
        return runs(start: (head + count) % capacity, length: capacity - count)
    }

    /// Publishes `written` bytes the producer stored at the start of its writable regions.
    public func commit(written: Int) {
        guard written > 0 else { return }
        lock(); defer { unlock() }
        precondition(written <= capacity - count, "committed more bytes than were writable")
        count += written
        mutex.signal(readable)
    }

    /// Copies all of `bytes` into the ring, waiting for space as often as needed.
    ///
    /// - Throws: the ring's failure; bytes copied before it are lost with the transfer.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(SluiceError) {
        var offset = 0
        while offset < bytes.count {
            let space = try waitForWritable()
            var written = 0
            for region in [space.first, space.second] where offset < bytes.count {
                let n = min(region.count, bytes.count - offset)
                region.baseAddress!.copyMemory(from: bytes.baseAddress! + offset, byteCount: n)
                offset += n
                written += n
            }
            commit(written: written)
        }
    }

    /// Marks the end of the stream: the consumer drains what is left and then sees empty regions.
    public func close() {
        lock(); defer { unlock() }
        closed = true
        mutex.broadcast(readable)
    }

    // MARK: Consumer

    /// Waits until bytes are readable or the producer closed the ring; returns the readable
    /// regions, which are empty only at the end of the stream.
    ///
    /// - Throws: the error passed to ``fail(_:)`` by either side, even if bytes are still readable.
    public func waitForReadable() throws(SluiceError) -> Regions {
        lock(); defer { unlock() }
        while failure == nil && count == 0 && !closed { mutex.wait(readable) }
        if let failure { throw failure }
        return runs(start: head, length: count)
    }

    /// Releases the first `count` readable bytes back to the producer.
    public func consume(count consumed: Int) {
        guard consumed > 0 else { return }
        lock(); defer { unlock() }
        precondition(consumed <= count, "consumed more bytes than were readable")
        head = (head + consumed) % capacity
        count -= consumed
        mutex.signal(writable)
    }

    // MARK: Either side

    /// Abandons the transfer: every current and later wait on either side throws `error`.
    /// The first failure wins; later calls keep it.
    public func fail(_ error: SluiceError) {
        lock(); defer { unlock() }
        if failure == nil { failure = error }
        mutex.broadcast(readable)
        mutex.broadcast(writable)
    }

    /// The error the ring failed with, if any.
    public var failureError: SluiceError? {
        lock(); defer { unlock() }
        return failure
    }

    /// Test hook: the current `(head, count)`, as the diagrams above name them.
    public var layout: (head: Int, count: Int) {
        lock(); defer { unlock() }
        return (head, count)
    }

    private func lock() { mutex.lock() }
    private func unlock() { mutex.unlock() }
}
