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
        case filter((LineView) throws(SluiceError) -> Bool)
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
    public func filter(_ predicate: @escaping (LineView) throws(SluiceError) -> Bool) -> LinePipeline { adding(.filter(predicate)) }
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

    /// Calls `body` for every line that passes all stages. The line is borrowed: valid only inside `body`.
    /// - Throws: the input's ``SluiceError`` (after every line before the fault), or `body`'s.
    public func lines(_ body: (LineView) throws(SluiceError) -> Void) throws(SluiceError) {
        try forEachLine(while: { (line) throws(SluiceError) -> Bool in
            try body(line)
            return true
        })
    }

    /// Calls `body` for every line that passes all stages until it returns false.
    public func forEachLine(while body: (LineView) throws(SluiceError) -> Bool) throws(SluiceError) {
        let source = try open()
        let reader = try LineReader(source, path: path, maxLineLength: maxLineLength, budget: budget)
        let runner = StageRunner(stages: stages, numbersLines: numbersLines)
        while let more = try reader.withNextBlock({ (block) throws(SluiceError) -> Bool in try runner.run(block, body) }), more {}
    }

    /// Counts lines that pass all stages, and bytes: with no stages, every decoded byte of the
    /// stream (what `sluice count` prints, counted at memory speed by ``countAll(_:)``); with
    /// stages, the bytes of the lines that pass, terminators excluded.
    public func count() throws(SluiceError) -> (lines: Int, bytes: Int64) {
        if stages.isEmpty { return try LinePipeline.countAll(open(), budget: budget) }
        var lines = 0
        var bytes: Int64 = 0
        try self.lines { (line) throws(SluiceError) in
            lines += 1
            bytes += Int64(line.bytes.count)
        }
        return (lines, bytes)
    }

    /// Lines (a last line without terminator counts) and bytes of a whole stream, at memory speed.
    public static func countAll(_ source: ByteReader, budget: MemoryBudget? = nil) throws(SluiceError) -> (lines: Int, bytes: Int64) {
        var tally = LineTally()
        try countAll(source, into: &tally, budget: budget)
        return (tally.lines, tally.bytes)
    }

    /// Counts a whole stream into `tally`, which is kept current chunk by chunk: when the source
    /// throws (a truncated or corrupt input), `tally` holds what was read before the fault. The
    /// 256 KiB buffer it reads into is reserved from `budget`.
    public static func countAll(_ source: ByteReader, into tally: inout LineTally, budget: MemoryBudget? = nil) throws(SluiceError) {
        let reserved = try ReservedBuffer(.kibibytes(256), from: budget, for: "the counting buffer")
        let buffer = reserved.bytes
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
