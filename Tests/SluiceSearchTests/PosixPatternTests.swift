import Testing
import SluiceCore
import SluiceSearch

/// POSIX basic and extended expressions, translated to PCRE2, select what GNU grep selects.
@Suite("BRE/ERE translation")
struct PosixPatternTests {
    static func lines(_ pattern: String, _ syntax: PatternSyntax, _ text: [String], scope: MatchScope = .substring) throws -> [String] {
        let matcher = try PatternSet([Array(pattern.utf8)], syntax: syntax, scope: scope, unicode: false).makeMatcher()
        return text.filter { line in Array(line.utf8).withUnsafeBytes { matcher.matches($0) } }
    }

    @Test("basic: GNU operators escaped, ( ) { } | + ? ordinary, * ^ $ literal where POSIX says")
    func basic() throws {
        let text = ["aa", "a", "a|b", "b", "(x)", "x", "a+", "*a", "a^b", "x$y", "abab", "ab{2}"]
        #expect(try Self.lines("a\\{2\\}", .basic, text) == ["aa"])
        #expect(try Self.lines("a|b", .basic, text) == ["a|b"])
        #expect(try Self.lines("^\\(a\\|b\\)$", .basic, text) == ["a", "b"])
        #expect(try Self.lines("(x)", .basic, text) == ["(x)"])
        #expect(try Self.lines("a+", .basic, text) == ["a+"])
        #expect(try Self.lines("^a\\+$", .basic, text) == ["aa", "a"])
        #expect(try Self.lines("*a", .basic, text) == ["*a"])
        #expect(try Self.lines("a^b", .basic, text) == ["a^b"])
        #expect(try Self.lines("x$y", .basic, text) == ["x$y"])
        #expect(try Self.lines("\\(ab\\)\\1", .basic, text) == ["abab"])
        #expect(try Self.lines("b{2}", .basic, text) == ["ab{2}"])
    }

    @Test("extended: operators, a leading * ignored, { without an interval ordinary, {,n}")
    func extended() throws {
        let text = ["aa", "a", "a{1", "ab", "b", "aab"]
        #expect(try Self.lines("^(a|b)$", .extended, text) == ["a", "b"])
        #expect(try Self.lines("^a{2}$", .extended, text) == ["aa"])
        #expect(try Self.lines("a{1", .extended, text) == ["a{1"])
        #expect(try Self.lines("^a{,1}b$", .extended, text) == ["ab", "b"])
        #expect(try Self.lines("*b", .extended, text) == ["ab", "b", "aab"])
    }

    @Test("bracket expressions: a backslash is ordinary, classes, ] first")
    func brackets() throws {
        let text = ["w", "\\", "5", "]", "x"]
        #expect(try Self.lines("[\\w]", .basic, text) == ["w", "\\"])
        #expect(try Self.lines("[[:digit:]]", .extended, text) == ["5"])
        #expect(try Self.lines("[]x]", .basic, text) == ["]", "x"])
        #expect(try Self.lines("[^]x\\\\w5]", .basic, text).isEmpty)
    }

    @Test("word edges \\< \\> and -w, -x scopes")
    func words() throws {
        let text = ["foo bar", "foobar", "bar_foo", "foo"]
        #expect(try Self.lines("\\<foo\\>", .basic, text) == ["foo bar", "foo"])
        #expect(try Self.lines("foo", .basic, text, scope: .word) == ["foo bar", "foo"])
        #expect(try Self.lines("foo", .fixed, text, scope: .line) == ["foo"])
        #expect(try Self.lines("fo*", .basic, text, scope: .line) == ["foo"])
    }

    @Test("what GNU grep refuses is refused, with the pattern in the message")
    func refused() {
        for (pattern, syntax) in [("\\(a", PatternSyntax.basic), ("(a", .extended), ("[a", .basic), ("a\\{1", .basic), ("a\\", .extended)] {
            #expect(throws: SluiceError.self, "\(pattern)") { try PosixPattern.pcre(Array(pattern.utf8), syntax) }
        }
    }
}
