import Foundation
import Testing

/// head and tail are byte-exact, hold only what they must, and accept --max-line; grep -c,
/// count and tail report what they read before a fault, then the fault.
@Suite("head, tail and counts: exact bytes, bounded slots, damaged inputs")
struct LineCommandTests {
    static func write(_ bytes: [UInt8], _ name: String, in dir: URL) throws {
        try Data(bytes).write(to: dir.appendingPathComponent(name))
        try CLI.shell("cd \(dir.path) && gzip -kf \(name)")
    }

    @Test("head -n and tail -n print exactly what coreutils prints of the decoded bytes")
    func byteExact() throws {
        let dir = try CLI.scratch("exact")
        let samples: [(String, [UInt8])] = [
            ("crlf-unterminated", Array("a\r\nb\nc".utf8)), ("unterminated", Array("x\ny\nlast".utf8)),
            ("terminated", Array("1\n2\n3\n".utf8)), ("blank", Array("\n\n\n".utf8)), ("empty", []),
            ("one-no-newline", Array("only".utf8)), ("crlf", Array("p\r\nq\r\n".utf8)),
        ]
        for (name, bytes) in samples {
            try Self.write(bytes, name, in: dir)
            for n in [0, 1, 2, 3, 10] {
                for tool in ["head", "tail"] {
                    let ours = try CLI.run([tool, "-n", String(n), dir.appendingPathComponent(name + ".gz").path])
                    let theirs = try CLI.sh("\(tool) -n \(n) \(dir.appendingPathComponent(name).path)")
                    #expect(ours.status == 0)
                    #expect(ours.stdoutBytes == theirs.stdoutBytes, "\(tool) -n \(n) \(name)")
                }
            }
        }
    }

    @Test("tail -n N allocates with the lines kept: huge N works, and the cap counts the window")
    func hugeCount() throws {
        let dir = try CLI.fixture("hugeN", "seq 1 10 > ten && gzip -k ten && seq 1 200000 | gzip > many.gz")
        let ten = dir.appendingPathComponent("ten.gz").path
        let all = try CLI.run(["tail", "-n", "9223372036854775807", ten])
        #expect(all.status == 0 && all.stdout == (1...10).map { "\($0)\n" }.joined())
        let capped = try CLI.run(["tail", "-n", "50000000", "--memory-cap", "1MiB", ten])
        #expect(capped.status == 0 && capped.stdout == all.stdout)
        // Peak memory for 50 million slots over ten lines is that of ten slots.
        let small = try CLI.peakRSS(CLI.binary, ["tail", "-n", "10", ten])
        let big = try CLI.peakRSS(CLI.binary, ["tail", "-n", "50000000", ten])
        #expect(small.status == 0 && big.status == 0)
        #expect(big.maxRSSKiB - small.maxRSSKiB < 1024, "\(small.maxRSSKiB) KiB vs \(big.maxRSSKiB) KiB")
        // 200,000 kept lines do not fit in 2 MiB: one line naming the window, exit 1.
        let over = try CLI.run(["tail", "-n", "1000000", "--memory-cap", "2MiB", dir.appendingPathComponent("many.gz").path])
        #expect(over.status == 1)
        #expect(over.stderr.hasPrefix("sluice: \(dir.path)/many.gz: the last 1000000 lines (tail -n) needs "))
        #expect(over.stderr.split(separator: "\n").count == 1)
    }

    @Test("a line over --max-line that tail does not keep does not fail it; one it keeps does")
    func longLineElsewhere() throws {
        let dir = try CLI.fixture("longline", "(seq 1 1000; head -c 73400320 /dev/zero | tr '\\\\0' x; echo; seq 1 5) | gzip -1 > long.gz")
        let path = dir.appendingPathComponent("long.gz").path
        let one = try CLI.run(["tail", "-n", "1", path])
        #expect(one.status == 0 && one.stdout == "5\n" && one.stderr.isEmpty)
        let five = try CLI.run(["tail", "-n", "5", path])
        #expect(five.status == 0 && five.stdout == "1\n2\n3\n4\n5\n")
        let six = try CLI.run(["tail", "-n", "7", path])
        #expect(six.status == 1)
        #expect(six.stdout == "1000\n")  // the lines before the long one, then the error
        #expect(six.stderr == "sluice: \(path): line longer than the --max-line limit of 64 MiB starting at decoded byte 3893\n")
        let raised = try CLI.run(["tail", "-n", "6", "--max-line", "80MiB", path])
        #expect(raised.status == 0 && raised.stdoutBytes.count == 73400320 + 1 + 10)
    }

    @Test("--max-line is enforced at small values by grep, head and tail", arguments: ["grep", "head", "tail"])
    func smallMaxLine(_ command: String) throws {
        let dir = try CLI.scratch("maxline-\(command)")
        try Self.write(Array("abc\nabcdefghij\nab\n".utf8), "s", in: dir)
        let path = dir.appendingPathComponent("s.gz").path
        let args = (command == "grep" ? ["grep", "ab"] : [command, "-n", "3"]) + ["--max-line", "5", path]
        let r = try CLI.run(args)
        #expect(r.status == (command == "grep" ? 2 : 1))
        #expect(r.stderr == "sluice: \(path): line longer than the --max-line limit of 5 B starting at decoded byte 4\n")
        let ok = try CLI.run((command == "grep" ? ["grep", "ab"] : [command, "-n", "3"]) + ["--max-line", "10", path])
        #expect(ok.status == 0 && ok.stdout == "abc\nabcdefghij\nab\n")
    }

    @Test("on a truncated input grep -c, count and tail report what was read, then the fault")
    func damagedCounts() throws {
        let dir = try CLI.fixture("damaged-counts", "seq 1 200000 | gzip > n.gz && head -c 300000 n.gz > cut.gz")
        let cut = dir.appendingPathComponent("cut.gz").path, whole = dir.appendingPathComponent("n.gz").path
        let error = "sluice: \(cut): unexpected end of input in member 1 at compressed byte 300000\n"
        let zgrep = try CLI.sh("zgrep -c 12345 \(cut) 2>/dev/null")
        #expect(zgrep.stdout == "12\n")
        let grep = try CLI.run(["grep", "-c", "12345", cut])
        #expect(grep.status == 2 && grep.stdout == zgrep.stdout && grep.stderr == error)
        let two = try CLI.run(["grep", "-c", "-j", "2", "12345", cut, whole])
        #expect(two.status == 2 && two.stdout == "\(cut):12\n\(whole):12\n" && two.stderr == error)
        let reference = try CLI.sh("zcat \(cut) 2>/dev/null | wc -c; zcat \(cut) 2>/dev/null | tail -n 3").stdout
        let bytes = reference.split(separator: "\n")[0].trimmingCharacters(in: .whitespaces)
        let count = try CLI.run(["count", cut])
        #expect(count.status == 1 && count.stderr == error)
        #expect(count.stdout.hasSuffix(" \(bytes) \(cut)\n"))
        let json = try CLI.run(["count", "--json", cut, whole])
        #expect(json.status == 1)
        #expect(json.stdout.contains("\"bytes\":\(bytes),\"partial\":true}"))
        #expect(json.stdout.contains("\"lines\":200000,\"bytes\":1288895,\"partial\":false}"))
        let tail = try CLI.run(["tail", "-n", "3", cut])
        #expect(tail.status == 1 && tail.stderr == error)
        #expect(tail.stdout == String(reference.split(separator: "\n", maxSplits: 1)[1]))
    }

    @Test("a name that cannot be opened prints no count")
    func unopenedNoCount() throws {
        let r = try CLI.run(["grep", "-c", "x", "/nonexistent/a.gz"])
        #expect(r.status == 2 && r.stdout.isEmpty)
    }
}
