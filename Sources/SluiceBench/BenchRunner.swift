import SluiceCodecs
import SluiceCore
#if canImport(Glibc)
import Glibc
#endif

/// Runs one configuration on one (uncompressed) file: compress it streaming to a scratch file,
/// decompress that streaming, verify the round trip by CRC-32 and size, and time both directions.
/// The CRC-32 is ``CRC32`` (ISA-L's PCLMUL code, many GB/s), so checking costs next to nothing in the timings.
///
/// Nothing is loaded whole: the input is read in 128 KiB chunks, the compressed stream goes to
/// disk, and the decoder reads it back through a ``DecodingReader``. Each direction is repeated
/// until it has run for `minimumSeconds` (at most `maxRepeats` times) and the median is kept.
public struct BenchRunner {
    public var minimumSeconds: Double = 1.0
    public var maxRepeats = 5
    public var scratchDirectory = "/tmp"

    public init(minimumSeconds: Double = 1.0, maxRepeats: Int = 5, scratchDirectory: String = "/tmp") {
        self.minimumSeconds = minimumSeconds
        self.maxRepeats = maxRepeats
        self.scratchDirectory = scratchDirectory
    }

    public func run(_ config: BenchConfig, input path: String, budget: MemoryBudget) throws(SluiceError) -> BenchResult {
        var result = BenchResult(config: config, fits: true, neededBytes: MemoryPrediction.needed(config))
        let scratch = scratchDirectory + "/sluice-bench-\(getpid())-\(config.codec.rawValue)-\(config.level)-\(config.threads)"
        defer { unlink(scratch) }
        var compressTimes: [Double] = []
        var first = try compress(config, path, to: scratch, budget: budget)
        compressTimes.append(first.seconds)
        for _ in 0..<repeats(after: first.seconds) {
            first = try compress(config, path, to: scratch, budget: budget)
            compressTimes.append(first.seconds)
        }
        var decompressTimes: [Double] = []
        var back = try decompress(config, scratch, budget: budget)
        decompressTimes.append(back.seconds)
        for _ in 0..<repeats(after: back.seconds) {
            back = try decompress(config, scratch, budget: budget)
            decompressTimes.append(back.seconds)
        }
        guard back.crc == first.crc, back.bytes == first.inputBytes else {
            throw SluiceError(.corrupt, "round trip of \(config) did not verify (CRC32 0x\(String(back.crc, radix: 16)) vs 0x\(String(first.crc, radix: 16)))", path: path)
        }
        let mb = Double(first.inputBytes) / 1e6
        result.compressedBytes = first.compressedBytes
        result.factor = first.compressedBytes > 0 ? Double(first.inputBytes) / Double(first.compressedBytes) : nil
        result.compressMBps = mb / max(median(compressTimes), 1e-9)
        result.decompressMBps = mb / max(median(decompressTimes), 1e-9)
        result.codecPeakBytes = budget.codecPeakUsed.bytes
        return result
    }

    private func repeats(after seconds: Double) -> Int {
        guard seconds < minimumSeconds, maxRepeats > 1 else { return 0 }
        let wanted = Int((minimumSeconds / max(seconds, 1e-6)).rounded(.up))
        return max(0, min(maxRepeats, wanted) - 1)
    }

    private func compress(_ config: BenchConfig, _ path: String, to scratch: String, budget: MemoryBudget) throws(SluiceError)
        -> (seconds: Double, inputBytes: Int, compressedBytes: Int, crc: UInt32)
    {
        let source = try FileSource(path: path)
        var options = EncodeOptions(format: config.codec, level: config.level, threads: config.threads)
        options.budget = budget
        let encoder = try Encoders.make(options)
        let fd = open(scratch, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SluiceError(.io, "cannot create scratch file: \(SystemCalls.describe(errno: errno))", path: scratch) }
        defer { close(fd) }
        let input = UnsafeMutableRawBufferPointer.allocate(byteCount: 128 << 10, alignment: 64)
        let output = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 << 10, alignment: 64)
        defer { input.deallocate(); output.deallocate() }
        var crc = CRC32()
        var total = 0, written = 0
        let start = now()
        while true {
            let n = try source.read(into: input)
            let chunk = UnsafeRawBufferPointer(rebasing: input[..<n])
            crc.update(chunk)
            total += n
            var offset = 0
            while true {
                let step = try encoder.encode(UnsafeRawBufferPointer(rebasing: chunk[offset...]), into: output, finish: n == 0)
                offset += step.consumed
                if step.produced > 0 {
                    try SystemCalls.writeAll(fd, UnsafeRawBufferPointer(rebasing: output[..<step.produced]), path: scratch)
                    written += step.produced
                }
                if step.status == .streamEnd { break }
                if n > 0 && offset == n && step.produced < output.count { break }
            }
            if n == 0 { break }
        }
        return (now() - start, total, written, crc.value)
    }

    private func decompress(_ config: BenchConfig, _ scratch: String, budget: MemoryBudget) throws(SluiceError)
        -> (seconds: Double, bytes: Int, crc: UInt32)
    {
        let start = now()
        let reader = try Decoders.open(scratch, options: DecodeOptions(format: config.codec, budget: budget))
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 << 10, alignment: 64)
        defer { buffer.deallocate() }
        var crc = CRC32()
        var total = 0
        while true {
            let n = try reader.read(into: buffer)
            if n == 0 { break }
            crc.update(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
            total += n
        }
        return (now() - start, total, crc.value)
    }
}

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func median(_ values: [Double]) -> Double {
    let s = values.sorted()
    return s.isEmpty ? 0 : (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
}
