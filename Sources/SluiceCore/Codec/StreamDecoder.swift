/// What one call to a streaming codec did: bytes it consumed, bytes it produced, and whether it is done.
///
/// Mirrors the position reporting of liblzma and zlib (`next_in`/`next_out` progress): output
/// space running out is flow control, not failure, so it is reported here and never thrown.
public struct CodecStep: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        /// Call again: with more input if all was consumed, with more output space if it was filled.
        case progress
        /// The whole input has been decoded and verified; no further output will come.
        case streamEnd
    }

    public var consumed: Int
    public var produced: Int
    public var status: Status

    public init(consumed: Int, produced: Int, status: Status) {
        self.consumed = consumed
        self.produced = produced
        self.status = status
    }
}

/// A decoder's failure, carrying the output it produced in the same call so no good byte is lost.
public struct DecodeFailure: Error {
    /// Where a fast engine's failure can be checked by the reference engine: decoding restarts at
    /// compressed byte `offset` with ``StreamDecoder/makeReplayDecoder()``, and the first `skip`
    /// decoded bytes (already delivered) are dropped.
    public struct Replay: Sendable, Equatable {
        public var offset: Int64
        public var skip: Int64
        public init(offset: Int64, skip: Int64) {
            self.offset = offset
            self.skip = skip
        }
    }

    public var error: SluiceError
    /// Bytes written to the output buffer by the failing call; they precede the fault and are valid.
    public var produced: Int
    /// Set when the output of the failing call was withheld because the engine may have written
    /// bytes that are not in the stream (ISA-L): a rewindable input is decoded again from here.
    public var replay: Replay?

    public init(_ error: SluiceError, produced: Int = 0, replay: Replay? = nil) {
        self.error = error
        self.produced = produced
        self.replay = replay
    }
}

/// The integrity check a stream carries.
public enum IntegrityCheck: Sendable, Equatable, CustomStringConvertible {
    case none
    /// gzip members, lzip members, xz check ID 1.
    case crc32
    /// xz check ID 4.
    case crc64
    /// xz check ID 10.
    case sha256
    /// The zlib wrapper (RFC 1950).
    case adler32
    /// An xz check ID this liblzma cannot verify (the reserved IDs).
    case unknown(id: UInt32)

    /// The name `xz -l` uses: `None`, `CRC32`, `CRC64`, `SHA-256`; `Adler-32`; `Unknown-N`.
    public var description: String {
        switch self {
        case .none: return "None"
        case .crc32: return "CRC32"
        case .crc64: return "CRC64"
        case .sha256: return "SHA-256"
        case .adler32: return "Adler-32"
        case .unknown(let id): return "Unknown-\(id)"
        }
    }
}

/// Facts a decoder learned about its input, for `sluice info` and `sluice test --json`.
public struct DecodeReport: Sendable, Equatable {
    public var format: CompressionFormat
    /// gzip members, xz/lzip streams or members; nil where the decoder cannot tell.
    public var members: Int?
    /// The integrity check; nil if not known (yet).
    public var check: IntegrityCheck?
    /// Whether the check is verified (false with `ignoreCheck`, or for a check this build cannot verify).
    public var checkVerified = true
    /// Compressed bytes consumed (excludes any bytes after a fault).
    public var compressedBytes: Int64
    /// Decompressed bytes produced.
    public var uncompressedBytes: Int64
    /// The check's name, with "(not verified)" when it is not: what `info` and `test --json` print.
    public var checkDescription: String? {
        check.map { $0.description + (checkVerified ? "" : " (not verified)") }
    }
    /// What was tolerated, for `test --json` (`"512 trailing zero bytes ignored"`); printed by nobody else.
    public var notes: [String] = []
    /// What was tolerated that a user should hear about; ``DecodingReader`` passes each to its notice handler.
    public var warnings: [String] = []

    public init(format: CompressionFormat, members: Int? = nil, check: IntegrityCheck? = nil,
                compressedBytes: Int64 = 0, uncompressedBytes: Int64 = 0) {
        self.format = format
        self.members = members
        self.check = check
        self.compressedBytes = compressedBytes
        self.uncompressedBytes = uncompressedBytes
    }
}

/// A push-style streaming decoder: compressed bytes in, decompressed bytes out, positions reported.
///
/// Implementations own their C stream state behind a pointer (zlib, liblzma and ISA-L require the
/// state never to move) and release it in `deinit`. Not thread-safe.
public protocol StreamDecoder: AnyObject {
    /// Decodes as much of `input` into `output` as fits.
    ///
    /// - Parameters:
    ///   - inputEnded: true when `input` holds the last bytes the stream will ever have; a decoder
    ///     that is mid-stream then reports truncation instead of asking for more.
    ///   - inputOffset: the compressed byte offset of `input[0]` in the whole stream, for messages.
    /// - Returns: consumed and produced counts, and ``CodecStep/Status/streamEnd`` once everything
    ///   is decoded and verified.
    /// - Throws: ``DecodeFailure`` for corrupt, truncated or unsupported data; its `produced`
    ///   bytes are valid output that precedes the fault.
    func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
                inputEnded: Bool, inputOffset: Int64) throws(DecodeFailure) -> CodecStep

    /// What the decoder has learned so far (members, check type, sizes).
    var report: DecodeReport { get }

    /// The decoder that takes over after a failure carrying a ``DecodeFailure/Replay``: the same
    /// format through the reference engine, numbering members on from this one. Nil: no replay.
    func makeReplayDecoder() throws(SluiceError) -> StreamDecoder?
}

extension StreamDecoder {
    public func makeReplayDecoder() throws(SluiceError) -> StreamDecoder? { nil }
}
