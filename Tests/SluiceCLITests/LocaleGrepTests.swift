import Foundation
import Testing

/// Issue #10 item 7: `-i` and `.` follow the locale as GNU grep does; invalid UTF-8 stays searchable.
@Suite("grep follows the locale's character type")
struct LocaleGrepTests {
    static let text = "Øresund bridge\nøresund\noresund\nbad \u{FF}\u{FE} line with ERROR\nxresund\nKELVIN\n"

    @Test("sluice grep matches what GNU grep -a matches, in C.UTF-8 and in C",
          arguments: [["-i", "øresund"], ["^.resund"], ["-i", "-F", "ØRESUND"], ["-c", "ba. .. line"], ["-c", "ERROR"],
                      ["-ci", "error"], ["-E", "^(ø|Ø)re"]])
    func likeGNUGrep(arguments: [String]) throws {
        let dir = try CLI.scratch("locale-\(abs(arguments.joined().hashValue))")
        // Write the bytes 0xFF 0xFE themselves (not their UTF-8 encodings) into the invalid line.
        var bytes = [UInt8](Self.text.utf8)
        bytes = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated().flatMap { index, line -> [UInt8] in
            (index == 3 ? Array("bad ".utf8) + [0xFF, 0xFE] + Array(" line with ERROR".utf8) : Array(line)) + [0x0A]
        }.dropLast()
        try Data(bytes).write(to: dir.appendingPathComponent("t.txt"))
        try CLI.shell("cd \(dir.path) && gzip -kf t.txt")
        let quoted = arguments.map { "'\($0)'" }.joined(separator: " ")
        for locale in ["C.UTF-8", "C"] {
            let status = try CLI.shell("""
                cd \(dir.path) && LC_ALL=\(locale) grep -a \(quoted) t.txt > expected 2>/dev/null; echo $? > expected.rc; \
                LC_ALL=\(locale) '\(CLI.binary)' grep \(quoted) t.txt.gz > actual 2>/dev/null; echo $? > actual.rc
                """)
            #expect(status == 0)
            let expected = try Data(contentsOf: dir.appendingPathComponent("expected"))
            let actual = try Data(contentsOf: dir.appendingPathComponent("actual"))
            #expect(actual == expected, "\(locale) \(arguments): \(String(decoding: actual, as: UTF8.self)) vs \(String(decoding: expected, as: UTF8.self))")
            let rcExpected = try String(contentsOf: dir.appendingPathComponent("expected.rc"), encoding: .utf8)
            let rcActual = try String(contentsOf: dir.appendingPathComponent("actual.rc"), encoding: .utf8)
            #expect(rcActual == rcExpected, "\(locale) \(arguments)")
        }
    }
}
