import CLibc
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Decides which lines match, searching whole blocks of lines at once.
///
/// Searching a block for the first match and only then finding the line around it (ripgrep's
/// approach) is far faster than testing line by line: most lines never match, and the search
/// runs over long contiguous memory at the speed of `memmem` or a JIT-compiled regex.
public protocol LineMatcher: AnyObject {
    /// The first line at or after `from` (a line start) in `block` that matches, as the range of
    /// the line without its terminator, or nil.
    func firstMatchingLine(in block: UnsafeRawBufferPointer, from: Int) -> Range<Int>?
    /// Whether one line (terminator stripped) matches.
    func matches(_ line: UnsafeRawBufferPointer) -> Bool
    /// The leftmost match in `line` starting at or after `from` (longest among the patterns that
    /// match there, as GNU grep picks between several patterns), or nil: what `grep -o` prints
    /// and `--color` marks. `line` is one whole line without its `\n`, so anchors and word
    /// boundaries see the line's real edges. A match may be empty (`b*`); callers skip those.
    func firstMatch(in line: UnsafeRawBufferPointer, from: Int) -> Range<Int>?
}

/// Where a pattern has to match: GNU grep's default, `-w` and `-x`.
public enum MatchScope: Sendable, Equatable {
    /// Anywhere in the line.
    case substring
    /// As a whole word (`-w`): neither preceded nor followed by a word character (a letter, a
    /// digit or `_`).
    case word
    /// As the whole line (`-x`).
    case line
}

extension UnsafeRawBufferPointer {
    /// The line containing byte `index`, given that `from` is a line start at or before it: the
    /// range excludes the `\n` (and a `\r` before it).
    @inlinable
    public func lineAround(_ index: Int, from: Int) -> Range<Int> {
        let base = baseAddress!
        var start = from
        if index > from, let nl = sluice_memrchr(base + from, 0x0A, index - from) {
            start = base.distance(to: UnsafeRawPointer(nl)) + 1
        }
        var end = count
        if let nl = memchr(base + index, 0x0A, count - index) {
            end = base.distance(to: UnsafeRawPointer(nl))
        }
        let stripped = end > start && self[end - 1] == 0x0D ? end - 1 : end
        return start..<stripped
    }

    /// The start of the line after the one ending at `lineEnd` (which excludes its terminator).
    @inlinable
    public func nextLineStart(after line: Range<Int>) -> Int {
        var i = line.upperBound
        if i < count && self[i] == 0x0D { i += 1 }
        return Swift.min(i + 1, count)
    }

    /// Number of `\n` bytes in `range`: glibc's vectorised `memchr` hops from break to break,
    /// which beats a byte or word loop for log-length lines.
    @inlinable
    public func countNewlines(in range: Range<Int>) -> Int {
        guard let base = baseAddress, !range.isEmpty else { return 0 }
        var n = 0
        var i = range.lowerBound
        let end = range.upperBound
        while i < end, let hit = memchr(base + i, 0x0A, end - i) {
            n += 1
            i = base.distance(to: UnsafeRawPointer(hit)) + 1
        }
        return n
    }
}

/// A literal byte string, found with glibc's `memmem` over whole blocks.
public final class FixedStringMatcher: LineMatcher {
    private let needle: [UInt8]

    public init(_ needle: String) { self.needle = Array(needle.utf8) }
    public init(bytes: [UInt8]) { self.needle = bytes }

    public func firstMatchingLine(in block: UnsafeRawBufferPointer, from: Int) -> Range<Int>? {
        guard from < block.count, let base = block.baseAddress else { return nil }
        if needle.isEmpty { return block.lineAround(from, from: from) }
        let hit = needle.withUnsafeBytes { n in sluice_memmem(base + from, block.count - from, n.baseAddress, n.count) }
        guard let hit else { return nil }
        return block.lineAround(base.distance(to: UnsafeRawPointer(hit)), from: from)
    }

    public func matches(_ line: UnsafeRawBufferPointer) -> Bool {
        if needle.isEmpty { return true }
        guard let base = line.baseAddress, line.count >= needle.count else { return false }
        return needle.withUnsafeBytes { n in sluice_memmem(base, line.count, n.baseAddress, n.count) != nil }
    }

    public func firstMatch(in line: UnsafeRawBufferPointer, from: Int) -> Range<Int>? {
        if needle.isEmpty { return from <= line.count ? from..<from : nil }
        guard let base = line.baseAddress, from < line.count,
              let hit = needle.withUnsafeBytes({ n in sluice_memmem(base + from, line.count - from, n.baseAddress, n.count) })
        else { return nil }
        let start = base.distance(to: UnsafeRawPointer(hit))
        return start..<(start + needle.count)
    }
}

/// A literal byte string compared without ASCII case (grep -F -i with a pattern too long for
/// PCRE2, whose compiled patterns are limited to 64 KiB): the block is folded to lower case in a
/// reused scratch buffer and searched with `memmem`, so any pattern length works in linear time.
/// Folds ASCII letters only, as PCRE2's caseless mode does in byte mode. Not thread-safe.
public final class CaselessFixedStringMatcher: LineMatcher {
    private let needle: [UInt8]
    private var scratch: UnsafeMutableRawBufferPointer?

    public init(bytes: [UInt8]) { needle = bytes.map(Self.lower) }

    deinit { scratch?.deallocate() }

    @inline(__always)
    static func lower(_ b: UInt8) -> UInt8 { b &- 0x41 < 26 ? b | 0x20 : b }

    /// `bytes` folded into the scratch buffer (grown to fit, never shrunk).
    private func folded(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        if (scratch?.count ?? 0) < bytes.count {
            scratch?.deallocate()
            scratch = .allocate(byteCount: max(bytes.count, 4096), alignment: 64)
        }
        let out = scratch!
        for i in 0..<bytes.count { out[i] = Self.lower(bytes[i]) }
        return UnsafeRawBufferPointer(rebasing: out[..<bytes.count])
    }

    /// The block folded last: searches go forward through one block (`from` grows), so it is
    /// folded once, on the search from its start, not once per match.
    private var foldedBlock: (base: UnsafeRawPointer?, count: Int)?
    private var foldedCopy = UnsafeRawBufferPointer(start: nil, count: 0)

    public func firstMatchingLine(in block: UnsafeRawBufferPointer, from: Int) -> Range<Int>? {
        guard from < block.count else { return nil }
        if needle.isEmpty { return block.lineAround(from, from: from) }
        if from == 0 || foldedBlock?.base != block.baseAddress || foldedBlock?.count != block.count {
            foldedCopy = folded(block)
            foldedBlock = (block.baseAddress, block.count)
        }
        guard let base = foldedCopy.baseAddress,
              let hit = needle.withUnsafeBytes({ n in sluice_memmem(base + from, block.count - from, n.baseAddress, n.count) })
        else { return nil }
        return block.lineAround(base.distance(to: UnsafeRawPointer(hit)), from: from)
    }

    public func matches(_ line: UnsafeRawBufferPointer) -> Bool {
        if needle.isEmpty { return true }
        guard line.count >= needle.count else { return false }
        foldedBlock = nil  // the scratch now holds this line
        let text = folded(line)
        return needle.withUnsafeBytes { n in sluice_memmem(text.baseAddress!, text.count, n.baseAddress, n.count) != nil }
    }

    public func firstMatch(in line: UnsafeRawBufferPointer, from: Int) -> Range<Int>? {
        if needle.isEmpty { return from <= line.count ? from..<from : nil }
        guard from < line.count else { return nil }
        foldedBlock = nil
        let text = folded(line)
        guard let hit = needle.withUnsafeBytes({ n in
            sluice_memmem(text.baseAddress! + from, text.count - from, n.baseAddress, n.count)
        }) else { return nil }
        let start = text.baseAddress!.distance(to: UnsafeRawPointer(hit))
        return start..<(start + needle.count)
    }
}

/// Matches when any of several matchers does (grep's several `-e` patterns).
///
/// Each matcher's next hit in the current block is remembered with where its search began, so a
/// walk through a block searches each stretch once per matcher, not once per hit of any of them.
/// Not thread-safe.
public final class AnyOfMatcher: LineMatcher {
    private let matchers: [LineMatcher]
    private var block: (base: UnsafeRawPointer?, count: Int)?
    /// Per matcher: searched from `from`, found `hit` (nil: none up to the block's end).
    private var known: [(from: Int, hit: Range<Int>?)]

    public init(_ matchers: [LineMatcher]) {
        self.matchers = matchers
        known = Array(repeating: (Int.max, nil), count: matchers.count)
    }

    public func firstMatchingLine(in block: UnsafeRawBufferPointer, from: Int) -> Range<Int>? {
        // A search from 0 starts a block (a reused buffer can keep the address and size).
        if from == 0 || self.block?.base != block.baseAddress || self.block?.count != block.count {
            self.block = (block.baseAddress, block.count)
            for i in known.indices { known[i] = (Int.max, nil) }
        }
        var best: Range<Int>?
        for i in matchers.indices {
            var entry = known[i]
            let stillFirst = entry.from <= from && (entry.hit.map { $0.lowerBound >= from } ?? true)
            if !stillFirst {
                entry = (from, matchers[i].firstMatchingLine(in: block, from: from))
                known[i] = entry
            }
            if let r = entry.hit, r.lowerBound < (best?.lowerBound ?? Int.max) { best = r }
        }
        return best
    }

    public func matches(_ line: UnsafeRawBufferPointer) -> Bool { matchers.contains { $0.matches(line) } }

    /// The leftmost match of any matcher; the longest of those starting there.
    public func firstMatch(in line: UnsafeRawBufferPointer, from: Int) -> Range<Int>? {
        var best: Range<Int>?
        for m in matchers {
            guard let r = m.firstMatch(in: line, from: from) else { continue }
            if let b = best, r.lowerBound > b.lowerBound || (r.lowerBound == b.lowerBound && r.upperBound <= b.upperBound) { continue }
            best = r
        }
        return best
    }
}
