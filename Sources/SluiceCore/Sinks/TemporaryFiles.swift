#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Temporary output files to delete if the process is interrupted (SIGINT, SIGTERM, SIGHUP, SIGQUIT).
///
/// The signal handler may only make async-signal-safe calls, so the table is preallocated C
/// memory: `capacity` slots, each nil or a `strdup`ed path. The handler walks it, `unlink(2)`s each
/// path, restores the default action and re-raises the signal, so the process still dies of it
/// (exit status 130 for Ctrl-C) as the shell expects. SIGQUIT (Ctrl-\\) is a user's request to stop,
/// like SIGINT, not a crash: it is handled the same way and dies without a core dump (otherwise
/// the Swift runtime's handler took it, and the run went on to exit 0).
///
///     slots  [ nil | ".a.log.xz.sluice-x1Y2z3" | nil | … ]   (fixed, allocated once)
///
/// Slots change only with those signals blocked on the changing thread. Threads Sluice starts
/// (``WorkerThread``) block them for good, so the handler runs on the main thread and never
/// sees a half-written slot. `kill -9` cannot be caught: a leftover `.NAME.sluice-XXXXXX` may
/// remain, but nothing ever appears under the final name.
public enum TemporaryFiles {
    public static let capacity = 64

    nonisolated(unsafe) private static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let p = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        p.initialize(repeating: nil, count: capacity)
        return p
    }()

    nonisolated(unsafe) private static var installed = false

    /// The signals that remove temporary files; threads Sluice starts block them.
    public static let handledSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    /// Adds ``handledSignals`` to `set`.
    public static func addHandledSignals(to set: inout sigset_t) {
        for sig in handledSignals { sigaddset(&set, sig) }
    }

    /// Installs the handlers once (idempotent) and unblocks the signals on the calling thread.
    /// Call on the main thread before creating outputs.
    public static func installSignalHandlers() {
        guard !installed else { return }
        installed = true
        _ = slots  // initialise the table before any handler can run
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for sig in handledSignals {
            // A signal the parent set to be ignored (nohup) stays ignored, as gzip does.
            var current = sigaction()
            sigaction(sig, nil, &current)
            if unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == 1 { continue }  // SIG_IGN
            sigaddset(&unblock, sig)
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                var i = 0
                while i < TemporaryFiles.capacity {
                    if let path = TemporaryFiles.slots[i] { unlink(path) }
                    i += 1
                }
                if sig == SIGQUIT {
                    var none = rlimit(rlim_cur: 0, rlim_max: 0)
                    setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &none)
                }
                signal(sig, SIG_DFL)
                raise(sig)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(sig, &action, nil)
        }
        // A spawner may have left these blocked in our mask; they must reach the handler.
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }

    /// Records `path` for deletion on a signal; returns its slot, or nil if the table is full
    /// (the file is then only removed on orderly failure paths).
    static func register(_ path: String) -> Int? {
        let copy = PathName.withCString(path) { strdup($0) }
        return withSignalsBlocked {
            for i in 0..<capacity where slots[i] == nil {
                slots[i] = copy
                return i
            }
            free(copy)
            return nil
        }
    }

    /// Forgets a slot (the file was renamed into place or already removed).
    static func unregister(_ slot: Int?) {
        guard let slot else { return }
        let old = withSignalsBlocked { () -> UnsafeMutablePointer<CChar>? in
            let old = slots[slot]
            slots[slot] = nil
            return old
        }
        free(old)
    }

    private static func withSignalsBlocked<T>(_ body: () -> T) -> T {
        var blocked = sigset_t(), previous = sigset_t()
        sigemptyset(&blocked)
        addHandledSignals(to: &blocked)
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        return body()
    }
}
