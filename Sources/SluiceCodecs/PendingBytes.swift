/// A few bytes an encoder owes its caller (a gzip header or trailer), handed out as output space allows.
///
///     bytes  [ 0 ..< start  |  start ..< count ]
///              already given    still owed
///
/// Lets framing work with any output window, down to one byte per call. Not thread-safe.
struct PendingBytes {
    private var bytes: [UInt8] = []
    private var start = 0

    init(_ bytes: [UInt8] = []) { self.bytes = bytes }

    /// True when every byte has been handed out.
    var isEmpty: Bool { start == bytes.count }

    /// Copies as many owed bytes as fit to the start of `output`; returns how many.
    mutating func drain(into output: UnsafeMutableRawBufferPointer) -> Int {
        let n = min(output.count, bytes.count - start)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { src in
            output.baseAddress!.copyMemory(from: src.baseAddress! + start, byteCount: n)
        }
        start += n
        return n
    }
}

/// gzip member framing (RFC 1952) shared by the gzip encoders: header and trailer bytes.
enum GzipFraming {
    /// The optional header fields. The default (no name, mtime 0) makes output reproducible,
    /// like `gzip -n`.
    static func header(level: Int, name: String?, modificationTime: UInt32) -> [UInt8] {
        // XFL: 2 = maximum compression, 4 = fastest, as gzip and zlib write it.
        let xfl: UInt8 = level >= 9 ? 2 : (level <= 1 ? 4 : 0)
        let flags: UInt8 = name == nil ? 0 : 0x08  // FNAME
        var h: [UInt8] = [0x1F, 0x8B, 0x08, flags]
        h += littleEndian(modificationTime)
        h += [xfl, 3]  // OS 3 = Unix, as gzip writes on Linux
        if let name {
            // FNAME is ISO 8859-1, zero-terminated: a zero byte in the name would end it early.
            h += name.utf8.filter { $0 != 0 }
            h.append(0)
        }
        return h
    }

    /// CRC-32 and ISIZE (input size modulo 2^32), both little-endian.
    static func trailer(crc: UInt32, size: UInt64) -> [UInt8] {
        littleEndian(crc) + littleEndian(UInt32(truncatingIfNeeded: size))
    }

    static func littleEndian(_ v: UInt32) -> [UInt8] {
        [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)]
    }
}
