import CLibc

/// The last `count` lines of a stream, byte for byte (terminators, `\r\n` and a missing final
/// newline as they were), in memory that grows with the lines actually kept, not with `count`.
///
///     slots  [ line k+1 | line k+2 | … | line k+N ]   one byte array per kept line, reused in a
///             ▲ oldest = `next` once full               ring once N lines have been seen
///
/// Per block only the block's own last `count` lines are copied (found by scanning backwards),
/// so a huge input costs a backwards `memrchr` per line kept, not a copy per line. Every slot and
/// every byte a slot holds is reserved from the budget first, so `tail -n 50000000` over ten
/// lines costs ten slots, and a window that does not fit under the cap is a
/// ``SluiceError/Kind/limit`` error naming it.
///
/// A line the ``LineReader`` dropped as too long (``LineReader/LongLines/skip``) is kept as a
/// placeholder: while it is among the last `count` lines, ``forEach(_:)`` stops there with its
/// error; once newer lines push it out, it costs nothing. Not thread-safe.
public struct TailBuffer: ~Copyable {
    public let count: Int
    private var slots: [[UInt8]] = []
    /// Bytes reserved for each slot's line (see ``store(_:in:)``).
    private var charged: [Int] = []
    /// Slots holding a dropped line instead of bytes, by slot index.
    private var dropped: [Int: SluiceError] = [:]
    /// Index of the oldest slot once `slots.count == count`.
    private var next = 0
    /// Every slot and the bytes it holds, taken from the run's budget.
    private var reservation: Reservation
    private let path: String

    /// Bookkeeping counted per slot besides its bytes: the slot in the ring and the byte array's
    /// heap header.
    static let slotOverhead = MemoryLayout<[UInt8]>.stride + 32

    /// - Parameters:
    ///   - count: lines to keep (`tail -n`); any value, since nothing is allocated up front.
    ///   - budget: kept lines are reserved from it.
    ///   - path: names the input in a limit error.
    public init(count: Int, budget: MemoryBudget? = nil, path: String = "-") {
        self.count = max(0, count)
        self.reservation = Reservation(emptyFrom: budget)
        self.path = path
    }

    /// Takes in a block of complete lines (as from ``LineReader/nextBlock()``); the block's last
    /// line may lack its terminator (the end of the input).
    /// - Throws: a ``SluiceError/Kind/limit`` error when the kept lines would exceed the budget.
    public mutating func add(block: UnsafeRawBufferPointer) throws(SluiceError) {
        guard count > 0, block.count > 0, let base = block.baseAddress else { return }
        // The block's last `count` lines, newest first, each with its terminator.
        var lines: [Range<Int>] = []
        var end = block.count
        while lines.count < count && end > 0 {
            let searchEnd = block[end - 1] == 0x0A ? end - 1 : end
            var start = 0
            if searchEnd > 0, let hit = sluice_memrchr(base, 0x0A, searchEnd) {
                start = base.distance(to: hit) + 1
            }
            lines.append(start..<end)
            end = start
        }
        for range in lines.reversed() {
            try keep(UnsafeRawBufferPointer(rebasing: block[range]))
        }
    }

    /// Takes in lines the reader dropped as too long (``LineReader/takeSkippedLines()``), in order.
    public mutating func add(dropped errors: [SluiceError]) throws(SluiceError) {
        guard count > 0 else { return }
        for error in errors {
            let slot = try claimSlot()
            try store(UnsafeRawBufferPointer(start: nil, count: 0), in: slot)
            dropped[slot] = error
        }
    }

    /// Calls `body` with each held line, oldest first, verbatim (terminator included, if it had one).
    /// - Throws: the error of the oldest dropped line still held, after the lines before it;
    ///   or what `body` throws.
    public func forEach(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let first = slots.count < count ? 0 : next
        for k in 0..<slots.count {
            let slot = (first + k) % slots.count
            if let error = dropped[slot] { throw error }
            try slots[slot].withUnsafeBytes { try body($0) }
        }
    }

    /// Lines held (dropped ones included).
    public var heldLines: Int { slots.count }

    /// Bytes reserved from the budget for the kept lines.
    public var reservedBytes: Int { reservation.size.bytes }

    private mutating func keep(_ line: UnsafeRawBufferPointer) throws(SluiceError) {
        let slot = try claimSlot()
        try store(line, in: slot)
    }

    /// The slot the next line goes to: a new one until `count` exist, then the oldest.
    private mutating func claimSlot() throws(SluiceError) -> Int {
        if slots.count < count {
            try reserve(Self.slotOverhead)
            slots.append([])
            charged.append(0)
            return slots.count - 1
        }
        let slot = next
        next = (next + 1) % count
        if !dropped.isEmpty { dropped[slot] = nil }
        return slot
    }

    /// Copies `line` into `slot`, reserving any growth first. A slot much larger than its new
    /// line (a long line that has passed) gives its memory back.
    ///
    /// A slot is charged its line length rounded up to 16 bytes (the allocator's granule; its
    /// header is in ``slotOverhead``), not the array's reported capacity, which depends on what
    /// the allocator had free: so a run's need is the same figure every time it runs.
    private mutating func store(_ line: UnsafeRawBufferPointer, in slot: Int) throws(SluiceError) {
        if charged[slot] > 64 << 10 && charged[slot] > 4 * line.count {
            slots[slot] = []
            release(charged[slot])
            charged[slot] = 0
        }
        let need = (line.count + 15) & ~15
        if need > charged[slot] {
            try reserve(need - charged[slot])
            charged[slot] = need
        }
        slots[slot].removeAll(keepingCapacity: true)
        slots[slot].append(contentsOf: line)
    }

    private mutating func reserve(_ bytes: Int) throws(SluiceError) {
        do {
            try reservation.grow(to: .bytes(reservation.size.bytes + bytes), for: "the last \(count) lines (tail -n)")
        } catch {
            throw error.at(path: path)
        }
    }

    private mutating func release(_ bytes: Int) {
        reservation.shrink(to: .bytes(reservation.size.bytes - bytes))
    }
}
