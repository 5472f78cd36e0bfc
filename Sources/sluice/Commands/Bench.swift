import ArgumentParser
import Sluice
import SluiceBench

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmark codecs and levels on your own data, under a memory cap.",
        discussion: """
            For each codec × level × threads, the input is compressed and decompressed as a stream \
            (never loaded whole), the round trip is verified by CRC-32, and the compression factor \
            (uncompressed ÷ compressed, as zstd -b reports it), compression and \
            decompression speed (median of repeated runs), codec peak memory (counted by Sluice's \
            allocator hooks) and process peak RSS (each configuration runs in its own process) are \
            recorded. Configurations whose predicted memory exceeds --memory-cap are listed as not \
            fitting, with the figure, and are not run. `*` marks the Pareto-optimal rows: no other \
            fitting configuration has both a better factor and a faster compression.

            Compressed inputs are decoded to a scratch file first; without inputs the bundled \
            Corpus/ sample is used.

            Examples:
              sluice bench app.log --memory-cap 64MiB
              sluice bench --codecs xz --levels 1,3,6,9 --threads 1,2 --json big.log.gz
              sluice bench --chart codecs.svg
            """)

    @Option(help: ArgumentHelp("Codecs to try.", valueName: "gzip,xz"))
    var codecs: String = "gzip,xz"
    @Option(help: ArgumentHelp("Levels to try (default: every level, xz presets 0-9 and gzip 1-9, so the cap's cut-off shows).",
                               valueName: "list"))
    var levels: String?
    @Option(help: ArgumentHelp("Thread counts to try.", valueName: "list"))
    var threads: String = "1"
    @Option(help: ArgumentHelp("Memory cap, e.g. 64MiB (default: the cgroup limit, if any).", valueName: "size"))
    var memoryCap: ByteCount?
    @Flag(help: "Print one JSON object instead of the table.")
    var json = false
    @Flag(help: "Print CSV instead of the table.")
    var csv = false
    @Option(help: ArgumentHelp("Write an SVG scatter plot of compression factor against speed.", valueName: "file.svg"))
    var chart: String?
    @Option(help: ArgumentHelp("Run each measurement for at least this many seconds (repeats, median).", valueName: "seconds"))
    var minSeconds: Double = 1.0
    @Option(help: ArgumentHelp("Most repeats per measurement.", valueName: "n"))
    var maxRepeats: Int = 5

    // Internal: one configuration in a child process, so its peak RSS is its own.
    @Option(help: .hidden) var worker: String?

    @Argument(help: "Input files (any supported format; decoded first). None: the bundled corpus.")
    var files: [String] = []

    func validate() throws {
        _ = try parsedConfigs()
        if json && csv { throw ValidationError("--json and --csv cannot be combined.") }
        if let memoryCap, memoryCap.bytes == 0 {
            throw ValidationError("--memory-cap must be more than 0 (leave it out for no cap).")
        }
    }

    func parsedConfigs() throws -> [BenchConfig] {
        let formats = try codecs.split(separator: ",").map { name -> CompressionFormat in
            switch name.lowercased() {
            case "gzip", "gz": return .gzip
            case "xz": return .xz
            default: throw ValidationError("--codecs: '\(name)' is not a codec Sluice can write (gzip, xz).")
            }
        }
        let levelList = try (levels ?? "0,1,2,3,4,5,6,7,8,9").split(separator: ",").map { text -> Int in
            guard let v = Int(text), (0...9).contains(v) else { throw ValidationError("--levels: '\(text)' is not a level 0-9.") }
            return v
        }
        let threadList = try threads.split(separator: ",").map { text -> Int in
            guard let v = Int(text), (1...64).contains(v) else { throw ValidationError("--threads: '\(text)' is not 1-64.") }
            return v
        }
        var configs: [BenchConfig] = []
        for f in formats {
            for l in levelList where !(f == .gzip && l == 0) {
                for t in threadList { configs.append(BenchConfig(codec: f, level: l, threads: t)) }
            }
        }
        return configs
    }

    func run() throws {
        Signals.ignoreBrokenPipe()
        let cap = memoryCap ?? CgroupMemoryLimit.read()
        if let worker { return try runWorker(worker, cap: cap) }
        let configs = try parsedConfigs()
        let scratch = BenchScratch()
        defer { scratch.removeAll() }
        let (input, name) = try prepareInput(scratch)
        let size = Int(SystemCalls.regularFileSizeOf(path: input) ?? 0)
        var results: [BenchResult] = []
        for (k, config) in configs.enumerated() {
            let needed = MemoryPrediction.needed(config)
            if let cap, needed > cap.bytes {
                results.append(BenchResult(config: config, fits: false, neededBytes: needed))
                progress("[\(k + 1)/\(configs.count)] \(config): does not fit (needs \(ByteCount(bytes: needed)), cap \(cap))")
                continue
            }
            progress("[\(k + 1)/\(configs.count)] \(config)…")
            results.append(runChild(config, input: input, cap: cap))
        }
        markParetoFront(&results)
        let report = BenchReport(results: results, cap: cap, inputBytes: size, inputName: name)
        if let chart { try writeFile(chart, report.svg) }
        try Console.output(json ? report.json : csv ? report.csv : report.table)
    }

    private func progress(_ line: String) { Console.error("bench: " + line) }

    /// The input as one plain file: a single plain regular file as it is, anything else decoded
    /// and concatenated into a scratch file (streaming).
    private func prepareInput(_ scratch: BenchScratch) throws -> (String, String) {
        var inputs = files
        if inputs.isEmpty {
            guard let corpus = BenchScratch.bundledCorpus() else {
                throw ValidationError("No input given and the bundled Corpus/app.log.xz was not found; pass a file.")
            }
            inputs = [corpus]
        }
        if inputs.count == 1, inputs[0] != "-", try Decoders.open(inputs[0]).format == .plain,
           SystemCalls.regularFileSizeOf(path: inputs[0]) != nil {
            return (inputs[0], inputs[0])
        }
        let path = scratch.path("input")
        let fd = try SystemCalls.create(path, mode: 0o600)
        defer { SystemCalls.close(fd) }
        let sink = FileDescriptorSink(fd: fd, path: path)
        let pump = try Pump()
        for file in inputs {
            try pump.copy(from: try Decoders.open(file), to: sink)
        }
        let name = inputs.count == 1 ? inputs[0] : "\(inputs.count) files"
        return (path, name)
    }

    /// Runs one configuration in a child `sluice bench --worker` and reads its result line.
    private func runChild(_ config: BenchConfig, input: String, cap: ByteCount?) -> BenchResult {
        var result = BenchResult(config: config, fits: true, neededBytes: MemoryPrediction.needed(config))
        var args = ["bench", "--worker", "\(config.codec.rawValue):\(config.level):\(config.threads)",
                    "--min-seconds", String(minSeconds), "--max-repeats", String(maxRepeats), input]
        if let cap { args += ["--memory-cap", String(cap.bytes)] }
        guard let (status, output, rss) = ChildProcess.run("/proc/self/exe", args) else {
            result.failure = "could not start a worker process"
            return result
        }
        result.rssPeakBytes = rss
        guard status == 0, let line = output.split(separator: "\n").last(where: { $0.hasPrefix("result ") }) else {
            result.failure = "worker exited with status \(status)"
            return result
        }
        var fields: [String: String] = [:]
        for pair in line.dropFirst(7).split(separator: " ") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            if kv.count == 2 { fields[String(kv[0])] = String(kv[1]) }
        }
        if let error = fields["error"] { result.failure = error.replacingUnderscores(); return result }
        result.compressedBytes = fields["compressed"].flatMap { Int($0) }
        result.factor = fields["factor"].flatMap { Double($0) }
        result.compressMBps = fields["compress"].flatMap { Double($0) }
        result.decompressMBps = fields["decompress"].flatMap { Double($0) }
        result.codecPeakBytes = fields["codec_peak"].flatMap { Int($0) }
        return result
    }

    /// Worker side: one configuration, one `result key=value …` line on stdout.
    private func runWorker(_ spec: String, cap: ByteCount?) throws {
        let parts = spec.split(separator: ":")
        guard parts.count == 3, let format = CompressionFormat(rawValue: String(parts[0])),
              let level = Int(parts[1]), let threads = Int(parts[2]), let input = files.first else { throw ExitCode(2) }
        let config = BenchConfig(codec: format, level: level, threads: threads)
        let runner = BenchRunner(minimumSeconds: minSeconds, maxRepeats: maxRepeats, scratchDirectory: BenchScratch.directory)
        do {
            let r = try runner.run(config, input: input, budget: MemoryBudget(cap: cap))
            try Console.output("result compressed=\(r.compressedBytes ?? 0) factor=\(r.factor ?? 0) compress=\(r.compressMBps ?? 0) decompress=\(r.decompressMBps ?? 0) codec_peak=\(r.codecPeakBytes ?? 0)")
        } catch let error as SluiceError {
            try Console.output("result error=" + error.description.map { $0 == " " ? "_" : $0 }.reduce(into: "") { $0.append($1) })
        }
    }

    private func writeFile(_ path: String, _ text: String) throws {
        let fd = try SystemCalls.create(path)
        defer { SystemCalls.close(fd) }
        try SystemCalls.writeAll(fd, Array(text.utf8), path: path)
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String { String(map { $0 == "_" ? " " : $0 }) }
}

