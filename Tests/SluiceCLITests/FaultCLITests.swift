import Foundation
import Testing

/// Issue #9 items 1, 2, 5 and 7 end to end: what a user running the binary sees.
@Suite("Fault paths from the command line")
struct FaultCLITests {
    static func fixture(_ name: String) throws -> URL {
        let dir = try CLI.scratch("fault-" + name)
        try CLI.shell("""
            cd \(dir.path) && seq 1 100000 > n.txt && xz -c n.txt > single.xz && lzip -c n.txt > n.lz \
            && xz --format=lzma -c n.txt > n.lzma && cat n.lzma n.lzma > twice.lzma \
            && head -c 65536 /dev/zero > zeros && printf 'hello\\n' >> zeros && cp zeros zeros.orig
            """)
        return dir
    }

    @Test("-T 2 under a cap, or under a cgroup limit with no flag, decodes a single-block xz file")
    func threadsUnderCapSingleBlock() throws {
        let dir = try Self.fixture("threads")
        let expected = try String(contentsOf: dir.appendingPathComponent("n.txt"), encoding: .utf8)
        let capped = try CLI.run(["cat", "-T", "2", "--memory-cap", "64MiB", dir.appendingPathComponent("single.xz").path])
        #expect(capped.status == 0)
        #expect(capped.stderr == "")
        #expect(capped.stdout == expected)
        try "67108864\n".write(to: dir.appendingPathComponent("memory.max"), atomically: true, encoding: .utf8)
        let status = try CLI.shell("cd \(dir.path) && SLUICE_CGROUP_MEMORY_MAX=memory.max '\(CLI.binary)' cat -T 2 single.xz > out.txt 2> err.txt")
        #expect(status == 0)
        #expect(try String(contentsOf: dir.appendingPathComponent("out.txt"), encoding: .utf8) == expected)
        #expect(try String(contentsOf: dir.appendingPathComponent("err.txt"), encoding: .utf8) == "")
    }

    @Test("a tiny --memory-cap on xz, lzip and .lzma is one line and exit 1, never a crash",
          arguments: ["single.xz", "n.lz", "n.lzma"])
    func tinyCap(file: String) throws {
        let dir = try Self.fixture("tiny-" + file)
        for cap in ["1", "512", "1KiB", "200KiB", "600KiB"] {
            for chunk in ["128KiB", "1KiB"] {
                let r = try CLI.run(["cat", "--memory-cap", cap, "--chunk-size", chunk, dir.appendingPathComponent(file).path])
                #expect(r.status == 1, "cap \(cap) chunk \(chunk)")
                #expect(r.stderr.split(separator: "\n").count == 1, "cap \(cap): \(r.stderr)")
                #expect(r.stderr.hasPrefix("sluice: \(dir.appendingPathComponent(file).path): "))
            }
        }
    }

    @Test("zero-led plain data passes through whole; test rejects it; recompress --replace keeps every byte")
    func zeroLedData() throws {
        let dir = try Self.fixture("zeros")
        let path = dir.appendingPathComponent("zeros").path
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        let cat = try CLI.run(["cat", path])
        #expect(cat.status == 0)
        #expect(cat.stdoutBytes == [UInt8](original))
        let test = try CLI.run(["test", path])
        #expect(test.status == 1)
        #expect(test.stderr.contains("not compressed data"))
        let recompress = try CLI.run(["recompress", "--to", "xz", "--replace", path])
        #expect(recompress.status == 0)
        let back = try CLI.run(["cat", path + ".xz"])
        #expect(back.stdoutBytes == [UInt8](original))
    }

    @Test("two .lzma streams back to back: the first is delivered, then an error and exit 1")
    func concatenatedLzma() throws {
        let dir = try Self.fixture("lzma")
        let expected = try String(contentsOf: dir.appendingPathComponent("n.txt"), encoding: .utf8)
        let path = dir.appendingPathComponent("twice.lzma").path
        let cat = try CLI.run(["cat", path])
        #expect(cat.status == 1)
        #expect(cat.stdout == expected)
        #expect(cat.stderr.contains("trailing garbage after the lzma stream"))
        #expect(try CLI.run(["test", path]).status == 1)
    }

    @Test("recompress --check-output reads raw deflate back as deflate; tail -n +N is refused, not misread")
    func hostileFindings() throws {
        let dir = try Self.fixture("hostile")
        let out = dir.appendingPathComponent("n.deflate").path
        let r = try CLI.run(["recompress", "--check-output", "--to", "deflate", "-o", out, dir.appendingPathComponent("single.xz").path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: out))
        let tail = try CLI.run(["tail", "-n", "+1", dir.appendingPathComponent("single.xz").path])
        #expect(tail.status == 2)
        #expect(tail.stdout.isEmpty)
    }
}
