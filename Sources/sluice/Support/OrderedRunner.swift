#if canImport(Glibc)
import Glibc
#endif
import Sluice

enum Processors {
    /// Online CPUs (`sysconf(_SC_NPROCESSORS_ONLN)`).
    static var online: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}

/// Runs a job per input on N worker threads while keeping output in input order.
///
/// Each input's output goes straight to `destination` (standard output, or an encoder / atomic file
/// for `grep -o FILE`) when it is that input's turn; earlier, it is held
/// in the worker's buffer up to `holdLimit` bytes, and then the worker waits for its turn. So
/// memory is bounded by `workers × holdLimit` however large the inputs, and the output is byte
/// for byte what a sequential run prints. Errors are printed to stderr in the same order.
enum OrderedRunner {
    struct Outcome {
        var anySelected = false
        var anyError = false
        var brokenPipe = false
        /// The destination's first write failure (a full disk): every later input stops, and
        /// the caller reports it once.
        var outputFailure: SluiceError?
    }

    static let holdLimit = 1 << 20

    static func run(_ inputs: [String], workers: Int, stopOnFirstSuccess: Bool = false,
                    destination: ByteSink = FileDescriptorSink.standardOutput(),
                    _ job: @escaping @Sendable (String, BufferedWriter) throws -> Bool) -> Outcome {
        let state = SharedState(destination: destination)
        let count = max(1, min(workers, inputs.count))
        let work: @Sendable () -> Void = { [inputs] in
            while true {
                let index = state.claim(limit: inputs.count)
                guard let index else { return }
                let sink = TurnSink(index: index, state: state)
                let writer = BufferedWriter(sink)
                var selected = false
                var failure: SluiceError?
                if !state.stopped {
                    do {
                        selected = try job(inputs[index], writer)
                        try writer.flush()
                    } catch {
                        try? writer.flush()
                        failure = (error as? SluiceError) ?? SluiceError(.io, "\(error)", path: inputs[index])
                    }
                }
                state.finish(index: index, sink: sink, selected: selected, error: failure)
                if stopOnFirstSuccess && selected { state.stop() }
            }
        }
        if count == 1 {
            work()
        } else {
            var threads: [pthread_t] = []
            for _ in 0..<count { threads.append(Threads.start(work)) }
            for t in threads { pthread_join(t, nil) }
        }
        return state.outcome
    }
}

/// Starts POSIX threads running Swift closures.
enum Threads {
    private final class Body: @unchecked Sendable {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    /// The new thread blocks the signals ``TemporaryFiles`` handles, so they reach the main thread.
    static func start(_ body: @escaping @Sendable () -> Void) -> pthread_t {
        var thread = pthread_t()
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        var blocked = sigset_t(), previous = sigset_t()
        sigemptyset(&blocked)
        TemporaryFiles.addHandledSignals(to: &blocked)
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        let rc = pthread_create(&thread, nil, { raw in
            Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue().run()
            return nil
        }, box)
        precondition(rc == 0, "pthread_create failed: \(rc)")
        return thread
    }
}

/// The turn counter and results, guarded by one mutex; `changed` is broadcast when the turn moves.
/// @unchecked Sendable: every mutable field is read and written with `mutex` held.
private final class SharedState: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var nextIndex = 0
    private var turn = 0
    private var result = OrderedRunner.Outcome()
    private var stopFlag = false
    /// Written only by the input whose turn it is; the turn moves under `mutex`, which orders one
    /// writer's last write before the next writer's first.
    let destination: ByteSink

    init(destination: ByteSink) {
        self.destination = destination
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        changed.deallocate()
    }

    func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }

    func claim(limit: Int) -> Int? {
        locked {
            guard nextIndex < limit else { return nil }
            nextIndex += 1
            return nextIndex - 1
        }
    }

    var stopped: Bool { locked { stopFlag || result.brokenPipe || result.outputFailure != nil } }
    func stop() { locked { stopFlag = true } }
    var outcome: OrderedRunner.Outcome { locked { result } }

    /// Blocks until it is `index`'s turn.
    func waitForTurn(_ index: Int) {
        pthread_mutex_lock(mutex)
        while turn != index { pthread_cond_wait(changed, mutex) }
        pthread_mutex_unlock(mutex)
    }

    func isTurn(_ index: Int) -> Bool { locked { turn == index } }

    /// Writes to the destination (only on the caller's turn), remembering its first failure.
    func writeOut(_ bytes: UnsafeRawBufferPointer) throws(SluiceError) {
        do {
            try destination.write(bytes)
        } catch {
            locked { if result.outputFailure == nil { result.outputFailure = error } }
            throw error
        }
    }

    /// Called once per input: waits for its turn, flushes held output, reports, passes the turn on.
    func finish(index: Int, sink: TurnSink, selected: Bool, error: SluiceError?) {
        waitForTurn(index)
        var failure = error
        if failure == nil || failure?.isBrokenPipe == false {
            do { try sink.release() } catch let e { failure = failure ?? e }
        }
        pthread_mutex_lock(mutex)
        if selected { result.anySelected = true }
        if let failure {
            if failure.isBrokenPipe {
                result.brokenPipe = true
            } else if failure == result.outputFailure {
                // The output broke, not this input: the caller reports it once.
            } else {
                result.anyError = true
                Console.error(failure.description)
            }
        }
        turn += 1
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
    }
}

/// The destination for one input: direct when it is this input's turn, held (bounded) before.
private final class TurnSink: ByteSink {
    let index: Int
    let state: SharedState
    private var held: [UInt8] = []
    private var direct = false

    init(index: Int, state: SharedState) {
        self.index = index
        self.state = state
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(SluiceError) {
        if !direct && state.isTurn(index) { try release() }
        if direct {
            try state.writeOut(bytes)
            return
        }
        held.append(contentsOf: bytes)
        if held.count >= OrderedRunner.holdLimit {
            state.waitForTurn(index)
            try release()
        }
    }

    /// Writes held bytes; from now on writes go straight out. Only call on this input's turn.
    func release() throws(SluiceError) {
        direct = true
        if held.isEmpty { return }
        let bytes = held
        held = []
        var failure: SluiceError?
        bytes.withUnsafeBytes { raw in
            do throws(SluiceError) { try state.writeOut(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    func finish() throws(SluiceError) {}
}
