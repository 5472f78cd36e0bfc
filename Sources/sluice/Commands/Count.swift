import ArgumentParser
import Sluice
import SluiceReports

struct Count: ParsableCommand, JSONReport {
    static let configuration = CommandConfiguration(
        abstract: "Count lines and decompressed bytes per input and in total (like zcat | wc -lc).",
        discussion: """
            A last line without a terminating newline counts as a line. --json prints
            {"files": [{"path": "a.gz", "lines": N, "bytes": N, "partial": false}], "total": {"lines": N, "bytes": N}}.

            A damaged input is counted up to the fault, as `zcat | wc` would: its row shows what was \
            read (marked "partial": true in JSON), then the fault is reported and the exit status is 1.

            Examples:
              sluice count access.log.*.gz
              sluice count --json app.log.xz | jq .total.lines
            """)

    @OptionGroup var inputs: ReportedInputs<Count>

    static let jsonHelp = "Print one JSON object for scripts."

    var decoding: DecodingOptions { inputs.decoding }
    var json: Bool { inputs.json }

    /// Output errors are not caught here: they end the command with one line (see `SluiceCommand`).
    func run() throws {
        var rows: [JSONObject] = []
        var total = LineTally()
        var totalLines = 0
        try inputs.each { path in
            var tally = LineTally()
            var fault: SluiceError?
            do throws(SluiceError) {
                let reader = try Decoders.open(path, options: decoding.decodeOptions)
                do throws(SluiceError) {
                    try LinePipeline.countAll(reader, into: &tally, budget: decoding.decodeOptions.budget)
                } catch {
                    fault = error
                }
            } catch {
                // Not opened: nothing was read, so there is no row.
                Console.error(error.description)
                return false
            }
            totalLines += tally.lines
            total.bytes += tally.bytes
            if json {
                var o = JSONObject()
                o.set("path", PathName.lossy(path))
                o.set("lines", tally.lines)
                o.set("bytes", tally.bytes)
                o.set("partial", fault != nil)
                rows.append(o)
            } else {
                try Console.output(lpad(String(tally.lines), 12) + lpad(String(tally.bytes), 15) + " " + Console.listed(path))
            }
            if let fault { Console.error(fault.description) }
            return fault == nil
        } then: {
            if json {
                var totals = JSONObject()
                totals.set("lines", totalLines)
                totals.set("bytes", total.bytes)
                var o = JSONObject()
                o.set("files", array: rows)
                o.set("total", object: totals)
                try Console.output(o.text)
            } else if inputs.paths.count > 1 {
                try Console.output(lpad(String(totalLines), 12) + lpad(String(total.bytes), 15) + " total")
            }
        }
    }
}

func lpad(_ s: String, _ width: Int) -> String {
    s.count >= width ? " " + s : String(repeating: " ", count: width - s.count) + s
}
