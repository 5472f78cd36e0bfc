import Foundation
import Glibc
import Testing

/// `sluice recompress` and `cat --to/-o` end to end: formats, atomic output, exit codes.
@Suite("sluice recompress and compressed output")
struct RecompressTests {
    static func md5(_ script: String) throws -> String {
        let dir = try CLI.scratch("md5-\(abs(script.hashValue))")
        try CLI.shell("(\(script)) | md5sum > \(dir.path)/sum")
        return try String(contentsOfFile: "\(dir.path)/sum", encoding: .utf8)
    }

    static func entries(_ dir: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    }

    @Test("gz to xz beside the input, decoded by xz; the input is kept; no overwrite without -f")
    func besideInput() throws {
        let dir = try CLI.fixture("rc-beside", "seq 1 200000 > a.log && gzip -k a.log && cp a.log.gz b.log.gz")
        let r = try CLI.run(["recompress", "--to", "xz", "-l", "3", dir.appendingPathComponent("a.log.gz").path,
                             dir.appendingPathComponent("b.log.gz").path])
        #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
        #expect(try Self.md5("xz -dc \(dir.path)/a.log.xz") == (try Self.md5("cat \(dir.path)/a.log")))
        #expect(try Self.md5("xz -dc \(dir.path)/b.log.xz") == (try Self.md5("cat \(dir.path)/a.log")))
        #expect(try Self.entries(dir) == ["a.log", "a.log.gz", "a.log.xz", "b.log.gz", "b.log.xz"])
        let again = try CLI.run(["recompress", "--to", "xz", dir.appendingPathComponent("a.log.gz").path])
        #expect(again.status == 1)
        #expect(again.stderr == "sluice: \(dir.path)/a.log.xz: output file already exists (use --force to overwrite) (EEXIST)\n")
        let forced = try CLI.run(["recompress", "--to", "xz", "-f", dir.appendingPathComponent("a.log.gz").path])
        #expect(forced.status == 0)
    }

    @Test("-o with parallel gzip: one member that gzip and pigz decode; --check-output passes", arguments: [1, 2, 3])
    func parallelGzip(threads: Int) throws {
        let dir = try CLI.fixture("rc-pgz-\(threads)", "seq 1 400000 > a.log && xz -k a.log")
        let out = dir.appendingPathComponent("a.log.gz").path
        let r = try CLI.run(["recompress", "-o", out, "-T", "\(threads)", "--check-output", dir.appendingPathComponent("a.log.xz").path])
        #expect(r.status == 0, "\(r.stderr)")
        let want = try Self.md5("cat \(dir.path)/a.log")
        #expect(try Self.md5("gzip -dc \(out)") == want)
        #expect(try Self.md5("pigz -dc \(out)") == want)
    }

    @Test("several inputs into one output; -c writes standard output; zlib by suffix")
    func concatenation() throws {
        let dir = try CLI.fixture("rc-concat", "seq 1 1000 > a && seq 5 9000 > b && gzip -k a && xz -k b")
        let r = try CLI.run(["recompress", "-o", "\(dir.path)/ab.zz", "\(dir.path)/a.gz", "\(dir.path)/b.xz"])
        #expect(r.status == 0, "\(r.stderr)")
        let py = "python3 -c 'import sys,zlib;sys.stdout.buffer.write(zlib.decompress(sys.stdin.buffer.read()))'"
        #expect(try Self.md5("\(py) < \(dir.path)/ab.zz") == (try Self.md5("cat \(dir.path)/a \(dir.path)/b")))
        let c = try CLI.run(["recompress", "-c", "--to", "gz", "\(dir.path)/b.xz"])
        #expect(c.status == 0)
        #expect(c.stdoutBytes.prefix(3) == [0x1F, 0x8B, 0x08])
    }

    @Test("--replace removes the input only after the output is in place; same name recompresses in place")
    func replace() throws {
        let dir = try CLI.fixture("rc-replace", "seq 1 50000 > a && gzip -9 -k a && cp a.gz b.gz")
        let r = try CLI.run(["recompress", "--to", "xz", "--replace", "\(dir.path)/a.gz"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try Self.entries(dir) == ["a", "a.xz", "b.gz"])
        let same = try CLI.run(["recompress", "--to", "gz", "-l", "1", "\(dir.path)/b.gz"])
        #expect(same.status == 1)
        #expect(same.stderr.contains("would replace the input"))
        let inPlace = try CLI.run(["recompress", "--to", "gz", "-l", "1", "--replace", "\(dir.path)/b.gz"])
        #expect(inPlace.status == 0, "\(inPlace.stderr)")
        #expect(try Self.md5("gzip -dc \(dir.path)/b.gz") == (try Self.md5("cat \(dir.path)/a")))
        #expect(try Self.entries(dir) == ["a", "a.xz", "b.gz"])
    }

    @Test("a failing input leaves nothing under the final name and no temporary file; exit 1")
    func failingInput() throws {
        let dir = try CLI.fixture("rc-fail", "seq 1 100000 | gzip > good.gz && head -c 20000 good.gz > cut.gz")
        let r = try CLI.run(["recompress", "--to", "xz", "\(dir.path)/cut.gz"])
        #expect(r.status == 1)
        #expect(r.stderr == "sluice: \(dir.path)/cut.gz: unexpected end of input in member 1 at compressed byte 20000\n")
        let cat = try CLI.run(["cat", "-o", "\(dir.path)/all.xz", "\(dir.path)/good.gz", "\(dir.path)/cut.gz"])
        #expect(cat.status == 1)
        #expect(try Self.entries(dir) == ["cut.gz", "good.gz"])
    }

    @Test("killed with SIGKILL or SIGTERM mid-write: nothing under the final name (SIGTERM also removes the temporary file)",
          arguments: [SIGKILL, SIGTERM])
    func killed(signal: Int32) throws {
        let dir = try CLI.scratch("rc-kill-\(signal)")
        // About 20 MiB of text at xz -9 takes many seconds: long enough to be caught mid-write.
        try CLI.shell("cd \(dir.path) && seq 1 3000000 | gzip -1 > big.gz")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["recompress", "--to", "xz", "-l", "9", "--no-progress", "\(dir.path)/big.gz"]
        try process.run()
        var sawTemporary = false
        for _ in 0..<200 where !sawTemporary {
            usleep(20_000)
            sawTemporary = try Self.entries(dir).contains { $0.hasPrefix(".big.xz.sluice-") }
        }
        usleep(300_000)
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(sawTemporary)
        #expect(process.terminationReason == .uncaughtSignal)
        let left = try Self.entries(dir)
        #expect(!left.contains("big.xz"))
        if signal == SIGTERM { #expect(left == ["big.gz"]) }
    }

    @Test("cat --to xz to standard output and -o FILE by suffix")
    func catOutput() throws {
        let dir = try CLI.fixture("rc-cat", "seq 1 30000 > a && gzip -k a && xz -k a")
        let r = try CLI.run(["cat", "\(dir.path)/a.gz", "\(dir.path)/a.xz", "--to", "xz"])
        #expect(r.status == 0)
        #expect(r.stdoutBytes.prefix(6) == [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00])
        let f = try CLI.run(["cat", "-o", "\(dir.path)/b.gz", "--level", "9", "\(dir.path)/a.xz"])
        #expect(f.status == 0)
        #expect(try Self.md5("gzip -dc \(dir.path)/b.gz") == (try Self.md5("cat \(dir.path)/a")))
    }

    @Test("usage errors exit 2 with a sentence")
    func usage() throws {
        let noFormat = try CLI.run(["recompress", "x.gz"])
        #expect(noFormat.status == 2)
        #expect(noFormat.stderr.contains("--to FORMAT"))
        let unknownSuffix = try CLI.run(["recompress", "-o", "out.bin", "x.gz"])
        #expect(unknownSuffix.status == 2)
        let stdoutCheck = try CLI.run(["recompress", "-c", "--to", "xz", "--check-output", "x.gz"])
        #expect(stdoutCheck.status == 2)
        let level = try CLI.run(["recompress", "--to", "xz", "-l", "12", "x.gz"])
        #expect(level.status == 2)
    }

    @Test("grep --output FILE, head, tail -o FILE: lines compressed by suffix, atomically; --to compresses standard output")
    func grepOutput() throws {
        let dir = try CLI.scratch("grep-out")
        try CLI.shell("""
            cd \(dir.path) && seq 1 200000 | sed 's/$/ request done/' > a.log && gzip -k a.log && xz -k a.log && \
            head -c 30000 a.log.gz > cut.gz
            """)
        let r = try CLI.run(["grep", "99", "\(dir.path)/a.log.gz", "--output", "\(dir.path)/m.xz"])
        #expect(r.status == 0 && r.stdout.isEmpty && r.stderr.isEmpty, "\(r.stderr)")
        #expect(try Self.md5("xz -dc \(dir.path)/m.xz") == (try Self.md5("grep 99 \(dir.path)/a.log")))
        let again = try CLI.run(["grep", "99", "\(dir.path)/a.log.gz", "--output", "\(dir.path)/m.xz"])
        #expect(again.status == 2)
        #expect(again.stderr.contains("already exists"))
        let packed = try CLI.run(["grep", "-n", "77", "\(dir.path)/a.log.gz", "\(dir.path)/a.log.xz", "-j", "2", "--to", "gz"])
        #expect(packed.status == 0)
        #expect(packed.stdoutBytes.prefix(2) == [0x1F, 0x8B])
        let inputs = "\(dir.path)/a.log.gz \(dir.path)/a.log.xz"
        #expect(try Self.md5("'\(CLI.binary)' grep -n 77 \(inputs) -j 2 --to gz | gzip -dc")
                == (try Self.md5("'\(CLI.binary)' grep -n 77 \(inputs) -j 1")))
        let failing = try CLI.run(["grep", "99", "\(dir.path)/a.log.gz", "\(dir.path)/cut.gz", "--output", "\(dir.path)/bad.gz"])
        #expect(failing.status == 2)
        #expect(failing.stderr.contains("cut.gz"))
        #expect(try !Self.entries(dir).contains { $0.contains("bad.gz") }, "no file and no temporary file")
        let head = try CLI.run(["head", "-n", "7", "\(dir.path)/a.log.xz", "-o", "\(dir.path)/h.gz"])
        #expect(head.status == 0, "\(head.stderr)")
        #expect(try Self.md5("gzip -dc \(dir.path)/h.gz") == (try Self.md5("head -n 7 \(dir.path)/a.log")))
        #expect(try Self.md5("'\(CLI.binary)' tail -n 9 \(dir.path)/a.log.gz --to xz | xz -dc")
                == (try Self.md5("tail -n 9 \(dir.path)/a.log")))
    }

    @Test("--progress: a progress line on stderr once work passes a second, erased at the end")
    func progressLine() throws {
        let dir = try CLI.scratch("progress")
        let status = try CLI.shell("""
            cd \(dir.path) && (seq 1 100000; sleep 1.6; seq 1 100000) | '\(CLI.binary)' cat --progress -o out.gz - 2> err
            """)
        #expect(status == 0)
        let err = try String(contentsOfFile: "\(dir.path)/err", encoding: .utf8)
        #expect(err.hasPrefix("\r(stdin)  in "), "\(err.debugDescription)")
        #expect(err.contains("  out "))
        #expect(err.hasSuffix("\r\u{1B}[K"))
        #expect(try Self.md5("gzip -dc \(dir.path)/out.gz") == (try Self.md5("seq 1 100000; seq 1 100000")))
    }
}
