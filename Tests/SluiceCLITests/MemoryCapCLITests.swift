import Foundation
import Testing

/// --memory-cap on the command line: refusals are one line with the figures, threads shrink to fit.
@Suite("--memory-cap and --stats")
struct MemoryCapCLITests {
    static func fixture(_ name: String) throws -> URL {
        try CLI.fixture("cap-" + name, "seq 1 400000 > n.txt && xz --lzma2=preset=9,dict=64MiB -c n.txt > n9.xz && xz -1 -T2 --block-size=500000 -c n.txt > blocks.xz")
    }

    @Test("an xz -9 file under a 4 MiB cap fails with one line and exit 1")
    func decodeOverCap() throws {
        let dir = try Self.fixture("over")
        let r = try CLI.run(["cat", "--memory-cap", "4MiB", dir.appendingPathComponent("n9.xz").path])
        #expect(r.status == 1)
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(r.stderr.contains("xz decoding needs 64.1 MiB (its dictionary); memory cap is 4 MiB"))
    }

    @Test("-T2 with a cap too small for two threads decodes on one and says so")
    func threadsReduced() throws {
        let dir = try Self.fixture("threads")
        let r = try CLI.run(["cat", "-T2", "--memory-cap", "4MiB", dir.appendingPathComponent("blocks.xz").path])
        #expect(r.status == 0)
        #expect(r.stderr.contains("reduced decoder threads from 2 to 1"))
        let expected = try String(contentsOf: dir.appendingPathComponent("n.txt"), encoding: .utf8)
        #expect(r.stdout == expected)
    }

    @Test("an encoder level over the cap is refused up front, naming what fits")
    func encodeOverCap() throws {
        let dir = try Self.fixture("encode")
        let r = try CLI.run(["recompress", "--to", "xz", "-l", "9", "--memory-cap", "64MiB", "-o", dir.appendingPathComponent("out.xz").path,
                             dir.appendingPathComponent("n.txt").path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("xz preset 9 needs") && r.stderr.contains("cap is 64 MiB (preset ≤ 4 fits)"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out.xz").path))
    }

    @Test("--stats=json reports the run on stderr")
    func stats() throws {
        let dir = try Self.fixture("stats")
        let r = try CLI.run(["count", "--stats=json", dir.appendingPathComponent("n9.xz").path])
        #expect(r.status == 0)
        #expect(r.stderr.contains("\"bytes_decoded\":2688895"))
        #expect(r.stderr.contains("\"codec_peak_bytes\":"))
    }

    @Test("--stats of recompress --check-output counts the run's own input and output, not the check's re-read")
    func statsExcludeVerification() throws {
        let dir = try Self.fixture("stats-check")
        let input = dir.appendingPathComponent("n9.xz").path
        let out = dir.appendingPathComponent("n.gz").path
        let r = try CLI.run(["recompress", "--check-output", "--stats=json", "-o", out, input])
        #expect(r.status == 0, "\(r.stderr)")
        let inSize = try FileManager.default.attributesOfItem(atPath: input)[.size] as! Int
        let outSize = try FileManager.default.attributesOfItem(atPath: out)[.size] as! Int
        #expect(r.stderr.contains("\"bytes_in\":\(inSize),"), "\(r.stderr)")
        #expect(r.stderr.contains("\"bytes_decoded\":2688895,"))
        #expect(r.stderr.contains("\"bytes_out\":\(outSize),"))
    }
}
