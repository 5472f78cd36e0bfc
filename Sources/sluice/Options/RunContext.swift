import Sluice

/// The one run this process makes: its memory budget and byte counters, created in `main` from
/// `--memory-cap` (or the cgroup limit) and handed to every library call the commands make
/// (``DecodingOptions/decodeOptions``, ``OutputOptions/openTarget(threads:mode:)``). The library
/// has no process-wide state; this is the command line's answer to "which run is this".
struct RunContext: Sendable {
    let budget: MemoryBudget
    let counters: IOCounters
    /// `--stats`: when set, printed by `main` before the process exits.
    let statistics: RunStatistics?

    init(cap: ByteCount? = nil, statistics: RunStatistics.Style? = nil) {
        budget = MemoryBudget(cap: cap)
        counters = IOCounters()
        self.statistics = statistics.map { RunStatistics(style: $0) }
    }

    /// Set once by `main` before the command runs; uncapped until then (bench, help).
    nonisolated(unsafe) static var current = RunContext()
}
