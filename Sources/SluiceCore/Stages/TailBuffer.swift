/// The last `count` lines of a stream, held in `count` reused slots, whatever the input size.
///
/// Per block only the block's own last `count` lines are copied (found by scanning backwards),
/// so a huge input costs a backwards `memrchr` per block, not a copy per line.
public struct TailBuffer {
    public let count: Int
    private var slots: [[UInt8]]
    /// Index of the oldest slot once full.
    private var next = 0
    private var filled = 0

    public init(count: Int) {
        self.count = max(0, count)
        slots = Array(repeating: [], count: max(0, count))
    }

    /// Takes in a block of complete lines (as from ``LineReader/nextBlock()``).
    public mutating func add(block: UnsafeRawBufferPointer) {
        guard count > 0, block.count > 0 else { return }
        // Find where the block's last `count` lines start.
        var end = block.count
        if block[end - 1] == 0x0A { end -= 1 }
        var lineEnds = end
        var taken = 0
        var cursor = end
        var lines: [Range<Int>] = []
        while taken < count {
            var start = 0
            if cursor > 0, let base = block.baseAddress {
                var i = cursor - 1
                while i >= 0 && base.load(fromByteOffset: i, as: UInt8.self) != 0x0A { i -= 1 }
                start = i + 1
            }
            lines.append(start..<lineEnds)
            taken += 1
            if start == 0 { break }
            cursor = start - 1
            lineEnds = cursor
        }
        for range in lines.reversed() {
            // Kept verbatim, a `\r` of `\r\n` included, so tail prints what tail(1) prints.
            slots[next].removeAll(keepingCapacity: true)
            slots[next].append(contentsOf: UnsafeRawBufferPointer(rebasing: block[range]))
            next = (next + 1) % count
            filled = min(filled + 1, count)
        }
    }

    /// The held lines, oldest first, without `\n` (a `\r` before it is kept).
    public func forEach(_ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        let first = filled < count ? 0 : next
        for k in 0..<filled {
            try slots[(first + k) % count].withUnsafeBytes { try body($0) }
        }
    }
}
