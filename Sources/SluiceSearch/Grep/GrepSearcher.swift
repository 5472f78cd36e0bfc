import CLibc
import SluiceCore
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What the inputs of one `grep` run share: whether a group of lines has been printed yet, so
/// the group separator (`--`) goes between groups, across inputs too, as in GNU grep. Inputs that
/// print context must then be searched one after another.
public final class GrepRun: Sendable {
    let printedGroup = Atomic<Bool>(false)
    private let silent = Atomic<Bool>(false)
    public init() {}

    /// Records a failure that was not reported (`grep -s`), so the exit status can still say so.
    public func noteSilentFailure() { silent.store(true, ordering: .relaxed) }
    public var silentFailures: Bool { silent.load(ordering: .relaxed) }
}

/// What searching one input found.
public struct GrepResult: Sendable, Equatable {
    /// Lines selected (for `-l`, `-L`, `-q`: 1 once one is found, then the search stops).
    public var selected = 0
    /// Whether a selected line was withheld because the input is binary (a NUL byte, or a line
    /// that is not valid UTF-8 in a UTF-8 locale): the caller says "binary file matches".
    public var binaryMatched = false

    public init() {}
}

/// GNU grep's search loop over one input's blocks of lines, with its printer: context before
/// and after selected lines, group separators, `-m`, `-o`, `-c`, `-l`, `-L`, `-b`, `-n`, `-H`,
/// `-Z`, `--color` and binary inputs, byte for byte as grep 3.8 prints them.
///
///     block ─▶ matcher.firstMatchingLine (whole block, JIT or automaton) ─▶ selected line
///           ─▶ after-context still pending, before-context, separator ─▶ BufferedWriter
///
/// Blocks come from ``LineReader`` and hold whole lines. A line is its bytes up to the `\n`, a
/// `\r` included, exactly what GNU grep matches against. Context lines within a block are read
/// in place; the last `before` unprinted lines of a block are copied (a few lines, reserved from
/// the budget) so that before-context reaches back across a block boundary. Line numbers are
/// counted only when asked for, once per block. Not thread-safe: one searcher per input.
public final class GrepSearcher {
    private let options: GrepOptions
    private let matcher: LineMatcher
    private let name: [UInt8]
    private let out: BufferedWriter
    private let run: GrepRun
    private let budget: MemoryBudget?

    private var result = GrepResult()
    /// Selected lines still allowed by `-m`.
    private var left: Int
    /// `-m` is used up: only pending after-context is still printed.
    private var trailingOnly = false
    private var done = false
    /// A NUL byte has been seen (and binary inputs are not read as text).
    private var binary = false

    /// Stream offset of the current block's first byte.
    private var blockOffset: Int64 = 0
    /// Stream offset just past the `\n` of the last printed line (-1: none in this input).
    private var lastOut: Int64 = -1
    /// After-context lines still to print.
    private var pending = 0
    /// Lines before `counted` in the current block plus all lines of earlier blocks.
    private var linesBefore = 0
    private var counted = 0
    /// The invert search's next matching line in the current block (nil: none left).
    private var nextHit: Range<Int>?
    private var nextHitFrom = -1
    /// Where the last selected line ended, to print a run of `-v` lines as one group.
    private var previousSelectedEnd = -1

    /// Unprinted lines from the end of earlier blocks, for before-context (at most `before`).
    private struct HeldLine {
        var bytes: [UInt8]
        var offset: Int64
        var number: Int
    }
    private var held: [HeldLine] = []
    /// The held context lines' bytes, taken from the budget (it only grows, as before).
    private var heldReservation: Reservation
    /// A NUL-to-newline copy of a binary block, for `-c` (GNU grep counts NUL-separated pieces).
    private var zapped: UnsafeMutableRawBufferPointer?
    private var zappedReservation: Reservation

    /// The color sequences (nil: not colored).
    private let marks: Marks?

    private struct Marks {
        var selected, context, name, number, offset, separator: [UInt8]?
        var end: [UInt8]

        init(_ c: GrepColors) {
            func start(_ sgr: String) -> [UInt8]? { sgr.isEmpty ? nil : c.start(sgr) }
            selected = start(c.selectedMatch)
            context = start(c.contextMatch)
            name = start(c.fileName)
            number = start(c.lineNumber)
            offset = start(c.byteOffset)
            separator = start(c.separator)
            end = c.end
        }
    }

    public init(options: GrepOptions, matcher: LineMatcher, name: [UInt8], out: BufferedWriter,
                run: GrepRun, budget: MemoryBudget? = nil) {
        (self.options, self.matcher, self.name) = (options, matcher, name)
        (self.out, self.run, self.budget) = (out, run, budget)
        heldReservation = Reservation(emptyFrom: budget)
        zappedReservation = Reservation(emptyFrom: budget)
        left = options.maxCount ?? Int.max
        marks = options.colors.map(Marks.init)
    }

    deinit {
        zapped?.deallocate()
    }

    /// Searches every block of `reader` and writes what `options` ask for: lines, then (for `-c`,
    /// `-l`, `-L`) the input's count or name. A fault of the input ends the search as zgrep's
    /// does: what was selected before it is written (the count, or the name for `-l`), then the
    /// fault is thrown.
    public func search(_ reader: LineReader) throws(SluiceError) -> GrepResult {
        if left == 0 { return try finish(fault: nil) }  // grep -m 0 reads nothing
        var fault: SluiceError?
        do throws(SluiceError) {
            while !done, let more = try reader.withNextBlock({ (block) throws(SluiceError) -> Bool in
                try scan(block, readAhead: reader.bytesAfterBlock)
            }), more {}
        } catch where error.isBrokenPipe {
            throw error
        } catch {
            fault = error
        }
        return try finish(fault: fault)
    }

    private func finish(fault: SluiceError?) throws(SluiceError) -> GrepResult {
        switch options.output {
        case .count:
            if options.withFileName { try writeName(then: 0x3A) }
            try out.write(decimal: result.selected)
            try out.write(byte: 0x0A)
        case .filesWithMatches where result.selected > 0, .filesWithoutMatch where result.selected == 0 && fault == nil:
            try mark(name, marks?.name)
            try out.write(byte: options.nullAfterName ? 0 : 0x0A)
        default:
            break
        }
        if let fault { throw fault }
        return result
    }

    // MARK: Blocks

    /// One block of whole lines; returns whether to read on. `readAhead`: the bytes read past it,
    /// which count for the binary check (grep looks at each buffer it reads as a whole).
    private func scan(_ block: UnsafeRawBufferPointer, readAhead: UnsafeRawBufferPointer) throws(SluiceError) -> Bool {
        defer { blockOffset += Int64(block.count) }
        counted = 0
        nextHitFrom = -1
        previousSelectedEnd = -1
        if !binary && needsNulCheck && (Self.holdsNul(block) || Self.holdsNul(readAhead)) {
            if options.binaryFiles == .withoutMatch {
                result.selected = 0  // as grep -I: the input counts as holding no match
                return false
            }
            binary = true
        }
        // In a binary input grep reads a NUL as a line end: selection runs over a copy that says so.
        let selectable = binary && Self.holdsNul(block) ? try zappedCopy(block) : block
        switch options.output {
        case .count:
            count(selectable)
            return !done
        case .filesWithMatches, .filesWithoutMatch, .quiet:
            if firstSelected(selectable, from: 0) != nil {
                result.selected = 1
                return false
            }
        case .lines:
            if binary {
                // grep prints nothing more from a binary input and stops at its first match.
                if !trailingOnly, firstSelected(selectable, from: 0) != nil {
                    result.selected += 1
                    result.binaryMatched = true
                    return false
                }
                return !trailingOnly
            }
            try printLines(block)
        }
        if options.lineNumbers {
            linesBefore += block.countNewlines(in: counted..<block.count) + (block.last == 0x0A ? 0 : 1)
        }
        return !done
    }

    private static func holdsNul(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return false }
        return memchr(base, 0, bytes.count) != nil
    }

    private var needsNulCheck: Bool {
        switch options.binaryFiles {
        case .text: return false
        case .withoutMatch: return true
        case .binary: return true
        }
    }

    /// The next selected line at or after `from` (a line start): its bytes up to the `\n`.
    private func firstSelected(_ block: UnsafeRawBufferPointer, from: Int) -> Range<Int>? {
        if !options.invert {
            guard let hit = matcher.firstMatchingLine(in: block, from: from) else { return nil }
            return withCarriageReturn(hit, block)
        }
        var position = from
        while position < block.count {
            if nextHitFrom < 0 || (nextHit.map { $0.lowerBound < position } ?? false) {
                nextHit = matcher.firstMatchingLine(in: block, from: position)
                nextHitFrom = position
            }
            guard let hit = nextHit, hit.lowerBound <= position else {
                return position..<lineEnd(block, from: position)
            }
            position = block.nextLineStart(after: hit)
        }
        return nil
    }

    private func withCarriageReturn(_ line: Range<Int>, _ block: UnsafeRawBufferPointer) -> Range<Int> {
        line.upperBound < block.count && block[line.upperBound] == 0x0D ? line.lowerBound..<(line.upperBound + 1) : line
    }

    /// The end (the `\n`'s index, or the block's end) of the line starting at `from`.
    private func lineEnd(_ block: UnsafeRawBufferPointer, from: Int) -> Int {
        guard let base = block.baseAddress, from < block.count, let nl = memchr(base + from, 0x0A, block.count - from)
        else { return block.count }
        return base.distance(to: UnsafeRawPointer(nl))
    }

    // MARK: Counting

    private func count(_ block: UnsafeRawBufferPointer) {
        var position = 0
        if !options.invert {
            while left > 0, let line = firstSelected(block, from: position) {
                take(1)
                position = line.upperBound + 1
            }
            return
        }
        // -v -c: lines between matches, counted a gap at a time.
        while left > 0 && position < block.count {
            let hit = matcher.firstMatchingLine(in: block, from: position)
            let gapEnd = hit?.lowerBound ?? block.count
            var lines = block.countNewlines(in: position..<gapEnd)
            if hit == nil && block.last != 0x0A { lines += 1 }
            take(lines)
            guard let hit else { break }
            position = block.nextLineStart(after: hit)
        }
    }

    private func take(_ lines: Int) {
        let n = min(lines, left)
        result.selected += n
        left -= n
        if left == 0 { done = true }
    }

    /// A copy of a binary block with each NUL turned into a line end, as GNU grep matches it.
    private func zappedCopy(_ block: UnsafeRawBufferPointer) throws(SluiceError) -> UnsafeRawBufferPointer {
        if (zapped?.count ?? 0) < block.count {
            try zappedReservation.grow(to: .bytes(block.count), for: "the copy of a binary block")
            zapped?.deallocate()
            zapped = .allocate(byteCount: block.count, alignment: 64)
        }
        let copy = zapped!
        for i in 0..<block.count { copy[i] = block[i] == 0 ? 0x0A : block[i] }
        nextHitFrom = -1  // the invert search's cached hit belongs to the other buffer
        return UnsafeRawBufferPointer(rebasing: copy[..<block.count])
    }

    // MARK: Printing

    private func printLines(_ block: UnsafeRawBufferPointer) throws(SluiceError) {
        if trailingOnly {
            try printPending(block, upTo: block.count)
            if pending == 0 { done = true }
            return
        }
        var position = 0
        while let line = firstSelected(block, from: position) {
            try printPending(block, upTo: line.lowerBound)
            if !(options.invert && line.lowerBound == previousSelectedEnd) {
                try printBefore(block, upTo: line.lowerBound)
            }
            _ = try printLine(UnsafeRawBufferPointer(rebasing: block[line]), at: line.lowerBound, in: block, selected: true)
            run.printedGroup.store(true, ordering: .relaxed)
            pending = options.after
            position = min(line.upperBound + 1, block.count)
            previousSelectedEnd = position
            take(1)
            if left == 0 {
                trailingOnly = true
                done = false
                try printPending(block, upTo: block.count)
                if pending == 0 { done = true }
                return
            }
        }
        try printPending(block, upTo: block.count)
        if options.before > 0 { try hold(block) }
    }

    /// Where printing resumes in this block: just past the last printed line, or the block start.
    private func resumePosition() -> Int { lastOut >= blockOffset ? Int(lastOut - blockOffset) : 0 }

    /// After-context: up to `pending` lines from the last printed one, before `limit`.
    private func printPending(_ block: UnsafeRawBufferPointer, upTo limit: Int) throws(SluiceError) {
        while pending > 0 {
            let start = resumePosition()
            guard start < limit else { return }
            let end = lineEnd(block, from: start)
            pending -= 1
            // A withheld line is not printed and the last printed line stays where it was, so grep
            // tries the same line again for each pending line: the rest of the context is spent.
            if try !printLine(UnsafeRawBufferPointer(rebasing: block[start..<end]), at: start, in: block, selected: false) {
                pending = 0
            }
        }
    }

    /// Before-context of a line starting at `limit`, and the group separator before it.
    private func printBefore(_ block: UnsafeRawBufferPointer, upTo limit: Int) throws(SluiceError) {
        let from = resumePosition()
        // Walk back up to `before` lines, not past the last printed one.
        var first = limit
        var lines = 0
        if options.before > 0, let base = block.baseAddress {
            while lines < options.before && first > from {
                let search = first - 1  // the \n ending the line before `first`
                let previous = search > from ? sluice_memrchr(base + from, 0x0A, search - from) : nil
                first = previous.map { base.distance(to: UnsafeRawPointer($0)) + 1 } ?? from
                lines += 1
            }
        }
        // Lines held from earlier blocks, when the context reaches back past this block's start.
        let heldCount = lines < options.before && from == 0 && lastOut < blockOffset && !held.isEmpty
            ? min(options.before - lines, held.count - (held.firstIndex { $0.offset >= lastOut } ?? held.count)) : 0
        let groupStart = heldCount > 0 ? held[held.count - heldCount].offset : blockOffset + Int64(first)
        if options.contextRequested, let separator = options.groupSeparator,
           run.printedGroup.load(ordering: .relaxed), groupStart != lastOut {
            try mark(separator, marks?.separator)
            try out.write(byte: 0x0A)
        }
        for line in held.suffix(heldCount) {
            try Self.withBytes(line.bytes) { (bytes) throws(SluiceError) in
                _ = try printLine(bytes, offset: line.offset, number: line.number, selected: false)
            }
        }
        var start = first
        while start < limit {
            let end = lineEnd(block, from: start)
            _ = try printLine(UnsafeRawBufferPointer(rebasing: block[start..<end]), at: start, in: block, selected: false)
            start = end + 1
        }
    }

    /// Keeps the last `before` unprinted lines of the block for the next one's before-context.
    private func hold(_ block: UnsafeRawBufferPointer) throws(SluiceError) {
        let from = resumePosition()
        var lines: [HeldLine] = []
        if from < block.count {
            var lastNumber = 0
            if options.lineNumbers {
                lastNumber = linesBefore + block.countNewlines(in: counted..<block.count) + (block.last == 0x0A ? 0 : 1)
            }
            var end = block.last == 0x0A ? block.count - 1 : block.count
            while lines.count < options.before {
                var start = end
                while start > from && block[start - 1] != 0x0A { start -= 1 }
                lines.append(HeldLine(bytes: Array(block[start..<end]), offset: blockOffset + Int64(start),
                                      number: lastNumber - lines.count))
                if start == from { break }
                end = start - 1
            }
            lines.reverse()
        }
        let kept = lines.count < options.before && from == 0 ? held.filter { $0.offset >= lastOut } : []
        held = kept.suffix(options.before - lines.count) + lines
        let bytes = held.reduce(0) { $0 + $1.bytes.count + MemoryLayout<HeldLine>.stride }
        try heldReservation.grow(to: .bytes(bytes), for: "the -B \(options.before) context lines")
    }

    /// Prints one line of the block (selected or context).
    @discardableResult
    private func printLine(_ line: UnsafeRawBufferPointer, at position: Int, in block: UnsafeRawBufferPointer,
                           selected: Bool) throws(SluiceError) -> Bool {
        var number = 0
        if options.lineNumbers {
            linesBefore += block.countNewlines(in: counted..<position)
            counted = position
            number = linesBefore + 1
        }
        // In a block the byte after a line is its `\n` (or the block ends): written with the line.
        return try printLine(line, offset: blockOffset + Int64(position), number: number, selected: selected,
                             newlineFollows: position + line.count < block.count)
    }

    /// Prints a line as GNU grep's `prline` does; false when it was withheld (not valid UTF-8).
    private func printLine(_ line: UnsafeRawBufferPointer, offset: Int64, number: Int, selected: Bool,
                           newlineFollows: Bool = false) throws(SluiceError) -> Bool {
        let separator: UInt8 = selected ? 0x3A : 0x2D
        let matching = selected != options.invert
        let matchMark = marks.map { selected ? $0.selected : $0.context } ?? nil
        if options.onlyMatching {
            if matching {
                var from = 0
                while from <= line.count, let m = matcher.firstMatch(in: line, from: from) {
                    if m.isEmpty {
                        from = nextCharacter(line, after: m.lowerBound)
                        continue
                    }
                    let text = UnsafeRawBufferPointer(rebasing: line[m])
                    if options.checksEncoding && !text.isValidUTF8 {
                        result.binaryMatched = true
                        return false
                    }
                    try writeHead(separator, number: number, offset: offset + Int64(m.lowerBound))
                    try mark(text, matchMark)
                    try out.write(byte: 0x0A)
                    from = m.upperBound
                }
            }
            lastOut = offset + Int64(line.count) + 1
            return true
        }
        if options.checksEncoding && !line.isValidUTF8 {
            result.binaryMatched = true
            return false
        }
        try writeHead(separator, number: number, offset: offset)
        if let matchMark, matching {
            var from = 0
            var written = 0
            while from <= line.count, let m = matcher.firstMatch(in: line, from: from) {
                if m.isEmpty {
                    from = nextCharacter(line, after: m.lowerBound)
                    continue
                }
                try out.write(UnsafeRawBufferPointer(rebasing: line[written..<m.lowerBound]))
                try mark(UnsafeRawBufferPointer(rebasing: line[m]), matchMark)
                written = m.upperBound
                from = m.upperBound
            }
            try out.write(UnsafeRawBufferPointer(rebasing: line[written...]))
            try out.write(byte: 0x0A)
        } else if newlineFollows, let base = line.baseAddress {
            try out.write(UnsafeRawBufferPointer(start: base, count: line.count + 1))
        } else {
            try out.write(line)
            try out.write(byte: 0x0A)
        }
        lastOut = offset + Int64(line.count) + 1
        return true
    }

    /// The index after the character at `index` (one byte, or a UTF-8 sequence in a UTF-8 locale).
    private func nextCharacter(_ line: UnsafeRawBufferPointer, after index: Int) -> Int {
        var next = index + 1
        if options.checksEncoding {
            while next < line.count && line[next] & 0xC0 == 0x80 { next += 1 }
        }
        return next
    }

    /// The name, line number and offset fields before a line, each followed by `separator`.
    private func writeHead(_ separator: UInt8, number: Int, offset: Int64) throws(SluiceError) {
        guard options.withFileName || options.lineNumbers || options.byteOffsets else { return }
        if options.withFileName { try writeName(then: separator) }
        if options.lineNumbers { try writeField(number, marks?.number, then: separator) }
        if options.byteOffsets { try writeField(Int(offset), marks?.offset, then: separator) }
    }

    /// The name, then `separator` (a NUL with `-Z`).
    private func writeName(then separator: UInt8) throws(SluiceError) {
        try mark(name, marks?.name)
        if options.nullAfterName { try out.write(byte: 0) } else { try mark([separator], marks?.separator) }
    }

    private func writeField(_ value: Int, _ start: [UInt8]?, then separator: UInt8) throws(SluiceError) {
        if let start { try write(start) }
        try out.write(decimal: value)
        if start != nil, let marks { try write(marks.end) }
        try mark([separator], marks?.separator)
    }

    private func write(_ bytes: [UInt8]) throws(SluiceError) {
        try Self.withBytes(bytes) { (raw) throws(SluiceError) in try out.write(raw) }
    }

    private func mark(_ bytes: [UInt8], _ start: [UInt8]?) throws(SluiceError) {
        try Self.withBytes(bytes) { (raw) throws(SluiceError) in try mark(raw, start) }
    }

    /// `Array.withUnsafeBytes` with a typed error (the standard library's only rethrows).
    private static func withBytes(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(SluiceError) -> Void) throws(SluiceError) {
        var failure: SluiceError?
        bytes.withUnsafeBytes { raw in
            do throws(SluiceError) { try body(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// `bytes`, between the start and end sequences of a color when one is set (and not empty).
    private func mark(_ bytes: UnsafeRawBufferPointer, _ start: [UInt8]?) throws(SluiceError) {
        guard let start, let marks else {
            try out.write(bytes)
            return
        }
        try write(start)
        try out.write(bytes)
        try write(marks.end)
    }
}

@available(*, unavailable)
extension GrepSearcher: Sendable {}

extension UnsafeRawBufferPointer {
    /// Whether the bytes are well-formed UTF-8 (no overlong forms, surrogates or values above
    /// U+10FFFF), as glibc's `mbrlen` decides in a UTF-8 locale. ASCII runs are skipped a word at
    /// a time.
    public var isValidUTF8: Bool {
        var i = 0
        let n = count
        guard let base = baseAddress else { return true }
        while i < n {
            // ASCII a word at a time, four words per step on long lines.
            while i + 32 <= n {
                let words = base.loadUnaligned(fromByteOffset: i, as: UInt64.self) | base.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
                    | base.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self) | base.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)
                if words & 0x8080_8080_8080_8080 != 0 { break }
                i += 32
            }
            if i + 8 <= n && base.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            if i >= n { break }
            let b = self[i]
            if b < 0x80 { i += 1; continue }
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch b {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return false
            }
            guard i + length <= n, (low...high).contains(self[i + 1]) else { return false }
            for k in 2..<Swift.max(2, length) where self[i + k] & 0xC0 != 0x80 { return false }
            i += length
        }
        return true
    }
}
