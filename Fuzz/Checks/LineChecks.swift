import SluiceCore

/// The line framer under random chunking.
///
/// Input layout (so the fuzzer mutates the chunking along with the text):
///
///     [k-1 | shape | size₁ … sizeₖ | payload …]
///      low 4 bits   bit 7: small max line; bits 3–6: its length; bits 0–2: initial capacity
///
/// Source reads cycle through the k sizes (a byte b ≥ 240 means (b − 239) × 4 KiB, else b + 1).
/// Checks: the blocks join back to the payload exactly, each block is whole lines, splitting a
/// block into lines (`\r\n` marked) rebuilds it, the end is sticky, a line longer than the maximum
/// is a limit error and no shorter line ever is, and the budget is back to zero afterwards.
func checkLines(_ input: [UInt8]) -> [String] {
    guard input.count >= 2 else { return [] }
    let k = Int(input[0] & 0x0F) + 1
    let shape = input[1]
    let sizes = input.dropFirst(2).prefix(k).map { b in b >= 240 ? Int(b - 239) << 12 : Int(b) + 1 }
    let payload = Array(input.dropFirst(2 + min(k, input.count - 2)))
    let capacity = 16 << Int(shape & 0x07)
    let maxLine = shape & 0x80 == 0 ? 1 << 20 : Int((shape >> 3) & 0x0F) * 16 + 1
    let budget = MemoryBudget(cap: FuzzLimits.memoryCap)
    var problems: [String] = []
    frame(payload, sizes: sizes.isEmpty ? [1] : sizes, capacity: capacity, maxLine: maxLine, budget: budget, problems: &problems)
    if budget.used.bytes != 0 {
        problems.append("lines: \(budget.used.bytes) bytes of the memory budget still in use after the reader was released")
    }
    return problems
}

private func frame(_ payload: [UInt8], sizes: [Int], capacity: Int, maxLine: Int, budget: MemoryBudget,
                   problems: inout [String]) {
    let label = "lines (capacity \(capacity), max line \(maxLine), reads \(sizes))"
    // The longest line, terminator excluded (a `\r` before `\n` counts: it is in the buffer).
    var longest = 0, current = 0
    for byte in payload {
        if byte == 0x0A { longest = max(longest, current); current = 0 } else { current += 1 }
    }
    longest = max(longest, current)

    let source = ScheduledSource(payload, sizes: sizes)
    let reader: LineReader
    do {
        reader = try LineReader(source, path: "fuzz-input", capacity: .bytes(capacity),
                                maxLineLength: .bytes(maxLine), budget: budget)
    } catch {
        problems.append("\(label): LineReader refused to start: \(error)")
        return
    }
    var joined: [UInt8] = []
    while true {
        let copy: [UInt8]?
        do {
            copy = try reader.withNextBlock { Array($0) }
        } catch {
            if error.kind != .limit {
                problems.append("\(label): unexpected \(error.kind.rawValue) error: \(error)")
            } else if longest <= maxLine {
                problems.append("\(label): limit error although the longest line has \(longest) bytes: \(error)")
            }
            if !payload.starts(with: joined) {
                problems.append("\(label): blocks before the error are not a prefix of the input")
            }
            return
        }
        guard let copy else { break }
        if copy.isEmpty {
            problems.append("\(label): empty block at offset \(joined.count)")
            return
        }
        let ok = copy.withUnsafeBytes { block in checkBlock(block, label: label, joined: &joined, payload: payload, problems: &problems) }
        if !ok { break }
    }
    if joined != payload {
        problems.append("\(label): the blocks join to \(joined.count) bytes that differ from the \(payload.count)-byte input")
    }
    if longest > maxLine {
        problems.append("\(label): a \(longest)-byte line passed the \(maxLine)-byte limit")
    }
    do {
        if let extra = try reader.withNextBlock({ $0.count }) {
            problems.append("\(label): \(extra) more bytes after the end")
        }
    } catch {
        problems.append("\(label): nextBlock threw \(error) after the end")
    }
}

/// One block's own checks: it ends on a line break (unless it is the input's end) and its lines
/// rebuild it; appends it to `joined`. False once more bytes came out than went in.
private func checkBlock(_ block: UnsafeRawBufferPointer, label: String, joined: inout [UInt8], payload: [UInt8],
                       problems: inout [String]) -> Bool {
    let isLast = joined.count + block.count == payload.count
    if block.last != 0x0A && !isLast {
        problems.append("\(label): block at offset \(joined.count) ends inside a line")
    }
    var rebuilt: [UInt8] = []
    var remaining = block.count
    block.forEachLineMarkingCR { line, cr in
        rebuilt.append(contentsOf: line)
        if cr { rebuilt.append(0x0D) }
        remaining -= line.count + (cr ? 1 : 0)
        if remaining > 0 {
            rebuilt.append(0x0A)
            remaining -= 1
        }
        return true
    }
    if !rebuilt.elementsEqual(block) {
        problems.append("\(label): the lines of the block at offset \(joined.count) do not rebuild it")
    }
    joined.append(contentsOf: block)
    return joined.count <= payload.count
}

/// Hands out a byte array in reads whose sizes cycle through `sizes`.
private final class ScheduledSource: ByteReader {
    private let bytes: [UInt8]
    private let sizes: [Int]
    private var position = 0
    private var turn = 0

    init(_ bytes: [UInt8], sizes: [Int]) {
        self.bytes = bytes
        self.sizes = sizes
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(SluiceError) -> Int {
        let n = min(buffer.count, bytes.count - position, sizes[turn % sizes.count])
        turn += 1
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { all in
            buffer.baseAddress!.copyMemory(from: all.baseAddress! + position, byteCount: n)
        }
        position += n
        return n
    }
}
