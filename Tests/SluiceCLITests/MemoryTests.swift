import Foundation
import Testing

/// Non-negotiable 1: peak RSS does not grow with input size.
///
/// Decodes a 4 MiB and a 256 MiB input in child `sluice cat` processes and compares `ru_maxrss`
/// from `wait4`. The big inputs are 64 concatenated copies of the small one (multi-member gzip,
/// concatenated xz streams), so making them is cheap while decoding still walks all 256 MiB.
@Suite("Bounded memory", .serialized)
struct MemoryTests {
    @Test("peak RSS of cat: 256 MiB within 1 MiB of 4 MiB", arguments: ["gz", "xz"])
    func flatPeak(kind: String) throws {
        let dir = try CLI.scratch("rss-\(kind)")
        let tool = kind == "gz" ? "gzip -6" : "xz -6"
        let made = try CLI.shell("""
            cd \(dir.path) && awk 'BEGIN { srand(1); for (i = 0; i < 60000; i++) \
              printf "10.0.%d.%d - - [27/Nov/2026] \\"GET /api/v1/items/%d HTTP/1.1\\" %d %d\\n", \
              i % 256, (i * 7) % 256, int(rand() * 100000), (rand() < 0.9 ? 200 : 500), int(rand() * 50000) }' \
              | head -c 4194304 > small.txt && \(tool) -c small.txt > small.\(kind) && \
            for i in $(seq 64); do cat small.\(kind); done > big.\(kind)
            """)
        #expect(made == 0)
        let small = try CLI.peakRSS(CLI.binary, ["cat", dir.appendingPathComponent("small.\(kind)").path])
        let big = try CLI.peakRSS(CLI.binary, ["cat", dir.appendingPathComponent("big.\(kind)").path])
        #expect(small.status == 0 && big.status == 0)
        print("peak RSS \(kind): 4 MiB input \(small.maxRSSKiB) KiB, 256 MiB input \(big.maxRSSKiB) KiB")
        #expect(abs(big.maxRSSKiB - small.maxRSSKiB) <= 1024)
        try? FileManager.default.removeItem(at: dir)
    }

    /// Issue 4: a recompress's peak RSS is the same for a small and a large input once every
    /// encoder thread has its first block (xz -3 -T2: 2 MiB blocks, so from 4 MiB of input on).
    @Test("peak RSS of recompress -T2: 48 MiB within 1 MiB of 8 MiB", arguments: ["xz", "gz"])
    func flatRecompress(to format: String) throws {
        let dir = try CLI.scratch("rss-recompress-\(format)")
        let made = try CLI.shell("""
            cd \(dir.path) && awk 'BEGIN { srand(2); for (i = 0; i < 200000; i++) \
              printf "2026-11-28T01:%02d:%02d.%03dZ INFO [api] req=%08x user=%d path=/v1/items/%d took %dms\\n", \
              (i / 60) % 60, i % 60, i % 1000, int(rand() * 2147483647), int(rand() * 100000), int(rand() * 5000), int(rand() * 900) }' \
              | head -c 8388608 > small.txt && gzip -6 -c small.txt > small.gz && \
            for i in $(seq 6); do cat small.gz; done > big.gz
            """)
        #expect(made == 0)
        var peaks: [Int] = []
        for name in ["small", "big"] {
            let out = dir.appendingPathComponent("\(name).out.\(format)").path
            let run = try CLI.peakRSS(CLI.binary, ["recompress", "--to", format, "-l", format == "xz" ? "3" : "6", "-T", "2",
                                                   "-o", out, dir.appendingPathComponent("\(name).gz").path])
            #expect(run.status == 0)
            peaks.append(run.maxRSSKiB)
        }
        print("peak RSS recompress --to \(format) -T2: 8 MiB input \(peaks[0]) KiB, 48 MiB input \(peaks[1]) KiB")
        #expect(abs(peaks[1] - peaks[0]) <= 1024)
        try? FileManager.default.removeItem(at: dir)
    }
}
