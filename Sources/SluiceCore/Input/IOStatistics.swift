import Synchronization

/// Process-wide byte counters for `--stats`: what every ``FileSource`` read and every
/// ``FileDescriptorSink`` wrote. Relaxed atomics: counted, never used for synchronisation.
public enum IOStatistics {
    static let read = Atomic<Int>(0)
    static let written = Atomic<Int>(0)
    static let decoded = Atomic<Int>(0)

    /// Decompressed bytes produced by every ``DecodingReader``.
    public static var bytesDecoded: Int { decoded.load(ordering: .relaxed) }
    public static func countDecoded(_ n: Int) { decoded.add(n, ordering: .relaxed) }

    public static var bytesRead: Int { read.load(ordering: .relaxed) }
    public static var bytesWritten: Int { written.load(ordering: .relaxed) }

    public static func countRead(_ n: Int) { read.add(n, ordering: .relaxed) }
    public static func countWritten(_ n: Int) { written.add(n, ordering: .relaxed) }

    /// Runs `body` without counting its I/O: a verification pass that re-reads Sluice's own output
    /// is not part of what the run read or decoded. Only exact while no other thread counts.
    public static func uncounted<T>(_ body: () throws(SluiceError) -> T) throws(SluiceError) -> T {
        let before = (bytesRead, bytesDecoded, bytesWritten)
        defer {
            read.subtract(bytesRead - before.0, ordering: .relaxed)
            decoded.subtract(bytesDecoded - before.1, ordering: .relaxed)
            written.subtract(bytesWritten - before.2, ordering: .relaxed)
        }
        return try body()
    }
}
