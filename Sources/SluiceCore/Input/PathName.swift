/// File names are bytes; Swift strings are Unicode. This is the one place that bridges them.
///
/// A path is carried as a `String` everywhere, so every API stays as simple as `open("a.gz")`.
/// A name that is not valid UTF-8 (`caf\xE9.log.gz` from an old server or an archive) is carried
/// losslessly: each byte of an invalid sequence becomes one private-use scalar,
///
///     byte b (0x80 … 0xFF)  ⇄  U+10FF00 + b  (U+10FF80 … U+10FFFF, Supplementary Private Use Area-B)
///
/// and a name that really contains one of those scalars has each of its UTF-8 bytes escaped the
/// same way, so the mapping is one-to-one: `bytes(string(fromRaw: x)) == x` for every byte string.
/// A valid UTF-8 name (anything a Swift literal spells) is its own string, unchanged.
///
/// Syscalls get the bytes back through ``withCString(_:_:)``; diagnostics print ``quoted(_:)``
/// (shell-escaped, as coreutils quotes names); JSON prints ``lossy(_:)``.
public enum PathName {
    /// First escape scalar: byte `b` is `escapeBase + b`.
    static let escapeBase: UInt32 = 0x10FF00
    static let escapeRange: ClosedRange<UInt32> = 0x10FF80...0x10FFFF

    /// The string carrying `raw` (argv entries, directory entries) without loss.
    public static func string(fromRaw raw: UnsafeRawBufferPointer) -> String {
        var scalars = String.UnicodeScalarView()
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = raw.makeIterator()
        var position = 0
        func escape(_ count: Int) {
            for k in position..<(position + count) {
                scalars.append(Unicode.Scalar(escapeBase + UInt32(raw[k]))!)
            }
        }
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                let scalar = Unicode.UTF8.decode(encoded)
                if escapeRange.contains(scalar.value) { escape(encoded.count) } else { scalars.append(scalar) }
                position += encoded.count
            case .error(let length):
                escape(length)
                position += length
            case .emptyInput:
                return String(scalars)
            }
        }
    }

    /// The string carrying `raw` without loss.
    public static func string(fromRaw raw: [UInt8]) -> String {
        raw.withUnsafeBytes { string(fromRaw: $0) }
    }

    /// The string carrying a NUL-terminated C string (an `argv` entry, a `d_name`).
    /// The process's arguments after the program name, as bytes carried losslessly:
    /// `CommandLine.arguments` would replace a non-UTF-8 file name's bytes with U+FFFD.
    public static var commandLineArguments: [String] {
        (1..<Int(CommandLine.argc)).map { string(fromCString: CommandLine.unsafeArgv[$0]!) }
    }

    public static func string(fromCString pointer: UnsafePointer<CChar>) -> String {
        var length = 0
        while pointer[length] != 0 { length += 1 }
        return string(fromRaw: UnsafeRawBufferPointer(start: pointer, count: length))
    }

    /// Whether `path` carries escaped bytes (cheap: escapes are the only scalars above U+10FF7F,
    /// whose UTF-8 starts with 0xF4 0x8F 0xBE/0xBF).
    @inline(__always)
    static func hasEscapes(_ path: String) -> Bool { path.utf8.contains(0xF4) }

    /// The bytes `path` stands for.
    public static func bytes(_ path: String) -> [UInt8] {
        guard hasEscapes(path) else { return Array(path.utf8) }
        var out: [UInt8] = []
        out.reserveCapacity(path.utf8.count)
        for scalar in path.unicodeScalars {
            if escapeRange.contains(scalar.value) {
                out.append(UInt8(scalar.value - escapeBase))
            } else {
                out.append(contentsOf: UTF8.encode(scalar)!)
            }
        }
        return out
    }

    /// Calls `body` with the NUL-terminated bytes of `path`, for a syscall.
    public static func withCString<R>(_ path: String, _ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        guard hasEscapes(path) else { return try path.withCString(body) }
        var raw = bytes(path)
        raw.append(0)
        return try raw.withUnsafeBytes { try body($0.baseAddress!.assumingMemoryBound(to: CChar.self)) }
    }

    /// The name as valid UTF-8, each stray byte shown as U+FFFD (for JSON, which cannot carry it).
    public static func lossy(_ path: String) -> String {
        guard hasEscapes(path) else { return path }
        return String(decoding: bytes(path), as: UTF8.self)
    }

    /// Labels Sluice puts where a path would be; printed as they are.
    static let labels: Set<String> = ["(stdin)", "(stdout)", "(stderr)", "(standard input)"]

    /// `path` for a one-line diagnostic: `-` is `(stdin)`, a label stays as it is, any other name
    /// is ``quoted(_:)``.
    public static func display(_ path: String) -> String {
        if path == "-" { return "(stdin)" }
        if labels.contains(path) { return path }
        return quoted(path)
    }

    /// The name quoted for a diagnostic the way coreutils quotes file names (`quotef`: GNU
    /// quotearg's shell-escape style, colons quoted too), so a newline, an escape sequence or a
    /// stray byte can neither split the message line nor reach the terminal, and the result can
    /// be pasted into a shell:
    ///
    ///     app.log.gz → app.log.gz      a b → 'a b'      it's → "it's"
    ///     a⏎b → 'a'$'\n''b'            caf\xE9 → 'caf'$'\351'      (empty) → ''
    ///
    /// Printable UTF-8 is kept as it is (a UTF-8 locale is assumed).
    public static func quoted(_ path: String) -> String {
        let raw = bytes(path)
        var units: [Unit] = []
        var needsQuotes = raw.isEmpty
        var apostrophe = false
        var doubleQuotable = true  // nothing but printable text, spaces and apostrophes
        var index = 0
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = raw.makeIterator()
        parsing: while true {
            switch parser.parseScalar(from: &iterator) {
            case .emptyInput:
                break parsing
            case .error(let length):
                units.append(.escaped(Array(raw[index..<(index + length)])))
                needsQuotes = true
                doubleQuotable = false
                index += length
            case .valid(let encoded):
                let bytes = Array(encoded)
                let scalar = Unicode.UTF8.decode(encoded)
                defer { index += bytes.count }
                if bytes.count > 1 {
                    if (0x80...0x9F).contains(scalar.value) {  // C1 controls are not printable
                        units.append(.escaped(bytes))
                        needsQuotes = true
                        doubleQuotable = false
                    } else {
                        units.append(.text(bytes))
                    }
                    continue
                }
                let c = bytes[0]
                switch c {
                case 0x00..<0x20, 0x7F:
                    units.append(.escaped(bytes))
                    needsQuotes = true
                    doubleQuotable = false
                    continue
                case UInt8(ascii: "'"):
                    apostrophe = true
                    needsQuotes = true
                case UInt8(ascii: " "):
                    needsQuotes = true
                case UInt8(ascii: "{"), UInt8(ascii: "}"):
                    if raw.count == 1 { needsQuotes = true }
                    doubleQuotable = false
                case UInt8(ascii: "#"), UInt8(ascii: "~"):
                    if index == 0 { needsQuotes = true } else { doubleQuotable = false }
                case UInt8(ascii: ":"):
                    needsQuotes = true
                default:
                    if Self.shellSpecial.contains(c) {
                        needsQuotes = true
                        doubleQuotable = false
                    }
                }
                units.append(.text(bytes))
            }
        }
        if !needsQuotes { return String(decoding: raw, as: UTF8.self) }
        if apostrophe && doubleQuotable { return "\"" + String(decoding: raw, as: UTF8.self) + "\"" }
        var out = "'"
        var inEscape = false
        for unit in units {
            switch unit {
            case .escaped(let bytes):
                if !inEscape { out += "'$'"; inEscape = true }
                for b in bytes { out += Self.escape(b) }
            case .text(let bytes):
                if inEscape { out += "''"; inEscape = false }
                if bytes == [UInt8(ascii: "'")] { out += "'\\''" } else { out += String(decoding: bytes, as: UTF8.self) }
            }
        }
        return out + "'"
    }

    private enum Unit {
        case text([UInt8])
        case escaped([UInt8])
    }

    /// ASCII characters a shell treats specially (quotearg's list, `?` and `\` included).
    private static let shellSpecial: Set<UInt8> = Set("!\"$&()*;<=>?[\\^`|".utf8)

    /// `\n`-style names for the usual controls, `\ooo` for any other byte.
    private static func escape(_ b: UInt8) -> String {
        switch b {
        case 0x07: return "\\a"
        case 0x08: return "\\b"
        case 0x09: return "\\t"
        case 0x0A: return "\\n"
        case 0x0B: return "\\v"
        case 0x0C: return "\\f"
        case 0x0D: return "\\r"
        default: return "\\" + String(b >> 6) + String((b >> 3) & 7) + String(b & 7)
        }
    }
}
