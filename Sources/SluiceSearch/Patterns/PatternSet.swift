import SluiceCore

/// grep's patterns (`-e`, `-f`, the PATTERN argument) and how to read them, turned into one
/// ``LineMatcher`` per worker (PCRE2 match data and the automaton's scratch are per thread).
///
/// The engine is chosen by what the patterns are, as GNU grep chooses between kwset and its DFA:
///
/// | patterns                                   | matcher                                       |
/// |--------------------------------------------|-----------------------------------------------|
/// | one fixed string                           | PCRE2 `PCRE2_LITERAL` (JIT), `memmem` if long |
/// | several fixed strings, or `-w`/`-x` ones   | ``FixedStringSetMatcher`` (Aho–Corasick DFA)  |
/// | regular expressions                        | ``RegexMatcher``, one alternation for all      |
///
/// A pattern is fixed when it has no operator in its syntax (`ERROR` under `-G`), so the common
/// search never pays for a regex engine. Fixed strings with non-ASCII letters under `-i` in a
/// UTF-8 locale go to PCRE2, which folds Unicode case.
public struct PatternSet: Sendable {
    /// The patterns, one per line: a pattern holding a newline is several, as in grep.
    public private(set) var patterns: [[UInt8]]
    public var syntax: PatternSyntax
    public var ignoreCase: Bool
    public var scope: MatchScope
    /// Characters rather than bytes (default: the locale's choice, ``RegexMatcher/isUTF8Locale``).
    public var unicode: Bool

    /// Fixed strings longer than this go to `memmem` instead of PCRE2, which refuses compiled
    /// patterns over 64 KiB ("regular expression is too large").
    public static let longLiteral = 1024
    /// Up to this many regular expressions are also kept apart, so `-o` and `--color` can pick
    /// the leftmost-longest match among them as GNU grep does; more are searched only together.
    static let separateRegexLimit = 64

    public init(_ patterns: [[UInt8]], syntax: PatternSyntax = .basic, ignoreCase: Bool = false,
                scope: MatchScope = .substring, unicode: Bool = RegexMatcher.isUTF8Locale) {
        self.patterns = patterns.flatMap { $0.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init) }
        self.syntax = syntax
        self.ignoreCase = ignoreCase
        self.scope = scope
        self.unicode = unicode
    }

    /// Patterns read from a file's bytes (`-f`): one per line, the last line's newline optional.
    public static func lines(of bytes: [UInt8]) -> [[UInt8]] {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        if bytes.last == 0x0A || bytes.isEmpty { lines.removeLast() }
        return lines
    }

    /// Whether every pattern is the empty string (`grep ''`).
    public var onlyEmpty: Bool { !patterns.isEmpty && patterns.allSatisfy(\.isEmpty) }

    /// Builds the matcher. Throws ``SluiceError/Kind/usage`` for a pattern PCRE2 or the POSIX
    /// translation refuses, ``SluiceError/Kind/limit`` when an automaton does not fit `budget`.
    public func makeMatcher(budget: MemoryBudget? = nil) throws(SluiceError) -> LineMatcher {
        if patterns.isEmpty { return NoPatternMatcher() }
        let literal = patterns.allSatisfy { PosixPattern.isLiteral($0, syntax) }
        let foldsUnicode = ignoreCase && unicode && patterns.contains { $0.contains { $0 >= 0x80 } }
        if literal && !foldsUnicode {
            if patterns.count == 1 && scope == .substring {
                let bytes = patterns[0]
                if bytes.count > Self.longLiteral {
                    return ignoreCase ? CaselessFixedStringMatcher(bytes: bytes) : FixedStringMatcher(bytes: bytes)
                }
                // Literals go through PCRE2 too (PCRE2_LITERAL): its JIT finds them faster than glibc's
                // memmem here (128 MiB log: 0.20 s against 0.23 s for `grep -c ERROR`, decode included).
                return try RegexMatcher(bytes: bytes, ignoreCase: ignoreCase, literal: true, unicode: unicode)
            }
            return try FixedStringSetMatcher(patterns, ignoreCase: ignoreCase, scope: scope,
                                             unicodeWords: unicode && syntax != .perl, budget: budget)
        }
        let translated = try patterns.map { (p) throws(SluiceError) -> [UInt8] in
            scoped(literal && syntax != .fixed ? PosixPattern.escaped(p) : try PosixPattern.pcre(p, syntax))
        }
        if translated.count == 1 { return try regex(translated[0]) }
        // One alternation selects lines in a single pass; back-references number groups per
        // pattern, so patterns that use them are searched apart.
        if translated.contains(where: Self.mayReferBack) {
            return AnyOfMatcher(try translated.map { (p) throws(SluiceError) -> LineMatcher in try regex(p) })
        }
        let separate = translated.count <= Self.separateRegexLimit
            ? try translated.map { (p) throws(SluiceError) -> LineMatcher in try regex(p) } : []
        let all = try alternation(translated)
        return translated.count <= Self.separateRegexLimit ? SelectAndLocateMatcher(select: all, locate: AnyOfMatcher(separate)) : all
    }

    /// One PCRE2 alternation of `patterns`; when PCRE2 finds it too large (its compiled form is
    /// limited to 64 KiB), several alternations of a part each, searched as one.
    private func alternation(_ patterns: [[UInt8]]) throws(SluiceError) -> LineMatcher {
        var joined: [UInt8] = []
        for (i, p) in patterns.enumerated() {
            if i > 0 { joined.append(0x7C) }
            joined += Array("(?:".utf8) + p + [0x29]
        }
        do {
            return try regex(joined)
        } catch where patterns.count > 1 {
            // PCRE2 refuses a large enough alternation ("too large"; with -w, "lookbehind is too
            // complicated"); a pattern that is wrong on its own still fails below, alone.
            let half = patterns.count / 2
            return AnyOfMatcher([try alternation(Array(patterns[..<half])), try alternation(Array(patterns[half...]))])
        }
    }

    private func regex(_ pcre: [UInt8]) throws(SluiceError) -> RegexMatcher {
        try RegexMatcher(bytes: pcre, ignoreCase: ignoreCase, literal: false, unicode: unicode, unicodeClasses: syntax != .perl)
    }

    /// `pcre` wrapped for `-w` (PCRE2's lookarounds, as `grep -P -w` does) or `-x`.
    private func scoped(_ pcre: [UInt8]) -> [UInt8] {
        switch scope {
        case .substring: return pcre
        case .word: return Array(#"(?<!\w)(?:"#.utf8) + pcre + Array(#")(?!\w)"#.utf8)
        case .line: return Array("^(?:".utf8) + pcre + Array(")$".utf8)
        }
    }

    /// Whether a PCRE2 pattern may hold a back-reference (`\1`, `\g`, `\k`, `(?P=`).
    static func mayReferBack(_ p: [UInt8]) -> Bool {
        for i in p.indices.dropLast() where p[i] == 0x5C {
            let c = p[i + 1]
            if (0x31...0x39).contains(c) || c == 0x67 || c == 0x6B { return true }
        }
        return p.count >= 4 && (0..<(p.count - 3)).contains { p[$0..<($0 + 4)].elementsEqual("(?P=".utf8) }
    }
}

/// No pattern at all (`-f /dev/null`): no line matches.
public final class NoPatternMatcher: LineMatcher {
    public init() {}
    public func firstMatchingLine(in block: UnsafeRawBufferPointer, from: Int) -> Range<Int>? { nil }
    public func matches(_ line: UnsafeRawBufferPointer) -> Bool { false }
    public func firstMatch(in line: UnsafeRawBufferPointer, from: Int) -> Range<Int>? { nil }
}

/// Selects lines with one matcher (an alternation of every pattern, one pass) and locates the
/// matches inside a line with another (the patterns apart: leftmost-longest among them).
public final class SelectAndLocateMatcher: LineMatcher {
    private let select: LineMatcher
    private let locate: LineMatcher

    public init(select: LineMatcher, locate: LineMatcher) {
        self.select = select
        self.locate = locate
    }

    public func firstMatchingLine(in block: UnsafeRawBufferPointer, from: Int) -> Range<Int>? {
        select.firstMatchingLine(in: block, from: from)
    }
    public func matches(_ line: UnsafeRawBufferPointer) -> Bool { select.matches(line) }
    public func firstMatch(in line: UnsafeRawBufferPointer, from: Int) -> Range<Int>? { locate.firstMatch(in: line, from: from) }
}
