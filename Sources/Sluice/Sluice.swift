// The library Swift users import: `import Sluice` brings the core types (readers, lines, stages,
// rings, sinks, errors), the codec adapters (gzip, zlib, xz, lzip, lzma) and the regex matcher.
// Codec benchmarking is a module of its own (`import SluiceBench`).
@_exported import SluiceCore
@_exported import SluiceCodecs
@_exported import SluiceSearch

/// A lazy line pipeline over `path` (`-` is standard input), any supported format or plain text.
///
/// Nothing is opened until a terminal operation runs:
///
///     try Sluice.lines(of: "app.log.gz").grep("ERROR").prefix(100).lines { line in
///         print(String(line))
///     }
///     let (lines, bytes) = try Sluice.lines(of: "big.xz").count()
///     for try await block in Sluice.lines(of: "app.log.gz").grep("WARN").blocks { … }
public func lines(of path: String, options: DecodeOptions = DecodeOptions()) -> LinePipeline {
    var pipeline = LinePipeline(path: path) { () throws(SluiceError) -> ByteReader in
        try Decoders.open(path, options: options)
    }
    pipeline.budget = options.budget
    return pipeline
}

extension LinePipeline {
    /// Lines matching a regular expression (PCRE2 syntax).
    public func grep(regex pattern: String, ignoreCase: Bool = false) throws(SluiceError) -> LinePipeline {
        grep(try RegexMatcher(pattern, ignoreCase: ignoreCase))
    }
}
