import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `sluice bench`: the JSON contract, Pareto marking, the cap, and a well-formed SVG chart.
@Suite("sluice bench")
struct BenchTests {
    @Test("JSON schema, over-cap rows not run, Pareto front, SVG parses as XML")
    func benchJSON() throws {
        let dir = try CLI.scratch("bench")
        let chart = dir.appendingPathComponent("chart.svg").path
        let corpus = CLI.packageRoot.appendingPathComponent("Corpus/app.log.gz").path
        let r = try CLI.run(["bench", "--codecs", "gzip,xz", "--levels", "1,6,9", "--memory-cap", "64MiB",
                             "--min-seconds", "0", "--max-repeats", "1", "--json", "--chart", chart, corpus])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["cap_bytes"] as? Int == 64 << 20)
        #expect((object["input_bytes"] as? Int ?? 0) > 1_000_000)
        let results = try #require(object["results"] as? [[String: Any]])
        #expect(results.count == 6)
        for row in results {
            for key in ["codec", "level", "threads", "fits", "needed_bytes", "factor", "compress_mbps", "decompress_mbps",
                        "codec_peak_bytes", "rss_peak_bytes", "pareto"] {
                #expect(row.keys.contains(key), "missing \(key)")
            }
            let fits = row["fits"] as? Bool ?? false
            if fits {
                #expect((row["factor"] as? Double ?? 0) > 1)
                #expect((row["codec_peak_bytes"] as? Int ?? Int.max) <= 64 << 20)
                #expect((row["rss_peak_bytes"] as? Int ?? 0) > 0)
            } else {
                #expect(row["factor"] is NSNull)
                #expect((row["needed_bytes"] as? Int ?? 0) > 64 << 20)
            }
        }
        let xz9 = results.first { $0["codec"] as? String == "xz" && $0["level"] as? Int == 9 }
        #expect(xz9?["fits"] as? Bool == false)
        // Pareto: no marked row is beaten on both factor and speed by any measured row.
        let measured = results.filter { $0["fits"] as? Bool == true }
        let front = measured.filter { $0["pareto"] as? Bool == true }
        #expect(!front.isEmpty)
        for p in front {
            let pr = p["factor"] as! Double, ps = p["compress_mbps"] as! Double
            #expect(!measured.contains { ($0["factor"] as! Double) > pr && ($0["compress_mbps"] as! Double) > ps })
        }
        let svg = try Data(contentsOf: URL(fileURLWithPath: chart))
        let parser = XMLParser(data: svg)
        #expect(parser.parse(), "chart.svg is well-formed XML")
        #expect(String(decoding: svg, as: UTF8.self).contains("over the cap"))
    }

    @Test("a table by default, with does-not-fit rows")
    func benchTable() throws {
        let corpus = CLI.packageRoot.appendingPathComponent("Corpus/app.log.gz").path
        let r = try CLI.run(["bench", "--codecs", "xz", "--levels", "0,5", "--memory-cap", "64MiB",
                             "--min-seconds", "0", "--max-repeats", "1", corpus])
        #expect(r.status == 0)
        #expect(r.stdout.contains("xz -5") && r.stdout.contains("does not fit: needs"))
        #expect(r.stderr.contains("bench: [2/2] xz -5: does not fit"))
    }
}
