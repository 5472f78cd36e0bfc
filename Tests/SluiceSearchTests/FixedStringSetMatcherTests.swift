import Testing
import SluiceTestSupport
import SluiceCore
import SluiceSearch

/// The many-strings matcher against a naive reference: every line that contains any string.
@Suite("Fixed string sets (grep -F -f)")
struct FixedStringSetMatcherTests {
    static func naive(_ line: [UInt8], _ strings: [[UInt8]], ignoreCase: Bool) -> Bool {
        func fold(_ b: UInt8) -> UInt8 { ignoreCase && (0x41...0x5A).contains(b) ? b | 0x20 : b }
        let l = line.map(fold)
        return strings.contains { s in
            let s = s.map(fold)
            if s.isEmpty { return true }
            guard s.count <= l.count else { return false }
            return (0...(l.count - s.count)).contains { Array(l[$0..<$0 + s.count]) == s }
        }
    }

    /// Lines selected through `firstMatchingLine` over the whole block, as grep walks a block.
    static func selected(_ matcher: LineMatcher, _ text: [UInt8]) -> [[UInt8]] {
        text.withUnsafeBytes { block in
            var out: [[UInt8]] = []
            var from = 0
            while from < block.count, let line = matcher.firstMatchingLine(in: block, from: from) {
                out.append(Array(block[line]))
                from = block.nextLineStart(after: line)
            }
            return out
        }
    }

    @Test("random strings over random text: the lines a naive search selects", arguments: [false, true])
    func againstNaive(ignoreCase: Bool) throws {
        var rng = SeededRandom(state: ignoreCase ? 7 : 3)
        let alphabet = Array("abcAB \t-é".utf8)
        for round in 0..<200 {
            let strings = (0..<(1 + rng.next(12))).map { _ in (0..<(1 + rng.next(4))).map { _ in alphabet[rng.next(alphabet.count)] } }
            let lines = (0..<(1 + rng.next(20))).map { _ in (0..<rng.next(30)).map { _ in alphabet[rng.next(alphabet.count)] } }
            let text = Array(lines.joined(separator: [0x0A]))
            let matcher = try FixedStringSetMatcher(strings, ignoreCase: ignoreCase)
            let expected = lines.filter { Self.naive($0, strings, ignoreCase: ignoreCase) }
            #expect(Self.selected(matcher, text) == expected, "round \(round)")
            for line in lines {
                let hit = line.withUnsafeBytes { matcher.matches($0) }
                #expect(hit == Self.naive(line, strings, ignoreCase: ignoreCase), "round \(round)")
            }
        }
    }

    @Test("1,000 words, overlapping prefixes and suffixes, an empty string matching every line")
    func manyWords() throws {
        let words = (0..<1000).map { Array("word\($0 * 7919 % 100_003)x".utf8) } + [Array("he".utf8), Array("she".utf8), Array("hers".utf8)]
        let matcher = try FixedStringSetMatcher(words)
        let text = Array("no match here\nushers\nword55x\nwordword\nxword7919x\n".utf8)
        #expect(Self.selected(matcher, text).map { String(decoding: $0, as: UTF8.self) } == ["no match here", "ushers", "xword7919x"])
        let withEmpty = try FixedStringSetMatcher([[], Array("zzz".utf8)])
        #expect(Self.selected(withEmpty, Array("a\n\nb".utf8)).count == 3)
    }

    @Test("every byte value, CRLF lines, and a budget too small for the automaton")
    func bytesAndBudget() throws {
        let all = (0...255).filter { $0 != 0x0A }.map { [UInt8($0)] }
        let matcher = try FixedStringSetMatcher(all)
        #expect(Self.selected(matcher, [0xFF, 0x0A, 0x0A, 0x00, 0x0D, 0x0A]).count == 2)
        let budget = MemoryBudget(cap: .bytes(1000))
        #expect(throws: SluiceError.self) { try FixedStringSetMatcher((0..<500).map { Array("string \($0)".utf8) }, budget: budget) }
    }
}
