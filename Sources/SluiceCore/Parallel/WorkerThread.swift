#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A POSIX thread running one closure, joined explicitly (`pthread_create` / `pthread_join`).
///
/// Threads Sluice starts block ``TemporaryFiles/handledSignals``, so those signals are always handled on the
/// thread that started the work (where ``TemporaryFiles`` expects them); the mask is set on the
/// creating thread around `pthread_create`, which the new thread inherits.
///
/// `join()` must be called exactly once; `deinit` joins a thread that was never joined, so a
/// worker never outlives the object that owns it.
public final class WorkerThread {
    private var thread: pthread_t?

    /// Starts `body` on a new thread. Traps if the system cannot create a thread (`EAGAIN`).
    public init(name: String = "sluice-worker", _ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Box(body))
        var blocked = sigset_t(), previous = sigset_t()
        sigemptyset(&blocked)
        TemporaryFiles.addHandledSignals(to: &blocked)
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        var handle = pthread_t()
        let rc = pthread_create(&handle, nil, { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            box.body()
            return nil
        }, box.toOpaque())
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        precondition(rc == 0, "pthread_create failed: \(SystemCalls.name(errno: rc))")
        thread = handle
        _ = name
    }

    /// Waits for the closure to return.
    public func join() {
        guard let handle = thread else { return }
        thread = nil
        pthread_join(handle, nil)
    }

    deinit { join() }

    private final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
}

@available(*, unavailable)
extension WorkerThread: Sendable {}

/// Moves a non-`Sendable` value to exactly one other thread that uses it exclusively.
///
/// The sender must not touch the value again until the receiving thread has been joined; that
/// hand-off is what makes the unchecked conformance sound.
public struct HandOff<Value>: @unchecked Sendable {
    public let value: Value
    public init(_ value: Value) { self.value = value }
}
