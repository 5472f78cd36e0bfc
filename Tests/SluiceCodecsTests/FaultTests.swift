import Testing
import Sluice

/// Damaged input: a clear error of the right kind, at the right offset, after all the good data.
@Suite("Faults")
struct FaultTests {
    static let text = sampleLog(lines: 3000)

    @Test("truncated gzip keeps the decoded prefix and reports truncation", arguments: GzipBackend.allCases)
    func truncatedGzip(backend: GzipBackend) throws {
        let gz = try runTool(["gzip", "-c"], input: Self.text)
        for cut in [gz.count - 1, gz.count - 5, gz.count - 9, gz.count / 2, 11, 5] {
            let result = decode(Array(gz.prefix(cut)), format: .gzip, backend: backend)
            #expect(result.error?.kind == .truncated, "cut at \(cut)")
            #expect(result.error?.offset == Int64(cut), "cut at \(cut)")
            #expect(Array(Self.text.prefix(result.bytes.count)) == result.bytes, "prefix intact at cut \(cut)")
        }
    }

    @Test("CRC and length mismatches name the member", arguments: GzipBackend.allCases)
    func badTrailer(backend: GzipBackend) throws {
        let gz = try runTool(["gzip", "-c"], input: Self.text)
        var badCRC = gz + gz
        badCRC[2 * gz.count - 8] ^= 0xFF
        let crc = decode(badCRC, backend: backend)
        #expect(crc.error?.kind == .corrupt)
        #expect(crc.error?.message.contains("CRC32 mismatch in member 2") == true)
        #expect(crc.error?.offset == Int64(2 * gz.count - 8))
        #expect(crc.bytes == Self.text + Self.text)
        var badLength = gz
        badLength[gz.count - 4] ^= 0x01
        let length = decode(badLength, backend: backend)
        #expect(length.error?.message.contains("length mismatch") == true)
    }

    @Test("trailing garbage after a member is an error after the data", arguments: GzipBackend.allCases)
    func trailingGarbage(backend: GzipBackend) throws {
        let gz = try runTool(["gzip", "-c"], input: Self.text)
        let result = decode(gz + Array("garbage!!!".utf8), backend: backend)
        #expect(result.error?.kind == .trailingGarbage)
        #expect(result.error?.offset == Int64(gz.count))
        #expect(result.bytes == Self.text)
    }

    @Test("corrupt deflate data reports the engine's code", arguments: GzipBackend.allCases)
    func corruptBody(backend: GzipBackend) throws {
        var gz = try runTool(["gzip", "-c"], input: Self.text)
        for i in 20..<40 { gz[i] = 0xFF }
        let result = decode(gz, backend: backend)
        #expect(result.error != nil)
        #expect(result.error?.code != nil)
    }

    @Test("truncated and corrupt xz")
    func xzFaults() throws {
        let xz = try runTool(["xz", "-c"], input: Self.text)
        let truncated = decode(Array(xz.prefix(xz.count - 10)))
        #expect(truncated.error?.kind == .truncated)
        var corrupt = xz
        corrupt[xz.count / 2] ^= 0x55
        let bad = decode(corrupt)
        #expect(bad.error?.kind == .corrupt)
        #expect(bad.error?.code == "LZMA_DATA_ERROR")
        let garbage = decode(xz + Array("junk".utf8))
        #expect(garbage.error != nil)
        #expect(garbage.bytes == Self.text)
    }

    @Test("zstd and bzip2 are recognised and refused as unsupported")
    func unsupportedFormats() {
        let zstd = decode([0x28, 0xB5, 0x2F, 0xFD, 0, 0, 0, 0])
        #expect(zstd.error?.kind == .unsupported)
        let bzip2 = decode(Array("BZh91AY&SY".utf8))
        #expect(bzip2.error?.kind == .unsupported)
    }
}
