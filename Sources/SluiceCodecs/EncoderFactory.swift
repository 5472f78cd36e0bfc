import SluiceCore

/// How to encode: format, level, threads and the format's own knobs.
public struct EncodeOptions: Sendable {
    public var format: CompressionFormat
    /// Compression level; nil is the format's default (6, as gzip and xz use).
    public var level: Int?
    /// Encoder threads: parallel gzip blocks, liblzma's multithreaded xz encoder.
    public var threads: Int
    /// xz only: `LZMA_PRESET_EXTREME` (`xz -e`).
    public var extreme: Bool
    /// xz only: the integrity check.
    public var xzCheck: XzCheck
    /// xz with `threads > 1` only: uncompressed bytes per block (nil: 3 × dictionary).
    public var blockSize: ByteCount?
    /// The engine for single-threaded gzip: ISA-L at every level it has (levels above 3 use ISA-L
    /// level 3), zlib at every level (byte-identical to `gzip -n`), or nil: ISA-L for levels 1–2
    /// (several times faster than zlib there), zlib for the rest.
    public var gzipBackend: GzipBackend?
    /// gzip header FNAME (nil: none, for reproducible output).
    public var gzipName: String?
    /// gzip header MTIME (0: none).
    public var gzipModificationTime: UInt32
    /// Budget the encoder's allocations are counted against (and capped by), if any.
    public var budget: MemoryBudget?

    public init(format: CompressionFormat, level: Int? = nil, threads: Int = 1, extreme: Bool = false,
                xzCheck: XzCheck = .crc64, blockSize: ByteCount? = nil, gzipBackend: GzipBackend? = nil,
                gzipName: String? = nil, gzipModificationTime: UInt32 = 0) {
        self.format = format
        self.level = level
        self.threads = threads
        self.extreme = extreme
        self.xzCheck = xzCheck
        self.blockSize = blockSize
        self.gzipBackend = gzipBackend
        self.gzipName = gzipName
        self.gzipModificationTime = gzipModificationTime
    }
}

/// Builds encoder adapters and knows each writable format's levels and file suffix.
public enum Encoders {
    /// The formats Sluice can write.
    public static let writableFormats: [CompressionFormat] = [.gzip, .zlib, .deflate, .xz]

    /// A fresh encoder. Cost: the codec's state (xz -9 needs about 674 MiB per thread, as with `xz`).
    /// - Throws: ``SluiceError/Kind/unsupported`` for a format Sluice cannot write,
    ///   ``SluiceError/Kind/usage`` for a level out of range.
    public static func make(_ options: EncodeOptions) throws(SluiceError) -> StreamEncoder {
        let level = options.level ?? defaultLevel
        switch options.format {
        case .gzip:
            if options.threads > 1 {
                return try ParallelGzipEncoder(level: level, threads: options.threads, name: options.gzipName,
                                               modificationTime: options.gzipModificationTime, budget: options.budget)
            }
            let engine = options.gzipBackend ?? ((1...2).contains(level) ? .isal : .zlib)
            guard (0...9).contains(level) else { throw SluiceError(.usage, "gzip level \(level) is out of range 0-9") }
            return try GzipEncoder(level: engine == .isal ? min(level, 3) : level, engine: engine,
                                   name: options.gzipName, modificationTime: options.gzipModificationTime, budget: options.budget)
        case .zlib, .deflate:
            return try DeflateEncoder(format: options.format, level: level, budget: options.budget)
        case .xz:
            return try XzEncoder(preset: level, extreme: options.extreme, check: options.xzCheck,
                                 threads: options.threads, blockSize: options.blockSize, budget: options.budget)
        default:
            throw SluiceError(.unsupported, "cannot write \(options.format.rawValue) (writable: gzip, zlib, deflate, xz)")
        }
    }

    /// Shorthand for ``make(_:)`` with the common knobs.
    public static func make(format: CompressionFormat, level: Int? = nil, threads: Int = 1) throws(SluiceError) -> StreamEncoder {
        try make(EncodeOptions(format: format, level: level, threads: threads))
    }

    /// The level used when none is given: 6 for every format, as gzip, zlib and xz default to.
    public static let defaultLevel = 6

    /// The conventional file suffix of a written format (`.gz`, `.zz`, `.xz`, `.deflate`).
    public static func suffix(for format: CompressionFormat) -> String? {
        switch format {
        case .gzip: return ".gz"
        case .zlib: return ".zz"
        case .deflate: return ".deflate"
        case .xz: return ".xz"
        default: return nil
        }
    }

    /// The format a file name's suffix promises, for choosing an output format from `-o NAME`.
    public static func format(forFileName name: String) -> CompressionFormat? {
        let lower = name.lowercased()
        let table: [(String, CompressionFormat)] = [(".gz", .gzip), (".tgz", .gzip), (".xz", .xz), (".txz", .xz),
                                                     (".zz", .zlib), (".deflate", .deflate)]
        return table.first { lower.hasSuffix($0.0) }?.1
    }

    /// `name` without a compression suffix it carries (`a.log.gz` → `a.log`, `a.tgz` → `a.tar`).
    public static func strippingCompressionSuffix(_ name: String) -> String {
        let lower = name.lowercased()
        for (suffix, replacement) in [(".tgz", ".tar"), (".txz", ".tar"), (".gz", ""), (".xz", ""), (".zz", ""), (".z", ""),
                                      (".deflate", ""), (".lzma", ""), (".lz", ""), (".zst", ""), (".bz2", "")]
        where lower.hasSuffix(suffix) && lower.count > suffix.count {
            return String(name.dropLast(suffix.count)) + replacement
        }
        return name
    }
}
