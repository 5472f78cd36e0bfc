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

    /// Whether ``detect(_:)`` chose `format` without a magic number: zlib and `.lzma` have none, so
    /// their detection is a guess that a decoder must confirm (``DecodingReader`` falls back to
    /// plain when a guessed stream fails before it is confirmed).
    public static func isGuess(_ format: CompressionFormat) -> Bool {
        format == .zlib || format == .lzma
    }

    /// How much decoded output confirms a guessed `format` (see ``isGuess(_:)``) for this prefix.
    ///
    /// A zlib header whose two bytes are both text (printable ASCII, tab, CR or LF: `x^`, `X<TAB>`)
    /// is a weak guess: it stays on probation for 64 KiB of output, so text that decodes for a
    /// while before failing is still passed through as plain. A binary header (`78 9c`, `78 da`,
    /// a .lzma header) is confirmed by its first decoded byte, as the issue of a damaged real
    /// stream matters more there: it fails as a stream, not as text. 0 for formats with a magic number.
    public static func confirmingOutput(for format: CompressionFormat, prefix: UnsafeRawBufferPointer) -> ByteCount {
        guard isGuess(format) else { return .bytes(0) }
        func isText(_ byte: UInt8) -> Bool { (0x20...0x7E).contains(byte) || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        if format == .zlib, prefix.count >= 2, isText(prefix[0]), isText(prefix[1]) { return .kibibytes(64) }
        return .bytes(1)
    }

    /// xz's plausibility test for headerless `.lzma` files (`is_format_lzma` in xz's `coder.c`),
    /// made stricter: a properties byte liblzma accepts (`lc + lp ≤ 4`, `pb ≤ 4`), a dictionary
    /// size that is 2^n or 2^n + 2^(n-1) and not 0 (or unknown, 0xFFFFFFFF), an uncompressed size
    /// that is unknown or < 256 GiB, and a first range-coder byte of 0 (liblzma's `rc_read_init`
    /// rejects any other). Zero-led data (disk images, sparse files) fails on the dictionary size.
    static func looksLikeLzmaAlone(_ b: UnsafeRawBufferPointer) -> Bool {
        guard b.count >= 14, b[0] <= (4 * 5 + 4) * 9 + 8 else { return false }
        let lc = b[0] % 9, lp = (b[0] / 9) % 5
        guard lc + lp <= 4 else { return false }
        var dict: UInt32 = 0
        for i in 0..<4 { dict |= UInt32(b[1 + i]) << (8 * UInt32(i)) }
        guard dict != 0 else { return false }
        if dict != UInt32.max {
            // Round up to the next 2^n or 2^n + 2^(n-1) and require equality, as xz does.
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
        guard size == UInt64.max || size < (1 << 38) else { return false }
        return b[13] == 0
    }

    /// RFC 1950: CM = 8, CINFO ≤ 7, FCHECK makes the first two bytes a multiple of 31, and the
    /// first deflate block type is not the reserved 11. Text whose first two bytes happen to pass
    /// (`x^2 + y^2`, `X<TAB>Y` in a TSV) is possible, so:
    /// - a header with a preset dictionary (FDICT, what netty writes) counts only when its bytes are
    ///   not both printable ASCII (`78 f9`, `78 bb`; never `x `, `x?`, `x}`); the decoder then refuses
    ///   it with the DICTID, since the dictionary is not in the file;
    /// - for CINFO < 7 both bytes must not be printable ASCII;
    /// - whatever passes is still a guess (``isGuess(_:)``), confirmed by decoding.
    static func looksLikeZlib(_ b: UnsafeRawBufferPointer) -> Bool {
        guard b.count >= 3 else { return false }
        let cmf = b[0], flg = b[1]
        guard cmf & 0x0F == 8, cmf >> 4 <= 7 else { return false }
        guard (UInt16(cmf) << 8 | UInt16(flg)) % 31 == 0 else { return false }
        let printable: ClosedRange<UInt8> = 0x20...0x7E
        let bothPrintable = printable.contains(cmf) && printable.contains(flg)
        if flg & 0x20 != 0 {
            return !bothPrintable && b.count >= 6  // FDICT: DICTID follows the header
        }
        guard (b[2] >> 1) & 0x3 != 3 else { return false }
        if cmf != 0x78 && bothPrintable { return false }
        return true
    }
}
