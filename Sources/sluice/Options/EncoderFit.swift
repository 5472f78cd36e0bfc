import Sluice

/// Fits an encoder to the memory cap before it starts, as xz does: threads are reduced first
/// (and the reduction reported), and a level that cannot fit even on one thread is refused with
/// what it needs and which levels would fit.
enum EncoderFit {
    static func fit(_ options: inout EncodeOptions, budget: MemoryBudget) throws(SluiceError) {
        guard let remaining = budget.remaining, let cap = budget.cap else { return }
        let level = options.level ?? Encoders.defaultLevel
        func need(_ threads: Int) -> Int {
            if options.format == .xz,
               let bytes = XzEncoder.memoryUsage(preset: level, extreme: options.extreme, threads: threads, blockSize: options.blockSize) {
                return bytes
            }
            return MemoryPrediction.encoder(BenchConfig(codec: options.format == .xz ? .xz : .gzip, level: level, threads: threads))
        }
        var threads = options.threads
        while threads > 1 && need(threads) > remaining.bytes { threads -= 1 }
        if threads < options.threads {
            Console.error("reduced encoder threads from \(options.threads) to \(threads) to fit the \(cap) memory cap")
            options.threads = threads
        }
        let needed = need(threads)
        guard needed <= remaining.bytes else {
            let name = options.format == .xz ? "xz preset \(level)" : "\(options.format.rawValue) level \(level)"
            var message = "\(name) needs \(ByteCount(bytes: needed)) to compress; cap is \(cap)"
            if let fitting = MemoryPrediction.highestFitting(options.format == .xz ? .xz : .gzip, threads: 1, cap: remaining.bytes) {
                message += " (\(options.format == .xz ? "preset" : "level") ≤ \(fitting) fits)"
            }
            throw SluiceError(.limit, message)
        }
    }
}
