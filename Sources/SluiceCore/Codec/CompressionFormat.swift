/// The container formats Sluice recognises, and detection from the first bytes of a stream.
///
/// Detection never looks at file names: a `.gz` that holds plain text is plain text.
public enum CompressionFormat: String, Sendable, CaseIterable, Equatable {
    case gzip
    /// RFC 1950 zlib wrapper around deflate.
    case zlib
    /// Headerless RFC 1951 deflate; never detected, only chosen with `--format deflate`.
    case deflate
    case xz
    /// Legacy LZMA_Alone (`.lzma`).
    case lzma
    case lzip
    case zstd
    case bzip2
    /// Not compressed: passed through unchanged.
    case plain

    /// How many leading bytes ``detect(_:)`` wants to see (fewer is fine at end of input).
    public static let detectionPrefixLength = 16

    /// Whether this build can decode the format.
    public var isSupported: Bool {
        switch self {
        case .zstd, .bzip2: return false
        default: return true
        }
    }

    /// Identifies the format from the first bytes of a stream.
    ///
    /// Pass at least ``detectionPrefixLength`` bytes unless the input is shorter. Anything that
    /// matches no magic number is ``plain``. Cost: a few comparisons.
    public static func detect(_ prefix: UnsafeRawBufferPointer) -> CompressionFormat {
        let b = prefix
        func starts(with magic: [UInt8]) -> Bool {
            guard b.count >= magic.count else { return false }
            for i in 0..<magic.count where b[i] != magic[i] { return false }
            return true
        }
        if starts(with: [0x1F, 0x8B]) { return .gzip }
        if starts(with: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return .xz }
        if starts(with: [0x4C, 0x5A, 0x49, 0x50]) { return .lzip }  // "LZIP"
        if starts(with: [0x28, 0xB5, 0x2F, 0xFD]) { return .zstd }
        if starts(with: [0x42, 0x5A, 0x68]), b.count >= 4, (0x31...0x39).contains(b[3]) { return .bzip2 }  // "BZh1".."BZh9"
        if looksLikeLzmaAlone(b) { return .lzma }
        if looksLikeZlib(b) { return .zlib }
        return .plain
    }

    /// The plausibility test xz applies to headerless `.lzma` files: a valid properties byte, a
    /// dictionary size of 2^n or 2^n + 2^(n-1), and an uncompressed size that is unknown or < 256 GiB.
    static func looksLikeLzmaAlone(_ b: UnsafeRawBufferPointer) -> Bool {
        guard b.count >= 13, b[0] <= (4 * 5 + 4) * 9 + 8 else { return false }
        var dict: UInt32 = 0
        for i in 0..<4 { dict |= UInt32(b[1 + i]) << (8 * UInt32(i)) }
        if dict != UInt32.max {
            // Round up to the next 2^n or 2^n + 2^(n-1) and require equality, as liblzma does.
            var d = dict &- 1
            d |= d >> 2
            d |= d >> 3
            d |= d >> 4
            d |= d >> 8
            d |= d >> 16
            d &+= 1
            if d != dict { return false }
        }
        var size: UInt64 = 0
        for i in 0..<8 { size |= UInt64(b[5 + i]) << (8 * UInt64(i)) }
        return size == UInt64.max || size < (1 << 38)
    }

    /// RFC 1950: CM = 8, CINFO ≤ 7, FCHECK makes the first two bytes a multiple of 31, no preset
    /// dictionary, and the first deflate block type is not the reserved 11. Text whose first two
    /// bytes happen to pass is rare but possible, so for CINFO < 7 both bytes must not be printable
    /// ASCII; `--format plain` overrides detection.
    static func looksLikeZlib(_ b: UnsafeRawBufferPointer) -> Bool {
        guard b.count >= 3 else { return false }
        let cmf = b[0], flg = b[1]
        guard cmf & 0x0F == 8, cmf >> 4 <= 7 else { return false }
        guard (UInt16(cmf) << 8 | UInt16(flg)) % 31 == 0, flg & 0x20 == 0 else { return false }
        guard (b[2] >> 1) & 0x3 != 3 else { return false }
        if cmf != 0x78 {
            let printable: ClosedRange<UInt8> = 0x20...0x7E
            if printable.contains(cmf) && printable.contains(flg) { return false }
        }
        return true
    }
}
