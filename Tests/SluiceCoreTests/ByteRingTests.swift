import Foundation
import Testing
@testable import SluiceCore

/// The ring over every (capacity, head, count) layout, and two threads handing bytes over.
@Suite("ByteRing")
struct ByteRingTests {
    /// Puts a fresh ring of `capacity` into the layout `(head, count)` with known contents:
    /// byte `i` of the readable run is `UInt8(100 + i)`.
    static func ring(capacity: Int, head: Int, count: Int) -> ByteRing {
        let ring = ByteRing(capacity: .bytes(capacity))
        if head > 0 {
            let junk = [UInt8](repeating: 0xEE, count: head)
            junk.withUnsafeBytes { try! ring.write($0) }
            ring.consume(count: head)
        }
        let bytes = (0..<count).map { UInt8(truncatingIfNeeded: 100 + $0) }
        bytes.withUnsafeBytes { try! ring.write($0) }
        return ring
    }

    static func contents(_ r: ByteRing.Regions) -> [UInt8] {
        Array(UnsafeRawBufferPointer(r.first)) + Array(UnsafeRawBufferPointer(r.second))
    }

    @Test("every layout for capacities 1-9: regions, wrap, and a fill-drain round trip")
    func everyLayout() throws {
        for capacity in 1...9 {
            for head in 0..<capacity {
                for count in 0...capacity {
                    let label = "capacity \(capacity), head \(head), count \(count)"
                    let ring = Self.ring(capacity: capacity, head: head, count: count)
                    #expect(ring.layout.head == head % capacity, "\(label)")
                    #expect(ring.layout.count == count, "\(label)")

                    let readable = ring.readableRegions
                    let expected = (0..<count).map { UInt8(truncatingIfNeeded: 100 + $0) }
                    #expect(Self.contents(readable) == expected, "\(label)")
                    let wraps = head + count > capacity
                    #expect(readable.second.isEmpty == !wraps, "\(label): readable wraps iff head + count > capacity")
                    #expect(readable.first.count == min(count, capacity - head), "\(label)")

                    let writable = ring.writableRegions
                    #expect(writable.count == capacity - count, "\(label)")
                    let tail = (head + count) % capacity
                    if count < capacity {
                        #expect(writable.first.count == min(capacity - count, capacity - tail), "\(label)")
                    }
                    // Readable and writable runs never overlap: together they cover the storage once.
                    var covered = [Int](repeating: 0, count: capacity)
                    let base = (readable.first.baseAddress ?? writable.first.baseAddress!) - (count > 0 ? head : tail)
                    for run in [readable.first, readable.second, writable.first, writable.second] where !run.isEmpty {
                        let start = run.baseAddress! - base
                        for i in start..<(start + run.count) { covered[i] += 1 }
                    }
                    #expect(covered == [Int](repeating: 1, count: capacity), "\(label)")

                    // Fill the free space in place, then drain everything: order is preserved across the wrap.
                    var next = UInt8(200)
                    var filled: [UInt8] = []
                    for run in [writable.first, writable.second] {
                        for i in 0..<run.count { run[i] = next; filled.append(next); next &+= 1 }
                    }
                    ring.commit(written: filled.count)
                    #expect(ring.readableCount == capacity, "\(label)")
                    ring.close()
                    let all = try ring.waitForReadable()
                    #expect(Self.contents(all) == expected + filled, "\(label)")
                    ring.consume(count: all.count)
                    #expect(try ring.waitForReadable().isEmpty, "\(label): closed and drained reads as end of stream")
                }
            }
        }
    }

    @Test("partial consume and commit move head and count as the diagram says")
    func partialMoves() throws {
        let ring = Self.ring(capacity: 5, head: 3, count: 4)  // readable 3,4,0,1
        ring.consume(count: 3)
        #expect(ring.layout == (1, 1))
        #expect(Self.contents(ring.readableRegions) == [103])
        let w = try ring.waitForWritable()
        #expect(w.first.count == 3 && w.second.count == 1)
    }

    @Test("a failure wakes a blocked producer and a blocked consumer")
    func failureWakesBothSides() throws {
        let full = ByteRing(capacity: .bytes(4))
        try [UInt8](repeating: 1, count: 4).withUnsafeBytes { try full.write($0) }
        let producer = Self.errorOfBlockedCall(on: full, failingWith: SluiceError(.io, "consumer went away")) {
            () throws(SluiceError) in
            let more = UnsafeMutableRawBufferPointer.allocate(byteCount: 4, alignment: 1)
            defer { more.deallocate() }
            try full.write(UnsafeRawBufferPointer(more))
        }
        #expect(producer?.message == "consumer went away")

        let empty = ByteRing(capacity: .bytes(4))
        let consumer = Self.errorOfBlockedCall(on: empty, failingWith: SluiceError(.corrupt, "producer failed")) {
            () throws(SluiceError) in _ = try empty.waitForReadable()
        }
        #expect(consumer?.message == "producer failed")
    }

    /// Runs `call` (which blocks on `ring`) on its own thread, fails the ring from this one once
    /// the call has had time to block, and returns what the call threw.
    static func errorOfBlockedCall(on ring: ByteRing, failingWith failure: SluiceError,
                                   _ call: @escaping @Sendable () throws(SluiceError) -> Void) -> SluiceError? {
        let caught = Box()
        let thread = WorkerThread {
            do throws(SluiceError) { try call() } catch { caught.set(error) }
        }
        usleep(20_000)
        ring.fail(failure)
        thread.join()
        return caught.get()
    }

    @Test("two threads, random chunk sizes on both sides: the consumer sees the exact byte sequence",
          arguments: [1, 7, 64, 4096])
    func stress(capacity: Int) throws {
        let total = min(1_000_000, capacity * 150_000)
        let ring = ByteRing(capacity: .bytes(capacity))
        @Sendable func byte(_ i: Int) -> UInt8 { UInt8(truncatingIfNeeded: i &* 2654435761 >> 7) }
        let producer = WorkerThread {
            var rng = SystemRandomNumberGenerator()
            var i = 0
            while i < total {
                guard let space = try? ring.waitForWritable() else { return }
                let want = min(Int.random(in: 1...(2 * capacity + 3), using: &rng), total - i)
                var written = 0
                for run in [space.first, space.second] where written < want {
                    let n = min(run.count, want - written)
                    for k in 0..<n { run[k] = byte(i + written + k) }
                    written += n
                }
                ring.commit(written: written)
                i += written
            }
            ring.close()
        }
        var seen = 0
        var mismatches = 0
        while true {
            let r = try ring.waitForReadable()
            if r.isEmpty { break }
            let take = min(r.count, Int.random(in: 1...(capacity + 2)))
            var k = 0
            for run in [r.first, r.second] {
                for b in run where k < take {
                    if b != byte(seen + k) { mismatches += 1 }
                    k += 1
                }
            }
            ring.consume(count: take)
            seen += take
        }
        producer.join()
        #expect(seen == total)
        #expect(mismatches == 0)
    }
}

/// A lock-protected slot for an error reported from another thread.
final class Box: @unchecked Sendable {
    private let lock = NSLock()
    private var value: SluiceError?
    func set(_ e: SluiceError) { lock.lock(); value = e; lock.unlock() }
    func get() -> SluiceError? { lock.lock(); defer { lock.unlock() }; return value }
}
