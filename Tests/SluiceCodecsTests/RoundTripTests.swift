import SluiceTestSupport
import Testing
import Sluice

/// Decoding what the real `gzip` and `xz` produce gives back the original bytes, in any split.
@Suite("Round trips against the real tools")
struct RoundTripTests {
    static let text = sampleLog(lines: 4000)

    @Test("gzip levels decode with both backends", arguments: ["-1", "-6", "-9"], GzipBackend.allCases)
    func gzipLevels(level: String, backend: GzipBackend) throws {
        let gz = try runTool(["gzip", level, "-c"], input: Self.text)
        let result = decode(gz, backend: backend)
        #expect(result.error == nil)
        #expect(result.bytes == Self.text)
        #expect(result.report.members == 1)
        #expect(result.report.format == .gzip)
    }

    @Test("multi-member gzip, with an empty member, decodes in order", arguments: GzipBackend.allCases)
    func multiMember(backend: GzipBackend) throws {
        let a = try runTool(["gzip", "-c"], input: Self.text)
        let empty = try runTool(["gzip", "-c"], input: [])
        let b = try runTool(["gzip", "-1", "-c", "-n"], input: Array("tail\n".utf8))
        let result = decode(a + empty + b + a, backend: backend)
        #expect(result.error == nil)
        #expect(result.bytes == Self.text + Array("tail\n".utf8) + Self.text)
        #expect(result.report.members == 4)
    }

    @Test("1-byte reads and random 1-16 byte reads", arguments: GzipBackend.allCases)
    func tinyReads(backend: GzipBackend) throws {
        let small = Array(Self.text.prefix(30_000))
        let gz = try runTool(["gzip", "-c"], input: small)
        let members = gz + gz
        let oneByte = decode(members, backend: backend, readSizes: { 1 }, outSize: 7, chunkSize: 1)
        #expect(oneByte.error == nil)
        #expect(oneByte.bytes == small + small)
        var rng = SeededRandom(state: 7)
        let random = decode(members, backend: backend, readSizes: { Int(rng.next() % 16) + 1 }, outSize: 13)
        #expect(random.error == nil)
        #expect(random.bytes == small + small)
    }

    @Test("xz with every check type", arguments: ["none", "crc32", "crc64", "sha256"])
    func xzChecks(check: String) throws {
        let xz = try runTool(["xz", "-c", "--check=\(check)"], input: Self.text)
        let result = decode(xz)
        #expect(result.error == nil)
        #expect(result.bytes == Self.text)
        let checks: [String: IntegrityCheck] = ["none": .none, "crc32": .crc32, "crc64": .crc64, "sha256": .sha256]
        #expect(result.report.check == checks[check])
        var rng = SeededRandom(state: 3)
        let split = decode(xz, readSizes: { Int(rng.next() % 16) + 1 }, outSize: 100)
        #expect(split.bytes == Self.text)
        #expect(split.error == nil)
    }

    @Test("xz filter chains: BCJ and delta", arguments: [["--x86", "--lzma2"], ["--delta=dist=4", "--lzma2"], ["--arm64", "--lzma2=preset=1"]])
    func xzFilters(filters: [String]) throws {
        let xz = try runTool(["xz", "-c"] + filters, input: Self.text)
        let result = decode(xz)
        #expect(result.error == nil)
        #expect(result.bytes == Self.text)
    }

    @Test("concatenated xz streams with stream padding, and multi-block files")
    func xzConcatenated() throws {
        let a = try runTool(["xz", "-c"], input: Self.text)
        let b = try runTool(["xz", "-c", "--block-size=4096", "-T1"], input: Self.text)
        let result = decode(a + [0, 0, 0, 0] + b)
        #expect(result.error == nil)
        #expect(result.bytes == Self.text + Self.text)
        #expect(result.report.members == 2)
    }

    @Test("legacy .lzma and zlib")
    func lzmaAndZlib() throws {
        let lzma = try runTool(["xz", "-c", "--format=lzma"], input: Self.text)
        let result = decode(lzma)
        #expect(result.report.format == .lzma)
        #expect(result.error == nil)
        #expect(result.bytes == Self.text)
        let zlib = try runTool(["python3", "-c", "import sys,zlib; sys.stdout.buffer.write(zlib.compress(sys.stdin.buffer.read()))"], input: Self.text)
        let z = decode(zlib)
        #expect(z.report.format == .zlib)
        #expect(z.error == nil)
        #expect(z.bytes == Self.text)
    }

    @Test("empty input: plain passes through as nothing, forced gzip is truncated")
    func emptyInput() throws {
        let plain = decode([])
        #expect(plain.error == nil)
        #expect(plain.bytes.isEmpty)
        let forced = decode([], format: .gzip)
        #expect(forced.error?.kind == .truncated)
        let emptyXz = try runTool(["xz", "-c"], input: [])
        let x = decode(emptyXz)
        #expect(x.error == nil)
        #expect(x.bytes.isEmpty)
    }
}
