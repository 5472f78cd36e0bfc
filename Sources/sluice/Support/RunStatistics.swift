import Sluice
import SluiceReports

/// `--stats`: what a run cost, printed to stderr when the command ends — the "measure before you
/// optimise" loop, built in. Reads the run's own counters and budget.
struct RunStatistics: Sendable {
    enum Style: Sendable { case line, json }

    let style: Style
    let started = SystemCalls.monotonicSeconds()

    func report(_ run: RunContext) {
        let seconds = SystemCalls.monotonicSeconds() - started
        let bytesIn = run.counters.bytesRead
        let bytesOut = run.counters.bytesWritten
        let bytesDecoded = run.counters.bytesDecoded
        let budget = run.budget
        let peakRSS = SystemCalls.peakResidentBytes()
        // Compressed / uncompressed, as xz reports it: the output's when the run wrote compressed
        // data (recompress, cat --to), else the input's.
        let ratio: Double?
        if bytesDecoded > 0 && bytesOut > 0 && bytesOut < bytesDecoded && bytesOut != bytesIn {
            ratio = Double(bytesOut) / Double(bytesDecoded)
        } else if bytesDecoded > 0 {
            ratio = Double(bytesIn) / Double(bytesDecoded)
        } else {
            ratio = nil
        }
        let throughput = seconds > 0 ? Double(max(bytesIn, bytesDecoded, bytesOut)) / seconds / 1e6 : 0
        switch style {
        case .json:
            var o = JSONObject()
            o.set("bytes_in", bytesIn)
            o.set("bytes_decoded", bytesDecoded)
            o.set("bytes_out", bytesOut)
            o.set("ratio", ratio, decimals: 4)
            o.set("seconds", seconds, decimals: 3)
            o.set("throughput_mbps", throughput, decimals: 1)
            o.set("peak_rss_bytes", peakRSS)
            o.set("budget_peak_bytes", budget.peakUsed.bytes)
            o.set("codec_peak_bytes", budget.codecPeakUsed.bytes)
            o.set("codec_allocations", budget.codecAllocations)
            o.set("memory_cap_bytes", budget.cap?.bytes)
            Console.error("stats " + o.text)
        case .line:
            var line = "stats: in \(ByteCount(bytes: bytesIn)), decoded \(ByteCount(bytes: bytesDecoded)), out \(ByteCount(bytes: bytesOut))"
            if let ratio { line += ", ratio \(JSONObject.format(ratio, decimals: 3))" }
            line += ", \(JSONObject.format(seconds, decimals: 3)) s, \(JSONObject.format(throughput, decimals: 1)) MB/s"
            line += ", peak RSS \(ByteCount(bytes: peakRSS)), budget peak \(budget.peakUsed)"
            line += ", codec peak \(budget.codecPeakUsed) in \(budget.codecAllocations) allocations"
            if let cap = budget.cap { line += ", cap \(cap)" }
            Console.error(line)
        }
    }
}
