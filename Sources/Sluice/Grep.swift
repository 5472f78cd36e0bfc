extension PatternSet {
    /// The patterns of `grep -f FILE`: one per line of the decoded file (any supported format,
    /// `-` is standard input), a `\r` before the `\n` kept as GNU grep keeps it.
    /// - Throws: the input's ``SluiceError``, or ``SluiceError/Kind/limit`` past `limit` bytes.
    public static func read(from path: String, options: DecodeOptions = DecodeOptions(),
                            limit: ByteCount = .mebibytes(64)) throws(SluiceError) -> [[UInt8]] {
        var patterns: [[UInt8]] = []
        var total = 0
        try Sluice.lines(of: path, options: options).lines { (line) throws(SluiceError) in
            total += line.bytes.count + 1
            if total > limit.bytes { throw SluiceError(.limit, "pattern file is larger than \(limit)", path: path) }
            patterns.append(Array(line.bytes) + (line.carriageReturn ? [0x0D] : []))
        }
        return patterns
    }
}

extension GrepSearcher {
    /// Searches one input as `grep` does: opens and decodes `path` (`-` is standard input), frames
    /// its lines (at most `maxLine` bytes each) and writes what `options` ask for into `out`.
    /// - Parameters:
    ///   - name: what is printed for the input (`--label` for standard input).
    /// - Throws: ``SluiceError`` when the input cannot be opened (nothing written), or after the
    ///   output for what came before a fault in its data.
    public static func search(_ path: String, name: String, matcher: LineMatcher, options: GrepOptions,
                              run: GrepRun, out: BufferedWriter, decode: DecodeOptions,
                              maxLine: ByteCount) throws(SluiceError) -> GrepResult {
        let source = try Decoders.open(path, options: decode)
        let reader = try LineReader(source, path: path, maxLineLength: maxLine, budget: decode.budget)
        let searcher = GrepSearcher(options: options, matcher: matcher, name: PathName.bytes(name), out: out,
                                    run: run, budget: decode.budget)
        return try searcher.search(reader)
    }
}
