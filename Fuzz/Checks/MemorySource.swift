import SluiceCore

/// An input held in memory, handed out in pieces whose sizes come from a ``WindowSchedule``, and
/// rewindable (``canRewind`` is true) so decoders take their replay paths as they would on a file.
///
///     bytes: [0 ───────── position ───────── count]
///              already read     next read: min(asked, scheduled, left)
///
/// Invariant: `0 ≤ position ≤ bytes.count`. Not thread-safe.
public final class MemorySource: RewindableByteReader {
    private let bytes: [UInt8]
    private var position = 0
    private var schedule: WindowSchedule?
    /// How many times a decoder rewound this source.
    public private(set) var rewinds = 0

    /// - Parameter schedule: read sizes; nil hands out as much as the caller asks for.
    public init(_ bytes: [UInt8], schedule: WindowSchedule? = nil) {
        self.bytes = bytes
        self.schedule = schedule
    }

    public var canRewind: Bool { true }

    public func rewind(to offset: Int64) throws(SluiceError) {
        guard offset >= 0, offset <= Int64(bytes.count) else {
            throw SluiceError(.io, "rewind to byte \(offset) of a \(bytes.count)-byte input", offset: offset, path: "memory")
        }
        rewinds += 1
        position = Int(offset)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SluiceError) -> Int {
        let scheduled = schedule?.next() ?? Int.max
        let n = min(buffer.count, bytes.count - position, scheduled)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { all in
            buffer.baseAddress!.copyMemory(from: all.baseAddress! + position, byteCount: n)
        }
        position += n
        return n
    }
}

@available(*, unavailable)
extension MemorySource: Sendable {}

/// Deterministic window sizes derived from the input itself, so a saved crash replays exactly.
///
/// Half the windows are tiny (1–16 bytes: every boundary case), half are up to 8 KiB (so a
/// 64 MiB output still takes only tens of thousands of calls). SplitMix64 seeded with FNV-1a.
public struct WindowSchedule: Sendable {
    private var state: UInt64

    /// A schedule seeded from `input` and a salt (so the input and output windows differ).
    public init(seededBy input: [UInt8], salt: UInt64) {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ salt
        for byte in input.prefix(4096) {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        state = hash ^ UInt64(input.count)
    }

    /// The next window size, 1 ... 8192.
    public mutating func next() -> Int {
        let r = nextRandom()
        return r & 1 == 0 ? Int((r >> 1) % 16) + 1 : Int((r >> 1) % 8192) + 1
    }

    /// A size in `1 ... bound`.
    public mutating func next(upTo bound: Int) -> Int { Int(nextRandom() % UInt64(bound)) + 1 }

    private mutating func nextRandom() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
