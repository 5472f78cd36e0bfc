import Testing
import SluiceCore

/// grep's --include/--exclude/--exclude-dir rules (checked against GNU grep 3.8 by hand).
@Suite("Name filters")
struct NameFilterTests {
    @Test("walked files see their base name; command-line files every suffix after a /")
    func whichName() {
        let f = NameFilter(rules: [.exclude("sub/c.log")])
        #expect(!f.includesFile("tree/sub/c.log", commandLine: true))
        #expect(f.includesFile("c.log", commandLine: false))
        #expect(NameFilter(rules: [.include("*.log")]).includesFile("a/b.log", commandLine: false))
        #expect(!NameFilter(rules: [.include("*.log")]).includesFile("a/b.txt", commandLine: true))
        #expect(NameFilter(rules: [.exclude("*")]).includesFile("-", commandLine: true))
    }

    @Test("the last matching rule wins; with none matching, included unless the first rule includes")
    func order() {
        let excludeThenInclude = NameFilter(rules: [.exclude("*.log"), .include("a*")])
        #expect(excludeThenInclude.includesFile("a.log", commandLine: true))
        #expect(excludeThenInclude.includesFile("b.txt", commandLine: true))
        #expect(!excludeThenInclude.includesFile("b.log", commandLine: true))
        let includeFirst = NameFilter(rules: [.include("*.log"), .exclude("b*")])
        #expect(!includeFirst.includesFile("c.txt", commandLine: true))
        #expect(!includeFirst.includesFile("b.log", commandLine: true))
    }

    @Test("--exclude-dir: base names when walking, suffixes on the command line")
    func directories() {
        let f = NameFilter(excludedDirectories: ["deep"])
        #expect(!f.includesDirectory("tree/sub/deep", commandLine: true))
        #expect(!f.includesDirectory("tree/sub/deep/", commandLine: true))
        #expect(!f.includesDirectory("deep", commandLine: false))
        #expect(f.includesDirectory("deeper", commandLine: false))
    }
}
