import Synchronization

/// The byte counters of one run, for `--stats` and the progress line: what its sources read, its
/// decoders produced and its sinks wrote. Created by whoever starts the run and passed in (in
/// `DecodeOptions`, to sinks); a pass that should not count (verifying a written file) simply gets
/// none. Relaxed atomics: counted, never used for synchronisation, so any thread may add.
public final class IOCounters: Sendable {
    private let read = Atomic<Int>(0)
    private let written = Atomic<Int>(0)
    private let decoded = Atomic<Int>(0)

    public init() {}

    /// Compressed (or plain) bytes read from inputs.
    public var bytesRead: Int { read.load(ordering: .relaxed) }
    /// Decompressed bytes produced by decoders.
    public var bytesDecoded: Int { decoded.load(ordering: .relaxed) }
    /// Bytes written to outputs.
    public var bytesWritten: Int { written.load(ordering: .relaxed) }

    public func countRead(_ n: Int) { read.add(n, ordering: .relaxed) }
    public func countDecoded(_ n: Int) { decoded.add(n, ordering: .relaxed) }
    public func countWritten(_ n: Int) { written.add(n, ordering: .relaxed) }
}
