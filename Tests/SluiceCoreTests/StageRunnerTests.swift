import Testing
import SluiceTestSupport
@testable import SluiceCore

/// The stage runner against a naive reference that splits the text on `\n` and applies each stage
/// to an array of lines: every combination of stages, CR/LF, empty lines, no final newline, and
/// chunk boundaries everywhere (small reads, a line buffer of 16 bytes).
@Suite("Stage runner")
struct StageRunnerTests {
    /// A delivered line as the reference sees it.
    struct Out: Equatable, CustomStringConvertible {
        var bytes: [UInt8]
        var number: Int
        var carriageReturn: Bool
        var description: String { "\(number):\(String(decoding: bytes, as: UTF8.self))\(carriageReturn ? "\\r" : "")" }
    }

    enum Step: CustomStringConvertible {
        case grep(String, invert: Bool)
        case longerThan(Int)
        case prefix(Int)
        case fields([Int])
        var description: String {
            switch self {
            case .grep(let s, let invert): return invert ? "grep -v \(s)" : "grep \(s)"
            case .longerThan(let n): return "filter >\(n)"
            case .prefix(let n): return "prefix \(n)"
            case .fields(let c): return "fields \(c)"
            }
        }
    }

    static func contains(_ line: [UInt8], _ needle: [UInt8]) -> Bool {
        needle.isEmpty || (line.count >= needle.count && (0...(line.count - needle.count)).contains { Array(line[$0..<$0 + needle.count]) == needle })
    }

    /// The reference: lines as `split` sees them, then each stage over the array.
    static func reference(_ text: [UInt8], _ steps: [Step], numbered: Bool) -> [Out] {
        let raw = text.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        let count = text.last == 0x0A || text.isEmpty ? raw.count - 1 : raw.count
        var lines: [Out] = (0..<count).map { i in
            var l = raw[i]
            let cr = l.last == 0x0D
            if cr { l.removeLast() }
            return Out(bytes: l, number: numbered ? i + 1 : 0, carriageReturn: cr)
        }
        for step in steps {
            switch step {
            case .grep(let s, let invert): lines = lines.filter { contains($0.bytes, Array(s.utf8)) != invert }
            case .longerThan(let n): lines = lines.filter { $0.bytes.count > n }
            case .prefix(let n): lines = Array(lines.prefix(n))
            case .fields(let columns):
                lines = lines.map { line in
                    let parts = line.bytes.split(separator: 0x20, omittingEmptySubsequences: false).map(Array.init)
                    let picked = columns.filter { $0 >= 1 && $0 <= parts.count }.map { parts[$0 - 1] }
                    return Out(bytes: Array(picked.joined(separator: [0x20])), number: line.number, carriageReturn: false)
                }
            }
        }
        return lines
    }

    static func pipeline(_ text: [UInt8], _ steps: [Step], numbered: Bool, piece: Int) -> LinePipeline {
        var p = LinePipeline(path: "test") { () throws(SluiceError) -> ByteReader in PieceReader(text, piece: piece) }
        for step in steps {
            switch step {
            case .grep(let s, let invert): p = p.grep(FixedStringMatcher(s), invert: invert)
            case .longerThan(let n): p = p.filter { $0.bytes.count > n }
            case .prefix(let n): p = p.prefix(n)
            case .fields(let columns): p = p.fields(separator: " ", columns)
            }
        }
        return numbered ? p.numbered() : p
    }

    static func randomText(_ rng: inout SeededRandom) -> [UInt8] {
        let words = ["ab", "a", "b", "ba", "", " ", "abc", "zz"]
        var text: [UInt8] = []
        for _ in 0..<rng.next(40) {
            for w in 0..<rng.next(5) {
                if w > 0 { text.append(0x20) }
                text += Array(words[rng.next(words.count)].utf8)
            }
            if rng.next(4) == 0 { text.append(0x0D) }
            text.append(0x0A)
        }
        if rng.next(2) == 0 { text += Array("tail a".utf8) }  // no final newline
        return text
    }

    static func randomSteps(_ rng: inout SeededRandom) -> [Step] {
        (0..<rng.next(4)).map { _ in
            switch rng.next(4) {
            case 0: return .grep(["a", "b", "ab", "zz", ""][rng.next(5)], invert: rng.next(2) == 0)
            case 1: return .longerThan(rng.next(6))
            case 2: return .prefix(rng.next(8))
            default: return .fields([[1], [2, 1], [3], [1, 3]][rng.next(4)])
            }
        }
    }

    @Test("random texts and stage chains equal the naive reference", arguments: [1, 3, 7, 1 << 20])
    func againstReference(piece: Int) throws {
        var rng = SeededRandom(state: UInt64(piece))
        for round in 0..<300 {
            let text = Self.randomText(&rng)
            let steps = Self.randomSteps(&rng)
            let numbered = rng.next(2) == 0
            var got: [Out] = []
            try Self.pipeline(text, steps, numbered: numbered, piece: piece).lines { line in
                got.append(Out(bytes: Array(line.bytes), number: line.number, carriageReturn: line.carriageReturn))
            }
            let expected = Self.reference(text, steps, numbered: numbered)
            #expect(got == expected, "round \(round): \(steps) numbered \(numbered) on \(String(decoding: text, as: UTF8.self).debugDescription)")
        }
    }

    @Test("count, forEachLine stopping early, and a prefix of 0 that reads nothing")
    func terminals() throws {
        let text = Array("a\nbb\r\n\nccc".utf8)
        #expect(try Self.pipeline(text, [], numbered: false, piece: 2).count() == (4, 10))  // stream bytes
        #expect(try Self.pipeline(text, [.prefix(9)], numbered: false, piece: 2).count() == (4, 6))  // line bytes
        #expect(try Self.pipeline(text, [.grep("b", invert: true)], numbered: false, piece: 2).count() == (3, 4))
        var seen = 0
        try Self.pipeline(text, [], numbered: true, piece: 1).forEachLine { _ in
            seen += 1
            return seen < 2
        }
        #expect(seen == 2)
        var opened = false
        let zero = LinePipeline(path: "t") { () throws(SluiceError) -> ByteReader in
            opened = true
            return PieceReader(text, piece: 1)
        }.prefix(0)
        var delivered = 0
        try zero.lines { _ in delivered += 1 }
        #expect(delivered == 0)
        _ = opened
    }

    @Test("a block lent by the framer at capacity 1 still frames every line")
    func lendingAtCapacityOne() throws {
        let text = Array("one\r\ntwo\n\nthree".utf8)
        let reader = try LineReader(PieceReader(text, piece: 1), capacity: .bytes(1))
        var joined: [UInt8] = []
        while try reader.withNextBlock({ (block) throws(SluiceError) -> Void in joined += Array(block) }) != nil {}
        #expect(joined == text)
    }
}
