import CZlib
import SluiceCore

/// One gzip member compressed on several threads, the way pigz does it.
///
/// The input is cut into independent 128 KiB blocks. Each block is raw-deflated by a worker with the
/// previous block's last 32 KiB as its preset dictionary (`deflateSetDictionary`), so matches can
/// still reach back across the cut; every block but the last ends with `Z_SYNC_FLUSH` (a byte
/// boundary and an empty stored block), the last with `Z_FINISH`. Concatenated in order, the
/// blocks are one valid deflate stream; the member's CRC-32 is the blocks' CRCs joined with
/// `crc32_combine`.
///
///     input  ─▶ [ block 0 ][ block 1 ][ block 2 ] …        (128 KiB each, last may be shorter)
///                   │   dict ─┘│  dict ─┘│                  (last 32 KiB of the previous block)
///                   ▼          ▼         ▼
///     workers    deflate     deflate   deflate              (N threads, any order)
///                   ▼          ▼         ▼
///     output [hdr][ out 0 ][ out 1 ][ out 2 ][CRC32|ISIZE]  (emitted strictly in order)
///
/// Memory is bounded: a fixed ring of `2 × threads + 2` slots, each holding one block's input
/// (with room for its dictionary) and its compressed output, reserved from the budget with the
/// workers' deflate streams before any thread starts. Slot `s % slotCount` is reused only
/// after block `s` has been emitted, so `fillSeq - emitSeq < slotCount` always holds.
///
/// The caller drives it from one thread like any ``StreamEncoder``; the workers are internal and
/// joined in `deinit`. `encode` blocks only when it can make no other progress (every slot in
/// flight, or finishing), waiting for the oldest block.
public final class ParallelGzipEncoder: StreamEncoder {
    public static let blockSize = 128 << 10
    public static let dictionarySize = 32 << 10

    public var format: CompressionFormat { .gzip }
    private let shared: ParallelDeflateState
    private var workers: [WorkerThread] = []
    private var header: PendingBytes
    private var trailer: PendingBytes?
    /// The block being filled by the caller's bytes.
    private var fillSeq = 0
    private var fillCount = 0
    /// Blocks `0 ..< submitted` have been handed to the workers.
    private var submitted = 0
    private var lastSubmitted = false
    /// The oldest block not yet completely copied to the caller, and how far into it.
    private var emitSeq = 0
    private var emitOffset = 0
    private var crc: UInt32 = 0
    private var size: UInt64 = 0

    /// - Parameters:
    ///   - level: zlib level 0–9.
    ///   - threads: worker threads (at least 1).
    /// - Throws: ``SluiceError/Kind/usage`` for a bad level; ``SluiceError/Kind/limit`` when the
    ///   slots or a worker's deflate stream do not fit `budget`.
    public init(level: Int = 6, threads: Int, name: String? = nil, modificationTime: UInt32 = 0,
                budget: MemoryBudget? = nil) throws(SluiceError) {
        guard (0...9).contains(level) else { throw SluiceError(.usage, "gzip level \(level) is out of range 0-9") }
        let threads = max(1, threads)
        let slotCount = 2 * threads + 2
        let slots = try Reservation(.bytes(slotCount * DeflateSlot.bytes), from: budget,
                                    for: "\(slotCount) parallel gzip blocks")
        // The streams are made here, not on the workers, so a cap too small fails this call.
        var deflaters: [ZlibDeflater] = []
        for _ in 0..<threads { deflaters.append(try ZlibDeflater(level: level, windowBits: -15, budget: budget)) }
        shared = ParallelDeflateState(slotCount: slotCount, reservation: slots)
        header = PendingBytes(GzipFraming.header(level: level, name: name, modificationTime: modificationTime))
        for deflater in deflaters {
            let state = shared, job = HandOff(deflater)
            workers.append(WorkerThread(name: "sluice-pigz") { state.work(with: job.value) })
        }
    }

    deinit {
        shared.shutDown()
        for worker in workers { worker.join() }
    }

    public func encode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
                       finish: Bool) throws(SluiceError) -> CodecStep {
        var consumed = 0
        var produced = header.drain(into: output)
        guard header.isEmpty else { return CodecStep(consumed: 0, produced: produced, status: .progress) }
        while true {
            produced += try emitCompleted(into: UnsafeMutableRawBufferPointer(rebasing: output[produced...]))
            if lastSubmitted && emitSeq == submitted {
                if trailer == nil { trailer = PendingBytes(GzipFraming.trailer(crc: crc, size: size)) }
                produced += trailer!.drain(into: UnsafeMutableRawBufferPointer(rebasing: output[produced...]))
                return CodecStep(consumed: consumed, produced: produced, status: trailer!.isEmpty ? .streamEnd : .progress)
            }
            if produced == output.count { break }
            consumed += fill(UnsafeRawBufferPointer(rebasing: input[consumed...]))
            if consumed == input.count {
                if !finish { break }
                if !lastSubmitted {
                    submit(last: true)
                    continue
                }
            }
            // Stuck: every slot is in flight, or the stream is finishing. Wait for the oldest block.
            shared.waitUntilDone(emitSeq)
        }
        return CodecStep(consumed: consumed, produced: produced, status: .progress)
    }

    /// Submits the block being filled, however short (it ends with `Z_SYNC_FLUSH` like any block
    /// but the last), then waits for every submitted block and copies them out in order.
    public func flush(into output: UnsafeMutableRawBufferPointer) throws(SluiceError) -> FlushStep {
        var produced = header.drain(into: output)
        guard header.isEmpty else { return FlushStep(produced: produced, complete: false) }
        if lastSubmitted { return FlushStep(produced: produced, complete: true) }
        if fillCount > 0 {
            // The first block of a full ring waits for a free slot like fill() does.
            while fillSeq + 1 - emitSeq >= shared.slotCount {
                produced += try emitCompleted(into: UnsafeMutableRawBufferPointer(rebasing: output[produced...]))
                if produced == output.count { return FlushStep(produced: produced, complete: false) }
                if fillSeq + 1 - emitSeq >= shared.slotCount { shared.waitUntilDone(emitSeq) }
            }
            submit(last: false)
        }
        while emitSeq < submitted {
            produced += try emitCompleted(into: UnsafeMutableRawBufferPointer(rebasing: output[produced...]))
            if produced == output.count { return FlushStep(produced: produced, complete: emitSeq == submitted) }
            if emitSeq < submitted { shared.waitUntilDone(emitSeq) }
        }
        return FlushStep(produced: produced, complete: true)
    }

    /// Copies finished blocks, in order, into `output`; frees each slot once it is fully copied.
    private func emitCompleted(into output: UnsafeMutableRawBufferPointer) throws(SluiceError) -> Int {
        var produced = 0
        while produced < output.count && emitSeq < submitted {
            let slot = shared.slot(emitSeq)
            guard shared.isDone(emitSeq) else { break }
            if let error = slot.error { throw error }
            let n = min(slot.outputLength - emitOffset, output.count - produced)
            (output.baseAddress! + produced).copyMemory(from: slot.output + emitOffset, byteCount: n)
            produced += n
            emitOffset += n
            if emitOffset == slot.outputLength {
                crc = CRC32.combine(crc, slot.crc, lengthOfB: Int64(slot.inputLength))
                emitSeq += 1
                emitOffset = 0
            }
        }
        return produced
    }

    /// Copies caller bytes into blocks, submitting each full block once a byte for the next arrives
    /// (so a full last block is still compressed with `Z_FINISH`). Stops when no slot is free.
    private func fill(_ input: UnsafeRawBufferPointer) -> Int {
        var consumed = 0
        while consumed < input.count {
            if fillCount == Self.blockSize {
                guard fillSeq + 1 - emitSeq < shared.slotCount else { break }
                submit(last: false)
            }
            let slot = shared.slot(fillSeq)
            let n = min(Self.blockSize - fillCount, input.count - consumed)
            (slot.block + fillCount).copyMemory(from: input.baseAddress! + consumed, byteCount: n)
            fillCount += n
            consumed += n
        }
        size &+= UInt64(consumed)
        return consumed
    }

    /// Hands the block being filled to the workers and, unless it is the last, opens the next one
    /// with the last 32 KiB before its start as its dictionary: this block's tail, or for a short
    /// (flushed) block, its bytes after the end of its own dictionary. The copy is made before the
    /// block is enqueued, while the caller still owns the slot.
    private func submit(last: Bool) {
        let slot = shared.slot(fillSeq)
        slot.inputLength = fillCount
        slot.isLast = last
        if !last {
            let next = shared.slot(fillSeq + 1)
            let length = min(Self.dictionarySize, slot.dictionaryLength + fillCount)
            (next.block - length).copyMemory(from: slot.block + fillCount - length, byteCount: length)
            next.dictionaryLength = length
        }
        shared.enqueue(fillSeq)
        submitted = fillSeq + 1
        if last { lastSubmitted = true; return }
        fillSeq += 1
        fillCount = 0
    }
}

@available(*, unavailable)
extension ParallelGzipEncoder: Sendable {}

/// One block's memory: `[ dictionary (32 KiB) | block (128 KiB) ]` in, compressed bytes out. The
/// dictionary is the `dictionaryLength` bytes just before `block` (0 for the first block; less
/// than 32 KiB after a short flushed block near the start).
///
/// Ownership moves with the block's state: the encoder's thread writes the input fields while the
/// slot is free, a worker writes the output fields between dequeue and `done`, and the encoder
/// reads them after seeing `done` under the state's mutex.
final class DeflateSlot {
    /// What one slot allocates: dictionary and block in, the output bound out.
    static let bytes = ParallelGzipEncoder.dictionarySize + ParallelGzipEncoder.blockSize
        + ParallelGzipEncoder.blockSize + ParallelGzipEncoder.blockSize / 8 + 4096

    let dictionary: UnsafeMutableRawPointer
    var block: UnsafeMutableRawPointer { dictionary + ParallelGzipEncoder.dictionarySize }
    let output: UnsafeMutableRawPointer
    let outputCapacity: Int
    var inputLength = 0
    var dictionaryLength = 0
    var isLast = false
    var outputLength = 0
    var crc: UInt32 = 0
    var error: SluiceError?

    init() {
        dictionary = .allocate(byteCount: ParallelGzipEncoder.dictionarySize + ParallelGzipEncoder.blockSize, alignment: 64)
        // deflateBound for a 128 KiB block plus the sync-flush marker, with margin.
        outputCapacity = ParallelGzipEncoder.blockSize + ParallelGzipEncoder.blockSize / 8 + 4096
        output = .allocate(byteCount: outputCapacity, alignment: 64)
    }

    deinit {
        dictionary.deallocate()
        output.deallocate()
    }
}

/// The state the encoder shares with its workers: slots, a FIFO of submitted blocks, done flags.
///
/// `@unchecked Sendable`: `queue`, `done` and `stopping` are touched only under `mutex`; slot
/// contents follow the ownership hand-off described on ``DeflateSlot``, ordered by that mutex.
final class ParallelDeflateState: @unchecked Sendable {
    let slotCount: Int
    private let slots: [DeflateSlot]
    private var done: [Bool]
    private var queue: [Int] = []
    private var stopping = false
    /// Conditions: ``workAvailable`` (a block was queued, or shutdown), ``blockDone``.
    private let mutex = ConditionLock(conditions: 2)
    private let workAvailable = 0, blockDone = 1
    /// The slots' bytes, taken from the budget.
    private let reservation: Reservation

    init(slotCount: Int, reservation: consuming Reservation) {
        self.slotCount = slotCount
        self.reservation = reservation
        slots = (0..<slotCount).map { _ in DeflateSlot() }
        done = Array(repeating: false, count: slotCount)
        queue.reserveCapacity(slotCount)
    }

    func slot(_ seq: Int) -> DeflateSlot { slots[seq % slotCount] }

    func enqueue(_ seq: Int) {
        mutex.lock()
        done[seq % slotCount] = false
        queue.append(seq)
        mutex.signal(workAvailable)
        mutex.unlock()
    }

    func isDone(_ seq: Int) -> Bool {
        mutex.lock(); defer { mutex.unlock() }
        return done[seq % slotCount]
    }

    func waitUntilDone(_ seq: Int) {
        mutex.lock()
        while !done[seq % slotCount] { mutex.wait(blockDone) }
        mutex.unlock()
    }

    func shutDown() {
        mutex.lock()
        stopping = true
        mutex.broadcast(workAvailable)
        mutex.unlock()
    }

    /// A worker's loop: take the oldest submitted block, compress it, mark it done.
    func work(with deflater: ZlibDeflater) {
        mutex.lock()
        while true {
            while queue.isEmpty && !stopping { mutex.wait(workAvailable) }
            if stopping { break }
            let seq = queue.removeFirst()
            mutex.unlock()
            compress(self.slot(seq), with: deflater)
            mutex.lock()
            done[seq % slotCount] = true
            mutex.broadcast(blockDone)
        }
        mutex.unlock()
    }

    private func compress(_ slot: DeflateSlot, with deflater: ZlibDeflater) {
        slot.error = nil
        slot.outputLength = 0
        let input = UnsafeRawBufferPointer(start: slot.block, count: slot.inputLength)
        var checksum = CRC32()
        checksum.update(input)
        slot.crc = checksum.value
        do throws(SluiceError) {
            deflater.reset()
            if slot.dictionaryLength > 0 {
                try deflater.setDictionary(UnsafeRawBufferPointer(start: slot.block - slot.dictionaryLength,
                                                                  count: slot.dictionaryLength))
            }
            var consumed = 0
            while true {
                let space = UnsafeMutableRawBufferPointer(start: slot.output + slot.outputLength,
                                                          count: slot.outputCapacity - slot.outputLength)
                guard space.count > 0 else {
                    throw SluiceError(.limit, "parallel gzip block output exceeded its bound")
                }
                let r = try deflater.deflate(UnsafeRawBufferPointer(rebasing: input[consumed...]), into: space,
                                             flush: slot.isLast ? Z_FINISH : Z_SYNC_FLUSH)
                consumed += r.consumed
                slot.outputLength += r.produced
                // Done: Z_FINISH reached the stream end, or a sync flush completed with space to spare.
                if slot.isLast ? r.ended : (consumed == input.count && r.produced < space.count) { break }
            }
        } catch {
            slot.error = error
        }
    }
}
