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
}
