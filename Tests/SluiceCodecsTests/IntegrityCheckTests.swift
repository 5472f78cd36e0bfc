import Foundation
import Testing
import Sluice

/// Issue #10 item 8: a check this liblzma cannot verify, and `--ignore-check`.
@Suite("Integrity checks that cannot or need not be verified")
struct IntegrityCheckTests {
    static let unsupportedCheck = ConformanceTests.root + "/xz/unsupported-check.xz"

    static func decodeFile(_ path: String, ignoreCheck: Bool) throws -> Decoded {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        var options = DecodeOptions()
        options.ignoreCheck = ignoreCheck
        let reader = try Decoders.open(source: ChunkedReader(bytes, sizes: { 7 }), path: "in", options: options)
        var out: [UInt8] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 5, alignment: 1)
        defer { buffer.deallocate() }
        do {
            while case let n = try reader.read(into: buffer), n > 0 { out += buffer[..<n] }
            return Decoded(bytes: out, error: nil, report: reader.report)
        } catch {
            return Decoded(bytes: out, error: error, report: reader.report)
        }
    }

    @Test("an unsupported xz check type: the data as xz writes it, then an unsupported error; --ignore-check accepts it",
          .enabled(if: FileManager.default.fileExists(atPath: unsupportedCheck)))
    func unsupportedCheckType() throws {
        let strict = try Self.decodeFile(Self.unsupportedCheck, ignoreCheck: false)
        #expect(strict.bytes == Array("Hello\nWorld!\n".utf8))  // xz -dc writes the same 13 bytes
        #expect(strict.error?.kind == .unsupported)
        #expect(strict.error?.code == "LZMA_UNSUPPORTED_CHECK")
        #expect(strict.error?.message.contains("integrity check type 2 is not supported") == true)
        let relaxed = try Self.decodeFile(Self.unsupportedCheck, ignoreCheck: true)
        #expect(relaxed.bytes == strict.bytes)
        #expect(relaxed.error == nil)
    }

    @Test("--ignore-check skips a gzip CRC-32 and ISIZE mismatch", arguments: GzipBackend.allCases)
    func gzipIgnoreCheck(backend: GzipBackend) throws {
        let text = sampleLog(lines: 500)
        var gz = try runTool(["gzip", "-c"], input: text)
        gz[gz.count - 8] ^= 0xFF
        gz[gz.count - 1] ^= 0x01
        var options = DecodeOptions(gzipBackend: backend)
        #expect(decode(gz, backend: backend).error?.kind == .corrupt)
        options.ignoreCheck = true
        let reader = try Decoders.open(source: ChunkedReader(gz, sizes: { 1 << 20 }), path: "in", options: options)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var out: [UInt8] = []
        while case let n = try reader.read(into: buffer), n > 0 { out += buffer[..<n] }
        #expect(out == text)
        #expect(reader.report.check == .crc32)
        #expect(!reader.report.checkVerified)
        #expect(reader.report.checkDescription == "CRC32 (not verified)")
    }
}
