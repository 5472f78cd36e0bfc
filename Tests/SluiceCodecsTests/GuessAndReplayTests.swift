import SluiceTestSupport
import CZlib
import Testing
import Sluice

/// Issue #9 items 1–4 and #10 items 1–2: a format guess never costs data, nothing after the end
/// of a stream is ignored silently, and ISA-L never delivers a byte zlib would not.
@Suite("Guesses, trailing data and ISA-L replays")
struct GuessAndReplayTests {
    /// Raw deflate of `data` made with zlib against a preset dictionary (`zdict`), so its first
    /// matches point before the start of the stream.
    static func deflate(_ data: [UInt8], dictionary: [UInt8] = [], windowBits: Int32 = -15, sync: Bool = false) -> [UInt8] {
        var stream = z_stream()
        precondition(sluice_deflateInit2(&stream, 6, windowBits, 8, Z_DEFAULT_STRATEGY) == Z_OK)
        defer { deflateEnd(&stream) }
        if !dictionary.isEmpty {
            var dict = dictionary
            precondition(deflateSetDictionary(&stream, &dict, uInt(dict.count)) == Z_OK)
        }
        var input = data
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(data.count))) + 64)
        let produced = input.withUnsafeMutableBufferPointer { inBuf in
            out.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = inBuf.baseAddress
                stream.avail_in = uInt(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = uInt(outBuf.count)
                precondition(CZlib.deflate(&stream, sync ? Z_SYNC_FLUSH : Z_FINISH) == (sync ? Z_OK : Z_STREAM_END))
                return outBuf.count - Int(stream.avail_out)
            }
        }
        return Array(out.prefix(produced))
    }

    static func gzipMember(raw: [UInt8], of data: [UInt8]) -> [UInt8] {
        let crc = data.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
        let size = UInt32(truncatingIfNeeded: data.count)
        let le: (UInt32) -> [UInt8] = { v in (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        return [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3] + raw + le(crc) + le(size)
    }

    static let text = sampleLog(lines: 4000)

    // MARK: - Guesses (#9.1, #10.2)

    @Test("zero-led data is plain, not an empty .lzma stream", arguments: [true, false])
    func zeroLed(rewindable: Bool) {
        let input = [UInt8](repeating: 0, count: 64 << 10) + Array("hello\n".utf8)
        let result = decode(input, rewindable: rewindable)
        #expect(result.error == nil)
        #expect(result.report.format == .plain)
        #expect(same(result.bytes, input))
        // Any short run of zeros too.
        for n in [14, 16, 100, 4096] {
            let zeros = [UInt8](repeating: 0, count: n) + [0x41]
            #expect(same(decode(zeros).bytes, zeros), "\(n) zeros")
        }
    }

    @Test("text that passes the zlib header check is passed through as plain",
          arguments: ["x^2 + y^2 = z^2\nthat is all\n", "X\tY\tZ\n1\t2\t3\n", "x^", "H\u{5}ello", "x\u{1}abc"])
    func zlibLookalikeText(text: String) {
        let input = Array(text.utf8)
        for rewindable in [true, false] {
            for chunk in [1, 3, 16, 1024] {
                let result = decode(input, readSizes: { 1 }, chunkSize: chunk, rewindable: rewindable)
                #expect(result.error == nil, "\(text.debugDescription) chunk \(chunk)")
                #expect(same(result.bytes, input), "\(text.debugDescription) chunk \(chunk) rewindable \(rewindable)")
                #expect(result.report.format == .plain)
            }
        }
    }

    @Test("a genuine zlib stream still decodes; a damaged one is never half-decoded text")
    func genuineZlib() {
        let z = Self.deflate(Self.text, windowBits: 15)
        for rewindable in [true, false] {
            let ok = decode(z, readSizes: { 777 }, rewindable: rewindable)
            #expect(ok.error == nil)
            #expect(ok.report.format == .zlib)
            #expect(same(ok.bytes, Self.text))
        }
        // Damaged past the probation window: decoded prefix, then the error.
        var late = z
        late[z.count - 2] ^= 0xFF
        let damaged = decode(late)
        #expect(damaged.error?.kind == .corrupt)
        #expect(isPrefix(damaged.bytes, of: Self.text))
    }

    @Test("zlib with a preset dictionary (FDICT) is refused with its DICTID")
    func zlibPresetDictionary() {
        let z = Self.deflate(Self.text, dictionary: Array("GET /api/users HTTP/1.1".utf8), windowBits: 15)
        #expect(z[0] == 0x78 && z[1] & 0x20 != 0)
        let result = decode(z)
        #expect(result.report.format == .zlib)
        #expect(result.error?.kind == .unsupported)
        #expect(result.error?.code == "Z_NEED_DICT")
        let id = (2..<6).map { String(z[$0], radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined()
        #expect(result.error?.message.contains("needs a preset dictionary (DICTID 0x\(id))") == true)
        #expect(result.bytes.isEmpty)
        // Text starting "x " has a valid FDICT header too, but it is printable: plain.
        let text = Array("x marks the spot\n".utf8)
        #expect(same(decode(text).bytes, text))
    }

    @Test("a .lzma guess that ends before its first byte of output is passed through as plain", arguments: [true, false])
    func lzmaGuessCutShort(rewindable: Bool) throws {
        let lzma = try runTool(["xz", "--format=lzma", "-c"], input: Self.text)
        for cut in [14, 15, 17] {
            let input = Array(lzma.prefix(cut))
            let result = decode(input, readSizes: { 3 }, rewindable: rewindable)
            #expect(result.error == nil, "cut \(cut)")
            #expect(result.report.format == .plain)
            #expect(result.bytes == input)
        }
        // Cut later, once it has produced output, it is a truncated .lzma stream.
        let late = decode(Array(lzma.prefix(lzma.count / 2)), rewindable: rewindable)
        #expect(late.report.format == .lzma)
        #expect(late.error?.kind == .truncated)
    }

    @Test("text whose zlib-looking start decodes for more than 64 KiB is still passed through; a real zlib stream of that start decodes",
          arguments: [true, false])
    func weakGuessBeyondProbation(rewindable: Bool) throws {
        // `x^2` then tab-separated lines: fixed-Huffman "deflate" that runs long before failing.
        let text = Array(("x^2\n" + String(repeating: "col\tval\n", count: 30_000)).utf8)
        let plain = decode(text, readSizes: { 4096 }, chunkSize: 128 << 10, rewindable: rewindable)
        #expect(plain.error == nil)
        #expect(plain.report.format == .plain)
        #expect(same(plain.bytes, text))
        // zlib level 2-5 writes `78 5e` ("x^"): a text-looking header. Verified to its end when the
        // input rewinds; from a pipe, past 64 KiB it cannot be confirmed and passes through unchanged.
        let real = Self.deflate(Self.text, windowBits: 15)
        var level3 = real
        level3[1] = 0x5E  // FCHECK for 78 5e; FLEVEL differs, the deflate data is the same
        #expect((UInt16(level3[0]) << 8 | UInt16(level3[1])) % 31 == 0)
        let decoded = decode(level3, readSizes: { 4096 }, chunkSize: 128 << 10, rewindable: rewindable)
        #expect(decoded.error == nil)
        if rewindable {
            #expect(decoded.report.format == .zlib)
            #expect(same(decoded.bytes, Self.text))
        } else {
            #expect(decoded.report.format == .plain)
            #expect(same(decoded.bytes, level3))
        }
    }

    // MARK: - Trailing data (#9.2)

    @Test(".lzma: a second stream or garbage after the first is an error after the data")
    func lzmaTrailing() throws {
        let lzma = try runTool(["xz", "--format=lzma", "-c"], input: Self.text)
        let twice = decode(lzma + lzma)
        #expect(same(twice.bytes, Self.text))
        #expect(twice.error?.kind == .trailingGarbage)
        #expect(twice.error?.offset == Int64(lzma.count))
        for junk in [[0x0A], Array("garbage".utf8), [0]] as [[UInt8]] {
            let result = decode(lzma + junk, readSizes: { 333 })
            #expect(same(result.bytes, Self.text))
            #expect(result.error?.kind == .trailingGarbage, "\(junk)")
        }
    }

    @Test("lzip: next member, ignored trailing data with a warning, or a bad header, as lzip -t judges")
    func lzipTrailing() throws {
        let xzLzip = try runTool(["lzip", "-c"], input: Self.text)
        let two = decode(xzLzip + xzLzip, readSizes: { 1000 })
        #expect(two.error == nil)
        #expect(same(two.bytes, Self.text + Self.text))
        #expect(two.report.members == 2)

        let junk = decode(xzLzip + Array("Trailing garbage\n".utf8))
        #expect(junk.error == nil)
        #expect(same(junk.bytes, Self.text))
        #expect(junk.report.warnings == ["17 bytes of trailing data after lzip member 1 ignored"])

        for partial in ["L", "LZ", "LZI"] {
            let result = decode(xzLzip + Array(partial.utf8), readSizes: { 1 })
            #expect(same(result.bytes, Self.text))
            #expect(result.error?.kind == .truncated, "\(partial)")
            #expect(result.error?.message == "truncated header of lzip member 2")
        }
        let corrupt = decode(xzLzip + Array("LZITrailing".utf8))
        #expect(corrupt.error?.message == "corrupt header of lzip member 2")
        #expect(corrupt.error?.offset == Int64(xzLzip.count))
        let magicOnly = decode(xzLzip + Array("LZIP".utf8))
        #expect(magicOnly.error?.kind == .truncated)
        #expect(same(magicOnly.bytes, Self.text))
    }

    // MARK: - gzip zero padding (#10.1)

    @Test("zero padding after a gzip member is accepted and noted; garbage after it is not",
          arguments: GzipBackend.allCases)
    func gzipZeroPadding(backend: GzipBackend) throws {
        let gz = try runTool(["gzip", "-c"], input: Self.text)
        for pad in [1, 7, 512, 70_000] {
            let result = decode(gz + [UInt8](repeating: 0, count: pad), backend: backend, readSizes: { 4099 })
            #expect(result.error == nil, "\(pad) zeros")
            #expect(same(result.bytes, Self.text))
            #expect(result.report.notes == ["\(pad) trailing zero bytes ignored"])
        }
        let twoMembers = decode(gz + [0, 0] + gz, backend: backend)
        #expect(twoMembers.error?.kind == .trailingGarbage)
        #expect(twoMembers.error?.offset == Int64(gz.count + 2))
        #expect(same(twoMembers.bytes, Self.text))
        let garbage = decode(gz + [0, 0, 0x41], backend: backend)
        #expect(garbage.error?.kind == .trailingGarbage)
        #expect(garbage.error?.offset == Int64(gz.count + 2))
        // Zeros alone are not a gzip file.
        #expect(decode([0x1F, 0x8B] + [UInt8](repeating: 0, count: 30), format: .gzip).error != nil)
    }

    // MARK: - ISA-L faults (#9.3, #9.4)

    @Test("ISA-L on a member made with a missing preset dictionary delivers exactly zlib's output")
    func isalPresetDictionary() {
        let dictionary = Array(Self.text.suffix(20_000))
        let member = Self.gzipMember(raw: Self.deflate(Self.text, dictionary: dictionary), of: Self.text)
        let reference = decode(member, backend: .zlib)
        #expect(reference.error?.code == "Z_DATA_ERROR")
        for rewindable in [true, false] {
            for outSize in [1, 7, 100, 4096, 1 << 16] {
                let fast = decode(member, backend: .isal, outSize: outSize, rewindable: rewindable)
                #expect(fast.error != nil)
                if rewindable {
                    #expect(same(fast.bytes, reference.bytes), "out \(outSize)")
                    #expect(fast.error == reference.error, "out \(outSize)")
                } else {
                    #expect(isPrefix(fast.bytes, of: reference.bytes), "out \(outSize): prefix only")
                }
            }
        }
    }

    @Test("ISA-L never hands out bytes left in a reused buffer by an earlier input")
    func isalReusedBuffer() throws {
        let secret = Array(String(repeating: "secret line from the first file\n", count: 3000).utf8)
        let first = try runTool(["gzip", "-c"], input: secret)
        let member = Self.gzipMember(raw: Self.deflate(Self.text, dictionary: Array(Self.text.prefix(30_000))), of: Self.text)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
        defer { buffer.deallocate() }
        for (index, input) in [first, member].enumerated() {
            for rewindable in [true, false] {
                let reader = try Decoders.open(source: ChunkedReader(input, rewindable: rewindable, sizes: { 1 << 20 }),
                                               path: "in\(index)")
                var out: [UInt8] = []
                do {
                    while case let n = try reader.read(into: buffer), n > 0 { out += buffer[..<n] }
                } catch {}
                if index == 1 {
                    let needle = Array("secret".utf8)
                    let leaked = out.count >= needle.count && (0...(out.count - needle.count)).contains { Array(out[$0..<$0 + needle.count]) == needle }
                    #expect(!leaked, "rewindable \(rewindable)")
                    #expect(isPrefix(out, of: Self.text))
                }
            }
        }
    }

    @Test("a reserved block type after megabytes of good data: every good byte at every chunk size")
    func isalReservedBlockType() {
        let data = sampleLog(lines: 60_000)
        let raw = Self.deflate(data, sync: true) + [0x07] + [UInt8](repeating: 0, count: 50)
        let member = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3] + raw
        for chunk in [512, 4096, 8192, 128 << 10] {
            for outSize in [4096, 1 << 16] {
                let reference = decode(member, backend: .zlib, outSize: outSize, chunkSize: chunk)
                #expect(same(reference.bytes, data))
                #expect(reference.error?.kind == .corrupt)
                let fast = decode(member, backend: .isal, outSize: outSize, chunkSize: chunk)
                #expect(fast.bytes.count == data.count, "chunk \(chunk) out \(outSize)")
                #expect(same(fast.bytes, data))
                #expect(fast.error?.kind == .corrupt)
                let pipe = decode(member, backend: .isal, outSize: outSize, chunkSize: chunk, rewindable: false)
                #expect(isPrefix(pipe.bytes, of: data))
                #expect(pipe.error?.kind == .corrupt)
            }
        }
    }

    @Test("a replay within one decode call: the member before the failing one is delivered exactly once")
    func isalReplayAfterGoodMember() throws {
        let first = Array(Self.text.prefix(5000))
        let good = try runTool(["gzip", "-c"], input: first)
        let bad = Self.gzipMember(raw: Self.deflate(Self.text, dictionary: Array(Self.text.prefix(30_000))), of: Self.text)
        let reference = decode(good + bad, backend: .zlib, outSize: 1 << 20)
        for outSize in [1 << 20, 4096, 333] {
            let fast = decode(good + bad, backend: .isal, outSize: outSize, chunkSize: 1 << 20)
            #expect(same(fast.bytes, reference.bytes), "out \(outSize)")
            #expect(fast.error == reference.error)
        }
        // Truncated inside a member: ISA-L's undecoded last bits are decoded by the zlib replay.
        let gz = try runTool(["gzip", "-c"], input: Self.text)
        for cut in [gz.count / 3, gz.count / 2, gz.count - 9] {
            let zlibCut = decode(Array(gz.prefix(cut)), backend: .zlib)
            let isalCut = decode(Array(gz.prefix(cut)), backend: .isal)
            #expect(same(isalCut.bytes, zlibCut.bytes), "cut \(cut)")
            #expect(isalCut.error?.kind == .truncated)
        }
    }

    // MARK: - liblzma BCJ filters (found by the mutation campaign)

    @Test("xz with a BCJ filter: a failing call's unconverted bytes are never delivered")
    func xzBCJFailure() throws {
        // x86 code-like bytes: CALL (E8) with 32-bit operands, which the x86 filter converts.
        var rng = SeededRandom(state: 11)
        let data = (0..<40_000).flatMap { _ -> [UInt8] in [0xE8] + (0..<4).map { _ in UInt8(truncatingIfNeeded: rng.next() % 64) } + [0x90, 0x90] }
        let xz = try runTool(["xz", "--x86", "--lzma2=preset=6", "-c"], input: data)
        #expect(same(decode(xz).bytes, data))
        for flip in stride(from: 200, to: xz.count - 100, by: xz.count / 7) {
            var bad = xz
            bad[flip] ^= 0x40
            // The reference: liblzma fed one byte per call, so no failing call holds more than one byte's output.
            let careful = decode(bad, readSizes: { 1 }, chunkSize: 1024)
            for rewindable in [true, false] {
                let whole = decode(bad, readSizes: { 1 << 20 }, chunkSize: 1 << 20, rewindable: rewindable)
                #expect(whole.error != nil || careful.error == nil, "flip at \(flip)")
                #expect(isPrefix(whole.bytes, of: careful.bytes) || isPrefix(careful.bytes, of: whole.bytes), "flip at \(flip)")
                if rewindable { #expect(whole.bytes.count >= careful.bytes.count - 64, "flip at \(flip): replay keeps the good bytes") }
            }
        }
    }
}

/// Byte equality that reports sizes, not whole arrays, when it fails.
func same(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    if a == b { return true }
    let firstDifference = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
    print("bytes differ: \(a.count) vs \(b.count), first difference at \(firstDifference)")
    return false
}

/// Whether `a` is a prefix of `b` (reports the first difference when not).
func isPrefix(_ a: [UInt8], of b: [UInt8]) -> Bool {
    a.count <= b.count && same(a, Array(b.prefix(a.count)))
}
