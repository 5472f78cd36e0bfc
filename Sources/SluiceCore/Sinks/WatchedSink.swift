import Synchronization

/// A sink that remembers its first write failure, so a command can tell a broken output (a full
/// disk, a closed pipe) from a broken input and report it once, instead of once per input.
///
/// Thread-safe: grep's workers and an encoder thread may write through it (one at a time).
public final class WatchedSink: ByteSink, Sendable {
    nonisolated(unsafe) public let downstream: ByteSink
    private let firstFailure = Mutex<SluiceError?>(nil)

    /// `downstream` must be written only through this sink from now on.
    public init(_ downstream: ByteSink) { self.downstream = downstream }

    /// The first error `downstream` threw, if any.
    public var failure: SluiceError? { firstFailure.withLock { $0 } }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(SluiceError) {
        do {
            try downstream.write(bytes)
        } catch {
            record(error)
            throw error
        }
    }

    public func finish() throws(SluiceError) {
        do {
            try downstream.finish()
        } catch {
            record(error)
            throw error
        }
    }

    private func record(_ error: SluiceError) {
        firstFailure.withLock { if $0 == nil { $0 = error } }
    }
}
