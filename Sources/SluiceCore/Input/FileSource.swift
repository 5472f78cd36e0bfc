#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Raw bytes of a file or standard input, read with `read(2)` straight into the caller's buffer.
///
/// Owns its descriptor (except standard input) and closes it on `deinit`. Not thread-safe.
public final class FileSource: ByteReader {
    /// The path as the user gave it; `-` is standard input.
    public let path: String
    /// The descriptor being read.
    public let fd: Int32
    /// The file's size when it is a regular file read from its first byte (enables ETA, xz index
    /// reads and rewinding), else nil: also for standard input inherited at a later position
    /// (`(read header; sluice cat) < file`), where byte 0 of the stream is not byte 0 of the file.
    public let knownSize: Int64?
    /// Bytes handed out so far.
    public private(set) var bytesRead: Int64 = 0
    private let ownsDescriptor: Bool
    /// The run's counters the bytes read are added to, if any.
    public var counters: IOCounters?

    /// Opens `path` for reading (`-` is standard input). Throws ``SluiceError`` naming the path.
    public init(path: String, counters: IOCounters? = nil) throws(SluiceError) {
        self.path = path
        self.counters = counters
        self.fd = try SystemCalls.openForReading(path)
        self.ownsDescriptor = path != "-"
        self.knownSize = Self.sizeFromStart(fd)
    }

    /// Wraps a descriptor the caller already opened; it is closed on deinit only if `owned`.
    public init(descriptor: Int32, path: String, owned: Bool) {
        self.path = path
        self.fd = descriptor
        self.ownsDescriptor = owned
        self.knownSize = Self.sizeFromStart(descriptor)
    }

    /// The regular file's size if `fd` is at its first byte (`lseek(fd, 0, SEEK_CUR) == 0`).
    private static func sizeFromStart(_ fd: Int32) -> Int64? {
        guard let size = SystemCalls.regularFileSize(fd), Glibc.lseek(fd, 0, SEEK_CUR) == 0 else { return nil }
        return size
    }

    deinit {
        if ownsDescriptor { _ = Glibc.close(fd) }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SluiceError) -> Int {
        let n = try SystemCalls.read(fd, into: buffer, path: path)
        bytesRead += Int64(n)
        counters?.countRead(n)
        return n
    }
}

extension FileSource: RewindableByteReader {
    /// True for regular files (standard input redirected from a file included).
    public var canRewind: Bool { knownSize != nil }

    /// `lseek(2)` to `offset`; ``bytesRead`` becomes `offset`.
    public func rewind(to offset: Int64) throws(SluiceError) {
        try SystemCalls.seek(fd, to: offset, path: path)
        bytesRead = offset
    }
}

@available(*, unavailable)
extension FileSource: Sendable {}
