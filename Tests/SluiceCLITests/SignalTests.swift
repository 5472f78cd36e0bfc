import Foundation
import Glibc
import Testing

/// Signals and limits end a run the way Ctrl-C does: the temporary output file is removed,
/// nothing appears under the final name, and at most one line is printed.
@Suite("signals and file-size limits")
struct SignalTests {
    @Test("SIGQUIT removes the temporary file and ends the run by the signal, without a crash report")
    func quit() throws {
        let dir = try CLI.scratch("sigquit")
        let fifo = dir.appendingPathComponent("in").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["cat", "--to", "gz", "-o", dir.appendingPathComponent("out.gz").path, fifo]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // The output is opened before the input: once the FIFO opens, the temporary file exists.
        let writer = try #require(FileHandle(forWritingAtPath: fifo))
        writer.write(Data("hello\n".utf8))
        let temporary = { (try? FileManager.default.contentsOfDirectory(atPath: dir.path))?.filter { $0.hasPrefix(".out.gz.sluice-") } ?? [] }
        var waited = 0
        while temporary().isEmpty && waited < 1000 { usleep(10_000); waited += 1 }
        #expect(temporary().count == 1)
        kill(process.processIdentifier, SIGQUIT)
        // Bounded: a build that ignores the signal ends when its input does, and fails below.
        waited = 0
        while process.isRunning && waited < 1000 { usleep(10_000); waited += 1 }
        try writer.close()
        process.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGQUIT)
        #expect(stderr.split(separator: "\n").count <= 1, "\(stderr)")
        #expect(temporary().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out.gz").path))
    }

    @Test("a file-size limit (ulimit -f) is a one-line write error with the usual cleanup", arguments: ["", "--to gz "])
    func fileSizeLimit(_ encode: String) throws {
        let dir = try CLI.fixture("sigxfsz" + (encode.isEmpty ? "" : "-gz"), "seq 1 200000 | gzip -1 > n.gz")
        let r = try CLI.sh("ulimit -f 64; \"$SLUICE\" cat \(encode)-o out n.gz", in: dir)
        #expect(r.status == 1)
        #expect(r.stderr == "sluice: out: write failed: File too large (EFBIG)\n")
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0 != "n.gz" }
        #expect(left.isEmpty, "\(left)")
    }
}
