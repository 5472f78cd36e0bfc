import Testing
@testable import SluiceCore

/// Hands out bytes in fixed-size pieces, to put chunk boundaries everywhere.
final class PieceReader: ByteReader {
    let bytes: [UInt8]
    let piece: Int
    var position = 0
    init(_ bytes: [UInt8], piece: Int) { self.bytes = bytes; self.piece = piece }
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(SluiceError) -> Int {
        let n = min(piece, buffer.count, bytes.count - position)
        for i in 0..<n { buffer[i] = bytes[position + i] }
        position += n
        return n
    }
}

/// What the standard library says the lines are: split on \n, strip one trailing \r, no phantom
/// last line after a final \n.
func referenceLines(_ text: [UInt8]) -> [[UInt8]] {
    var lines = text.split(separator: 0x0A, omittingEmptySubsequences: false).map { line -> [UInt8] in
        var l = Array(line)
        if l.last == 0x0D { l.removeLast() }
        return l
    }
    if text.last == 0x0A || text.isEmpty { lines.removeLast() }
    return lines
}

func framedLines(_ text: [UInt8], piece: Int, capacity: Int = 16) throws -> [[UInt8]] {
    let reader = try LineReader(PieceReader(text, piece: piece), capacity: .bytes(capacity))
    var lines: [[UInt8]] = []
    while let block = try reader.nextBlock() {
        block.forEachLine { line in lines.append(Array(line)); return true }
    }
    return lines
}

@Suite("Line framer")
struct LineReaderTests {
    static let samples: [(String, [UInt8])] = [
        ("plain", Array("alpha\nbeta\ngamma\n".utf8)),
        ("no final newline", Array("one\ntwo\nthree".utf8)),
        ("empty lines", Array("\n\na\n\n\nb\n\n".utf8)),
        ("CRLF", Array("GET / HTTP/1.1\r\nHost: x\r\n\r\nbody\r\n".utf8)),
        ("NUL and invalid UTF-8", [0x61, 0x00, 0x62, 0x0A, 0xFF, 0xFE, 0x0A, 0xC3, 0x28]),
        ("long lines", Array((String(repeating: "x", count: 100) + "\n" + String(repeating: "y", count: 37) + "\r\nz").utf8)),
        ("empty", []),
        ("only newline", [0x0A]),
    ]

    @Test("every chunk size from 1 to 17 and the default agrees with split", arguments: Array(1...17) + [128 << 10])
    func chunkSizes(piece: Int) throws {
        for (name, text) in Self.samples {
            #expect(try framedLines(text, piece: piece) == referenceLines(text), "\(name), pieces of \(piece)")
            #expect(try framedLines(text, piece: piece, capacity: 256 << 10) == referenceLines(text), "\(name), default capacity")
        }
    }

    @Test("a \\r ending one chunk and its \\n starting the next are one break")
    func splitCRLF() throws {
        let text = Array("abc\r\ndef\r\n".utf8)
        for piece in 1...text.count {
            #expect(try framedLines(text, piece: piece, capacity: 16) == [Array("abc".utf8), Array("def".utf8)])
        }
    }

    @Test("a line over the limit is an error naming the limit and offset, not a huge allocation")
    func maxLine() throws {
        let text = Array("short\n".utf8) + [UInt8](repeating: 0x41, count: 5000) + [0x0A]
        let reader = try LineReader(PieceReader(text, piece: 512), capacity: .bytes(64), maxLineLength: .bytes(1000))
        var caught: SluiceError?
        do {
            while try reader.nextBlock() != nil {}
        } catch {
            caught = error
        }
        #expect(caught?.kind == .limit)
        #expect(caught?.message.contains("starting at decoded byte 6") == true)
    }

    @Test("newline counting matches a byte loop at every alignment")
    func newlineCount() {
        let text: [UInt8] = (0..<300).map { $0 % 7 == 0 ? 0x0A : UInt8(0x20 + $0 % 90) }
        text.withUnsafeBytes { raw in
            for start in 0..<20 {
                for end in stride(from: start, to: text.count, by: 13) {
                    let expected = text[start..<end].filter { $0 == 0x0A }.count
                    #expect(raw.countNewlines(in: start..<end) == expected)
                }
            }
        }
    }

    @Test("tail keeps the last N lines across blocks")
    func tail() throws {
        let text = Array((1...1000).map { "line \($0)" }.joined(separator: "\n").utf8)
        for piece in [1, 7, 64, 4096] {
            let reader = try LineReader(PieceReader(text, piece: piece), capacity: .bytes(32))
            var tail = TailBuffer(count: 3)
            while let block = try reader.nextBlock() { tail.add(block: block) }
            var got: [String] = []
            tail.forEach { got.append(String(decoding: $0, as: UTF8.self)) }
            #expect(got == ["line 998", "line 999", "line 1000"], "pieces of \(piece)")
        }
    }
}
