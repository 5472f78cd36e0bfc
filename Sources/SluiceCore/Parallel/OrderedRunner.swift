/// Runs a job per input on N worker threads while keeping output in input order.
///
/// Each input's output goes straight to `destination` (standard output, or an encoder / atomic
/// file) when it is that input's turn; earlier, it is held in the worker's buffer up to
/// ``holdLimit`` bytes, and then the worker waits for its turn. So memory is bounded by
/// `workers × (holdLimit + writer)`, reserved from the budget before any worker starts, however
/// large the inputs, and the output is byte for byte what a sequential run prints. Errors are
/// handed to `reportError` in the same order.
///
///     worker k: job(input i) ─▶ BufferedWriter ─▶ TurnSink ─┬─ i's turn ──────▶ destination
///                                                           └─ not yet: hold ─▶ (flushed on i's turn)
///
/// Workers are ``WorkerThread``s, so SIGINT, SIGTERM and SIGHUP reach the main thread, where
/// ``TemporaryFiles`` removes a half-written output file.
public enum OrderedRunner {
    public struct Outcome: Sendable {
        public var anySelected = false
        public var anyError = false
        public var brokenPipe = false
        /// The destination's first write failure (a full disk), or the budget's refusal of the
        /// workers' buffers: every later input stops, and the caller reports it once.
        public var outputFailure: SluiceError?
        public init() {}
    }

    /// Output a worker holds for an input whose turn has not come.
    public static let holdLimit = ByteCount.mebibytes(1)

    /// Runs `job` on every input, `workers` at a time.
    /// - Parameters:
    ///   - stopOnFirstSuccess: stop claiming inputs once a job returned true (`grep -q`).
    ///   - budget: each worker's hold and writer buffers are reserved from it; a refusal ends the
    ///     run before any job starts, as the outcome's `outputFailure`.
    ///   - reportError: receives each input's failure (not the output's), in input order.
    ///   - job: searches one input into the writer; returns whether it selected anything.
    public static func run(_ inputs: [String], workers: Int, stopOnFirstSuccess: Bool = false,
                           destination: ByteSink, budget: MemoryBudget?,
                           reportError: @escaping @Sendable (SluiceError) -> Void,
                           _ job: @escaping @Sendable (String, BufferedWriter) throws -> Bool) -> Outcome {
        let count = max(1, min(workers, inputs.count))
        var lanes: [HandOff<Lane>] = []
        do throws(SluiceError) {
            // One worker is always on the current input's turn: it never holds output.
            let hold = count > 1 ? OrderedRunner.holdLimit : .bytes(0)
            for _ in 0..<count { lanes.append(HandOff(try Lane(budget: budget, hold: hold))) }
        } catch {
            var refused = Outcome()
            refused.outputFailure = error
            return refused
        }
        let state = SharedState(destination: destination, reportError: reportError)
        let work: @Sendable (Lane) -> Void = { [inputs] lane in
            while let index = state.claim(limit: inputs.count) {
                lane.sink.begin(index: index, state: state)
                var selected = false
                var failure: SluiceError?
                if !state.stopped {
                    do {
                        selected = try job(inputs[index], lane.writer)
                        try lane.writer.flush()
                    } catch {
                        try? lane.writer.flush()
                        failure = (error as? SluiceError) ?? SluiceError(.io, "\(error)", path: inputs[index])
                    }
                }
                state.finish(index: index, sink: lane.sink, selected: selected, error: failure)
                if stopOnFirstSuccess && selected { state.stop() }
            }
        }
        if count == 1 {
            work(lanes[0].value)
        } else {
            let threads = lanes.map { lane in WorkerThread(name: "sluice-grep") { work(lane.value) } }
            for thread in threads { thread.join() }
        }
        return state.outcome
    }
}

/// One worker's buffers: the writer its jobs write into and the sink that holds or passes on.
private final class Lane {
    let sink: TurnSink
    let writer: BufferedWriter

    init(budget: MemoryBudget?, hold: ByteCount) throws(SluiceError) {
        sink = TurnSink(hold: try ReservedBuffer(hold, from: budget, for: "a worker's held output"))
        writer = try BufferedWriter(sink, budget: budget)
    }
}

/// The turn counter and results, guarded by one lock; its condition is broadcast when the turn moves.
/// @unchecked Sendable: every mutable field is read and written with `lock` held.
private final class SharedState: @unchecked Sendable {
    private let lock = ConditionLock()
    private var nextIndex = 0
    private var turn = 0
    private var result = OrderedRunner.Outcome()
    private var stopFlag = false
    private let reportError: @Sendable (SluiceError) -> Void
    /// Written only by the input whose turn it is; the turn moves under `lock`, which orders one
    /// writer's last write before the next writer's first.
    let destination: ByteSink

    init(destination: ByteSink, reportError: @escaping @Sendable (SluiceError) -> Void) {
        self.destination = destination
        self.reportError = reportError
    }

    func claim(limit: Int) -> Int? {
        lock.withLock {
            guard nextIndex < limit else { return nil }
            nextIndex += 1
            return nextIndex - 1
        }
    }

    var stopped: Bool { lock.withLock { stopFlag || result.brokenPipe || result.outputFailure != nil } }
    func stop() { lock.withLock { stopFlag = true } }
    var outcome: OrderedRunner.Outcome { lock.withLock { result } }

    /// Blocks until it is `index`'s turn.
    func waitForTurn(_ index: Int) {
        lock.lock()
        while turn != index { lock.wait() }
        lock.unlock()
    }

    func isTurn(_ index: Int) -> Bool { lock.withLock { turn == index } }

    /// Writes to the destination (only on the caller's turn), remembering its first failure.
    func writeOut(_ bytes: UnsafeRawBufferPointer) throws(SluiceError) {
        do {
            try destination.write(bytes)
        } catch {
            lock.withLock { if result.outputFailure == nil { result.outputFailure = error } }
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
        lock.lock()
        if selected { result.anySelected = true }
        if let failure {
            if failure.isBrokenPipe {
                result.brokenPipe = true
            } else if failure == result.outputFailure {
                // The output broke, not this input: the caller reports it once.
            } else {
                result.anyError = true
                reportError(failure)
            }
        }
        turn += 1
        lock.broadcast()
        lock.unlock()
    }
}

/// The destination for the input a worker is on: direct when it is that input's turn, held (in a
/// fixed, reserved buffer) before.
private final class TurnSink: ByteSink {
    private var index = 0
    private var state: SharedState?
    private let hold: ReservedBuffer
    private var held = 0
    private var direct = false

    init(hold: consuming ReservedBuffer) { self.hold = hold }

    /// Starts on input `index`: nothing held, not yet direct.
    func begin(index: Int, state: SharedState) {
        self.index = index
        self.state = state
        held = 0
        direct = false
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(SluiceError) {
        let state = state!
        if !direct && state.isTurn(index) { try release() }
        if !direct && held + bytes.count > hold.count {
            state.waitForTurn(index)
            try release()
        }
        if direct {
            try state.writeOut(bytes)
            return
        }
        UnsafeMutableRawBufferPointer(rebasing: hold.bytes[held..<(held + bytes.count)]).copyMemory(from: bytes)
        held += bytes.count
    }

    /// Writes held bytes; from now on writes go straight out. Only call on this input's turn.
    func release() throws(SluiceError) {
        direct = true
        guard held > 0 else { return }
        let n = held
        held = 0
        try state!.writeOut(UnsafeRawBufferPointer(rebasing: hold.bytes[..<n]))
    }

    func finish() throws(SluiceError) {}
}
