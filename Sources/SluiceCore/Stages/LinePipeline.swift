/// A lazy chain of line stages over one input: nothing is opened or read until a terminal
/// operation (``lines(_:)``, ``forEachLine(while:)``, ``count()``) asks, and reading stops as soon as
/// the consumer or a ``prefix(_:)`` has enough.
///
///     let errors = try open("app.log.gz").grep("ERROR").prefix(100)
///     try errors.lines { line in print(String(line)) }
///
/// Stages are value types applied in order. A first `grep` searches whole blocks of lines
/// (see ``LineMatcher``); later stages see one borrowed ``LineView`` at a time. No stage
/// allocates per line.
public struct LinePipeline {
    /// One step of the chain.
    public enum Stage {
        /// Keep lines that match (or, inverted, that do not).
        case match(LineMatcher, invert: Bool)
        /// Keep lines for which the predicate is true.
        case filter((LineView) throws -> Bool)
        /// Keep only the first `n` lines that reach this stage, then stop reading.
        case prefix(Int)
        /// Replace each line by the selected 1-based columns, split on `separator`, joined by it.
        case fields(separator: UInt8, columns: [Int])
    }

    /// Opens the byte stream; called once per terminal operation.
    public let open: () throws(SluiceError) -> ByteReader
    public let path: String
    public private(set) var stages: [Stage] = []
    /// Whether ``LineView/number`` is filled in (costs a newline count per block).
    public var numbersLines = false
    public var maxLineLength: ByteCount = .mebibytes(64)
    /// Budget the line buffer is reserved from.
    public var budget: MemoryBudget?

    public init(path: String, open: @escaping () throws(SluiceError) -> ByteReader) {
        self.path = path
        self.open = open
    }

    /// Appends a stage.
    public func adding(_ stage: Stage) -> LinePipeline {
        var copy = self
        copy.stages.append(stage)
        return copy
    }

    /// Lines containing `needle` (a fixed byte string).
    public func grep(_ needle: String) -> LinePipeline { adding(.match(FixedStringMatcher(needle), invert: false)) }
    /// Lines a matcher accepts (a regex from `SluiceSearch`, several patterns, …).
    public func grep(_ matcher: LineMatcher, invert: Bool = false) -> LinePipeline { adding(.match(matcher, invert: invert)) }
    /// Lines that do not contain `needle`.
    public func grepInverted(_ needle: String) -> LinePipeline { adding(.match(FixedStringMatcher(needle), invert: true)) }
    /// Lines for which `predicate` is true.
    public func filter(_ predicate: @escaping (LineView) throws -> Bool) -> LinePipeline { adding(.filter(predicate)) }
    /// The first `n` lines, then stop reading.
    public func prefix(_ n: Int) -> LinePipeline { adding(.prefix(max(0, n))) }
    /// Selected 1-based `columns` of each line split on `separator` (like `cut -d -f`).
    public func fields(separator: Character = "\t", _ columns: [Int]) -> LinePipeline {
        adding(.fields(separator: separator.asciiValue ?? 0x09, columns: columns))
    }
    /// Fill in line numbers.
    public func numbered() -> LinePipeline {
        var copy = self
        copy.numbersLines = true
        return copy
    }

    /// Calls `body` for every line that passes all stages.
    public func lines(_ body: (LineView) throws -> Void) throws {
        try forEachLine(while: { line in try body(line); return true })
    }

    /// Calls `body` for every line that passes all stages until it returns false.
    public func forEachLine(while body: (LineView) throws -> Bool) throws {
        let source = try open()
        let reader = try LineReader(source, path: path, maxLineLength: maxLineLength, budget: budget)
        var runner = Runner(stages: stages, numbersLines: numbersLines)
        defer { runner.release() }
        while let block = try reader.nextBlock() {
            if try !runner.run(block, body) { return }
        }
    }

    /// Counts lines that pass all stages, and their bytes (without terminators).
    public func count() throws -> (lines: Int, bytes: Int64) {
        if stages.isEmpty { return try LinePipeline.countAll(open()) }
        var lines = 0
        var bytes: Int64 = 0
        try self.lines { line in
            lines += 1
            bytes += Int64(line.bytes.count)
        }
        return (lines, bytes)
    }

    /// Lines (a last line without terminator counts) and bytes of a whole stream, at memory speed.
    public static func countAll(_ source: ByteReader) throws(SluiceError) -> (lines: Int, bytes: Int64) {
        var tally = LineTally()
        try countAll(source, into: &tally)
        return (tally.lines, tally.bytes)
    }

    /// Counts a whole stream into `tally`, which is kept current chunk by chunk: when the source
    /// throws (a truncated or corrupt input), `tally` holds what was read before the fault.
    public static func countAll(_ source: ByteReader, into tally: inout LineTally) throws(SluiceError) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 << 10, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let n = try source.read(into: buffer)
            if n == 0 { break }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[..<n])
            tally.newlines += chunk.countNewlines(in: 0..<n)
            tally.bytes += Int64(n)
            tally.endsInNewline = chunk[n - 1] == 0x0A
        }
    }
}

/// Lines and bytes counted so far (``LinePipeline/countAll(_:into:)``).
public struct LineTally: Sendable, Equatable {
    public var newlines = 0
    public var bytes: Int64 = 0
    /// Whether the last byte counted is `\n` (true before any byte).
    public var endsInNewline = true

    public init() {}

    /// Lines, a last line without a terminator included.
    public var lines: Int { newlines + (endsInNewline ? 0 : 1) }
}

/// Executes the stages over blocks; holds the per-run state (prefix counters, line numbers,
/// the fields scratch buffer) so the pipeline value itself stays immutable and reusable.
struct Runner {
    let stages: [LinePipeline.Stage]
    let numbersLines: Bool
    /// Lines left per prefix stage (by stage index).
    var remaining: [Int]
    var lineNumber = 0
    var scratch: UnsafeMutableRawBufferPointer?
    /// The block being run, to tell whether a delivered line ended in `\r\n`.
    var block = UnsafeRawBufferPointer(start: nil, count: 0)

    init(stages: [LinePipeline.Stage], numbersLines: Bool) {
        self.stages = stages
        self.numbersLines = numbersLines
        remaining = stages.map { if case .prefix(let n) = $0 { return n } else { return 0 } }
    }

    func release() { scratch?.deallocate() }

    /// Runs one block; returns false once no more lines are wanted.
    mutating func run(_ block: UnsafeRawBufferPointer, _ body: (LineView) throws -> Bool) throws -> Bool {
        if remaining.indices.contains(where: { if case .prefix = stages[$0] { return remaining[$0] == 0 } else { return false } }) {
            return false
        }
        self.block = block
        var counted = 0  // block offset up to which newlines are counted into lineNumber
        if case .match(let matcher, let invert)? = stages.first {
            var position = 0
            while position < block.count {
                guard let line = matcher.firstMatchingLine(in: block, from: position) else { break }
                if invert {
                    if try !runLines(block, position..<line.lowerBound, from: 1, &counted, body) { return false }
                } else {
                    if numbersLines {
                        lineNumber += block.countNewlines(in: counted..<line.lowerBound)
                        counted = line.lowerBound
                    }
                    if try !deliver(UnsafeRawBufferPointer(rebasing: block[line]), from: 1, body) { return false }
                }
                position = block.nextLineStart(after: line)
            }
            if invert, position < block.count {
                if try !runLines(block, position..<block.count, from: 1, &counted, body) { return false }
            }
            if numbersLines { lineNumber += block.countNewlines(in: counted..<block.count) + (block.last == 0x0A ? 0 : 1) }
            return true
        }
        if stages.isEmpty && !numbersLines {
            // Nothing to filter or number: hand every line straight to the consumer.
            var more = true
            try block.forEachLineMarkingCR { line, cr in
                more = try body(LineView(bytes: line, number: 0, carriageReturn: cr))
                return more
            }
            return more
        }
        return try runLines(block, 0..<block.count, from: 0, &counted, body)
            && { if numbersLines { lineNumber += block.countNewlines(in: counted..<block.count) + (block.last == 0x0A ? 0 : 1) }; return true }()
    }

    /// Delivers every line in `range` (whole lines) through stages `from...`.
    private mutating func runLines(_ block: UnsafeRawBufferPointer, _ range: Range<Int>, from stage: Int, _ counted: inout Int,
                                   _ body: (LineView) throws -> Bool) throws -> Bool {
        var keepGoing = true
        let sub = UnsafeRawBufferPointer(rebasing: block[range])
        var start = range.lowerBound
        try sub.forEachLine { line in
            if numbersLines {
                let lineStart = block.baseAddress!.distance(to: line.baseAddress ?? block.baseAddress! + start)
                lineNumber += block.countNewlines(in: counted..<lineStart)
                counted = lineStart
                start = lineStart
            }
            keepGoing = try deliver(line, from: stage, body)
            return keepGoing
        }
        return keepGoing
    }

    /// Passes one line through stages `from...` and, if it survives, to `body`.
    private mutating func deliver(_ line: UnsafeRawBufferPointer, from first: Int, _ body: (LineView) throws -> Bool) throws -> Bool {
        var current = line
        var index = first
        while index < stages.count {
            switch stages[index] {
            case .match(let matcher, let invert):
                if matcher.matches(current) == invert { return true }
            case .filter(let predicate):
                if try !predicate(LineView(bytes: current, number: lineNumber + 1)) { return true }
            case .prefix:
                if remaining[index] == 0 { return false }
                remaining[index] -= 1
            case .fields(let separator, let columns):
                current = select(columns, of: current, separator: separator)
            }
            index += 1
        }
        var carriageReturn = false
        if current.baseAddress == line.baseAddress, let end = line.baseAddress.map({ $0 + line.count }),
           let blockBase = block.baseAddress, end >= blockBase, end < blockBase + block.count {
            carriageReturn = end.load(as: UInt8.self) == 0x0D
        }
        let more = try body(LineView(bytes: current, number: numbersLines ? lineNumber + 1 : 0, carriageReturn: carriageReturn))
        // A prefix that just ran out ends the run after delivering its last line.
        for i in first..<stages.count { if case .prefix = stages[i], remaining[i] == 0 { return false } }
        return more
    }

    /// Copies the selected columns into the reused scratch buffer.
    private mutating func select(_ columns: [Int], of line: UnsafeRawBufferPointer, separator: UInt8) -> UnsafeRawBufferPointer {
        let needed = (line.count + 1) * columns.count
        if scratch == nil || scratch!.count < needed {
            scratch?.deallocate()
            scratch = .allocate(byteCount: max(needed, 4096), alignment: 16)
        }
        let out = scratch!
        var written = 0
        var first = true
        for column in columns {
            var field = 1
            var start = 0
            var i = 0
            while i <= line.count {
                if i == line.count || line[i] == separator {
                    if field == column {
                        if !first { out[written] = separator; written += 1 }
                        first = false
                        let len = i - start
                        if len > 0 {
                            UnsafeMutableRawBufferPointer(rebasing: out[written..<(written + len)])
                                .copyMemory(from: UnsafeRawBufferPointer(rebasing: line[start..<i]))
                        }
                        written += len
                        break
                    }
                    field += 1
                    start = i + 1
                }
                i += 1
            }
        }
        return UnsafeRawBufferPointer(rebasing: out[..<min(written, out.count)])
    }
}
