import Foundation
import Testing

/// --force replaces regular files only (keeping their mode), writes into devices and FIFOs in
/// place, and replaces a symbolic link only when asked.
@Suite("--force onto what exists")
struct ForceTests {
    static func fixture(_ name: String) throws -> URL {
        try CLI.fixture("force-" + name, "printf 'hello\\n' | gzip > in.gz")
    }

    @Test("a replaced 0600 file stays 0600", arguments: ["", "--to gz "])
    func keepsMode(_ encode: String) throws {
        let dir = try Self.fixture("mode" + (encode.isEmpty ? "" : "-gz"))
        let r = try CLI.sh("umask 022 && printf old > out && chmod 600 out && \"$SLUICE\" cat \(encode)--force -o out in.gz && stat -c %a out", in: dir)
        #expect(r.status == 0 && r.stdout == "600\n", "\(r.stderr)")
    }

    @Test("a FIFO is written into in place, not replaced")
    func fifo() throws {
        let dir = try Self.fixture("fifo")
        // The reader is killed afterwards in case a faulty build replaced the FIFO and never opened it.
        let r = try CLI.sh("""
            mkfifo out && { cat out > got & reader=$!; } && "$SLUICE" cat --force -o out in.gz; status=$?
            if test -p out; then echo fifo; wait $reader; else kill $reader; fi; cat got; exit $status
            """, in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "fifo\nhello\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") }.isEmpty)
    }

    @Test("-f refuses a symbolic link unless --replace-symlink; the target is never touched")
    func symlink() throws {
        let dir = try Self.fixture("symlink")
        try CLI.shell("cd \(dir.path) && printf target > target && ln -s target link")
        let refused = try CLI.run(["cat", "--force", "-o", dir.appendingPathComponent("link").path, dir.appendingPathComponent("in.gz").path])
        #expect(refused.status == 1)
        #expect(refused.stderr == "sluice: \(dir.path)/link: output is a symbolic link; -f does not replace one (add --replace-symlink) (ELOOP)\n")
        let kept = try CLI.sh("test -L link && cat target", in: dir)
        #expect(kept.stdout == "target")
        let replaced = try CLI.run(["cat", "--force", "--replace-symlink", "-o", dir.appendingPathComponent("link").path,
                                    dir.appendingPathComponent("in.gz").path])
        #expect(replaced.status == 0)
        let after = try CLI.sh("test -L link || cat link; cat target", in: dir)
        #expect(after.stdout == "hello\ntarget")
    }

    @Test("--help says how --force treats devices and links")
    func help() throws {
        let r = try CLI.run(["help", "cat"])
        #expect(r.stdout.contains("not atomically"))
        #expect(r.stdout.contains("--replace-symlink"))
    }
}
