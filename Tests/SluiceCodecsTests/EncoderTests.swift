import SluiceTestSupport
import Foundation
import Testing
import Sluice

/// Runs `encoder` over `input` to the end: input handed over `inSizes()` bytes at a time,
/// `outSize` bytes of output space per call. Checks the contract on the way: a call that is not
/// finishing never returns without progress while input remains.
func encodeAll(_ encoder: StreamEncoder, _ input: [UInt8], inSizes: () -> Int = { 1 << 20 }, outSize: Int = 64 << 10) throws -> [UInt8] {
    var out: [UInt8] = []
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: outSize, alignment: 16)
    defer { buffer.deallocate() }
    var offset = 0
    try input.withUnsafeBytes { all in
        while offset < input.count {
            let n = min(max(1, inSizes()), input.count - offset)
            var piece = UnsafeRawBufferPointer(rebasing: all[offset..<(offset + n)])
            while !piece.isEmpty {
                let step = try encoder.encode(piece, into: buffer, finish: false)
                #expect(step.consumed > 0 || step.produced > 0, "no progress with input and output space")
                out.append(contentsOf: buffer[..<step.produced])
                piece = UnsafeRawBufferPointer(rebasing: piece[step.consumed...])
                offset += step.consumed
            }
        }
        var calls = 0
        while true {
            let step = try encoder.encode(UnsafeRawBufferPointer(start: nil, count: 0), into: buffer, finish: true)
            out.append(contentsOf: buffer[..<step.produced])
            if step.status == .streamEnd { break }
            calls += 1
            precondition(calls < 10_000_000, "encoder never finished")
        }
    }
    return out
}

/// Every encoder's output decodes byte-exact with the real tools and with our own decoders.
@Suite("Encoders round trip through gzip, pigz, xz and our decoders")
struct EncoderTests {
    static let text = sampleLog(lines: 30_000)  // about 2.3 MB, 18 parallel gzip blocks

    static let python = ["python3", "-c", "import sys,zlib;sys.stdout.buffer.write(zlib.decompress(sys.stdin.buffer.read(), int(sys.argv[1])))"]

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var options: EncodeOptions
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "gzip zlib -1", options: EncodeOptions(format: .gzip, level: 1, gzipBackend: .zlib)),
        Case(name: "gzip zlib -6", options: EncodeOptions(format: .gzip, level: 6, gzipBackend: .zlib)),
        Case(name: "gzip zlib -9", options: EncodeOptions(format: .gzip, level: 9, gzipBackend: .zlib)),
        Case(name: "gzip isal -1", options: EncodeOptions(format: .gzip, level: 1, gzipBackend: .isal)),
        Case(name: "gzip isal -3", options: EncodeOptions(format: .gzip, level: 3, gzipBackend: .isal)),
        Case(name: "parallel gzip -6 -T2", options: EncodeOptions(format: .gzip, level: 6, threads: 2)),
        Case(name: "parallel gzip -1 -T3", options: EncodeOptions(format: .gzip, level: 1, threads: 3)),
        Case(name: "parallel gzip -9 -T4", options: EncodeOptions(format: .gzip, level: 9, threads: 4)),
        Case(name: "zlib -6", options: EncodeOptions(format: .zlib, level: 6)),
        Case(name: "raw deflate -6", options: EncodeOptions(format: .deflate, level: 6)),
        Case(name: "xz -0", options: EncodeOptions(format: .xz, level: 0)),
        Case(name: "xz -6 crc32", options: EncodeOptions(format: .xz, level: 6, xzCheck: .crc32)),
        Case(name: "xz -1e sha256", options: EncodeOptions(format: .xz, level: 1, extreme: true, xzCheck: .sha256)),
        Case(name: "xz -3 -T2 block 256KiB", options: EncodeOptions(format: .xz, level: 3, threads: 2, blockSize: .kibibytes(256))),
    ]

    /// The real tool that decodes `format`.
    static func tools(for format: CompressionFormat) -> [[String]] {
        switch format {
        case .gzip: return [["gzip", "-dc"], ["pigz", "-dc"]]
        case .xz: return [["xz", "-dc"]]
        case .zlib: return [python + ["15"]]
        default: return [python + ["-15"]]
        }
    }

    @Test("whole input, then decoded by the real tools and by Sluice", arguments: cases)
    func roundTrip(_ c: Case) throws {
        let encoded = try encodeAll(Encoders.make(c.options), Self.text)
        #expect(encoded.count < Self.text.count / 3, "compresses")
        for tool in Self.tools(for: c.options.format) {
            let decoded = try runTool(tool, input: encoded)
            #expect(decoded == Self.text, "\(tool[0])")
        }
        let ours = decode(encoded, format: c.options.format == .deflate ? .deflate : nil)
        #expect(ours.error == nil)
        #expect(ours.bytes == Self.text)
        #expect(ours.report.format == c.options.format)
    }

    @Test("empty input is a valid empty stream", arguments: cases)
    func empty(_ c: Case) throws {
        let encoded = try encodeAll(Encoders.make(c.options), [])
        for tool in Self.tools(for: c.options.format) {
            #expect(try runTool(tool, input: encoded) == [], "\(tool[0])")
        }
    }

    @Test("random 1-16 byte input and output windows", arguments: cases.filter { $0.options.format != .xz || $0.options.threads == 1 })
    func tinyWindows(_ c: Case) throws {
        let small = Array(Self.text.prefix(c.options.threads > 1 ? 300_000 : 40_000))
        var rng = SeededRandom(state: 11)
        let encoded = try encodeAll(Encoders.make(c.options), small, inSizes: { Int(rng.next() % 16) + 1 }, outSize: 7)
        let decoded = decode(encoded, format: c.options.format == .deflate ? .deflate : nil)
        #expect(decoded.error == nil)
        #expect(decoded.bytes == small)
    }

    @Test("flush mid-stream: what was written decodes to every byte consumed so far; the stream goes on",
          arguments: cases)
    func flushMidStream(_ c: Case) throws {
        let encoder = try Encoders.make(c.options)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1000, alignment: 16)
        defer { buffer.deallocate() }
        var out: [UInt8] = []
        func feed(_ bytes: ArraySlice<UInt8>) throws {
            try bytes.withUnsafeBytes { all in
                var piece = all
                while !piece.isEmpty {
                    let step = try encoder.encode(piece, into: buffer, finish: false)
                    out.append(contentsOf: buffer[..<step.produced])
                    piece = UnsafeRawBufferPointer(rebasing: piece[step.consumed...])
                }
            }
        }
        func flush() throws {
            var calls = 0
            while true {
                let step = try encoder.flush(into: buffer)
                out.append(contentsOf: buffer[..<step.produced])
                if step.complete { return }
                calls += 1
                precondition(calls < 1_000_000, "flush never completed")
            }
        }
        let format: CompressionFormat? = c.options.format == .deflate ? .deflate : nil
        // Cuts that are not multiples of the parallel gzip block, one under its 32 KiB dictionary.
        let cuts = [10_000, 300_001, 1_000_003]
        var fed = 0
        for cut in cuts {
            try feed(Self.text[fed..<cut])
            fed = cut
            try flush()
            let partial = decode(out, format: format)
            #expect(partial.bytes == Array(Self.text[..<cut]), "after flushing \(cut) bytes")
        }
        try flush()  // a second flush in a row is harmless
        try feed(Self.text[fed...])
        while true {
            let step = try encoder.encode(UnsafeRawBufferPointer(start: nil, count: 0), into: buffer, finish: true)
            out.append(contentsOf: buffer[..<step.produced])
            if step.status == .streamEnd { break }
        }
        #expect(try encoder.flush(into: buffer) == FlushStep(produced: 0, complete: true), "nothing to flush after finish")
        for tool in Self.tools(for: c.options.format) {
            #expect(try runTool(tool, input: out) == Self.text, "\(tool[0])")
        }
        let whole = decode(out, format: format)
        #expect(whole.error == nil)
        #expect(whole.bytes == Self.text)
    }

    @Test("parallel gzip at block boundaries: exact multiples of 128 KiB and one byte either side",
          arguments: [0, 1, 131_071, 131_072, 131_073, 262_144, 524_288 + 1])
    func parallelBoundaries(size: Int) throws {
        var rng = SeededRandom(state: UInt64(size))
        let input = (0..<size).map { _ in UInt8(truncatingIfNeeded: rng.next() % 7 + 97) }
        let encoded = try encodeAll(ParallelGzipEncoder(level: 6, threads: 2), input, inSizes: { 50_000 })
        #expect(try runTool(["gzip", "-dc"], input: encoded) == input)
    }

    @Test("parallel gzip output is within 1% of pigz at the same level and decodes like a single-thread encode")
    func parallelSizeMatchesPigz() throws {
        let input = Self.text + Self.text.reversed()
        let ours = try encodeAll(ParallelGzipEncoder(level: 6, threads: 2), input)
        let pigz = try runTool(["pigz", "-6", "-p", "2", "-n", "-c"], input: input)
        let single = try encodeAll(GzipEncoder(level: 6), input)
        #expect(abs(Double(ours.count) / Double(pigz.count) - 1) < 0.01, "ours \(ours.count), pigz \(pigz.count)")
        #expect(try runTool(["gzip", "-dc"], input: ours) == (try runTool(["gzip", "-dc"], input: single)))
    }

    @Test("zlib engine at level 6 is reproducible: same bytes twice, no name, mtime 0")
    func reproducible() throws {
        let a = try encodeAll(GzipEncoder(level: 6), Self.text)
        let b = try encodeAll(GzipEncoder(level: 6), Self.text, inSizes: { 4096 }, outSize: 100)
        #expect(a == b)
        #expect(Array(a[0..<10]) == [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3])
        let named = try encodeAll(GzipEncoder(level: 6, name: "app.log", modificationTime: 1_700_000_000), Array("hi\n".utf8))
        let listing = try runTool(["gzip", "-dc", "-N"], input: named)
        #expect(listing == Array("hi\n".utf8))
        #expect(named[3] == 0x08 && Array(named[10..<18]) == Array("app.log\0".utf8))
    }

    @Test("CRC32 combine agrees with one pass")
    func crcCombine() {
        let a = Array(Self.text.prefix(1000)), b = Array(Self.text.dropFirst(1000).prefix(5000))
        var ca = CRC32(), cb = CRC32(), whole = CRC32()
        a.withUnsafeBytes { ca.update($0) }
        b.withUnsafeBytes { cb.update($0) }
        (a + b).withUnsafeBytes { whole.update($0) }
        #expect(CRC32.combine(ca.value, cb.value, lengthOfB: Int64(b.count)) == whole.value)
    }

    @Test("bad levels and unwritable formats are refused with a sentence")
    func refusals() {
        #expect(throws: SluiceError.self) { try Encoders.make(format: .gzip, level: 10) }
        #expect(throws: SluiceError.self) { try Encoders.make(format: .xz, level: -1) }
        #expect(throws: SluiceError.self) { try Encoders.make(format: .zstd) }
        #expect(Encoders.format(forFileName: "out.log.XZ") == .xz)
        #expect(Encoders.strippingCompressionSuffix("a.log.gz") == "a.log")
        #expect(Encoders.strippingCompressionSuffix("a.tgz") == "a.tar")
    }
}
