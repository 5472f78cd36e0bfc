/// A failure Sluice reports to a user: what went wrong, where, and the C library's own code.
///
/// The description is one line, the shape every command prints after `sluice: `:
///
///     app.log.gz: CRC32 mismatch in member 2 (stored 0x1c291ca3, computed 0x9c6a1b44) at compressed byte 4711
///
/// Decoders create errors without a path; ``DecodingReader`` adds the path of the input.
public struct SluiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What class of fault this is; scripts read it from `sluice test --json`.
    public enum Kind: String, Sendable, Equatable {
        /// The input ended before the compressed stream did.
        case truncated
        /// The compressed data is damaged: bad block, bad check, bad header field.
        case corrupt
        /// Bytes after the last complete member or stream that are not another one.
        case trailingGarbage = "trailing-garbage"
        /// Valid data that uses a feature or format this build cannot decode.
        case unsupported
        /// The operating system refused a read or write.
        case io
        /// A configured limit (memory, line length) would be exceeded.
        case limit
        /// The command line asked for something impossible.
        case usage
    }

    public var kind: Kind
    /// A short sentence, lower case, no trailing period.
    public var message: String
    /// The underlying C code by name (`Z_DATA_ERROR`, `LZMA_DATA_ERROR`, `ISAL_INVALID_BLOCK`, `ENOENT`), if any.
    public var code: String?
    /// Byte offset in the compressed input where the fault was found, if known.
    public var offset: Int64?
    /// The input or output path the error concerns (`-` is standard input); the description
    /// quotes it (``PathName/display(_:)``), so a newline or escape in a name stays harmless.
    public var path: String?

    public init(_ kind: Kind, _ message: String, code: String? = nil, offset: Int64? = nil, path: String? = nil) {
        self.kind = kind
        self.message = message
        self.code = code
        self.offset = offset
        self.path = path
    }

    public var description: String {
        var line = ""
        if let path { line += PathName.display(path) + ": " }
        line += message
        if let code { line += " (\(code))" }
        if let offset { line += " at compressed byte \(offset)" }
        return line
    }

    /// The same error, attributed to `path` unless it already names one.
    public func at(path: String) -> SluiceError {
        var copy = self
        if copy.path == nil { copy.path = path }
        return copy
    }
}
