import Testing
@testable import SluiceCore

@Suite("Format detection from magic bytes")
struct FormatDetectionTests {
    func detect(_ bytes: [UInt8]) -> CompressionFormat {
        bytes.withUnsafeBytes { CompressionFormat.detect($0) }
    }

    @Test func magicNumbers() {
        #expect(detect([0x1F, 0x8B, 8, 0]) == .gzip)
        #expect(detect([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 0, 4]) == .xz)
        #expect(detect(Array("LZIP".utf8) + [1, 12]) == .lzip)
        #expect(detect([0x28, 0xB5, 0x2F, 0xFD]) == .zstd)
        #expect(detect(Array("BZh9".utf8)) == .bzip2)
        #expect(detect([0x78, 0x9C, 0x4B]) == .zlib)
        // .lzma: properties 0x5D, dictionary 8 MiB, unknown size.
        // The first range-coder byte is always 0.
        #expect(detect([0x5D, 0, 0, 0x80, 0] + [UInt8](repeating: 0xFF, count: 8) + [0]) == .lzma)
    }

    @Test func plainText() {
        #expect(detect(Array("hello world\n".utf8)) == .plain)
        #expect(detect([]) == .plain)
        #expect(detect([0x1F]) == .plain)
        // "BZh" followed by a non-digit is text, not bzip2.
        #expect(detect(Array("BZhello".utf8)) == .plain)
        // An odd dictionary size fails the .lzma plausibility check.
        #expect(detect([0x5D, 0x01, 0x02, 0x03, 0x04] + [UInt8](repeating: 0xFF, count: 8) + [0]) == .plain)
        // Zeros (disk images, sparse files): dictionary size 0 is not .lzma (xz rejects it too).
        #expect(detect([UInt8](repeating: 0, count: 16)) == .plain)
        // A non-zero first range-coder byte, and lc + lp > 4, are not .lzma either.
        #expect(detect([0x5D, 0, 0, 0x80, 0] + [UInt8](repeating: 0xFF, count: 8) + [1]) == .plain)
        #expect(detect([0x2C + 9 * 4, 0, 0, 0x80, 0] + [UInt8](repeating: 0xFF, count: 8) + [0]) == .plain)
        // zlib with a preset dictionary counts only when its header is not text.
        #expect(detect([0x78, 0xF9, 0, 0, 0, 1, 0x4B]) == .zlib)
        #expect(detect(Array("x marks".utf8)) == .plain)
    }

    @Test func byteCounts() {
        #expect(ByteCount(parsing: "128KiB") == .kibibytes(128))
        #expect(ByteCount(parsing: "64M") == .mebibytes(64))
        #expect(ByteCount(parsing: "1g") == .gibibytes(1))
        #expect(ByteCount(parsing: "4096") == .bytes(4096))
        #expect(ByteCount(parsing: "-1") == nil)
        #expect(ByteCount(parsing: "12 parsecs") == nil)
    }

    @Test func errorLine() {
        let e = SluiceError(.corrupt, "CRC32 mismatch in member 2", code: nil, offset: 4711).at(path: "app.log.gz")
        #expect(e.description == "app.log.gz: CRC32 mismatch in member 2 at compressed byte 4711")
    }
}
