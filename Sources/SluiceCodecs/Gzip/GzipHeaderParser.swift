import CZlib
import SluiceCore

/// Incremental RFC 1952 member-header parser: feed it bytes in any split, one call at a time.
///
///     ID1 ID2 CM FLG MTIME(4) XFL OS [XLEN(2) EXTRA] [NAME\0] [COMMENT\0] [CRC16(2)]
///
/// Rejects what gzip, pigz and zlib reject: a method other than deflate, reserved flag bits, and a
/// header CRC-16 that does not match. Keeps at most 255 bytes of the file name.
struct GzipHeaderParser {
    enum Field { case id1, id2, method, flags, mtime, xfl, os, xlen, extra, name, comment, hcrc, done }

    private(set) var field: Field = .id1
    private var remaining = 0
    private var flags: UInt8 = 0
    private var value: UInt32 = 0
    private var crc: uLong = 0
    private(set) var mtime: UInt32 = 0
    private(set) var name: [UInt8] = []

    static let fhcrc: UInt8 = 0x02, fextra: UInt8 = 0x04, fname: UInt8 = 0x08, fcomment: UInt8 = 0x10

    var isDone: Bool { field == .done }
    /// True until the first byte of the header has been accepted.
    var isAtStart: Bool { field == .id1 }

    /// Why a header byte was refused, and its index within the bytes passed to ``feed(_:)``.
    struct Rejection: Error {
        var kind: SluiceError.Kind
        var message: String
        var index: Int
    }

    /// Consumes header bytes from `bytes`; returns how many it used (stops at the end of the header).
    mutating func feed(_ bytes: UnsafeRawBufferPointer) throws(Rejection) -> Int {
        var i = 0
        while i < bytes.count && field != .done {
            let byte = bytes[i]
            if field != .hcrc { crc = updateCRC(crc, byte) }
            switch field {
            case .id1:
                guard byte == 0x1F else { throw Rejection(kind: .trailingGarbage, message: "trailing garbage after gzip data", index: i) }
                field = .id2
            case .id2:
                guard byte == 0x8B else { throw Rejection(kind: .trailingGarbage, message: "trailing garbage after gzip data", index: i) }
                field = .method
            case .method:
                guard byte == 8 else { throw Rejection(kind: .corrupt, message: "unknown compression method \(byte) in gzip header", index: i) }
                field = .flags
            case .flags:
                guard byte & 0xE0 == 0 else {
                    throw Rejection(kind: .corrupt, message: "reserved gzip header flag bits set (FLG=0x\(hex(byte)))", index: i)
                }
                flags = byte
                field = .mtime
                remaining = 4
                value = 0
            case .mtime:
                value |= UInt32(byte) << (8 * UInt32(4 - remaining))
                remaining -= 1
                if remaining == 0 { mtime = value; field = .xfl }
            case .xfl:
                field = .os
            case .os:
                advanceAfterFixedPart()
            case .xlen:
                value |= UInt32(byte) << (8 * UInt32(2 - remaining))
                remaining -= 1
                if remaining == 0 {
                    remaining = Int(value)
                    field = .extra
                    if remaining == 0 { advanceAfterExtra() }
                }
            case .extra:
                remaining -= 1
                if remaining == 0 { advanceAfterExtra() }
            case .name:
                if byte == 0 { advanceAfterName() } else if name.count < 255 { name.append(byte) }
            case .comment:
                if byte == 0 { advanceAfterComment() }
            case .hcrc:
                value |= UInt32(byte) << (8 * UInt32(2 - remaining))
                remaining -= 1
                if remaining == 0 {
                    let expected = UInt32(crc & 0xFFFF)
                    guard value == expected else {
                        throw Rejection(kind: .corrupt,
                                        message: "gzip header CRC16 mismatch (stored 0x\(hex(value)), computed 0x\(hex(expected)))",
                                        index: i)
                    }
                    field = .done
                }
            case .done:
                break
            }
            i += 1
        }
        return i
    }

    private mutating func advanceAfterFixedPart() {
        if flags & Self.fextra != 0 { field = .xlen; remaining = 2; value = 0 } else { advanceAfterExtra() }
    }
    private mutating func advanceAfterExtra() {
        if flags & Self.fname != 0 { field = .name } else { advanceAfterName() }
    }
    private mutating func advanceAfterName() {
        if flags & Self.fcomment != 0 { field = .comment } else { advanceAfterComment() }
    }
    private mutating func advanceAfterComment() {
        if flags & Self.fhcrc != 0 { field = .hcrc; remaining = 2; value = 0 } else { field = .done }
    }

    private func updateCRC(_ crc: uLong, _ byte: UInt8) -> uLong {
        var b = byte
        return CZlib.crc32(crc, &b, 1)
    }
}

func hex<T: BinaryInteger>(_ v: T) -> String { String(v, radix: 16) }
