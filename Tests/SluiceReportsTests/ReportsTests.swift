import Testing
import SluiceReports

/// The JSON writer and the progress line: what scripts parse and what a terminal shows.
@Suite("JSON objects and the progress line")
struct ReportsTests {
    @Test func jsonQuoting() {
        #expect(JSONObject.quote("a\"b\\c\n\u{1}") == "\"a\\\"b\\\\c\\n\\u0001\"")
        #expect(JSONObject.format(0.12345, decimals: 3) == "0.123")
        #expect(JSONObject.format(2, decimals: 2) == "2.00")
        var o = JSONObject()
        o.set("file", "a\tb")
        o.set("notes", strings: ["x", "y\""])
        o.set("n", Optional<Int>.none)
        #expect(o.text == "{\"file\":\"a\\tb\",\"notes\":[\"x\",\"y\\\"\"],\"n\":null}")
    }

    @Test("progress line: sizes, ratio, speed and ETA")
    func progressLine() {
        let line = ProgressMeter.line(label: "a.gz", input: 16 << 20, totalInput: 64 << 20, plain: 64 << 20,
                                      output: 8 << 20, elapsed: 2)
        #expect(line == "a.gz  in 16 MiB / 64 MiB  out 8 MiB  ratio 0.125  32 MiB/s  ETA 0:06")
        #expect(!ProgressMeter(label: "x", totalInput: nil, force: false).enabled)
    }
}
