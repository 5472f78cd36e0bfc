import Foundation
import Testing

/// The commands end to end: output, messages, exit codes.
@Suite("sluice cat / test / info")
struct CommandTests {
    @Test("cat decodes gzip and xz and passes plain text through")
    func cat() throws {
        let text = (0..<5000).map { "line \($0) GET /api/items/\($0 % 17)\n" }.joined()
        let dir = try CLI.fixture("cat", files: ["t.txt": text], "gzip -k t.txt && xz -k t.txt && cat t.txt.gz t.txt.gz > two.gz")
        for name in ["t.txt.gz", "t.txt.xz", "t.txt"] {
            let r = try CLI.run(["cat", dir.appendingPathComponent(name).path])
            #expect(r.status == 0)
            #expect(r.stdout == text, "\(name)")
        }
        let two = try CLI.run(["cat", "--gzip-backend", "zlib", dir.appendingPathComponent("two.gz").path])
        #expect(two.stdout == text + text)
    }

    @Test("a damaged input: good bytes first, one-line error with offset, exit 1, later inputs still processed")
    func damaged() throws {
        let text = (0..<20000).map { "event \($0) user=\($0 * 7 % 1000)\n" }.joined()
        let dir = try CLI.fixture("damaged", files: ["t.txt": text], "gzip -k t.txt && head -c 20000 t.txt.gz > cut.gz && echo ok | gzip > ok.gz")
        let r = try CLI.run(["cat", dir.appendingPathComponent("cut.gz").path, dir.appendingPathComponent("ok.gz").path])
        #expect(r.status == 1)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(r.stderr.hasPrefix("sluice: \(dir.path)/cut.gz: unexpected end of input in member 1 at compressed byte 20000"))
        #expect(r.stdout.hasSuffix("ok\n"))
        #expect(text.hasPrefix(String(r.stdout.dropLast(3))))
        #expect(r.stdout.count > 40000)
    }

    @Test("test is silent on success, rejects plain input, and --json reports each input")
    func testCommand() throws {
        let dir = try CLI.fixture("test", "seq 1 1000 > n.txt && gzip -k n.txt && printf 'x' | cat n.txt.gz - > junk.gz")
        let good = try CLI.run(["test", dir.appendingPathComponent("n.txt.gz").path])
        #expect(good.status == 0)
        #expect(good.stdout.isEmpty && good.stderr.isEmpty)
        let plain = try CLI.run(["test", dir.appendingPathComponent("n.txt").path])
        #expect(plain.status == 1)
        #expect(plain.stderr.contains("not compressed data"))
        let json = try CLI.run(["test", "--json", dir.appendingPathComponent("junk.gz").path])
        #expect(json.status == 1)
        #expect(json.stdout.contains("\"kind\":\"trailing-garbage\""))
        #expect(json.stdout.contains("\"uncompressed_bytes\":3893"))
    }

    @Test("info reads xz indexes and decodes gzip to count")
    func info() throws {
        let dir = try CLI.fixture("info", "seq 1 100000 > n.txt && gzip -k n.txt && xz -k --block-size=100000 n.txt")
        let r = try CLI.run(["info", "--json", dir.appendingPathComponent("n.txt.gz").path, dir.appendingPathComponent("n.txt.xz").path])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].contains("\"format\":\"gzip\"") && lines[0].contains("\"uncompressed_bytes\":588895") && lines[0].contains("\"source\":\"decoded\""))
        #expect(lines[1].contains("\"blocks\":6") && lines[1].contains("\"uncompressed_bytes\":588895") && lines[1].contains("\"source\":\"index\""))
    }

    @Test("usage errors exit 2; missing files exit 1 with the errno name")
    func exitCodes() throws {
        let bad = try CLI.run(["cat", "--format", "rar", "x"])
        #expect(bad.status == 2)
        let missing = try CLI.run(["cat", "/nonexistent/file.gz"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "sluice: /nonexistent/file.gz: cannot open: No such file or directory (ENOENT)\n")
    }

    @Test("a reader that goes away ends cat quietly")
    func brokenPipe() throws {
        let dir = try CLI.fixture("pipe", "seq 1 2000000 | gzip -1 > big.gz")
        let status = try CLI.shell("\(CLI.binary) cat \(dir.path)/big.gz 2>\(dir.path)/err | head -1 > /dev/null; exit ${PIPESTATUS:-0}")
        #expect(status == 0)
        let err = try String(contentsOf: dir.appendingPathComponent("err"), encoding: .utf8)
        #expect(err.isEmpty)
    }
}
