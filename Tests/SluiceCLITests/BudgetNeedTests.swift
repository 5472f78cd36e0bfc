import Foundation
import Glibc
import Testing

/// Every buffer a command allocates is reserved from the run's one budget: with `--memory-cap`
/// one byte below what the command needs, it stops before writing anything, with one line naming
/// the part that did not fit and its size; at the need itself it succeeds.
///
/// "What the command needs" is what the library reports: `--stats=json`'s `budget_peak_bytes`,
/// the most the run's budget held at once, measured on an uncapped run of the same command.
@Suite("the run's budget covers every buffer")
struct BudgetNeedTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        /// The command after `sluice`; `IN1`, `IN2` and `OUT` are replaced by paths.
        var arguments: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "cat", arguments: ["cat", "IN1"]),
        Case(name: "grep -j 2 --output out.gz", arguments: ["grep", "-j", "2", "--output", "OUT", "7", "IN1", "IN2"]),
        Case(name: "tail", arguments: ["tail", "-n", "1000", "IN1"]),
        Case(name: "recompress -T2", arguments: ["recompress", "-T2", "--to", "gz", "-o", "OUT", "IN1"]),
    ]

    static var refusal: Regex<(Substring, part: Substring, size: Substring, Substring, Substring, Substring)> {
        #/^sluice: .+: (?<part>.+) needs (?<size>[0-9.]+ (B|KiB|MiB|GiB)) but only [0-9.]+ (B|KiB|MiB|GiB) of the [0-9.]+ (B|KiB|MiB|GiB) memory cap is left\n$/#
    }

    @Test("one byte below the need: refused before any output, naming the part and its size; at the need: done",
          arguments: cases)
    func justBelowTheNeed(_ c: Case) throws {
        let dir = try CLI.scratch("need-" + c.name.filter { $0.isLetter || $0.isNumber })
        // Two inputs large enough that grep's two workers hold their buffers at the same time.
        try CLI.shell("cd \(dir.path) && seq 1 600000 | gzip -1 > a.gz && seq 400000 900000 | gzip -1 > b.gz")
        let out = dir.appendingPathComponent("out.gz").path
        func arguments(_ extra: [String]) -> [String] {
            let paths = ["IN1": dir.appendingPathComponent("a.gz").path, "IN2": dir.appendingPathComponent("b.gz").path, "OUT": out]
            return c.arguments.map { paths[$0] ?? $0 } + extra
        }

        let measured = try CLI.run(arguments(["--stats=json"]))
        #expect(measured.status == 0, "\(measured.stderr)")
        let need = try #require(Self.budgetPeak(measured.stderr), "\(measured.stderr)")
        try? FileManager.default.removeItem(atPath: out)

        let below = try CLI.run(arguments(["--memory-cap", String(need - 1)]))
        #expect(below.status != 0)
        #expect(below.stdoutBytes.count == 0, "wrote \(below.stdoutBytes.count) bytes")
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try Self.leftovers(dir).isEmpty)
        let match = try #require(try Self.refusal.wholeMatch(in: below.stderr), "\(below.stderr)")
        #expect(!match.part.isEmpty && !match.size.isEmpty)

        let at = try CLI.run(arguments(["--memory-cap", String(need)]))
        #expect(at.status == 0, "\(at.stderr)")
        #expect(at.stderr.isEmpty)
        #expect(at.stdoutBytes.count == measured.stdoutBytes.count && at.stdoutBytes == measured.stdoutBytes, "output differs")
    }

    @Test("grep -j 2 --output out.gz interrupted with SIGINT leaves no temporary file and no output")
    func interruptedParallelGrep() throws {
        let dir = try CLI.scratch("sigint-grep-j2")
        let fifos = ["a", "b"].map { dir.appendingPathComponent($0).path }
        for fifo in fifos { #expect(mkfifo(fifo, 0o600) == 0) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["grep", "-j", "2", "--output", dir.appendingPathComponent("out.gz").path, "hello"] + fifos
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // The output opens before the inputs; both workers then open their FIFO and read.
        let writers = try fifos.map { try #require(FileHandle(forWritingAtPath: $0)) }
        for writer in writers { writer.write(Data("hello\n".utf8)) }
        var waited = 0
        while try Self.leftovers(dir).isEmpty && waited < 1000 { usleep(10_000); waited += 1 }
        #expect(try Self.leftovers(dir).count == 1)
        kill(process.processIdentifier, SIGINT)
        waited = 0
        while process.isRunning && waited < 1000 { usleep(10_000); waited += 1 }
        for writer in writers { try writer.close() }
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGINT)
        #expect(try Self.leftovers(dir).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out.gz").path))
    }

    /// `budget_peak_bytes` from a `--stats=json` line.
    static func budgetPeak(_ stderr: String) -> Int? {
        guard let match = stderr.firstMatch(of: #/"budget_peak_bytes":(?<n>[0-9]+)/#) else { return nil }
        return Int(match.n)
    }

    /// Temporary output files (`.NAME.sluice-XXXXXX`) left in `dir`.
    static func leftovers(_ dir: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".sluice-") }
    }
}
