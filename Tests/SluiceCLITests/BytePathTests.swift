import Foundation
import Testing

/// File names are bytes: a name that is not UTF-8 is opened, walked, printed and written as the
/// bytes it is, as zcat and zgrep do.
@Suite("non-UTF-8 file names")
struct BytePathTests {
    @Test("cat, grep -r, head, count, -o and recompress work on caf\\xE9.log.gz")
    func latin1Name() throws {
        let dir = try CLI.fixture("bytepath", "mkdir d && printf 'hello\\nworld\\n' | gzip > \"d/$(printf 'caf\\351.log.gz')\"")
        let name = "\"d/$(printf 'caf\\351.log.gz')\""
        let cat = try CLI.sh("\"$SLUICE\" cat \(name)", in: dir)
        #expect(cat.status == 0 && cat.stdout == "hello\nworld\n", "\(cat.stderr)")
        // grep -r finds it, and prints its name as the same bytes.
        let grep = try CLI.sh("\"$SLUICE\" grep -r world d", in: dir)
        #expect(grep.status == 0)
        #expect(grep.stdoutBytes == Array("d/caf".utf8) + [0xE9] + Array(".log.gz:world\n".utf8))
        let head = try CLI.sh("\"$SLUICE\" head -n 1 \(name) \(name)", in: dir)
        #expect(head.stdoutBytes == Array("==> d/caf".utf8) + [0xE9] + Array(".log.gz <==\nhello\n\n==> d/caf".utf8) + [0xE9]
                + Array(".log.gz <==\nhello\n".utf8))
        let count = try CLI.sh("\"$SLUICE\" count \(name)", in: dir)
        #expect(count.stdoutBytes.suffix(15) == Array(" d/caf".utf8) + [0xE9] + Array(".log.gz\n".utf8))
        // Outputs too: -o and recompress's name beside the input keep the byte.
        let out = try CLI.sh("\"$SLUICE\" cat -o \"$(printf 'out\\351.gz')\" \(name) && zcat \"$(printf 'out\\351.gz')\"", in: dir)
        #expect(out.status == 0 && out.stdout == "hello\nworld\n", "\(out.stderr)")
        let recompress = try CLI.sh("\"$SLUICE\" recompress --to xz \(name) && xz -dc \"d/$(printf 'caf\\351.log.xz')\"", in: dir)
        #expect(recompress.status == 0 && recompress.stdout == "hello\nworld\n", "\(recompress.stderr)")
    }

    @Test("a missing non-UTF-8 name is quoted as cat(1) quotes it")
    func missing() throws {
        let dir = try CLI.scratch("bytepath-missing")
        let ours = try CLI.sh("\"$SLUICE\" cat \"$(printf 'caf\\351')\"", in: dir)
        let theirs = try CLI.sh("cat \"$(printf 'caf\\351')\"", in: dir)
        #expect(ours.status == 1)
        #expect(ours.stderr == theirs.stderr.replacingOccurrences(of: "cat: ", with: "sluice: ")
                .replacingOccurrences(of: ": No such file or directory", with: ": cannot open: No such file or directory (ENOENT)"))
    }
}
