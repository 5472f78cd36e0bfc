#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// One memory budget for a run, shared by chunk buffers, the line framer, rings and codecs.
///
///     cap ───────────────────────────────────────────────┐
///     │ buffers (reserve) │ codec heap (allocator hooks) │  free  │
///     └──────────── inUse ─────────────────┘
///
/// Fixed buffers are reserved up front with ``reserve(_:for:)``, which returns a ``Reservation``
/// that gives the bytes back when it goes away, or refuses with a sentence saying what was needed; codec allocations arrive one by one through the C libraries' allocator
/// hooks (`zalloc`, `lzma_allocator`) and fail like `malloc` would — the codec then reports an
/// out-of-memory error that Sluice words as the cap being reached. Peaks and allocation counts are
/// kept for `--stats` and `sluice bench`. Thread-safe (atomics), so encoder threads share it.
///
/// A budget is a value of one run: whoever starts the run creates it and passes it down (in
/// `DecodeOptions`, `EncodeOptions`, to an output target); there is no process-wide budget.
public final class MemoryBudget: Sendable {
    private let capBytes = Atomic<Int>(0)  // 0 = no cap
    private let inUse = Atomic<Int>(0)
    private let peak = Atomic<Int>(0)
    private let codecInUse = Atomic<Int>(0)
    private let codecPeak = Atomic<Int>(0)
    private let allocationCount = Atomic<Int>(0)

    /// A budget capped at `cap` (nil: counted, never refused).
    public init(cap: ByteCount? = nil) { capBytes.store(cap?.bytes ?? 0, ordering: .relaxed) }

    public var cap: ByteCount? {
        let c = capBytes.load(ordering: .relaxed)
        return c == 0 ? nil : .bytes(c)
    }

    /// Bytes currently reserved or allocated through this budget.
    public var used: ByteCount { .bytes(inUse.load(ordering: .relaxed)) }
    /// Highest ``used`` seen.
    public var peakUsed: ByteCount { .bytes(peak.load(ordering: .relaxed)) }
    /// Highest codec heap (allocator hooks only) seen.
    public var codecPeakUsed: ByteCount { .bytes(codecPeak.load(ordering: .relaxed)) }
    /// Codec allocations made through the hooks.
    public var codecAllocations: Int { allocationCount.load(ordering: .relaxed) }
    /// What is left under the cap, or nil without a cap.
    public var remaining: ByteCount? {
        guard let cap else { return nil }
        return .bytes(max(0, cap.bytes - inUse.load(ordering: .relaxed)))
    }

    /// Takes `size` for a ``Reservation``; throws a ``SluiceError/Kind/limit`` error naming `what`
    /// when the cap would be exceeded.
    func take(_ size: ByteCount, for what: String) throws(SluiceError) {
        guard tryTake(size.bytes, codec: false) else {
            let left = remaining ?? .bytes(0)
            // Exact bytes when rounding would show the two figures equal ("256 KiB but only 256 KiB").
            let (need, have) = size.description == left.description
                ? ("\(size.bytes) B", "\(left.bytes) B") : (size.description, left.description)
            throw SluiceError(.limit, "\(what) needs \(need) but only \(have) of the \(cap ?? .bytes(0)) memory cap is left")
        }
    }

    /// Gives back what a ``Reservation`` took.
    func release(_ bytes: Int) { inUse.subtract(bytes, ordering: .relaxed) }

    /// Reserves codec state a library lets the caller allocate (ISA-L's state and level buffers):
    /// counted as codec memory, refused with a sentence when it does not fit.
    public func reserveCodec(_ bytes: Int, for what: String) throws(SluiceError) {
        guard tryTake(bytes, codec: true) else {
            throw SluiceError(.limit, "\(what) needs \(ByteCount(bytes: bytes)) but only \(remaining ?? .bytes(0)) of the \(cap ?? .bytes(0)) memory cap is left")
        }
    }

    /// For allocator hooks: takes `bytes` if they fit; false means "fail this allocation".
    public func takeForCodec(_ bytes: Int) -> Bool { tryTake(bytes, codec: true) }

    /// For allocator hooks: gives back codec memory.
    public func releaseFromCodec(_ bytes: Int) {
        inUse.subtract(bytes, ordering: .relaxed)
        codecInUse.subtract(bytes, ordering: .relaxed)
    }

    private func tryTake(_ bytes: Int, codec: Bool) -> Bool {
        let cap = capBytes.load(ordering: .relaxed)
        var current = inUse.load(ordering: .relaxed)
        while true {
            let next = current + bytes
            if cap != 0 && next > cap { return false }
            let (exchanged, original) = inUse.compareExchange(expected: current, desired: next, ordering: .relaxed)
            if exchanged { break }
            current = original
        }
        raise(peak, to: current + bytes)
        if codec {
            let c = codecInUse.add(bytes, ordering: .relaxed).newValue
            raise(codecPeak, to: c)
            allocationCount.add(1, ordering: .relaxed)
        }
        return true
    }

    private func raise(_ value: borrowing Atomic<Int>, to candidate: Int) {
        var seen = value.load(ordering: .relaxed)
        while candidate > seen {
            let (exchanged, original) = value.compareExchange(expected: seen, desired: candidate, ordering: .relaxed)
            if exchanged { return }
            seen = original
        }
    }
}

/// The memory limit a container or cluster task imposes, read like `xz` and the JVM do.
public enum CgroupMemoryLimit {
    /// cgroup v2 `memory.max`, then cgroup v1 `memory.limit_in_bytes`; or only the file named by
    /// `SLUICE_CGROUP_MEMORY_MAX`, for containers that mount the cgroup tree elsewhere (and tests).
    public static var defaultPaths: [String] {
        if let path = getenv("SLUICE_CGROUP_MEMORY_MAX") { return [String(cString: path)] }
        return ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"]
    }

    /// The first limit set in `paths`, or nil when none is ("max", absent, or the v1 "unlimited"
    /// value near 2^63).
    public static func read(paths: [String] = defaultPaths) -> ByteCount? {
        for path in paths {
            guard let text = readSmallFile(path) else { continue }
            if let limit = parse(text) { return limit }
        }
        return nil
    }

    /// Parses the contents of a cgroup limit file.
    public static func parse(_ text: String) -> ByteCount? {
        let value = text.split(whereSeparator: { $0 == "\n" || $0 == " " }).first.map(String.init) ?? ""
        guard value != "max", let bytes = Int(value), bytes > 0, bytes < (1 << 62) else { return nil }
        return .bytes(bytes)
    }

    private static func readSmallFile(_ path: String) -> String? {
        guard let fd = try? SystemCalls.openForReading(path) else { return nil }
        defer { _ = SystemCalls.close(fd) }
        var bytes = [UInt8](repeating: 0, count: 64)
        let n = bytes.withUnsafeMutableBytes { (try? SystemCalls.read(fd, into: $0, path: path)) ?? 0 }
        return String(decoding: bytes.prefix(n), as: UTF8.self)
    }
}
