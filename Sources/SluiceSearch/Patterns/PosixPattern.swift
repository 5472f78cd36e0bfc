import SluiceCore

/// How a grep pattern is read: GNU grep's `-F`, `-G` (the default), `-E` and `-P`.
public enum PatternSyntax: Sendable, Equatable {
    /// A fixed string (`-F`).
    case fixed
    /// POSIX basic regular expression with GNU's extensions (`-G`, grep's default): `\(` `\)`
    /// group, `\{m,n\}` count, `\|` `\+` `\?`; `( ) { } | + ?` are ordinary characters.
    case basic
    /// POSIX extended regular expression with GNU's extensions (`-E`).
    case extended
    /// PCRE2's own syntax, passed through untouched (`-P`).
    case perl
}

/// Translates POSIX basic and extended regular expressions (with the GNU extensions grep 3.8
/// accepts) into PCRE2 syntax, so one engine runs every kind of pattern.
///
/// What is translated, following GNU grep's rules: the BRE/ERE operator sets; `*` at the start of
/// a BRE (or after `\(`, `\|` or a leading `^`) is an ordinary character, and in an ERE a leading
/// `*`, `+` or `?` is ignored; `^` and `$` are anchors only where POSIX makes them so in a BRE;
/// `{` that does not begin a valid interval is an ordinary character in an ERE; `{,n}` means
/// `{0,n}`; inside a bracket expression a backslash is an ordinary character and `[:class:]`,
/// `[=c=]`, `[.c.]` are read as POSIX says; `\<`, `\>`, `` \` ``, `\'` become PCRE2 assertions;
/// `\w \W \s \S \b \B` and back-references `\1`–`\9` keep their meaning; any other escaped
/// character stands for itself (grep 3.8 warns "stray \"; Sluice accepts it silently).
///
/// Not translated: matching is leftmost-first (Perl) rather than POSIX leftmost-longest inside
/// one pattern, which only changes what `-o` and `--color` show for alternations like `ab|abcd`.
public enum PosixPattern {
    /// Whether `pattern` has no operator in `syntax`, so it can be searched as a fixed string.
    public static func isLiteral(_ pattern: [UInt8], _ syntax: PatternSyntax) -> Bool {
        switch syntax {
        case .fixed: return true
        case .basic: return !pattern.contains { basicSpecials.contains($0) }
        case .extended: return !pattern.contains { extendedSpecials.contains($0) }
        case .perl: return !pattern.contains { perlSpecials.contains($0) }
        }
    }

    static let basicSpecials = Set("\\.[*^$".utf8)
    static let extendedSpecials = Set("\\.[*^$()|+?{".utf8)
    static let perlSpecials = Set("\\^$.|?*+()[]{}".utf8)

    /// `bytes` as a PCRE2 pattern that matches exactly them: ASCII punctuation is escaped with a
    /// backslash (always a literal in PCRE2), everything else is copied.
    public static func escaped(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { appendLiteral(b, to: &out) }
        return out
    }

    static func appendLiteral(_ b: UInt8, to out: inout [UInt8]) {
        let isAlnum = (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b)
        if b >= 0x21 && b < 0x7F && !isAlnum { out.append(0x5C) }
        out.append(b)
    }

    /// The PCRE2 form of a `syntax` pattern (`.perl` and `.fixed` are returned escaped or as is).
    /// - Throws: ``SluiceError/Kind/usage`` for what GNU grep also refuses (an unmatched `(`,
    ///   `\{` or `[`), or for a multi-character collating element, which PCRE2 cannot express.
    public static func pcre(_ pattern: [UInt8], _ syntax: PatternSyntax) throws(SluiceError) -> [UInt8] {
        switch syntax {
        case .fixed: return escaped(pattern)
        case .perl: return pattern
        case .basic, .extended:
            var translator = Translator(pattern, extended: syntax == .extended)
            return try translator.run()
        }
    }

    private struct Translator {
        let p: [UInt8]
        let extended: Bool
        var i = 0
        var out: [UInt8] = []
        /// Open groups, to refuse an unmatched `)` as GNU does (an ERE `)` alone is ordinary).
        var depth = 0
        /// Where, in `out`, each open group starts, and where the last atom (a character, class,
        /// escape or closed group) starts: a second quantifier wraps it (`a**` is `(?:a*)*`), since
        /// POSIX applies stacked quantifiers in turn where PCRE2 reads `*+` as possessive and `*?`
        /// as lazy.
        var groupStarts: [Int] = []
        var atomStart: Int?
        var quantified = false

        mutating func atom(_ bytes: [UInt8]) {
            atomStart = out.count
            quantified = false
            out += bytes
        }

        mutating func quantifier(_ bytes: [UInt8]) {
            guard let start = atomStart else {
                // Nothing to repeat (after an anchor): an ordinary character, as GNU reads `^*`.
                for b in bytes { appendLiteral(b, to: &out) }
                return
            }
            if quantified {
                out.insert(contentsOf: [0x28, 0x3F, 0x3A], at: start)
                out.append(0x29)
            }
            out += bytes
            quantified = true
        }

        /// Something that is neither an atom nor a quantifier (an anchor, `|`, `(`): a quantifier
        /// right after it has nothing to repeat.
        mutating func other(_ bytes: [UInt8]) {
            atomStart = nil
            quantified = false
            out += bytes
        }

        mutating func openGroup() {
            depth += 1
            groupStarts.append(out.count)
            other([0x28])
        }

        mutating func closeGroup() {
            depth -= 1
            let start = groupStarts.popLast() ?? out.count
            out.append(0x29)
            atomStart = start
            quantified = false
        }

        init(_ pattern: [UInt8], extended: Bool) {
            p = pattern
            self.extended = extended
            out.reserveCapacity(pattern.count + 8)
        }

        func fail(_ what: String) -> SluiceError {
            SluiceError(.usage, "invalid regular expression \(RegexMatcher.excerpt(p)): \(what)")
        }

        /// Whether position `i` begins an expression: the pattern start, or just after an
        /// opening group or an alternation (and, in a BRE, after a leading `^`).
        func atExpressionStart(_ at: Int) -> Bool {
            if at == 0 { return true }
            if extended {
                return p[at - 1] == 0x28 || p[at - 1] == 0x7C
                    || (p[at - 1] == 0x5E && atExpressionStart(at - 1))
            }
            if at >= 2 && p[at - 2] == 0x5C && (p[at - 1] == 0x28 || p[at - 1] == 0x7C) { return true }
            if p[at - 1] == 0x5E && atExpressionStart(at - 1) { return true }
            return false
        }

        /// Whether a BRE `$` at `at` is an anchor: at the end, or before `\)` or `\|`.
        func basicDollarIsAnchor(_ at: Int) -> Bool {
            let next = at + 1
            if next == p.count { return true }
            return next + 1 < p.count && p[next] == 0x5C && (p[next + 1] == 0x29 || p[next + 1] == 0x7C)
        }

        /// The interval starting at `at` (just after `{` or `\{`), as `(min, max?, end)` with `end`
        /// the index after the closing brace, or nil when it is not a valid interval.
        func interval(at: Int) -> (String, Int)? {
            var j = at
            func digits() -> String {
                var s = ""
                while j < p.count, (0x30...0x39).contains(p[j]) { s.append(Character(UnicodeScalar(p[j]))); j += 1 }
                return s
            }
            let low = digits()
            var high = low
            let comma = j < p.count && p[j] == 0x2C
            if comma {
                j += 1
                high = digits()
            }
            if extended {
                guard j < p.count, p[j] == 0x7D else { return nil }
                j += 1
            } else {
                guard j + 1 < p.count, p[j] == 0x5C, p[j + 1] == 0x7D else { return nil }
                j += 2
            }
            if !comma && low.isEmpty { return nil }  // `{}`: not an interval
            let body = comma ? "\(low.isEmpty ? "0" : low),\(high)" : low
            return ("{\(body)}", j)
        }

        mutating func run() throws(SluiceError) -> [UInt8] {
            while i < p.count {
                let c = p[i]
                if c == 0x5C {
                    try escape()
                    continue
                }
                switch c {
                case 0x5B:
                    try bracket()
                    continue
                case 0x2E:
                    atom([c])
                case 0x2A:
                    if atExpressionStart(i) {
                        if !extended { atom([0x5C, 0x2A]) }  // BRE: an ordinary `*`; ERE: ignored, as GNU
                    } else {
                        quantifier([c])
                    }
                case 0x5E:
                    if extended || atExpressionStart(i) { other([c]) } else { atom([0x5C, 0x5E]) }
                case 0x24:
                    if extended || basicDollarIsAnchor(i) { other([c]) } else { atom([0x5C, 0x24]) }
                case 0x28, 0x29, 0x7C, 0x2B, 0x3F:
                    if !extended {
                        atom([0x5C, c])
                        break
                    }
                    switch c {
                    case 0x28: openGroup()
                    case 0x29: if depth == 0 { atom([0x5C, 0x29]) } else { closeGroup() }
                    case 0x7C: other([c])
                    default: if !atExpressionStart(i) { quantifier([c]) }  // a leading + or ? is ignored, as GNU
                    }
                case 0x7B where extended:
                    if !atExpressionStart(i), let (body, end) = interval(at: i + 1) {
                        quantifier(Array(body.utf8))
                        i = end
                        continue
                    }
                    atom([0x5C, 0x7B])
                default:
                    var literal: [UInt8] = []
                    appendLiteral(c, to: &literal)
                    atom(literal)
                }
                i += 1
            }
            if depth > 0 { throw fail("unmatched ( or \\(") }
            return out
        }

        /// A backslash sequence at `i`.
        mutating func escape() throws(SluiceError) {
            guard i + 1 < p.count else { throw fail("trailing backslash") }
            let c = p[i + 1]
            i += 2
            if !extended {
                switch c {
                case 0x28:
                    openGroup()
                    return
                case 0x29:
                    guard depth > 0 else { throw fail("unmatched ) or \\)") }
                    closeGroup()
                    return
                case 0x7C:
                    other([c])
                    return
                case 0x2B, 0x3F:
                    quantifier([c])
                    return
                case 0x7B:
                    guard let (body, end) = interval(at: i) else { throw fail("unmatched \\{") }
                    quantifier(Array(body.utf8))
                    i = end
                    return
                default: break
                }
            }
            switch c {
            case 0x3C: other(Array(#"\b(?=\w)"#.utf8))  // \<
            case 0x3E: other(Array(#"\b(?<=\w)"#.utf8))  // \>
            case 0x60: other([0x5E])  // \` : start of the line (lines are matched one by one)
            case 0x27: other([0x24])  // \' : end of the line
            case 0x62, 0x42: other([0x5C, c])  // \b \B
            case 0x77, 0x57, 0x73, 0x53, 0x31...0x39:  // \w \W \s \S \1-\9
                atom([0x5C, c])
            default:
                var literal: [UInt8] = []
                appendLiteral(c, to: &literal)
                atom(literal)
            }
        }

        /// A bracket expression at `i` (`[`), copied with POSIX's rules into PCRE2's.
        mutating func bracket() throws(SluiceError) {
            var j = i + 1
            var items: [UInt8] = [0x5B]
            if j < p.count && p[j] == 0x5E {
                items.append(0x5E)
                j += 1
            }
            var first = true
            while true {
                guard j < p.count else { throw fail("unmatched [, [^, [:, [., or [=") }
                let c = p[j]
                if c == 0x5D && !first { break }
                first = false
                if c == 0x5B, j + 1 < p.count, [0x3A, 0x3D, 0x2E].contains(p[j + 1]) {
                    let kind = p[j + 1]
                    var k = j + 2
                    while k + 1 < p.count && !(p[k] == kind && p[k + 1] == 0x5D) { k += 1 }
                    guard k + 1 < p.count else { throw fail("unmatched [, [^, [:, [., or [=") }
                    let name = Array(p[(j + 2)..<k])
                    if kind == 0x3A {
                        items.append(contentsOf: [0x5B, 0x3A] + name + [0x3A, 0x5D])
                    } else if name.count == 1 {
                        appendLiteral(name[0], to: &items)
                    } else {
                        throw fail("collating elements of several characters are not supported")
                    }
                    j = k + 2
                    continue
                }
                switch c {
                case 0x5C, 0x5D, 0x5B: items.append(contentsOf: [0x5C, c])
                default: items.append(c)
                }
                j += 1
            }
            items.append(0x5D)
            atom(items)
            i = j + 1
        }
    }
}
