import SluiceCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Many fixed strings at once (`grep -F -f words.txt`): an Aho–Corasick automaton compiled to a
/// DFA over byte classes, so every byte of a block is looked at once, whatever the number of
/// strings, instead of trying a giant alternation at every position.
///
///     byte ──classes[byte]──▶ class ──table[state × classCount + class]──▶ next state
///                                                      state ≥ firstMatchState: a string ends here
///
/// States are numbered so that every state at which some string ends comes after every state at
/// which none does: the hot loop tests a match with one comparison. `ignoreCase` folds ASCII
/// letters (non-ASCII case folding needs the regex engine). Memory: states (at most the total
/// length of the strings, plus one) × byte classes × 4 bytes, counted in `budget` when given.
/// Not thread-safe (one per worker, like the regex matcher).
public final class FixedStringSetMatcher: LineMatcher {
    private let classes: [UInt16]
    private let classCount: Int
    private let table: UnsafeMutableBufferPointer<UInt32>
    private let firstMatchState: UInt32
    /// Per state, the length of the longest string ending there (0: none), for match ranges.
    private let longestEnding: [Int32]
    private let matchesEmpty: Bool
    /// The trie itself (state × class → child, -1: none) and, per trie state, whether a string
    /// ends there: walked from each start to list every string at a place, for `-w`, `-x`, `-o`.
    private let trie: [Int32]
    private let terminal: [Bool]
    private let scope: MatchScope
    private let unicodeWords: Bool
    /// The transition table's and the trie's bytes, taken from the budget.
    private let reservation: Reservation
    /// The strings, for messages.
    public let count: Int

    /// Builds the automaton for `strings` (bytes, no line breaks). `scope` `.word` or `.line`
    /// checks each candidate line for a string standing as a word or as the whole line; with
    /// `unicodeWords` (a UTF-8 locale) every byte of a multi-byte character counts as a word
    /// character, the usual case of letters.
    /// - Throws: ``SluiceError/Kind/limit`` when the automaton does not fit `budget` (with the figure).
    public init(_ strings: [[UInt8]], ignoreCase: Bool = false, scope: MatchScope = .substring,
                unicodeWords: Bool = false, budget: MemoryBudget? = nil) throws(SluiceError) {
        count = strings.count
        self.scope = scope
        self.unicodeWords = unicodeWords
        matchesEmpty = strings.contains { $0.isEmpty }
        func fold(_ b: UInt8) -> UInt8 { ignoreCase && (0x41...0x5A).contains(b) ? b | 0x20 : b }
        let patterns = strings.filter { !$0.isEmpty }.map { $0.map(fold) }

        // Byte classes: bytes that no string uses share class 0; each used byte gets its own.
        var classOf = [UInt16](repeating: 0, count: 256)
        var next = 1
        for pattern in patterns {
            for b in pattern where classOf[Int(b)] == 0 {
                classOf[Int(b)] = UInt16(next)
                next += 1
            }
        }
        if ignoreCase {
            for upper in UInt8(0x41)...UInt8(0x5A) { classOf[Int(upper)] = classOf[Int(upper | 0x20)] }
        }
        let classCount = next

        // The trie: goto edges per state and class (-1: none), terminal lengths.
        var goto: [Int32] = Array(repeating: -1, count: classCount)
        var ending: [Int32] = [0]
        for pattern in patterns {
            var state = 0
            for b in pattern {
                let c = Int(classOf[Int(b)])
                if goto[state * classCount + c] < 0 {
                    goto[state * classCount + c] = Int32(ending.count)
                    ending.append(0)
                    goto.append(contentsOf: repeatElement(-1, count: classCount))
                }
                state = Int(goto[state * classCount + c])
            }
            ending[state] = max(ending[state], Int32(pattern.count))
        }
        let states = ending.count
        // The DFA table, and the trie kept beside it.
        let tableBytes = states * classCount * (MemoryLayout<UInt32>.size + MemoryLayout<Int32>.size)
        reservation = try Reservation(.bytes(tableBytes), from: budget, for: "the automaton of \(strings.count) fixed strings")

        // Failure links in breadth-first order, filling in the full transition function (the DFA).
        var delta = goto.map { $0 < 0 ? Int32(0) : $0 }
        var fail = [Int32](repeating: 0, count: states)
        var queue: [Int] = []
        queue.reserveCapacity(states)
        for c in 0..<classCount where goto[c] > 0 { queue.append(Int(goto[c])) }
        var head = 0
        var longest = ending
        while head < queue.count {
            let s = queue[head]
            head += 1
            longest[s] = max(longest[s], longest[Int(fail[s])])
            for c in 0..<classCount {
                let t = goto[s * classCount + c]
                if t >= 0 {
                    fail[Int(t)] = delta[Int(fail[s]) * classCount + c]
                    queue.append(Int(t))
                    delta[s * classCount + c] = t
                } else {
                    delta[s * classCount + c] = delta[Int(fail[s]) * classCount + c]
                }
            }
        }
        // `longest[s]` now says whether any string ends at s (through the failure chain).

        // Renumber: states where nothing ends first (the root stays 0), matching states last.
        var order = (0..<states).filter { longest[$0] == 0 }
        let firstMatch = order.count
        order += (0..<states).filter { longest[$0] != 0 }
        var newID = [UInt32](repeating: 0, count: states)
        for (new, old) in order.enumerated() { newID[old] = UInt32(new) }
        let table = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: states * classCount)
        var renumberedLongest = [Int32](repeating: 0, count: states)
        for (new, old) in order.enumerated() {
            renumberedLongest[new] = longest[old]
            for c in 0..<classCount {
                // Premultiplied: a state is stored as its row's offset, so the hot loop adds, never multiplies.
                table[new * classCount + c] = newID[Int(delta[old * classCount + c])] * UInt32(classCount)
            }
        }
        self.classes = classOf
        self.classCount = classCount
        self.table = table
        self.firstMatchState = UInt32(firstMatch * classCount)
        self.longestEnding = renumberedLongest
        self.trie = goto
        self.terminal = ending.map { $0 > 0 }
    }

    deinit { table.deallocate() }

    /// The block last scanned (by address and size) and, in order, the end of the first string
    /// found on each of its lines that has one. Searches of one block go forward from 0, so the
    /// block is scanned once, on the search from 0, and later searches only walk this list.
    private var scanned: (base: UnsafeRawPointer?, count: Int)?
    private var lineHits: [Int] = []
    private var nextHit = 0
    /// Per stream of ``scan(_:)``, the hits of its segment (kept for their capacity).
    private var streamHits: [[Int]] = [[], [], [], []]

    /// Finds every line of `block` holding a string, recording in `lineHits` where the first one
    /// ends.
    ///
    /// Each byte costs a table load that depends on the one before, so one automaton run is bound
    /// by load latency, not bandwidth. The block is therefore cut at line starts into four
    /// segments (strings never cross a line break, so each segment starts in the root state), and
    /// the four are run in one loop: four independent chains of loads in flight. After a hit the
    /// stream jumps to the next line (`memchr`), since one hit is all a line needs.
    private func scan(_ block: UnsafeRawBufferPointer) {
        scanned = (block.baseAddress, block.count)
        lineHits.removeAll(keepingCapacity: true)
        nextHit = 0
        guard let base = block.baseAddress?.assumingMemoryBound(to: UInt8.self), block.count > 0 else { return }
        let count = block.count
        var bounds = [0, 0, 0, 0, count]
        for k in 1..<4 {
            let guess = max(bounds[k - 1], count * k / 4)
            if guess >= count { bounds[k] = count; continue }
            let newline = memchr(base + guess, 0x0A, count - guess)
            bounds[k] = newline.map { UnsafeRawPointer(base).distance(to: UnsafeRawPointer($0)) + 1 } ?? count
        }
        let table = self.table.baseAddress!
        let firstMatch = firstMatchState
        /// The start of the line after the one holding `i - 1`.
        func nextLine(_ i: Int) -> Int {
            guard i < count, let nl = memchr(base + i, 0x0A, count - i) else { return count }
            return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(nl)) + 1
        }
        var h0 = streamHits[0], h1 = streamHits[1], h2 = streamHits[2], h3 = streamHits[3]
        h0.removeAll(keepingCapacity: true); h1.removeAll(keepingCapacity: true)
        h2.removeAll(keepingCapacity: true); h3.removeAll(keepingCapacity: true)
        streamHits = []
        let e0 = bounds[1], e1 = bounds[2], e2 = bounds[3], e3 = bounds[4]
        var p0 = bounds[0], p1 = bounds[1], p2 = bounds[2], p3 = bounds[3]
        var s0: UInt32 = 0, s1: UInt32 = 0, s2: UInt32 = 0, s3: UInt32 = 0
        classes.withUnsafeBufferPointer { classes in
            let classOf = classes.baseAddress!
            while p0 < e0 && p1 < e1 && p2 < e2 && p3 < e3 {
                // The hot loop: four loads in flight, one rarely taken exit.
                repeat {
                    s0 = table[Int(s0) &+ Int(classOf[Int(base[p0])])]
                    s1 = table[Int(s1) &+ Int(classOf[Int(base[p1])])]
                    s2 = table[Int(s2) &+ Int(classOf[Int(base[p2])])]
                    s3 = table[Int(s3) &+ Int(classOf[Int(base[p3])])]
                    p0 &+= 1; p1 &+= 1; p2 &+= 1; p3 &+= 1
                } while p0 < e0 && p1 < e1 && p2 < e2 && p3 < e3
                    && s0 < firstMatch && s1 < firstMatch && s2 < firstMatch && s3 < firstMatch
                if s0 >= firstMatch { h0.append(p0); p0 = nextLine(p0); s0 = 0 }
                if s1 >= firstMatch { h1.append(p1); p1 = nextLine(p1); s1 = 0 }
                if s2 >= firstMatch { h2.append(p2); p2 = nextLine(p2); s2 = 0 }
                if s3 >= firstMatch { h3.append(p3); p3 = nextLine(p3); s3 = 0 }
            }
            /// One stream finishing its segment alone.
            func finish(_ i: inout Int, _ state: inout UInt32, _ end: Int, _ hits: inout [Int]) {
                while i < end {
                    state = table[Int(state) &+ Int(classOf[Int(base[i])])]
                    i &+= 1
                    if state >= firstMatch {
                        hits.append(i)
                        i = nextLine(i)
                        state = 0
                    }
                }
            }
            finish(&p0, &s0, e0, &h0)
            finish(&p1, &s1, e1, &h1)
            finish(&p2, &s2, e2, &h2)
            finish(&p3, &s3, e3, &h3)
        }
        lineHits += h0
        lineHits += h1
        lineHits += h2
        lineHits += h3
        streamHits = [h0, h1, h2, h3]
    }

    /// The offset just past the first string in `bytes[from..<to]`, or nil: one automaton run,
    /// for single lines (`matches`) and short ranges.
    @inline(__always)
    private func firstEnd(in bytes: UnsafeRawBufferPointer, from: Int, to: Int) -> Int? {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        let table = self.table.baseAddress!
        let firstMatch = firstMatchState
        return classes.withUnsafeBufferPointer { classes -> Int? in
            let classOf = classes.baseAddress!
            var state: UInt32 = 0
            var i = from
            while i < to {
                state = table[Int(state) &+ Int(classOf[Int(base[i])])]
                i &+= 1
                if state >= firstMatch { return i }
            }
            return nil
        }
    }

    /// The offset just past the first string on a line at or after `from` (a line start) in
    /// `bytes`, or nil. A search from 0 scans the block (a reused buffer may have the previous
    /// block's address and size, so the address alone does not say it is new).
    private func firstEnd(in bytes: UnsafeRawBufferPointer, from: Int) -> Int? {
        if bytes.count < 4096 { return firstEnd(in: bytes, from: from, to: bytes.count) }
        if from == 0 || scanned?.base != bytes.baseAddress || scanned?.count != bytes.count { scan(bytes) }
        while nextHit < lineHits.count && lineHits[nextHit] <= from { nextHit += 1 }
        // Searches may also step back (after a hit a caller may ask again from an earlier line).
        while nextHit > 0 && lineHits[nextHit - 1] > from { nextHit -= 1 }
        return nextHit < lineHits.count ? lineHits[nextHit] : nil
    }

    public func firstMatchingLine(in block: UnsafeRawBufferPointer, from: Int) -> Range<Int>? {
        var position = from
        while position < block.count {
            let line: Range<Int>
            if matchesEmpty {
                line = block.lineAround(position, from: position)
            } else {
                // A string never contains a line break, so the automaton needs no reset at line starts.
                guard let end = firstEnd(in: block, from: position) else { return nil }
                line = block.lineAround(end - 1, from: position)
            }
            if scope == .substring { return line }
            let whole = line.upperBound < block.count && block[line.upperBound] == 0x0D ? line.lowerBound..<(line.upperBound + 1) : line
            if firstMatch(in: UnsafeRawBufferPointer(rebasing: block[whole]), from: 0) != nil { return line }
            position = block.nextLineStart(after: line)
        }
        return nil
    }

    public func matches(_ line: UnsafeRawBufferPointer) -> Bool {
        if scope != .substring { return firstMatch(in: line, from: 0) != nil }
        return matchesEmpty || firstEnd(in: line, from: 0, to: line.count) != nil
    }

    /// Walks the trie from each start at or after `from`: the first start where a string (that
    /// stands as `scope` asks) begins, with the longest such string. Linear in the line times the
    /// longest string; used only on lines already found, for `-w`, `-x`, `-o` and `--color`.
    public func firstMatch(in line: UnsafeRawBufferPointer, from: Int) -> Range<Int>? {
        guard from <= line.count else { return nil }
        let lastStart = scope == .line ? min(line.count, 0) : line.count
        guard from <= lastStart else { return nil }
        for start in from...lastStart {
            var state = 0
            var best: Int?
            if matchesEmpty && fits(line, start..<start) { best = start }
            var j = start
            while j < line.count {
                let next = trie[state * classCount + Int(classes[Int(line[j])])]
                if next < 0 { break }
                state = Int(next)
                j += 1
                if terminal[state] && fits(line, start..<j) { best = j }
            }
            if let best { return start..<best }
        }
        return nil
    }

    /// Whether a string found at `range` stands where ``scope`` requires.
    private func fits(_ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        switch scope {
        case .substring: return true
        case .line: return range.lowerBound == 0 && range.upperBound == line.count
        case .word:
            return (range.lowerBound == 0 || !isWordByte(line[range.lowerBound - 1]))
                && (range.upperBound == line.count || !isWordByte(line[range.upperBound]))
        }
    }

    private func isWordByte(_ b: UInt8) -> Bool {
        (b | 0x20) &- 0x61 < 26 || b &- 0x30 < 10 || b == 0x5F || (unicodeWords && b >= 0x80)
    }
}

@available(*, unavailable)
extension FixedStringSetMatcher: Sendable {}
