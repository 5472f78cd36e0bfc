import SluiceCore

/// How to decode an input: forced format, gzip engine, buffer size, threads, memory limit.
public struct DecodeOptions: Sendable {
    /// Decode as this format instead of detecting it from the magic bytes.
    public var format: CompressionFormat?
    /// The raw-deflate engine for gzip.
    public var gzipBackend: GzipBackend = .isal
    /// Size of the one compressed-input buffer.
    public var chunkSize: ByteCount = .kibibytes(128)
    /// Skip the integrity checks (gzip CRC-32 and ISIZE, xz and lzip checks), like `xz --ignore-check`.
    public var ignoreCheck = false
    /// Decoder threads (xz only; other formats decode on one thread).
    public var threads: Int = 1
    /// Memory limit handed to liblzma, if any.
    public var codecMemoryLimit: ByteCount?
    /// The run's budget: buffers and codec allocations are counted against (and capped by) it.
    public var budget: MemoryBudget?
    /// The run's byte counters (read, decoded), if it keeps them; a verification pass leaves it nil.
    public var counters: IOCounters?
    /// Receives one-line notices about adjustments (threads reduced to fit the cap).
    public var notice: (@Sendable (String) -> Void)?

    public init(format: CompressionFormat? = nil, gzipBackend: GzipBackend = .isal,
                chunkSize: ByteCount = .kibibytes(128), threads: Int = 1, codecMemoryLimit: ByteCount? = nil,
                budget: MemoryBudget? = nil, counters: IOCounters? = nil) {
        self.budget = budget
        self.counters = counters
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
        case .gzip: return try GzipDecoder(backend: options.gzipBackend, verifiesChecks: !options.ignoreCheck, budget: options.budget)
        case .zlib, .deflate: return try DeflateDecoder(format: format, budget: options.budget)
        case .xz, .lzip, .lzma:
            return try LzmaDecoder(format: format, threads: options.threads, ignoreCheck: options.ignoreCheck,
                                   memoryLimit: options.codecMemoryLimit.map { UInt64($0.bytes) }, budget: options.budget)
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
        let source = try FileSource(path: path, counters: options.counters)
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
        var options = options
        if format == .xz, options.threads > 1, let remaining = options.budget?.remaining,
           let file = source as? FileSource, let size = file.knownSize,
           let (perThread, _) = XzIndex.memoryPerDecoderThread(fd: file.fd, fileSize: size, path: path) {
            // Fit the threads to the cap, as xz does, instead of failing (liblzma alone would
            // silently fall back to one thread).
            let fitting = max(1, min(options.threads, (remaining.bytes - options.chunkSize.bytes) / max(perThread, 1)))
            if fitting < options.threads {
                options.notice?("\(path): reduced decoder threads from \(options.threads) to \(fitting) to fit the \(options.budget!.cap!) memory cap (\(ByteCount(bytes: perThread)) per thread)")
                options.threads = fitting
            }
        }
        let decoder: StreamDecoder
        do {
            decoder = try make(format, options: options)
        } catch {
            throw error.at(path: path)
        }
        let confirmAfter = options.format == nil ? CompressionFormat.confirmingOutput(for: format, prefix: head) : .bytes(0)
        let guessed = confirmAfter.bytes > 0
        let reservation: Reservation
        do {
            reservation = try Reservation(DecodingReader.reservation(chunkSize: options.chunkSize, guessed: guessed),
                                          from: options.budget, for: "the input buffer (its chunk size)")
        } catch {
            throw error.at(path: path)
        }
        let reader = DecodingReader(path: path, format: format, source: source, decoder: decoder,
                                    chunkSize: options.chunkSize, prefetched: head, confirmAfter: confirmAfter,
                                    restart: guessed ? { () throws(SluiceError) -> StreamDecoder in try make(format, options: options) } : nil,
                                    reservation: reservation, counters: options.counters)
        if let notice = options.notice { reader.notice = { notice($0) } }
        return reader
    }
}
