import Foundation
import Testing
import Sluice

/// The memory budget: codec allocations are counted through the libraries' allocator hooks, and
/// a cap is enforced with a sentence, never an out-of-memory kill.
@Suite("Memory caps")
struct MemoryCapTests {
    static let text = sampleLog(lines: 20000)

    func decodeAll(_ bytes: [UInt8], budget: MemoryBudget, backend: GzipBackend = .isal) -> (Int, SluiceError?) {
        let options = DecodeOptions(gzipBackend: backend, chunkSize: .kibibytes(64), budget: budget)
        do {
            let reader = try Decoders.open(source: ChunkedReader(bytes, sizes: { 1 << 20 }), path: "in", options: options)
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
            defer { buffer.deallocate() }
            var total = 0
            while true {
                let n = try reader.read(into: buffer)
                if n == 0 { return (total, nil) }
                total += n
            }
        } catch {
            return (0, error)
        }
    }

    @Test("an xz -9 stream under a 4 MiB cap is refused with the dictionary size, before decoding")
    func xzOverCap() throws {
        let xz = try runTool(["xz", "-9", "-c"], input: Self.text)
        let budget = MemoryBudget(cap: .mebibytes(4))
        let (decoded, error) = decodeAll(xz, budget: budget)
        #expect(decoded == 0)
        #expect(error?.kind == .limit)
        #expect(error?.message.contains("xz decoding needs 64.1 MiB") == true, "\(String(describing: error))")
        #expect(error?.message.contains("memory cap is 4 MiB") == true)
        #expect(budget.codecPeakUsed.bytes <= budget.cap!.bytes)
    }

    @Test("codec memory is counted and stays under the cap", arguments: ["gzip", "xz-1", "zlib"])
    func countedUnderCap(kind: String) throws {
        let compressed: [UInt8]
        switch kind {
        case "gzip", "zlib": compressed = try runTool(["gzip", "-c"], input: Self.text)
        default: compressed = try runTool(["xz", "-1", "-c"], input: Self.text)
        }
        let budget = MemoryBudget(cap: .mebibytes(4))
        let (decoded, error) = decodeAll(compressed, budget: budget, backend: kind == "zlib" ? .zlib : .isal)
        #expect(error == nil)
        #expect(decoded == Self.text.count)
        #expect(budget.peakUsed.bytes <= 4 << 20)
        if kind != "gzip" {
            #expect(budget.codecAllocations > 0)
            #expect(budget.codecPeakUsed.bytes > 0)
        }
        #expect(budget.used.bytes == 0, "everything reserved is given back when the reader goes away")
    }

    @Test("cgroup limits: v2 max, a number, v1 unlimited")
    func cgroupParsing() throws {
        #expect(CgroupMemoryLimit.parse("max\n") == nil)
        #expect(CgroupMemoryLimit.parse("67108864\n") == .mebibytes(64))
        #expect(CgroupMemoryLimit.parse("9223372036854771712\n") == nil)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-cgroup-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let v2 = dir.appendingPathComponent("memory.max")
        try "max\n".write(to: v2, atomically: true, encoding: .utf8)
        let v1 = dir.appendingPathComponent("memory.limit_in_bytes")
        try "134217728\n".write(to: v1, atomically: true, encoding: .utf8)
        #expect(CgroupMemoryLimit.read(paths: [v2.path, v1.path]) == .mebibytes(128))
        #expect(CgroupMemoryLimit.read(paths: [dir.appendingPathComponent("absent").path]) == nil)
    }

    @Test("reservations over the cap are refused with what was needed")
    func reserve() {
        let budget = MemoryBudget(cap: .kibibytes(100))
        #expect(throws: SluiceError.self) { _ = try budget.reserve(.kibibytes(200), for: "a test buffer") }
        do {
            _ = try budget.reserve(.kibibytes(200), for: "a test buffer")
        } catch {
            #expect(error.message == "a test buffer needs 200 KiB but only 100 KiB of the 100 KiB memory cap is left")
        }
    }

    @Test("a reservation gives its bytes back when it goes away, and grows and shrinks through the budget")
    func reservationLifetime() throws {
        let budget = MemoryBudget(cap: .kibibytes(100))
        do {
            var r = try budget.reserve(.kibibytes(60), for: "a test buffer")
            #expect(budget.used == .kibibytes(60))
            #expect(throws: SluiceError.self) { try r.grow(to: .kibibytes(101), for: "more") }
            #expect(r.size == .kibibytes(60))
            try r.grow(to: .kibibytes(100), for: "more")
            r.shrink(to: .kibibytes(10))
            #expect(budget.used == .kibibytes(10))
            let buffer = ReservedBuffer(r)
            #expect(buffer.count == 10 << 10)
        }
        #expect(budget.used == .bytes(0))
        #expect(budget.peakUsed == .kibibytes(100))
    }
}
