import ArgumentParser
import Sluice

struct Count: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Count lines and decompressed bytes per input and in total (like zcat | wc -lc).",
        discussion: """
            A last line without a terminating newline counts as a line. --json prints
            {"files": [{"path": "a.gz", "lines": N, "bytes": N}], "total": {"lines": N, "bytes": N}}.

            Examples:
              sluice count access.log.*.gz
              sluice count --json app.log.xz | jq .total.lines
            """)

    @OptionGroup var decoding: DecodingOptions

    @Flag(help: "Print one JSON object for scripts.")
    var json = false

    @Argument(help: "Input files; `-` or none reads standard input.")
    var files: [String] = []

    func run() throws {
        Console.ignoreBrokenPipeSignal()
        var rows: [JSONObject] = []
        var totalLines = 0
        var totalBytes: Int64 = 0
        var failed = false
        let inputs = Console.inputs(files)
        for path in inputs {
            do {
                let reader = try Decoders.open(path, options: decoding.decodeOptions)
                let (lines, bytes) = try LinePipeline.countAll(reader)
                totalLines += lines
                totalBytes += bytes
                if json {
                    var o = JSONObject()
                    o.set("path", path)
                    o.set("lines", lines)
                    o.set("bytes", bytes)
                    rows.append(o)
                } else {
                    try Console.output(lpad(String(lines), 12) + lpad(String(bytes), 15) + " " + path)
                }
            } catch let error as SluiceError {
                if error.isBrokenPipe { throw ExitCode.success }
                Console.error(error.description)
                failed = true
            }
        }
        if json {
            var total = JSONObject()
            total.set("lines", totalLines)
            total.set("bytes", totalBytes)
            var o = JSONObject()
            o.set("files", array: rows)
            o.set("total", object: total)
            try Console.output(o.text)
        } else if inputs.count > 1 {
            try Console.output(lpad(String(totalLines), 12) + lpad(String(totalBytes), 15) + " total")
        }
        if failed { throw ExitCode.failure }
    }
}

func lpad(_ s: String, _ width: Int) -> String {
    s.count >= width ? " " + s : String(repeating: " ", count: width - s.count) + s
}
