import Foundation
import Glibc

/// Runs the built `sluice` binary as a child process, like a user would.
enum CLI {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `sluice` executable next to the test bundle (built by the same `swift build`).
    static let binary: String = {
        if let explicit = ProcessInfo.processInfo.environment["SLUICE_BIN"] { return explicit }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("sluice").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug/sluice").path
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var stdoutBytes: [UInt8]
    }

    /// Runs `sluice arguments…` with optional standard input and extra environment variables;
    /// captures both outputs.
    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try process.run()
        if let stdin {
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        }
        // stderr is drained on its own thread: a child that writes more than a pipe holds to
        // stderr before closing stdout must not deadlock the test.
        let errBox = DataBox()
        let errReader = Thread { errBox.data = err.fileHandleForReading.readDataToEndOfFile(); errBox.done.signal() }
        errReader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        errBox.done.wait()
        let errData = errBox.data
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self), stdoutBytes: [UInt8](outData))
    }

    /// Runs a command with stdout to /dev/null under GNU time and returns (exit status, peak RSS in KiB).
    ///
    /// Not `wait4` from this process: Linux carries the parent's RSS high-water mark into a child
    /// spawned with a shared address space (posix_spawn), so a big test runner would mask the
    /// child's own peak. `/usr/bin/time` is a small process that forks properly.
    static func peakRSS(_ executable: String, _ arguments: [String]) throws -> (status: Int32, maxRSSKiB: Int) {
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-rss-\(getpid())").path
        let quoted = ([executable] + arguments).map { "'" + $0 + "'" }.joined(separator: " ")
        let status = try shell("/usr/bin/time -f %M -o \(report) \(quoted) > /dev/null")
        let text = try String(contentsOfFile: report, encoding: .utf8)
        let kib = Int(text.split(separator: "\n").last.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? "") ?? -1
        return (status, kib)
    }

    /// Runs `/bin/sh -c script` with `$SLUICE` set to the binary, capturing both outputs: for
    /// redirections (`> /dev/full`), `ulimit`, signals and file names that are not UTF-8.
    static func sh(_ script: String, in directory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        var environment = ProcessInfo.processInfo.environment
        environment["SLUICE"] = binary
        process.environment = environment
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let errBox = DataBox()
        let errReader = Thread { errBox.data = err.fileHandleForReading.readDataToEndOfFile(); errBox.done.signal() }
        errReader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        errBox.done.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errBox.data, as: UTF8.self), stdoutBytes: [UInt8](outData))
    }

    private final class DataBox: @unchecked Sendable {
        var data = Data()
        let done = DispatchSemaphore(value: 0)
    }

    struct POSIXFailure: Error { var code: Int32 }

    /// A scratch directory for one test.
    static func scratch(_ name: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-tests-\(getpid())-\(name)")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A scratch directory with fixtures made by `script` (run by `/bin/sh` inside it, with the
    /// real tools: `seq 1 1000 | gzip > n.gz`).
    /// `files` are written first (name → text).
    static func fixture(_ name: String, files: [String: String] = [:], _ script: String) throws -> URL {
        let dir = try scratch(name)
        for (file, text) in files { try text.write(to: dir.appendingPathComponent(file), atomically: true, encoding: .utf8) }
        let status = try shell("cd '\(dir.path)' && \(script)")
        guard status == 0 else { throw POSIXFailure(code: status) }
        return dir
    }

    /// Runs a shell pipeline (for making fixtures with the real tools).
    @discardableResult
    static func shell(_ script: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
