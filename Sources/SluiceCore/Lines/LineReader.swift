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
/// buffer grows (doubling) only up to that limit, never beyond.
public final class LineReader {
    public let source: ByteReader
    public let maxLineLength: Int
    private var buffer: UnsafeMutableRawBufferPointer
    private var consumed = 0
    private var lineEnd = 0
    private var dataEnd = 0
    private var atEnd = false
    /// Decoded-stream offset of `buffer[0]`, for messages.
    private var bufferOffset: Int64 = 0
    /// Path for messages.
    public let path: String
    private let budget: MemoryBudget?

    /// - Parameters:
    ///   - capacity: initial buffer size (default 256 KiB); grows only for lines longer than it.
    ///   - maxLineLength: the longest line accepted (default 64 MiB).
    ///   - budget: the buffer is reserved from it, and so is any growth for long lines.
    public init(_ source: ByteReader, path: String = "-", capacity: ByteCount = .kibibytes(256),
                maxLineLength: ByteCount = .mebibytes(64), budget: MemoryBudget? = nil) throws(SluiceError) {
        let size = max(capacity.bytes, 16)
        do {
            try budget?.reserve(size, for: "the line buffer")
        } catch {
            throw error.at(path: path)
        }
        self.source = source
        self.path = path
        self.budget = budget
        self.maxLineLength = max(1, maxLineLength.bytes)
        self.buffer = .allocate(byteCount: size, alignment: 64)
    }

    deinit {
        budget?.release(buffer.count)
        buffer.deallocate()
    }

    /// Bytes handed out in blocks so far (the decoded offset of the next block).
    public var offset: Int64 { bufferOffset + Int64(consumed) }

    /// The next block of complete lines, each ending in `\n` except possibly the input's last line;
    /// nil at the end of input. The block is valid until the next call.
    public func nextBlock() throws(SluiceError) -> UnsafeRawBufferPointer? {
        while lineEnd == consumed {
            if atEnd {
                if dataEnd > consumed {
                    // The last line has no terminator: hand it out as it is.
                    lineEnd = dataEnd
                    break
                }
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
        if dataEnd == buffer.count { try grow() }
        let scanFrom = dataEnd
        let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[dataEnd...]))
        if n == 0 {
            atEnd = true
            if dataEnd - lineEnd > maxLineLength { throw tooLong() }
            return
        }
        dataEnd += n
        if let base = buffer.baseAddress, let hit = sluice_memrchr(base + scanFrom, 0x0A, n) {
            lineEnd = UnsafeRawPointer(base).distance(to: hit) + 1
        } else if dataEnd - lineEnd > maxLineLength {
            throw tooLong()
        }
    }

    private func grow() throws(SluiceError) {
        guard buffer.count < maxLineLength + 1 else { throw tooLong() }
        let size = min(buffer.count * 2, maxLineLength + 1)
        do {
            try budget?.reserve(size - buffer.count, for: "a line of \(ByteCount(bytes: dataEnd - lineEnd))+ at decoded byte \(bufferOffset + Int64(lineEnd))")
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
    /// Calls `body` with each line in a block from ``LineReader/nextBlock()``, terminators stripped.
    @inlinable
    public func forEachLine(_ body: (UnsafeRawBufferPointer) throws -> Bool) rethrows {
        try forEachLineMarkingCR { line, _ in try body(line) }
    }

    /// Like ``forEachLine(_:)``, also telling whether the line ended in `\r\n`. Pointer walking
    /// with one `memchr` per line and no bounds-checked subscripts: this is the per-line hot loop.
    @inlinable
    public func forEachLineMarkingCR(_ body: (UnsafeRawBufferPointer, Bool) throws -> Bool) rethrows {
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
