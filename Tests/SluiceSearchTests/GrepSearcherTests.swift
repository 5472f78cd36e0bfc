import Testing
import SluiceCore
import SluiceSearch
import SluiceTestSupport

/// The grep search loop against a naive model of GNU grep's output rules (lines as an array, a
/// selected flag each), with the line framer at capacity 1 and at 1 MiB: context across blocks,
/// separators, -m, -v, -n, -b, -c, -l/-L, and a block boundary anywhere.
@Suite("grep searcher: context, counts and names against a naive model")
struct GrepSearcherTests {
    final class MemorySink: ByteSink {
        var bytes: [UInt8] = []
        func write(_ data: UnsafeRawBufferPointer) throws(SluiceError) { bytes += data }
        func finish() throws(SluiceError) {}
    }

    static func run(_ text: [UInt8], _ options: GrepOptions, matcher: LineMatcher, capacity: Int, run: GrepRun = GrepRun(),
                    name: String = "f") throws -> [UInt8] {
        let sink = MemorySink()
        let out = BufferedWriter(sink)
        let reader = try LineReader(PieceReader(text, piece: 1 + capacity / 3), capacity: .bytes(capacity))
        _ = try GrepSearcher(options: options, matcher: matcher, name: Array(name.utf8), out: out, run: run).search(reader)
        try out.flush()
        return sink.bytes
    }

    /// GNU grep's rules on an array of lines: what `grep` prints for `options` (no -o, no color).
    static func model(_ lines: [[UInt8]], selected: [Bool], _ o: GrepOptions, name: String = "f", printedBefore: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        var offsets: [Int] = []
        var total = 0
        for line in lines {
            offsets.append(total)
            total += line.count + 1
        }
        let limit = o.maxCount ?? Int.max
        switch o.output {
        case .count, .filesWithMatches, .filesWithoutMatch, .quiet:
            let n = min(limit, selected.filter { $0 }.count)
            if o.output == .count { out += (o.withFileName ? Array(name.utf8) + [0x3A] : []) + Array("\(n)\n".utf8) }
            if o.output == .filesWithMatches && n > 0 || o.output == .filesWithoutMatch && n == 0 { out += Array(name.utf8) + [0x0A] }
            return out
        case .lines: break
        }
        var used = printedBefore
        var lastPrinted = -1  // index of the last printed line
        var pending = 0
        var count = 0
        func emit(_ i: Int, _ sep: UInt8) {
            if o.withFileName { out += Array(name.utf8) + [sep] }
            if o.lineNumbers { out += Array("\(i + 1)".utf8) + [sep] }
            if o.byteOffsets { out += Array("\(offsets[i])".utf8) + [sep] }
            out += lines[i] + [0x0A]
            lastPrinted = i
        }
        var i = 0
        while i < lines.count {
            if count == limit {
                if pending > 0 && i > lastPrinted { emit(i, 0x2D); pending -= 1; i += 1; continue }
                break
            }
            if !selected[i] {
                if pending > 0 { emit(i, 0x2D); pending -= 1 }
                i += 1
                continue
            }
            let first = max(lastPrinted + 1, i - o.before)
            if o.contextRequested, let sep = o.groupSeparator, used, first != lastPrinted + 1 || lastPrinted < 0 {
                out += sep + [0x0A]
            }
            for j in first..<i { emit(j, 0x2D) }
            emit(i, 0x3A)
            used = true
            pending = o.after
            count += 1
            i += 1
        }
        return out
    }

    @Test("random lines and options: the searcher prints what the model prints, at every block size")
    func againstModel() throws {
        var rng = SeededRandom(state: 17)
        for round in 0..<300 {
            let lines: [[UInt8]] = (0..<(1 + rng.next(60))).map { _ in
                let words = ["ERROR", "ok", "x", "", "\r", "ERRORS", "warn"]
                return Array((0..<rng.next(4)).map { _ in words[rng.next(words.count)] }.joined(separator: " ").utf8)
            }
            var text = Array(lines.joined(separator: [0x0A]))
            if rng.next(3) > 0 { text.append(0x0A) }
            // The lines as grep sees them: a last line without \n counts, an empty text has none.
            var lineList = text.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
            if text.last == 0x0A || text.isEmpty { lineList.removeLast() }
            var o = GrepOptions()
            o.invert = rng.next(4) == 0
            o.before = rng.next(4)
            o.after = rng.next(4)
            o.contextRequested = rng.next(3) > 0
            if !o.contextRequested { o.before = 0; o.after = 0 }
            o.lineNumbers = rng.next(2) == 0
            o.byteOffsets = rng.next(3) == 0
            o.withFileName = rng.next(3) == 0
            o.maxCount = rng.next(3) == 0 ? rng.next(4) : nil
            o.output = [.lines, .lines, .lines, .count, .filesWithMatches, .filesWithoutMatch][rng.next(6)]
            if o.groupSeparator != nil && rng.next(4) == 0 { o.groupSeparator = Array("::".utf8) }
            if o.maxCount == 0 { continue }  // grep -m 0 never reads: the command decides that
            let matcher = try RegexMatcher("ERROR", literal: true, unicode: false)
            let selected = lineList.map { line in line.withUnsafeBytes { matcher.matches($0) } != o.invert }
            let expected = Self.model(lineList, selected: selected, o)
            for capacity in [1, 7, 64, 1 << 20] {
                let got = try Self.run(text, o, matcher: try RegexMatcher("ERROR", literal: true, unicode: false), capacity: capacity)
                #expect(got == expected, "round \(round), capacity \(capacity): \(String(decoding: got, as: UTF8.self)) vs \(String(decoding: expected, as: UTF8.self))")
            }
        }
    }

    @Test("the group separator goes between inputs too, once something was printed")
    func separatorAcrossInputs() throws {
        var o = GrepOptions()
        o.after = 1
        o.contextRequested = true
        let run = GrepRun()
        let m = try RegexMatcher("E", literal: true, unicode: false)
        let first = try Self.run(Array("E\na\nb\n".utf8), o, matcher: m, capacity: 64, run: run)
        let second = try Self.run(Array("E\n".utf8), o, matcher: m, capacity: 64, run: run)
        #expect(String(decoding: first + second, as: UTF8.self) == "E\na\n--\nE\n")
    }

    @Test("-o prints each non-empty match with its offset; an empty match moves on one character")
    func onlyMatching() throws {
        var o = GrepOptions()
        o.onlyMatching = true
        o.byteOffsets = true
        let text = Array("abcabc\nxbbx\n".utf8)
        let got = try Self.run(text, o, matcher: try RegexMatcher("b*", unicode: false), capacity: 3)
        #expect(String(decoding: got, as: UTF8.self) == "1:b\n4:b\n8:bb\n")
    }

    @Test("binary input: a NUL stops the printing and reports the match; -c counts NUL-separated pieces; -I skips")
    func binary() throws {
        let text = Array("ERROR one\n".utf8) + [UInt8](repeating: 0x61, count: 100) + [0x0A] + Array("x ERROR\0ERROR\n".utf8)
        let m = try RegexMatcher("ERROR", literal: true, unicode: false)
        var o = GrepOptions()
        let sink = MemorySink()
        let out = BufferedWriter(sink)
        let result = try GrepSearcher(options: o, matcher: m, name: [], out: out, run: GrepRun())
            .search(try LineReader(PieceReader(text, piece: 1 << 20), capacity: .bytes(1 << 20)))
        try out.flush()
        #expect(sink.bytes.isEmpty && result.binaryMatched)
        o.output = .count
        #expect(try Self.run(text, o, matcher: m, capacity: 1 << 20) == Array("3\n".utf8))
        o.binaryFiles = .withoutMatch
        #expect(try Self.run(text, o, matcher: m, capacity: 1 << 20) == Array("0\n".utf8))
        o.binaryFiles = .text
        #expect(try Self.run(text, o, matcher: m, capacity: 1 << 20) == Array("2\n".utf8))
    }
}
