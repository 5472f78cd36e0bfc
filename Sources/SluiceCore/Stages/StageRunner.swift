import CLibc
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Runs a pipeline's stages over blocks of complete lines from ``LineReader``, holding the
/// per-run state (what each prefix has left, the line number, the fields scratch buffer) so the
/// ``LinePipeline`` value itself stays immutable and reusable.
///
///     block ─▶ [first stage a match: search the whole block, widen each hit to its line]
///          ─▶ each line: stage 1 … stage n ─▶ body(LineView)
///
/// Lines are ranges of the block (`start ..< end`, terminator excluded); a line's number is
/// computed only when asked for, by counting the block's newlines up to it once (`counted` never
/// moves back). Not thread-safe: one runner per run.
final class StageRunner {
    /// One stage and its state for this run.
    private enum State {
        case match(LineMatcher, invert: Bool)
        case filter((LineView) throws(SluiceError) -> Bool)
        /// Lines this prefix still lets through.
        case prefix(left: Int)
        case fields(separator: UInt8, columns: [Int])
    }

    private var states: [State]
    private let numbersLines: Bool
    /// Lines before `counted` in the current block, plus all lines of earlier blocks.
    private var linesBefore = 0
    /// Offset in the current block up to which newlines are counted into `linesBefore`.
    private var counted = 0
    /// Set once a prefix is used up or the consumer said stop: no more lines are wanted.
    private(set) var finished = false
    /// Where `fields` writes the selected columns, and the other buffer of the pair: a second
    /// `fields` stage reads the first one's output, so they alternate. Grown (rarely) to fit.
    private var scratch: UnsafeMutableRawBufferPointer
    private var spare: UnsafeMutableRawBufferPointer

    init(stages: [LinePipeline.Stage], numbersLines: Bool) {
        self.numbersLines = numbersLines
        states = stages.map { stage in
            switch stage {
            case .match(let matcher, let invert): return .match(matcher, invert: invert)
            case .filter(let predicate): return .filter(predicate)
            case .prefix(let n): return .prefix(left: n)
            case .fields(let separator, let columns): return .fields(separator: separator, columns: columns)
            }
        }
        finished = states.contains { if case .prefix(0) = $0 { return true } else { return false } }
        let needsScratch = states.contains { if case .fields = $0 { return true } else { return false } }
        scratch = .allocate(byteCount: needsScratch ? 4096 : 0, alignment: 16)
        spare = .allocate(byteCount: needsScratch ? 4096 : 0, alignment: 16)
    }

    deinit {
        scratch.deallocate()
        spare.deallocate()
    }

    /// Runs one block through the stages, calling `body` with each line that passes; returns false
    /// once no more lines are wanted (a prefix is used up, or `body` returned false).
    func run(_ block: UnsafeRawBufferPointer, _ body: (LineView) throws(SluiceError) -> Bool) throws(SluiceError) -> Bool {
        if finished { return false }
        counted = 0
        if case .match(let matcher, let invert)? = states.first {
            var position = 0
            while position < block.count, let hit = matcher.firstMatchingLine(in: block, from: position) {
                let more = invert
                    ? try runLines(block, position..<hit.lowerBound, from: 1, body)
                    : try deliver(block, hit, from: 1, body)
                if !more { return stop() }
                position = block.nextLineStart(after: hit)
            }
            if invert, position < block.count, try !runLines(block, position..<block.count, from: 1, body) { return stop() }
        } else if states.isEmpty && !numbersLines {
            // Nothing to filter or number: every line goes straight to the consumer.
            var more = true
            try block.forEachLineMarkingCR { (line, cr) throws(SluiceError) -> Bool in
                more = try body(LineView(bytes: line, number: 0, carriageReturn: cr))
                return more
            }
            if !more { return stop() }
        } else if try !runLines(block, 0..<block.count, from: 0, body) {
            return stop()
        }
        if numbersLines {
            linesBefore += block.countNewlines(in: counted..<block.count) + (block.last == 0x0A ? 0 : 1)
        }
        return true
    }

    private func stop() -> Bool {
        finished = true
        return false
    }

    /// Every line in `range` (whole lines of `block`) through stages `first...`.
    private func runLines(_ block: UnsafeRawBufferPointer, _ range: Range<Int>, from first: Int,
                          _ body: (LineView) throws(SluiceError) -> Bool) throws(SluiceError) -> Bool {
        guard let base = block.baseAddress else { return true }
        var start = range.lowerBound
        while start < range.upperBound {
            let newline = memchr(base + start, 0x0A, range.upperBound - start)
            let end = newline.map { base.distance(to: UnsafeRawPointer($0)) } ?? range.upperBound
            let stripped = end > start && block[end - 1] == 0x0D ? end - 1 : end
            if try !deliver(block, start..<stripped, from: first, body) { return false }
            start = end + 1
        }
        return true
    }

    /// One line (`line`, terminator excluded) through stages `first...` and, if it survives, to `body`.
    private func deliver(_ block: UnsafeRawBufferPointer, _ line: Range<Int>, from first: Int,
                         _ body: (LineView) throws(SluiceError) -> Bool) throws(SluiceError) -> Bool {
        var text = UnsafeRawBufferPointer(rebasing: block[line])
        var rewritten = false
        for index in first..<states.count {
            switch states[index] {
            case .match(let matcher, let invert):
                if matcher.matches(text) == invert { return true }
            case .filter(let predicate):
                if try !predicate(LineView(bytes: text, number: number(of: line, in: block))) { return true }
            case .prefix(let left):
                if left == 0 { return false }
                states[index] = .prefix(left: left - 1)
            case .fields(let separator, let columns):
                text = select(columns, of: text, separator: separator)
                rewritten = true
            }
        }
        // `\r\n` lines keep the `\r` outside `bytes`; it belongs to the original line only.
        let carriageReturn = !rewritten && line.upperBound < block.count && block[line.upperBound] == 0x0D
        let more = try body(LineView(bytes: text, number: number(of: line, in: block), carriageReturn: carriageReturn))
        // A prefix that just ran out ends the run after delivering its last line.
        for index in first..<states.count {
            if case .prefix(0) = states[index] { return false }
        }
        return more
    }

    /// The 1-based number of `line` (0 when the pipeline does not number lines).
    private func number(of line: Range<Int>, in block: UnsafeRawBufferPointer) -> Int {
        guard numbersLines else { return 0 }
        linesBefore += block.countNewlines(in: counted..<line.lowerBound)
        counted = line.lowerBound
        return linesBefore + 1
    }

    /// The selected 1-based `columns` of `line`, split on `separator` and joined by it, written
    /// into the reused scratch buffer (`cut -d SEP -f COLUMNS`, in the order given).
    private func select(_ columns: [Int], of line: UnsafeRawBufferPointer, separator: UInt8) -> UnsafeRawBufferPointer {
        swap(&scratch, &spare)  // `line` may be the previous stage's output, in the other buffer
        let needed = (line.count + 1) * columns.count
        if scratch.count < needed {
            scratch.deallocate()
            scratch = .allocate(byteCount: max(needed, 2 * scratch.count), alignment: 16)
        }
        var written = 0
        var first = true
        for column in columns {
            guard let field = line.field(column, separator: separator) else { continue }
            if !first {
                scratch[written] = separator
                written += 1
            }
            first = false
            UnsafeMutableRawBufferPointer(rebasing: scratch[written..<(written + field.count)])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: line[field]))
            written += field.count
        }
        return UnsafeRawBufferPointer(rebasing: scratch[..<written])
    }
}

@available(*, unavailable)
extension StageRunner: Sendable {}

extension UnsafeRawBufferPointer {
    /// The byte range of 1-based field `n` when split on `separator`, or nil if there are fewer.
    func field(_ n: Int, separator: UInt8) -> Range<Int>? {
        guard n >= 1 else { return nil }
        var field = 1
        var start = 0
        for i in 0...count where i == count || self[i] == separator {
            if field == n { return start..<i }
            field += 1
            start = i + 1
        }
        return nil
    }
}
