import Foundation
import Testing
import Sluice

/// The Swift API: lazy pipelines over real compressed files.
@Suite("Line pipeline API")
struct PipelineAPITests {
    static let text = sampleLog(lines: 5000)

    static func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-api-\(getpid())-\(name)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("grep + prefix, count, filter, fields and async blocks agree with the standard library")
    func stages() async throws {
        let gz = try Self.write(try runTool(["gzip", "-c"], input: Self.text), "a.gz")
        let lines = String(decoding: Self.text, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)

        var got: [String] = []
        try Sluice.lines(of: gz).grep("404").prefix(25).lines { got.append(String($0)) }
        #expect(got == Array(lines.filter { $0.contains("404") }.prefix(25)))

        let counted = try Sluice.lines(of: gz).count()
        #expect(counted.lines == lines.count)

        let regex = try Sluice.lines(of: gz).grep(regex: "orders/[0-9]+").count()
        #expect(regex.lines == lines.filter { $0.contains("/api/orders/17") }.count)

        var numbers: [Int] = []
        try Sluice.lines(of: gz).numbered().grep("500 ").filter { $0.bytes.count > 60 }.prefix(5).lines { numbers.append($0.number) }
        let expectedNumbers = lines.enumerated().filter { $0.element.contains("500 ") && $0.element.utf8.count > 60 }.prefix(5).map { $0.offset + 1 }
        #expect(numbers == Array(expectedNumbers))

        var ips: [String] = []
        try Sluice.lines(of: gz).fields(separator: " ", [1, 9]).prefix(3).lines { ips.append(String($0)) }
        #expect(ips == lines.prefix(3).map { let f = $0.split(separator: " ", omittingEmptySubsequences: false); return "\(f[0]) \(f[8])" })

        var asyncCount = 0
        for try await block in Sluice.lines(of: gz).grep("GET /login").blocks { asyncCount += block.lineCount }
        #expect(asyncCount == lines.filter { $0.contains("GET /login") }.count)

        var early = 0
        try Sluice.lines(of: gz).forEachLine(while: { _ in early += 1; return early < 10 })
        #expect(early == 10)
    }
}
