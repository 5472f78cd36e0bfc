import Foundation
import Testing

/// Every failure is one line on stderr starting `sluice: `, whatever broke: the output, the
/// command line, or a name with a newline or an escape sequence in it.
@Suite("one-line messages")
struct MessageTests {
    static func fixture(_ name: String) throws -> URL {
        try CLI.fixture("messages-" + name, "seq 1 100000 > n.txt && gzip -k n.txt && xz -k n.txt")
    }

    @Test("a full disk on stdout is one line, once, for every command and output kind",
          arguments: ["cat --to gz n.txt.gz n.txt.xz", "cat n.txt.gz n.txt.xz", "grep -c 1 n.txt.gz n.txt.xz",
                      "grep -j 1 1 --to xz n.txt.gz n.txt.xz", "grep 1 n.txt.gz n.txt.xz", "head n.txt.gz n.txt.xz",
                      "tail --to gz n.txt.gz n.txt.xz", "count n.txt.gz n.txt.xz", "count --json n.txt.gz",
                      "test --json n.txt.gz n.txt.xz", "info n.txt.gz n.txt.xz", "info --json n.txt.gz n.txt.xz"])
    func fullDisk(_ command: String) throws {
        let dir = try Self.fixture(String(UInt(bitPattern: command.hashValue)))
        let r = try CLI.sh("\"$SLUICE\" \(command) > /dev/full", in: dir)
        #expect(r.stderr == "sluice: (stdout): write failed: No space left on device (ENOSPC)\n", "\(command)")
        #expect(r.status == (command.hasPrefix("grep") ? 2 : 1), "\(command)")
    }

    @Test("usage errors are one line with exit 2", arguments: [
        ["cat", "-o", "", "x"], ["cat", "--memory-cap", "0", "x"], ["bench", "--memory-cap", "0"],
        ["tail", "-n", "99999999999999999999", "x"], ["head", "-n", "-1", "x"], ["grep"], ["cat", "--bogus"],
    ])
    func usage(_ arguments: [String]) throws {
        let r = try CLI.run(arguments)
        #expect(r.status == 2, "\(arguments)")
        #expect(r.stderr.hasPrefix("sluice: ") && r.stderr.split(separator: "\n").count == 1, "\(arguments): \(r.stderr)")
    }

    @Test("names in messages are quoted as coreutils quotes them")
    func quotedNames() throws {
        let dir = try CLI.scratch("quoted")
        // The same names through cat(1) give the reference quoting.
        for name in ["a\nb", "a\u{1B}[31mb", "it's", "a b", "plain.gz", "a:b"] {
            let r = try CLI.run(["cat", dir.appendingPathComponent(name).path])
            #expect(r.status == 1)
            #expect(r.stderr.split(separator: "\n").count == 1, "\(name)")
            #expect(!r.stderr.contains("\u{1B}"))
            let quotedPath = try CLI.sh("cat \(shellQuote(dir.path + "/" + name)) 2>&1 >/dev/null").stdout
                .replacingOccurrences(of: "cat: ", with: "").replacingOccurrences(of: ": No such file or directory\n", with: "")
            #expect(r.stderr == "sluice: \(quotedPath): cannot open: No such file or directory (ENOENT)\n", "\(name)")
        }
    }

    func shellQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
