import Foundation
import Testing

/// Fixed strings of any length work, and a message never echoes a whole long pattern.
@Suite("grep with long patterns")
struct LongPatternTests {
    @Test("grep -F with a 70 KB fixed string agrees with GNU grep, with and without -i")
    func longFixed() throws {
        let dir = try CLI.scratch("longfixed")
        var generator = SystemRandomNumberGenerator()
        let pattern = String((0..<70_000).map { _ in "abcdefghij".randomElement(using: &generator)! })
        let text = "x\nzz\(pattern)zz\ny\(pattern.uppercased())\n\(pattern.dropLast())\n\(pattern)\(pattern)\n"
        try text.write(to: dir.appendingPathComponent("hay.txt"), atomically: true, encoding: .utf8)
        try pattern.write(to: dir.appendingPathComponent("pattern"), atomically: true, encoding: .utf8)
        try CLI.shell("cd \(dir.path) && gzip -k hay.txt && xz -k hay.txt")
        for flags in [["-F"], ["-F", "-i"], [], ["-F", "-v"], ["-F", "-n"]] {  // GNU grep -i takes seconds here: once
            let reference = try CLI.sh("grep \(flags.joined(separator: " ")) -f pattern hay.txt", in: dir)
            for file in ["hay.txt.gz", "hay.txt.xz"] {
                let r = try CLI.run(["grep"] + flags + [pattern, dir.appendingPathComponent(file).path])
                #expect(r.status == reference.status, "\(flags) \(file): \(r.stderr.prefix(200))")
                #expect(r.stdout == reference.stdout, "\(flags) \(file)")
            }
        }
    }

    @Test("an invalid long regular expression is one short line quoting a prefix")
    func longRegexMessage() throws {
        let dir = try CLI.scratch("longregex")
        try ("(" + String(repeating: "ab", count: 40_000)).write(to: dir.appendingPathComponent("p"), atomically: true, encoding: .utf8)
        // Through sh, which reads stderr while the command runs: a build that echoes the whole
        // pattern must fail this test, not fill the pipe and hang.
        let r = try CLI.sh("\"$SLUICE\" grep -E \"$(cat p)\" /dev/null", in: dir)
        #expect(r.status == 2)
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(r.stderr.count < 200, "\(r.stderr.prefix(300))")
        #expect(r.stderr.hasPrefix("sluice: invalid regular expression '(abab"))
        #expect(r.stderr.contains("(80001 bytes)"))
    }
}
