import CPcre2
import SluiceCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Regular expressions (Perl syntax) through PCRE2 with its JIT compiler.
///
/// Why PCRE2: it is the engine `grep -P`, ugrep and ripgrep's `-P` use, it ships in every Debian
/// (`libpcre2-dev`), and its JIT matches at hundreds of MB/s over whole blocks. The whole block of
/// lines is searched with `^`/`$` matching at line breaks; a hit is then confirmed against just
/// its own line, since a pattern like `\s` could otherwise match across a line break.
///
/// Characters follow the locale, as GNU grep does: in a UTF-8 locale (``isUTF8Locale``) a
/// pattern that is not a plain ASCII literal is compiled with `PCRE2_UTF | PCRE2_UCP`, so `.`
/// matches `ø` and `-i øresund` matches `Øresund`, and with `PCRE2_MATCH_INVALID_UTF`, so lines of
/// invalid UTF-8 stay searchable (an invalid byte never matches `.`). Everywhere else, and for
/// ASCII literals (`ERROR`, `-i error`: the same matches either way), bytes are matched as bytes,
/// which keeps the common search at full speed.
public final class RegexMatcher: LineMatcher {
    private let code: OpaquePointer
    private let match: OpaquePointer
    private let jit: Int32
    public let pattern: String

    /// Compiles `pattern` (`pcre2_compile`, then `pcre2_jit_compile`). `literal` treats it as a
    /// fixed string (for `-F -i`); `unicode` matches characters rather than bytes (default: the
    /// locale's choice, ``isUTF8Locale``).
    /// - Throws: ``SluiceError/Kind/usage`` naming PCRE2's reason and at most a short prefix of
    ///   the pattern.
    public convenience init(_ pattern: String, ignoreCase: Bool = false, literal: Bool = false,
                            unicode: Bool = RegexMatcher.isUTF8Locale) throws(SluiceError) {
        try self.init(bytes: Array(pattern.utf8), ignoreCase: ignoreCase, literal: literal, unicode: unicode)
    }

    /// Compiles a pattern given as bytes (a command-line argument need not be UTF-8).
    /// `unicodeClasses` (PCRE2_UCP): `\w`, `\b`, `[[:alpha:]]` and case folding by Unicode
    /// properties in UTF mode, as GNU grep's own matcher does for -G/-E; grep 3.8's -P leaves it off.
    public init(bytes: [UInt8], ignoreCase: Bool = false, literal: Bool = false,
                unicode: Bool = RegexMatcher.isUTF8Locale, unicodeClasses: Bool = true) throws(SluiceError) {
        self.pattern = String(decoding: bytes, as: UTF8.self)
        // PCRE2_LITERAL admits only a few other options; a literal has no ^ or $ to make multiline.
        var options = literal ? sluice_pcre2_literal() : sluice_pcre2_multiline()
        if ignoreCase { options |= sluice_pcre2_caseless() }
        if unicode && !(literal && bytes.allSatisfy { $0 < 0x80 }) {
            // PCRE2_LITERAL refuses PCRE2_UCP; in UTF mode caseless matching of non-ASCII
            // characters uses Unicode case folding without it.
            options |= sluice_pcre2_utf() | sluice_pcre2_match_invalid_utf() | (literal || !unicodeClasses ? 0 : sluice_pcre2_ucp())
        }
        var errorCode: Int32 = 0
        var errorOffset = 0
        let compiled = bytes.withUnsafeBufferPointer { raw in
            sluice_pcre2_compile(raw.baseAddress ?? UnsafePointer(bitPattern: 1), raw.count, options, &errorCode, &errorOffset)
        }
        guard let compiled else {
            var message = [UInt8](repeating: 0, count: 256)
            let n = message.withUnsafeMutableBufferPointer { sluice_pcre2_error_message(errorCode, $0.baseAddress, 256) }
            let reason = String(decoding: message.prefix(max(0, Int(n))), as: UTF8.self)
            throw SluiceError(.usage, "invalid regular expression \(Self.excerpt(bytes)): \(reason) at pattern offset \(errorOffset)")
        }
        code = compiled
        jit = sluice_pcre2_jit_compile(compiled) == 0 ? 1 : 0
        match = sluice_pcre2_match_data_create(compiled)
    }

    /// A pattern for a message: quoted, and cut to its first 40 bytes (`'abc…' (70000 bytes)`),
    /// so a huge pattern never floods the terminal.
    public static func excerpt(_ bytes: [UInt8]) -> String {
        let limit = 40
        guard bytes.count > limit else { return PathName.quoted(PathName.string(fromRaw: bytes)) }
        var cut = limit
        while cut > 0 && bytes[cut] & 0xC0 == 0x80 { cut -= 1 }  // not inside a UTF-8 sequence
        return PathName.quoted(PathName.string(fromRaw: Array(bytes[..<cut])) + "…") + " (\(bytes.count) bytes)"
    }

    deinit { sluice_pcre2_free(code, match) }

    /// Whether the character type of the locale is UTF-8, decided as setlocale(3) would: the first
    /// set of `LC_ALL`, `LC_CTYPE` and `LANG` names a UTF-8 codeset (`en_US.UTF-8`, `C.utf8`).
    public static let isUTF8Locale: Bool = {
        for name in ["LC_ALL", "LC_CTYPE", "LANG"] {
            guard let value = getenv(name).map({ String(cString: $0) }), !value.isEmpty else { continue }
            let lower = value.lowercased()
            return lower.contains("utf-8") || lower.contains("utf8")
        }
        return false
    }()

    private func search(_ bytes: UnsafeRawBufferPointer, from: Int) -> Int? {
        let subject = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(bitPattern: 1)
        let rc = sluice_pcre2_match(code, jit, subject, bytes.count, from, match)
        return rc > 0 ? sluice_pcre2_match_start(match) : nil
    }

    public func firstMatchingLine(in block: UnsafeRawBufferPointer, from: Int) -> Range<Int>? {
        var position = from
        while position < block.count {
            guard let hit = search(block, from: position) else { return nil }
            let line = block.lineAround(min(hit, block.count - 1), from: position)
            // Confirmed against the line as GNU grep sees it: a `\r` before the `\n` is part of it.
            let whole = line.upperBound < block.count && block[line.upperBound] == 0x0D ? line.lowerBound..<(line.upperBound + 1) : line
            if matches(UnsafeRawBufferPointer(rebasing: block[whole])) { return line }
            position = block.nextLineStart(after: line)
        }
        return nil
    }

    public func matches(_ line: UnsafeRawBufferPointer) -> Bool { search(line, from: 0) != nil }

    public func firstMatch(in line: UnsafeRawBufferPointer, from: Int) -> Range<Int>? {
        guard from <= line.count, let start = search(line, from: from) else { return nil }
        return start..<max(start, sluice_pcre2_match_end(match))
    }
}

@available(*, unavailable)
extension RegexMatcher: Sendable {}
