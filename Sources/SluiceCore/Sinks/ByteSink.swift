#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Where bytes leave Sluice: standard output, a file written atomically, an encoder.
///
/// The caller keeps ownership of the bytes; a sink copies or writes them before returning.
public protocol ByteSink: AnyObject {
    /// Writes all of `bytes`, in order.
    func write(_ bytes: UnsafeRawBufferPointer) throws(SluiceError)
    /// Flushes everything written so far and makes it final (for files: fsync-free rename into place).
    func finish() throws(SluiceError)
}

/// An already open descriptor, usually standard output, written with `write(2)`.
///
/// A reader that went away (`EPIPE`) surfaces as a ``SluiceError`` whose ``SluiceError/isBrokenPipe``
/// is true; commands end quietly on it, like `gzip -dc | head` should.
public final class FileDescriptorSink: ByteSink {
    public let fd: Int32
    public let path: String
    /// Bytes written so far.
    public private(set) var bytesWritten: Int64 = 0
    /// The run's counters the bytes written are added to, if any.
    public let counters: IOCounters?

    public init(fd: Int32, path: String = "(stdout)", counters: IOCounters? = nil) {
        self.fd = fd
        self.path = path
        self.counters = counters
    }

    /// Standard output.
    public static func standardOutput(counters: IOCounters? = nil) -> FileDescriptorSink {
        FileDescriptorSink(fd: 1, counters: counters)
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(SluiceError) {
        try SystemCalls.writeAll(fd, bytes, path: path)
        bytesWritten += Int64(bytes.count)
        counters?.countWritten(bytes.count)
    }

    public func finish() throws(SluiceError) {}
}

@available(*, unavailable)
extension FileDescriptorSink: Sendable {}

extension SluiceError {
    /// True when a write failed because the reading end of a pipe closed (`EPIPE`).
    public var isBrokenPipe: Bool { kind == .io && code == "EPIPE" }
}
