import Foundation
import Testing
@testable import SluiceCore

@Suite("AtomicFileSink")
struct AtomicFileSinkTests {
    static func dir(_ name: String) throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-core-\(getpid())-\(name)").path
        try? FileManager.default.removeItem(atPath: d)
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    static func list(_ d: String) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: d).sorted() }

    @Test("the file appears under its name only after finish, with the requested mode")
    func finishMovesIntoPlace() throws {
        let d = try Self.dir("finish")
        let sink = try AtomicFileSink(path: d + "/out.txt", mode: 0o640)
        try put(sink, Array("hello\n".utf8))
        let listing = try Self.list(d)
        #expect(listing.count == 1 && listing[0].hasPrefix(".out.txt.sluice-"))
        try sink.finish()
        #expect(try Self.list(d) == ["out.txt"])
        #expect(try String(contentsOfFile: d + "/out.txt", encoding: .utf8) == "hello\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: d + "/out.txt")
        #expect((attributes[.posixPermissions] as? Int) == 0o640)
    }

    @Test("abort and deinit without finish remove the temporary file")
    func abandon() throws {
        let d = try Self.dir("abandon")
        do {
            let sink = try AtomicFileSink(path: d + "/a")
            try put(sink, [UInt8](repeating: 1, count: 10))
        }
        let sink = try AtomicFileSink(path: d + "/b")
        sink.abort()
        #expect(try Self.list(d).isEmpty)
    }

    @Test("an existing file is refused unless force; a file that appears meanwhile is not replaced")
    func noOverwrite() throws {
        let d = try Self.dir("exists")
        try "old".write(toFile: d + "/x", atomically: false, encoding: .utf8)
        do {
            _ = try AtomicFileSink(path: d + "/x")
            Issue.record("expected EEXIST")
        } catch {
            #expect(error.code == "EEXIST")
        }
        let late = try AtomicFileSink(path: d + "/y")
        try "racer".write(toFile: d + "/y", atomically: false, encoding: .utf8)
        do {
            try late.finish()
            Issue.record("expected EEXIST")
        } catch {
            #expect(error.code == "EEXIST")
        }
        #expect(try String(contentsOfFile: d + "/y", encoding: .utf8) == "racer")
        let forced = try AtomicFileSink(path: d + "/x", force: true)
        try put(forced, Array("new".utf8))
        try forced.finish()
        #expect(try String(contentsOfFile: d + "/x", encoding: .utf8) == "new")
        #expect(try Self.list(d) == ["x", "y"])
    }

    @Test("a directory that does not exist is an error naming the path")
    func missingDirectory() {
        do {
            _ = try AtomicFileSink(path: "/nonexistent-dir/out.xz")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "/nonexistent-dir/out.xz: cannot create output: No such file or directory (ENOENT)")
        }
    }
}

/// Writes `bytes` through a heap copy (no typed-throws closure).
func put(_ sink: ByteSink, _ bytes: [UInt8]) throws(SluiceError) {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
    defer { buffer.deallocate() }
    for (i, b) in bytes.enumerated() { buffer[i] = b }
    try sink.write(UnsafeRawBufferPointer(rebasing: buffer[..<bytes.count]))
}
