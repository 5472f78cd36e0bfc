#if canImport(Glibc)
import Glibc
#endif
import Sluice
import SluiceReports

/// `--stats`: what a run cost, printed to stderr when the process exits — the "measure before you
/// optimise" loop, built in.
enum RunStatistics {
    nonisolated(unsafe) private static var started = timespec()
    nonisolated(unsafe) private static var json = false
    nonisolated(unsafe) private(set) static var enabled = false

    static func enable(json: Bool) {
        guard !enabled else { return }
        enabled = true
        Self.json = json
        clock_gettime(CLOCK_MONOTONIC, &started)
        atexit { RunStatistics.report() }
    }

    static func report() {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let seconds = Double(now.tv_sec - started.tv_sec) + Double(now.tv_nsec - started.tv_nsec) / 1e9
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let bytesIn = IOStatistics.bytesRead
        let bytesOut = IOStatistics.bytesWritten
        let bytesDecoded = IOStatistics.bytesDecoded
        let budget = MemoryBudget.shared
        let peakRSS = usage.ru_maxrss * 1024
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
        if json {
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
        } else {
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
