import Foundation
import Testing

/// `sluice grep` against GNU grep on the decompressed text, and the other line commands.
@Suite("grep / count / head / tail", .serialized)
struct GrepTests {
    /// A fixture: the conformance Apache log when present (real text), else a generated log, as .gz and .xz.
    static func fixture() throws -> URL {
        let dir = try CLI.scratch("grep")
        let real = CLI.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/conformance/logs/elastic-examples/apache_logs")
        if FileManager.default.fileExists(atPath: real.path) {
            try CLI.shell("cp '\(real.path)' \(dir.path)/log.txt")
        } else {
            try CLI.shell("python3 \(CLI.packageRoot.path)/Corpus/make-logs.py --size 2MiB > \(dir.path)/log.txt")
        }
        // Add CRLF lines and a last line without a newline to the mix.
        try CLI.shell("cd \(dir.path) && printf 'GET /crlf ERROR\\r\\nplain\\r\\n' >> log.txt && printf 'tail ERROR' >> log.txt && gzip -k log.txt && xz -k log.txt")
        return dir
    }

    static let cases: [[String]] = [
        ["-c", "GET"], ["GET /presentations"], ["-i", "mozilla"], ["-c", "-v", "Mozilla"], ["-n", "-E", "HTTP/1\\.[01]\" 404"],
        ["-E", "^[0-9]+\\.[0-9]+\\.[0-9]+\\.1 "], ["-m", "7", "-n", "Chrome"], ["-c", "-i", "-F", "WINDOWS NT"],
        ["-c", "-e", "404", "-e", "500"], ["ERROR"], ["-c", "zzz-no-such-thing"],
    ]

    @Test("same output and exit status as GNU grep on the decompressed text")
    func againstGNUGrep() throws {
        let dir = try Self.fixture()
        for args in Self.cases {
            let expected = try CLI.runTool(["grep"] + args + [dir.appendingPathComponent("log.txt").path])
            for file in ["log.txt.gz", "log.txt.xz", "log.txt"] {
                let got = try CLI.run(["grep"] + args + [dir.appendingPathComponent(file).path])
                #expect(got.stdout == expected.stdout, "grep \(args.joined(separator: " ")) on \(file)")
                #expect(got.status == expected.status, "exit status of grep \(args.joined(separator: " ")) on \(file)")
            }
        }
    }

    @Test("several files: names, order with parallel workers, a bad file reported and skipped with exit 2")
    func severalFiles() throws {
        let dir = try Self.fixture()
        try CLI.shell("cd \(dir.path) && head -c 1000 log.txt.gz > bad.gz")
        let files = ["log.txt.gz", "bad.gz", "log.txt.xz", "log.txt"].map { dir.appendingPathComponent($0).path }
        let sequential = try CLI.run(["grep", "-j", "1", "GET /images"] + files)
        let parallel = try CLI.run(["grep", "-j", "3", "GET /images"] + files)
        #expect(sequential.stdout == parallel.stdout)
        #expect(sequential.status == 2 && parallel.status == 2)
        #expect(parallel.stderr.contains("bad.gz: unexpected end of input"))
        #expect(parallel.stdout.hasPrefix(files[0] + ":"))
        let recursive = try CLI.run(["grep", "-r", "-c", "ERROR", dir.path])
        #expect(recursive.stdout.contains("log.txt.xz:"))
    }

    @Test("count, head and tail agree with wc, head and tail")
    func lineCommands() throws {
        let dir = try Self.fixture()
        let text = dir.appendingPathComponent("log.txt").path
        let wc = try CLI.runTool(["sh", "-c", "wc -l < \(text); wc -c < \(text)"]).stdout.split(separator: "\n").map { Int($0.trimmingCharacters(in: .whitespaces))! }
        let json = try CLI.run(["count", "--json", text + ".gz", text + ".xz"])
        // The fixture's last line has no newline: wc does not count it, sluice does.
        #expect(json.stdout.contains("\"lines\":\(wc[0] + 1),\"bytes\":\(wc[1])"))
        #expect(json.stdout.contains("\"total\":{\"lines\":\(2 * (wc[0] + 1)),\"bytes\":\(2 * wc[1])}"))
        let head = try CLI.run(["head", "-n", "5", text + ".xz"])
        #expect(head.stdout == (try CLI.runTool(["head", "-n", "5", text]).stdout))
        let tail = try CLI.run(["tail", "-n", "4", text + ".gz"])
        let expectedTail = try CLI.runTool(["tail", "-n", "4", text]).stdout
        #expect(tail.stdout == expectedTail)
    }
}

extension CLI {
    /// Runs another tool and captures its output and status.
    static func runTool(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self), stderr: "", stdoutBytes: [UInt8](data))
    }
}
