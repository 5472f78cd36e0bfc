import SluiceCore

/// How to decode an input: forced format, gzip engine, buffer size, threads, memory limit.
public struct DecodeOptions: Sendable {
    /// Decode as this format instead of detecting it from the magic bytes.
    public var format: CompressionFormat?
    /// The raw-deflate engine for gzip.
    public var gzipBackend: GzipBackend = .isal
    /// Size of the one compressed-input buffer.
    public var chunkSize: ByteCount = .kibibytes(128)
    /// Decoder threads (xz only; other formats decode on one thread).
    public var threads: Int = 1
    /// Memory limit handed to liblzma, if any.
    public var codecMemoryLimit: ByteCount?

    public init(format: CompressionFormat? = nil, gzipBackend: GzipBackend = .isal,
                chunkSize: ByteCount = .kibibytes(128), threads: Int = 1, codecMemoryLimit: ByteCount? = nil) {
        self.format = format
        self.gzipBackend = gzipBackend
        self.chunkSize = chunkSize
        self.threads = threads
        self.codecMemoryLimit = codecMemoryLimit
    }
}

/// Builds the decoder adapter for a format and opens inputs with format detection.
public enum Decoders {
    /// A fresh decoder for `format`. Throws ``SluiceError/Kind/unsupported`` for zstd and bzip2.
    public static func make(_ format: CompressionFormat, options: DecodeOptions = DecodeOptions()) throws(SluiceError) -> StreamDecoder {
        switch format {
        case .gzip: return GzipDecoder(backend: options.gzipBackend)
        case .zlib, .deflate: return DeflateDecoder(format: format)
        case .xz, .lzip, .lzma:
            return try LzmaDecoder(format: format, threads: options.threads,
                                   memoryLimit: options.codecMemoryLimit.map { UInt64($0.bytes) })
        case .plain: return PassthroughDecoder()
        case .zstd, .bzip2:
            throw SluiceError(.unsupported, "\(format.rawValue) data is recognised but not supported yet", offset: 0)
        }
    }

    /// Opens `path` (`-` is standard input), detects its format from the first bytes unless
    /// `options.format` forces one, and returns a reader of the decoded bytes.
    ///
    /// Reads at most ``CompressionFormat/detectionPrefixLength`` bytes before returning; those
    /// bytes are handed to the decoder, so non-seekable inputs work.
    public static func open(_ path: String, options: DecodeOptions = DecodeOptions()) throws(SluiceError) -> DecodingReader {
        let source = try FileSource(path: path)
        return try open(source: source, path: path, options: options)
    }

    /// Like ``open(_:options:)`` over an already opened byte source.
    public static func open(source: ByteReader, path: String, options: DecodeOptions = DecodeOptions()) throws(SluiceError) -> DecodingReader {
        let prefixLength = CompressionFormat.detectionPrefixLength
        let prefix = UnsafeMutableRawBufferPointer.allocate(byteCount: prefixLength, alignment: 8)
        defer { prefix.deallocate() }
        var have = 0
        while have < prefixLength {
            let n: Int
            do {
                n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: prefix[have...]))
            } catch {
                throw error.at(path: path)
            }
            if n == 0 { break }
            have += n
        }
        let head = UnsafeRawBufferPointer(rebasing: prefix[..<have])
        let format = options.format ?? CompressionFormat.detect(head)
        let decoder: StreamDecoder
        do {
            decoder = try make(format, options: options)
        } catch {
            throw error.at(path: path)
        }
        return DecodingReader(path: path, format: format, source: source, decoder: decoder,
                              chunkSize: options.chunkSize, prefetched: head)
    }
}
