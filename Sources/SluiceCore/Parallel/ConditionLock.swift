#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A mutex with condition variables (`pthread_mutex_t` plus `pthread_cond_t`s): the one lock type
/// Sluice's threads wait on — the ``ByteRing``, the ``OrderedRunner`` and parallel gzip.
///
/// Swift's `Synchronization.Mutex` has no condition variable, so code that must *wait* for a peer
/// uses this; plain counters use `Mutex` or atomics. Both live behind allocated pointers because
/// POSIX forbids moving an initialised mutex; the struct itself is `~Copyable`, so there is exactly
/// one owner and `deinit` destroys and frees them.
///
///     lock() ─▶ while !ready { wait(c) } ─▶ … ─▶ signal(c') / broadcast(c') ─▶ unlock()
///
/// `wait`, `signal` and `broadcast` must be called with the lock held. Conditions are numbered
/// `0 ..< conditions`.
public struct ConditionLock: ~Copyable, @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let conditions: UnsafeMutablePointer<pthread_cond_t>
    private let count: Int

    /// Creates the mutex and `conditions` condition variables (at least one).
    public init(conditions: Int = 1) {
        precondition(conditions >= 1, "a condition lock needs a condition")
        count = conditions
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        self.conditions = .allocate(capacity: conditions)
        for i in 0..<conditions { pthread_cond_init(self.conditions + i, nil) }
    }

    deinit {
        for i in 0..<count { pthread_cond_destroy(conditions + i) }
        pthread_mutex_destroy(mutex)
        conditions.deallocate()
        mutex.deallocate()
    }

    /// `pthread_mutex_lock`.
    public func lock() { pthread_mutex_lock(mutex) }
    /// `pthread_mutex_unlock`.
    public func unlock() { pthread_mutex_unlock(mutex) }

    /// Runs `body` with the lock held.
    public func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        lock()
        defer { unlock() }
        return try body()
    }

    /// `pthread_cond_wait` on `condition`: releases the lock while waiting. Call in a loop that
    /// rechecks the predicate (wake-ups may be spurious).
    public func wait(_ condition: Int = 0) {
        assert(condition >= 0 && condition < count)
        pthread_cond_wait(conditions + condition, mutex)
    }

    /// `pthread_cond_signal`: wakes one waiter on `condition`.
    public func signal(_ condition: Int = 0) {
        assert(condition >= 0 && condition < count)
        pthread_cond_signal(conditions + condition)
    }

    /// `pthread_cond_broadcast`: wakes every waiter on `condition`.
    public func broadcast(_ condition: Int = 0) {
        assert(condition >= 0 && condition < count)
        pthread_cond_broadcast(conditions + condition)
    }
}
