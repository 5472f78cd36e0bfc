import SluiceCore
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A one-line progress display on a terminal: bytes in, plain and out, ratio, speed, ETA.
///
///     \r app.log.gz  in 20.0 MiB / 64.0 MiB  out 5.1 MiB  ratio 0.080  91.4 MiB/s  ETA 0:02\e[K
///
/// It stays silent for the first second (short jobs print nothing), then redraws at most four
/// times a second; ``finish()`` erases the line. `enabled` defaults to "stderr is a terminal"
/// (`isatty(2)`). Not thread-safe.
public final class ProgressMeter {
    public let enabled: Bool
    private let fd: Int32
    private let label: String
    private let totalInput: Int64?
    private let start: Double
    private var lastDraw: Double = 0
    private var drawn = false

    /// - Parameters:
    ///   - totalInput: the input's size when known (enables ETA).
    ///   - force: true/false overrides the terminal test (`--progress`, `--no-progress`).
    public init(label: String, totalInput: Int64?, force: Bool? = nil, fd: Int32 = 2) {
        self.enabled = force ?? (isatty(fd) == 1)
        self.fd = fd
        self.label = label
        self.totalInput = totalInput
        self.start = Self.now()
    }

    /// Seconds on the monotonic clock (`clock_gettime(CLOCK_MONOTONIC)`).
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Redraws if due. Cost when not due: one clock read.
    public func update(input: Int64, plain: Int64, output: Int64) {
        guard enabled else { return }
        let t = Self.now()
        let elapsed = t - start
        guard elapsed >= 1, t - lastDraw >= 0.25 else { return }
        lastDraw = t
        draw(Self.line(label: label, input: input, totalInput: totalInput, plain: plain, output: output, elapsed: elapsed))
    }

    /// Erases the line if one was drawn.
    public func finish() {
        guard drawn else { return }
        drawn = false
        draw("")
    }

    private func draw(_ text: String) {
        var line = "\r" + text + "\u{1B}[K"
        if text.isEmpty { line = "\r\u{1B}[K" } else { drawn = true }
        line.withUTF8 { _ = try? SystemCalls.writeAll(fd, UnsafeRawBufferPointer($0), path: "(stderr)") }
    }

    /// The text of one progress line (no control characters); public for tests.
    public static func line(label: String, input: Int64, totalInput: Int64?, plain: Int64, output: Int64,
                            elapsed: Double) -> String {
        var s = label + "  in " + ByteCount(bytes: Int(input)).description
        if let totalInput { s += " / " + ByteCount(bytes: Int(totalInput)).description }
        s += "  out " + ByteCount(bytes: Int(output)).description
        if plain > 0 { s += "  ratio " + JSONObject.format(Double(output) / Double(plain), decimals: 3) }
        if elapsed > 0 {
            s += "  " + ByteCount(bytes: Int(Double(plain) / elapsed)).description + "/s"
        }
        if let totalInput, input > 0, totalInput >= input, elapsed > 0 {
            let remaining = Int((elapsed * Double(totalInput - input) / Double(input)).rounded())
            let seconds = remaining % 60
            s += "  ETA \(remaining / 60):" + (seconds < 10 ? "0" : "") + "\(seconds)"
        }
        return s
    }
}

@available(*, unavailable)
extension ProgressMeter: Sendable {}

/// A ``ProgressMeter`` on its own thread, fed from the run's ``IOCounters``, so
/// any command (a decode loop, a line pipeline, several `grep -j` workers) gets a progress line
/// without touching its hot loop.
///
///     ticker thread: every 50 ms ─▶ meter.update(input: bytesRead − base, plain: bytesDecoded − base,
///                                                output: bytesWritten − base)
///
/// No thread is started when the meter would be disabled. ``stop()`` (or `deinit`) ends the thread
/// within 50 ms and erases the line.
public final class ProgressTicker {
    private let thread: WorkerThread?
    private let stopping: Flag

    /// - Parameters:
    ///   - totalInput: the size of all inputs when known (enables ETA).
    ///   - enabled: whether to draw at all (the caller decides: `--progress`, or a terminal).
    public init(label: String, totalInput: Int64?, counters: IOCounters, enabled: Bool) {
        let stopping = Flag()
        self.stopping = stopping
        guard enabled else {
            thread = nil
            return
        }
        Self.running.add(1, ordering: .relaxed)
        let base = (counters.bytesRead, counters.bytesDecoded, counters.bytesWritten)
        thread = WorkerThread(name: "sluice-progress") {
            let meter = ProgressMeter(label: label, totalInput: totalInput, force: true)
            var pause = timespec(tv_sec: 0, tv_nsec: 50_000_000)
            while !stopping.value.load(ordering: .acquiring) {
                meter.update(input: Int64(counters.bytesRead - base.0), plain: Int64(counters.bytesDecoded - base.1),
                             output: Int64(counters.bytesWritten - base.2))
                nanosleep(&pause, nil)
            }
            meter.finish()
        }
    }

    /// Ends the display (erasing its line); safe to call more than once.
    public func stop() {
        guard let thread, !stopping.value.exchange(true, ordering: .acquiringAndReleasing) else { return }
        thread.join()
        Self.running.subtract(1, ordering: .relaxed)
    }

    private static let running = Atomic<Int>(0)

    /// True while some ticker may have a line drawn: a message for stderr should then start with
    /// `\r\e[K` so it does not land in the middle of the progress line.
    public static var isDrawing: Bool { running.load(ordering: .relaxed) > 0 }

    deinit { stop() }

    private final class Flag: Sendable {
        let value = Atomic<Bool>(false)
    }
}

@available(*, unavailable)
extension ProgressTicker: Sendable {}
