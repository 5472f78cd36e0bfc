import Synchronization

/// A sink that compresses: the caller's plain bytes go into a ``ByteRing``; an encoder thread
/// pulls them from the ring, encodes them in place and writes the result to `downstream`.
///
///     caller thread                      encoder thread
///     ─────────────                      ──────────────
///     write(bytes) / fill(from:) ─▶ [ ByteRing ] ─▶ encoder.encode ─▶ output chunk ─▶ downstream.write
///                                    fixed size      (reads the ring's      (fixed size)
///                                                     readable region)
///
/// Decoding (on the caller's thread) and encoding overlap, so a transcode takes about as long as
/// its slower half. Memory is the ring, one output chunk and the encoder's own state, whatever the
/// input size.
///
/// Errors cross threads through the ring: an encoder or downstream failure fails the ring, so the
/// caller's next ``write(_:)`` (or ``finish()``) throws it; a caller that gives up calls
/// ``cancel(_:)`` (or just drops the sink), which stops and joins the encoder thread. `downstream`
/// belongs to the encoder thread until ``finish()`` or ``cancel(_:)`` returns. Not thread-safe:
/// one caller thread.
public final class EncodingSink: ByteSink {
    private let ring: ByteRing
    private let downstream: ByteSink
    /// The encoder thread's output chunk.
    private let chunk: ReservedBuffer
    private let counters = Counters()
    private var thread: WorkerThread?
    /// Plain bytes accepted so far.
    public private(set) var bytesIn: Int64 = 0
    /// Encoded bytes written downstream so far (updated by the encoder thread; safe to read any time).
    public var bytesOut: Int64 { counters.produced.load(ordering: .relaxed) }

    /// The default ring between the two threads.
    public static let defaultRingCapacity = ByteCount.mebibytes(1)
    /// The default output chunk.
    public static let defaultOutputChunk = ByteCount.kibibytes(128)

    /// Reserves the ring and the output chunk from `budget`, then starts the encoder thread.
    /// - Parameters:
    ///   - ringCapacity: the ring between the two threads (default 1 MiB).
    ///   - outputChunk: the encoder's output buffer; downstream sees writes of at most this size.
    ///   - budget: the run's budget (nil: uncounted).
    ///   - outputPath: attached to encoder errors that name no path.
    /// - Throws: ``SluiceError/Kind/limit`` naming the ring or the chunk when it does not fit.
    public init(encoder: StreamEncoder, downstream: ByteSink, ringCapacity: ByteCount = defaultRingCapacity,
                outputChunk: ByteCount = defaultOutputChunk, budget: MemoryBudget? = nil,
                outputPath: String? = nil) throws(SluiceError) {
        ring = ByteRing(try Reservation(ringCapacity, from: budget, for: "the encoder ring"))
        chunk = try ReservedBuffer(.bytes(max(outputChunk.bytes, 64)), from: budget, for: "the encoder's output chunk")
        self.downstream = downstream
        let job = HandOff((encoder, downstream, chunk.bytes))
        let ring = self.ring, counters = self.counters
        thread = WorkerThread(name: "sluice-encode") {
            Self.run(encoder: job.value.0, downstream: job.value.1, ring: ring, counters: counters,
                     out: job.value.2, path: outputPath)
        }
    }

    deinit { cancel(SluiceError(.io, "output abandoned")) }

    /// The encoder thread's failure (an encoder error, a downstream write error), once it happened;
    /// ``cancel(_:)`` sets it too.
    public var failure: SluiceError? { ring.failureError }

    /// Copies `bytes` into the ring, waiting while it is full.
    /// - Throws: the encoder thread's failure (an encoder error, a downstream write error).
    public func write(_ bytes: UnsafeRawBufferPointer) throws(SluiceError) {
        try ring.write(bytes)
        bytesIn += Int64(bytes.count)
    }

    /// Reads once from `reader` straight into the ring's free space (no copy); returns the bytes
    /// read, 0 at the end of `reader`.
    /// - Throws: the reader's error (the caller then cancels), or the encoder thread's failure.
    public func fill(from reader: ByteReader) throws(SluiceError) -> Int {
        let space = try ring.waitForWritable()
        let n = try reader.read(into: space.first)
        ring.commit(written: n)
        bytesIn += Int64(n)
        return n
    }

    /// Ends the input, waits for the encoder to write its last bytes, then finishes `downstream`.
    /// - Throws: the first failure of the encoder thread, or `downstream.finish()`'s.
    public func finish() throws(SluiceError) {
        try finishEncoding()
        try downstream.finish()
    }

    /// Ends the input and waits for the encoder to write its last bytes, leaving `downstream`
    /// unfinished (to verify an ``AtomicFileSink``'s temporary file before it is moved into place).
    public func finishEncoding() throws(SluiceError) {
        guard let thread else { throw ring.failureError ?? SluiceError(.io, "output already finished") }
        ring.close()
        thread.join()
        self.thread = nil
        if let failure = ring.failureError { throw failure }
    }

    /// Abandons the output: the encoder thread stops at its next ring access and is joined.
    /// `downstream` is left unfinished (an ``AtomicFileSink`` then removes its temporary file).
    public func cancel(_ error: SluiceError) {
        guard let thread else { return }
        ring.fail(error)
        thread.join()
        self.thread = nil
    }

    private static func run(encoder: StreamEncoder, downstream: ByteSink, ring: ByteRing, counters: Counters,
                            out: UnsafeMutableRawBufferPointer, path: String?) {
        do throws(SluiceError) {
            func emit(_ n: Int) throws(SluiceError) {
                guard n > 0 else { return }
                try downstream.write(UnsafeRawBufferPointer(rebasing: out[..<n]))
                counters.produced.add(Int64(n), ordering: .relaxed)
            }
            while true {
                let readable = try ring.waitForReadable()
                if readable.isEmpty { break }
                let step: CodecStep
                do throws(SluiceError) {
                    step = try encoder.encode(UnsafeRawBufferPointer(readable.first), into: out, finish: false)
                } catch {
                    throw path.map { error.at(path: $0) } ?? error
                }
                ring.consume(count: step.consumed)
                try emit(step.produced)
            }
            while true {
                let step: CodecStep
                do throws(SluiceError) {
                    step = try encoder.encode(UnsafeRawBufferPointer(start: nil, count: 0), into: out, finish: true)
                } catch {
                    throw path.map { error.at(path: $0) } ?? error
                }
                try emit(step.produced)
                if step.status == .streamEnd { break }
            }
        } catch {
            ring.fail(error)
        }
    }

    private final class Counters: Sendable {
        let produced = Atomic<Int64>(0)
    }
}

@available(*, unavailable)
extension EncodingSink: Sendable {}
