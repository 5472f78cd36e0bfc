import CIsal
import SluiceCore

/// Raw deflate through ISA-L's `isal_inflate` (the fast path, about 3× zlib here).
///
/// ISA-L computes the gzip CRC-32 of the output itself (`crc_flag = ISAL_GZIP_NO_HDR`). It reads
/// input 8 bytes ahead into a bit buffer and, when the final block ends, moves `next_in` back by
/// the unused whole bytes — possibly to before the current call's input. The last 8 consumed bytes
/// are therefore kept in `history`, so those bytes can be handed back as `pushback`. ISA-L before
/// 2.32 (Debian 12 ships 2.30) does not rewind in its stateful path: the bytes stay in its 64-bit
/// bit buffer `read_in`, and are taken from there instead.
final class IsalInflater: RawInflater {
    private let state: UnsafeMutablePointer<inflate_state>
    /// The most recently consumed input bytes, newest in the low byte.
    private var history: UInt64 = 0
    private var historyCount = 0

    var backendName: String { "isal" }

    private let budget: MemoryBudget?

    /// - Parameter budget: the `inflate_state` (about 40 KiB, all ISA-L needs) is reserved from it.
    init(budget: MemoryBudget? = nil) throws(SluiceError) {
        try budget?.reserveCodec(MemoryLayout<inflate_state>.size, for: "the ISA-L inflate state")
        self.budget = budget
        state = .allocate(capacity: 1)
        isal_inflate_init(state)
        state.pointee.crc_flag = sluice_isal_flag_gzip_no_hdr()
    }

    deinit {
        state.deallocate()
        budget?.releaseFromCodec(MemoryLayout<inflate_state>.size)
    }

    func reset() {
        isal_inflate_reset(state)
        state.pointee.crc_flag = sluice_isal_flag_gzip_no_hdr()
        history = 0
        historyCount = 0
    }

    var crc32: UInt32 { state.pointee.crc }

    func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(InflateError)
        -> (consumed: Int, produced: Int, finished: Bool, pushback: [UInt8])
    {
        let inBase = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
        let outBase = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
        // ISA-L's counters are 32-bit: never hand it more than fits.
        let inCount = min(input.count, Int(UInt32.max >> 1))
        let outCount = min(output.count, Int(UInt32.max >> 1))
        state.pointee.next_in = UnsafeMutablePointer(mutating: inBase)
        state.pointee.avail_in = UInt32(inCount)
        state.pointee.next_out = outBase
        state.pointee.avail_out = UInt32(outCount)
        let ret = isal_inflate(state)
        let produced = outCount - Int(state.pointee.avail_out)
        // After a finish ISA-L may have moved next_in before inBase: avail_in is then > inCount.
        let consumed = inCount - Int(state.pointee.avail_in)
        if ret < 0 {
            throw InflateError(code: Self.codeName(ret), message: Self.message(ret),
                               consumed: max(consumed, 0), produced: produced)
        }
        let finished = sluice_isal_block_finished(state) != 0
        if consumed < 0 {
            return (0, produced, finished, takeHistory(last: -consumed))
        }
        remember(input, consumed: consumed)
        if finished && state.pointee.read_in_length >= 8 {
            // ISA-L before 2.32 leaves the bytes after the final block in its bit buffer instead of
            // rewinding next_in: hand the whole bytes back (the partial byte is deflate padding).
            return (consumed, produced, finished, takeBitBuffer())
        }
        return (consumed, produced, finished, [])
    }

    private func remember(_ input: UnsafeRawBufferPointer, consumed: Int) {
        let start = max(0, consumed - 8)
        for i in start..<consumed {
            history = (history << 8) | UInt64(input[i])
        }
        historyCount = min(8, historyCount + consumed - start)
    }

    private func takeBitBuffer() -> [UInt8] {
        let bits = Int(state.pointee.read_in_length)
        let skip = UInt64(bits % 8)
        let buffer = state.pointee.read_in
        let bytes = (0..<(bits / 8)).map { UInt8(truncatingIfNeeded: buffer >> (skip + 8 * UInt64($0))) }
        state.pointee.read_in = 0
        state.pointee.read_in_length = 0
        return bytes
    }

    private func takeHistory(last n: Int) -> [UInt8] {
        precondition(n <= historyCount, "ISA-L rewound further than the bytes it was given")
        return (0..<n).reversed().map { UInt8(truncatingIfNeeded: history >> (8 * UInt64($0))) }
    }

    static func codeName(_ code: Int32) -> String {
        switch code {
        case -1: return "ISAL_INVALID_BLOCK"
        case -2: return "ISAL_INVALID_SYMBOL"
        case -3: return "ISAL_INVALID_LOOKBACK"
        case -4: return "ISAL_INVALID_WRAPPER"
        case -5: return "ISAL_UNSUPPORTED_METHOD"
        case -6: return "ISAL_INCORRECT_CHECKSUM"
        default: return "ISA-L error \(code)"
        }
    }

    static func message(_ code: Int32) -> String {
        switch code {
        case -1: return "invalid deflate block"
        case -2: return "invalid deflate symbol"
        case -3: return "deflate distance too far back"
        default: return "corrupt deflate data"
        }
    }
}

@available(*, unavailable)
extension IsalInflater: Sendable {}
