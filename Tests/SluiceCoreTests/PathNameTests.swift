import Testing
@testable import SluiceCore

@Suite("PathName: bytes in strings, quoting")
struct PathNameTests {
    @Test("every byte string survives the round trip, valid UTF-8 names are unchanged")
    func roundTrip() {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<64 {
            for _ in 0..<50 {
                let raw = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                #expect(PathName.bytes(PathName.string(fromRaw: raw)) == raw)
            }
        }
        // A name that really contains the escape scalars is escaped too, so it stays distinct.
        for name in ["app.log.gz", "café", "日本.txt", "\u{10FF80}\u{10FFE9}x", ""] {
            let raw = Array(name.utf8)
            #expect(PathName.bytes(PathName.string(fromRaw: raw)) == raw)
            if !name.unicodeScalars.contains(where: { $0.value >= 0x10FF80 }) { #expect(PathName.string(fromRaw: raw) == name) }
        }
        #expect(PathName.string(fromRaw: [0xE9]) != PathName.string(fromRaw: [0xE8]))
    }

    @Test("quoting follows coreutils' shell-escape style", arguments: [
        ("plain.gz", "plain.gz"), ("a b", "'a b'"), ("it's", "\"it's\""), ("a\nb", "'a'$'\\n''b'"), ("", "''"),
        ("a:b", "'a:b'"), ("~x", "'~x'"), ("x~", "x~"), ("a\u{1B}b", "'a'$'\\033''b'"), ("é", "é"), ("a'b\"c", "'a'\\''b\"c'"),
    ])
    func quoting(_ pair: (String, String)) {
        #expect(PathName.quoted(pair.0) == pair.1)
    }

    @Test("stray bytes are octal escapes")
    func strayBytes() {
        #expect(PathName.quoted(PathName.string(fromRaw: Array("caf".utf8) + [0xE9])) == "'caf'$'\\351'")
        #expect(PathName.lossy(PathName.string(fromRaw: Array("caf".utf8) + [0xE9])) == "caf\u{FFFD}")
    }
}
