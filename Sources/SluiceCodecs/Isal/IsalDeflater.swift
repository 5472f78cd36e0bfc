import CIsal
import SluiceCore

/// Raw deflate through ISA-L's `isal_deflate` (levels 0–3; several times faster than zlib -1).
///
/// The `isal_zstream` and its `level_buf` (the size ISA-L documents as the level's default) live
/// behind allocated pointers for the whole stream. ISA-L copies input into its own history
/// buffer, so successive calls may pass unrelated memory. Not thread-safe.
final class IsalDeflater {
    private let stream: UnsafeMutablePointer<isal_zstream>
    private let levelBuffer: UnsafeMutableRawBufferPointer?
    private let budget: MemoryBudget?
    private let reserved: Int

    /// `isal_deflate_init`, then `level` (0–3) and `gzip_flag = IGZIP_DEFLATE` (raw deflate).
    /// - Parameter budget: the stream and level buffer are reserved from it.
    init(level: Int, budget: MemoryBudget? = nil) throws(SluiceError) {
        precondition((0...3).contains(level), "ISA-L compresses at levels 0-3")
        let size = Int(sluice_isal_level_buf_size(UInt32(level)))
        reserved = size + MemoryLayout<isal_zstream>.size
        try budget?.reserveCodec(reserved, for: "the ISA-L level \(level) encoder")
        self.budget = budget
        stream = .allocate(capacity: 1)
        stream.initialize(to: isal_zstream())
        isal_deflate_init(stream)
        levelBuffer = size > 0 ? .allocate(byteCount: size, alignment: 64) : nil
        stream.pointee.level = UInt32(level)
        stream.pointee.level_buf = levelBuffer?.baseAddress?.assumingMemoryBound(to: UInt8.self)
        stream.pointee.level_buf_size = UInt32(size)
        stream.pointee.gzip_flag = sluice_isal_igzip_deflate()
    }

    deinit {
        stream.deinitialize(count: 1)
        stream.deallocate()
        levelBuffer?.deallocate()
        budget?.releaseFromCodec(reserved)
    }

    /// One `isal_deflate` call; `finish` sets `end_of_stream`. Returns whether the final block is out.
    func deflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
                 finish: Bool) throws(SluiceError) -> (consumed: Int, produced: Int, ended: Bool) {
        try call(input, into: output, finish: finish, flush: sluice_isal_no_flush())
    }

    /// One `isal_deflate` call with `SYNC_FLUSH` and no input: it is complete when output space is
    /// left over.
    func flush(into output: UnsafeMutableRawBufferPointer) throws(SluiceError) -> (consumed: Int, produced: Int, ended: Bool) {
        try call(UnsafeRawBufferPointer(start: nil, count: 0), into: output, finish: false, flush: sluice_isal_sync_flush())
    }

    private func call(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
                      finish: Bool, flush: UInt16) throws(SluiceError) -> (consumed: Int, produced: Int, ended: Bool) {
        let inCount = min(input.count, Int(UInt32.max >> 1))
        let outCount = min(output.count, Int(UInt32.max >> 1))
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
        stream.pointee.avail_in = UInt32(inCount)
        stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_out = UInt32(outCount)
        stream.pointee.end_of_stream = finish ? 1 : 0
        stream.pointee.flush = flush
        let ret = isal_deflate(stream)
        guard ret == COMP_OK else {
            throw SluiceError(.corrupt, "ISA-L deflate failed", code: Self.codeName(ret))
        }
        return (inCount - Int(stream.pointee.avail_in), outCount - Int(stream.pointee.avail_out),
                sluice_isal_deflate_ended(stream) != 0)
    }

    static func codeName(_ ret: Int32) -> String {
        switch ret {
        case INVALID_FLUSH: return "INVALID_FLUSH"
        case INVALID_PARAM: return "INVALID_PARAM"
        case STATELESS_OVERFLOW: return "STATELESS_OVERFLOW"
        case ISAL_INVALID_OPERATION: return "ISAL_INVALID_OPERATION"
        case ISAL_INVALID_STATE: return "ISAL_INVALID_STATE"
        case ISAL_INVALID_LEVEL: return "ISAL_INVALID_LEVEL"
        case ISAL_INVALID_LEVEL_BUF: return "ISAL_INVALID_LEVEL_BUF"
        default: return "isal_deflate \(ret)"
        }
    }
}

@available(*, unavailable)
extension IsalDeflater: Sendable {}
