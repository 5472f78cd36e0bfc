import CLibc
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Frames a byte stream into blocks of complete lines, without copying lines.
///
/// One buffer, three positions (ripgrep's line buffer):
///
///     ┌─ handed out ─┬──── complete lines ────┬─ partial line ─┬──── free ────┐
///     0          consumed                  lineEnd          dataEnd      capacity
///
/// Invariant: `0 ≤ consumed ≤ lineEnd ≤ dataEnd ≤ capacity`, and `lineEnd` is just after a `\n`
/// (or at the very end of the input). ``nextBlock()`` hands out `consumed ..< lineEnd` — every
/// complete line currently buffered, as one contiguous block that a searcher scans in one pass.
/// On refill only the partial line at `lineEnd ..< dataEnd` moves to the front; new bytes are
/// read into the free space and scanned once, backwards, for their last `\n`.
///
/// Lines are bytes: NUL and invalid UTF-8 are fine. `\r\n` is one break (the `\r` is dropped when
/// a line is presented, see ``LineView``), wherever the chunk boundaries fall. A line longer than
/// `maxLineLength` is a ``SluiceError/Kind/limit`` error naming the limit and the offset; the
/// buffer grows (doubling) only up to `maxLineLength + 1` bytes and never starts larger, so a
/// line that does not fit is exactly a line over the limit, and the check costs nothing per line.
/// With ``LongLines/skip`` such a line is read past and dropped instead, in the same memory
/// (``takeSkippedLines()`` says where), for a consumer like `tail` that may never need it.
///
/// When the source fails (a truncated input), the lines read before the fault are handed out
/// first, the last one even without its terminator, and the fault is thrown by the next call.
public final class LineReader {
    /// What to do with a line longer than `maxLineLength`.
    public enum LongLines: Sendable {
        /// Throw a ``SluiceError/Kind/limit`` error.
        case fail
        /// Read past it without keeping it, and report it through ``takeSkippedLines()``.
        case skip
    }

    public let source: ByteReader
    public let maxLineLength: Int
    private var buffer: UnsafeMutableRawBufferPointer
    private var consumed = 0
    private var lineEnd = 0
    private var dataEnd = 0
    private var atEnd = false
    /// The source's fault, thrown once the lines before it are handed out.
    private var pendingError: SluiceError?
    /// Inside a long line being dropped (``LongLines/skip``): discard up to the next `\n`.
    private var skipping = false
    private var skipped: [SluiceError] = []
    public let longLines: LongLines
    /// Decoded-stream offset of `buffer[0]`, for messages.
    private var bufferOffset: Int64 = 0
    /// Path for messages.
    public let path: String
    /// What `buffer` holds, taken from the run's budget; grows with it for long lines.
    private var reservation: Reservation

    /// - Parameters:
    ///   - capacity: initial buffer size (default 256 KiB); grows only for lines longer than it.
    ///   - maxLineLength: the longest line accepted, terminator excluded (default 64 MiB).
    ///   - longLines: fail on a longer line (default), or skip it.
    ///   - budget: the buffer is reserved from it, and so is any growth for long lines.
    public init(_ source: ByteReader, path: String = "-", capacity: ByteCount = .kibibytes(256),
                maxLineLength: ByteCount = .mebibytes(64), longLines: LongLines = .fail,
                budget: MemoryBudget? = nil) throws(SluiceError) {
        let limit = max(1, maxLineLength.bytes)
        let size = min(max(capacity.bytes, 16), limit + 1)
        do {
            reservation = try Reservation(.bytes(size), from: budget, for: "the line buffer")
        } catch {
            throw error.at(path: path)
        }
        self.source = source
        self.path = path
        self.maxLineLength = limit
        self.longLines = longLines
        self.buffer = .allocate(byteCount: size, alignment: 64)
    }

    deinit { buffer.deallocate() }

    /// Bytes handed out in blocks so far (the decoded offset of the next block).
    public var offset: Int64 { bufferOffset + Int64(consumed) }

    /// Lends the next block of complete lines to `body` and returns what `body` returned; nil at
    /// the end of input. Every line ends in `\n` except possibly the input's last one. The block is
    /// borrowed: valid only inside `body`, since the next refill moves the buffer's contents.
    public func withNextBlock<R>(_ body: (UnsafeRawBufferPointer) throws(SluiceError) -> R) throws(SluiceError) -> R? {
        guard let block = try nextBlock() else { return nil }
        return try body(block)
    }

    /// Bytes already read past the block lent last (the start of a line not complete yet): what a
    /// caller looking at a whole read buffer, as GNU grep's binary-file check does, sees beside the
    /// block. Valid while that block is.
    public var bytesAfterBlock: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: buffer[consumed..<dataEnd]) }

    /// The next block of complete lines (see ``withNextBlock(_:)``), valid until the next call.
    func nextBlock() throws(SluiceError) -> UnsafeRawBufferPointer? {
        while lineEnd == consumed {
            if atEnd {
                if dataEnd > consumed {
                    // The last line has no terminator: hand it out as it is.
                    lineEnd = dataEnd
                    break
                }
                if let pendingError { throw pendingError }
                return nil
            }
            try fill()
        }
        let block = UnsafeRawBufferPointer(rebasing: buffer[consumed..<lineEnd])
        consumed = lineEnd
        return block
    }

    /// Reads more input: moves the partial line to the front (growing the buffer if it is full
    /// of one line), reads once, and finds the last line break in the new bytes.
    private func fill() throws(SluiceError) {
        if consumed > 0 {
            let partial = dataEnd - consumed
            if partial > 0, let base = buffer.baseAddress {
                memmove(base, base + consumed, partial)
            }
            bufferOffset += Int64(consumed)
            consumed = 0
            lineEnd = 0
            dataEnd = partial
        }
        if dataEnd == buffer.count {
            // Full of one partial line: either it may still grow, or it is over the limit.
            if buffer.count > maxLineLength { try overLimit(); return }
            try grow()
        }
        var scanFrom = dataEnd
        let n: Int
        do {
            n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[dataEnd...]))
        } catch {
            // Deliver the partial line read before the fault (unless it is being dropped).
            if skipping || dataEnd == consumed { throw error }
            pendingError = error
            atEnd = true
            return
        }
        if n == 0 {
            atEnd = true
            if dataEnd - lineEnd > maxLineLength { try overLimit() }
            return
        }
        dataEnd += n
        guard let base = buffer.baseAddress else { return }
        if skipping {
            // The rest of a dropped line ends at the first break in the new bytes.
            guard let hit = memchr(base + scanFrom, 0x0A, n) else {
                bufferOffset += Int64(dataEnd)
                dataEnd = 0
                return
            }
            skipping = false
            consumed = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit)) + 1
            lineEnd = consumed
            scanFrom = consumed
            if scanFrom == dataEnd { return }
        }
        if let hit = sluice_memrchr(base + scanFrom, 0x0A, dataEnd - scanFrom) {
            lineEnd = UnsafeRawPointer(base).distance(to: hit) + 1
        } else if dataEnd - lineEnd > maxLineLength {
            try overLimit()
        }
    }

    /// The partial line at `lineEnd ..< dataEnd` is over the limit: throw, or start dropping it.
    private func overLimit() throws(SluiceError) {
        guard longLines == .skip else { throw tooLong() }
        skipped.append(tooLong())
        bufferOffset += Int64(dataEnd)
        consumed = 0
        lineEnd = 0
        dataEnd = 0
        skipping = !atEnd
    }

    /// The lines dropped (``LongLines/skip``) since the last call, oldest first, as the errors
    /// they would have been. They come after every line of earlier blocks and before every line
    /// of the block just handed out (or, at the end of input, last).
    public func takeSkippedLines() -> [SluiceError] {
        defer { skipped.removeAll() }
        return skipped
    }

    private func grow() throws(SluiceError) {
        guard buffer.count < maxLineLength + 1 else { throw tooLong() }
        let size = min(buffer.count * 2, maxLineLength + 1)
        do {
            try reservation.grow(to: .bytes(size), for: "a line of \(ByteCount(bytes: dataEnd - lineEnd))+ at decoded byte \(bufferOffset + Int64(lineEnd))")
        } catch {
            throw error.at(path: path)
        }
        let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 64)
        bigger.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[..<dataEnd]))
        buffer.deallocate()
        buffer = bigger
    }

    private func tooLong() -> SluiceError {
        SluiceError(.limit, "line longer than the --max-line limit of \(ByteCount(bytes: maxLineLength)) starting at decoded byte \(bufferOffset + Int64(lineEnd))",
                    path: path)
    }
}

@available(*, unavailable)
extension LineReader: Sendable {}

/// One line, borrowed: valid only inside the closure it is passed to. Copy it out with
/// `String(line)` or `Array(line.bytes)`.
///
/// `bytes` excludes the line terminator (`\n` or `\r\n`).
public struct LineView {
    public let bytes: UnsafeRawBufferPointer
    /// 1-based line number in its input, or 0 when the pipeline does not track numbers.
    public let number: Int
    /// Whether the line ended in `\r\n` in the input (the `\r` is not in `bytes`); a tool that
    /// prints lines verbatim, like grep, puts it back.
    public let carriageReturn: Bool

    @inlinable
    public init(bytes: UnsafeRawBufferPointer, number: Int = 0, carriageReturn: Bool = false) {
        self.bytes = bytes
        self.number = number
        self.carriageReturn = carriageReturn
    }

    /// Whether the line contains `needle` (byte comparison).
    public func contains(_ needle: String) -> Bool {
        var n = needle
        return n.withUTF8 { pattern in
            guard pattern.count > 0 else { return true }
            guard let base = bytes.baseAddress, bytes.count >= pattern.count else { return false }
            return sluice_memmem(base, bytes.count, pattern.baseAddress, pattern.count) != nil
        }
    }

    /// The line as text, invalid UTF-8 repaired.
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

extension String {
    /// Copies a borrowed line out as text (invalid UTF-8 is repaired with U+FFFD).
    public init(_ line: LineView) { self = String(decoding: line.bytes, as: UTF8.self) }
}

extension UnsafeRawBufferPointer {
    /// The offset just past the `n`th line break (or the end), taking up to `n` lines and
    /// lowering `n` by the lines taken: `head -n` over blocks, with one `memchr` per line.
    public func endOfLines(_ n: inout Int) -> Int {
        guard let base = baseAddress else { return 0 }
        var end = 0
        while n > 0, end < count {
            let hit = memchr(base + end, 0x0A, count - end)
            end = hit.map { base.distance(to: UnsafeRawPointer($0)) + 1 } ?? count
            n -= 1
        }
        return end
    }

    /// Calls `body` with each line in a block from ``LineReader/nextBlock()``, terminators stripped.
    @inlinable
    public func forEachLine<E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> Bool) throws(E) {
        try forEachLineMarkingCR { (line, _) throws(E) -> Bool in try body(line) }
    }

    /// Like ``forEachLine(_:)``, also telling whether the line ended in `\r\n`. Pointer walking
    /// with one `memchr` per line and no bounds-checked subscripts: this is the per-line hot loop.
    @inlinable
    public func forEachLineMarkingCR<E: Error>(_ body: (UnsafeRawBufferPointer, Bool) throws(E) -> Bool) throws(E) {
        guard let base = baseAddress, count > 0 else { return }
        let end = base + count
        var p = base
        while p < end {
            let lineEnd = memchr(p, 0x0A, end - p).map { UnsafeRawPointer($0) } ?? end
            var stop = lineEnd
            let cr = stop > p && stop.load(fromByteOffset: -1, as: UInt8.self) == 0x0D
            if cr { stop -= 1 }
            if try !body(UnsafeRawBufferPointer(start: p, count: stop - p), cr) { return }
            p = lineEnd + 1
        }
    }
}
