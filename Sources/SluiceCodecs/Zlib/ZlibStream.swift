import CZlib

extension UnsafeMutablePointer where Pointee == z_stream {
    /// One zlib call over caller memory, for the inflater and the deflater alike: points the stream
    /// at `input` and `output` (each capped at zlib's 4 GiB `uInt`), runs `call` (`inflate` or
    /// `deflate` with its flush mode), and returns its code with the bytes consumed and produced.
    func step(_ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer,
              _ call: (UnsafeMutablePointer<z_stream>) -> Int32) -> (ret: Int32, consumed: Int, produced: Int) {
        let inCount = min(input.count, Int(UInt32.max))
        let outCount = min(output.count, Int(UInt32.max))
        pointee.next_in = UnsafeMutablePointer<Bytef>(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        pointee.avail_in = uInt(inCount)
        pointee.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
        pointee.avail_out = uInt(outCount)
        let ret = call(self)
        return (ret, inCount - Int(pointee.avail_in), outCount - Int(pointee.avail_out))
    }
}

/// zlib's return codes by name, for messages from the inflater and the deflater alike.
enum ZlibCode {
    static func name(_ code: Int32) -> String {
        switch code {
        case Z_DATA_ERROR: return "Z_DATA_ERROR"
        case Z_NEED_DICT: return "Z_NEED_DICT"
        case Z_MEM_ERROR: return "Z_MEM_ERROR"
        case Z_STREAM_ERROR: return "Z_STREAM_ERROR"
        case Z_BUF_ERROR: return "Z_BUF_ERROR"
        case Z_VERSION_ERROR: return "Z_VERSION_ERROR"
        case Z_ERRNO: return "Z_ERRNO"
        default: return "zlib error \(code)"
        }
    }
}
