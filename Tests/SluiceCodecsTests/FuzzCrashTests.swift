import Foundation
import Testing
import SluiceFuzzChecks

/// Every input a fuzz target ever failed on, saved by `Scripts/fuzz.sh` under
/// `Tests/Fixtures/fuzz-crashes/<target>/`, replayed through that target's own checks
/// (`FuzzTarget.check`, the code the libFuzzer binaries run), so a fixed bug stays fixed.
@Suite("Fuzz crash regressions")
struct FuzzCrashTests {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fuzz-crashes")

    struct Crash: Sendable, CustomTestStringConvertible {
        var target: String
        var file: String
        var testDescription: String { "\(target)/\(file)" }
    }

    static func crashes() -> [Crash] {
        let fm = FileManager.default
        let targets = (try? fm.contentsOfDirectory(atPath: root.path)) ?? []
        return targets.sorted().flatMap { target -> [Crash] in
            let files = (try? fm.contentsOfDirectory(atPath: root.appendingPathComponent(target).path)) ?? []
            return files.filter { !$0.hasPrefix(".") && !$0.hasSuffix(".md") }.sorted().map { Crash(target: target, file: $0) }
        }
    }

    @Test("every folder under fuzz-crashes names a fuzz target")
    func foldersNameTargets() throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Self.root.path)) ?? []
        for name in names where !name.hasPrefix(".") && !name.hasSuffix(".md") {
            #expect(FuzzTarget(rawValue: name) != nil, "Tests/Fixtures/fuzz-crashes/\(name) is not a fuzz target: \(FuzzTarget.allCases.map(\.rawValue))")
        }
    }

    @Test("a saved crash passes its target's checks", arguments: crashes())
    func replay(_ crash: Crash) throws {
        let target = try #require(FuzzTarget(rawValue: crash.target))
        let data = try Data(contentsOf: Self.root.appendingPathComponent(crash.target).appendingPathComponent(crash.file))
        let problems = target.check([UInt8](data))
        #expect(problems.isEmpty, "\(crash.target)/\(crash.file):\n\(problems.joined(separator: "\n"))")
    }

    /// The checks themselves must not cry wolf: well-formed data of each format passes every target
    /// that decodes that format, and so does text through the line framer.
    @Test("the checks accept well-formed input", arguments: FuzzTarget.allCases)
    func checksAcceptGoodData(_ target: FuzzTarget) throws {
        let text = [UInt8]((0..<2000).map { "line \($0) of some text\r\n" }.joined().utf8)
        let input: [UInt8]
        switch target {
        case .gzipIsal, .gzipZlib, .differential, .detect: input = try runTool(["gzip", "-c"], input: text)
        case .zlibDeflate: input = []  // empty: both formats must fail alike under both windows
        case .xz: input = try runTool(["xz", "-c"], input: text)
        case .lzma: input = try runTool(["xz", "--format=lzma", "-c"], input: text)
        case .lzip:
            // xz 5.4 cannot write lzip: use the conformance corpus's sample when it is there.
            guard let sample = FileManager.default.contents(atPath: ConformanceTests.root + "/xz-extra/wuffs/romeo.txt.lz") else { return }
            input = [UInt8](sample)
        case .lines: input = [0x03, 0x7F, 1, 7, 200, 255] + text
        }
        let problems = target.check(input)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }
}
