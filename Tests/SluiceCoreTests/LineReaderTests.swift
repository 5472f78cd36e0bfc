import Testing
import SluiceTestSupport
@testable import SluiceCore

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

func framedLines(_ text: [UInt8], piece: Int, capacity: Int = 16, maxLine: Int = 64 << 20) throws -> [[UInt8]] {
    let reader = try LineReader(PieceReader(text, piece: piece), capacity: .bytes(capacity), maxLineLength: .bytes(maxLine))
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

    @Test("a --max-line far below the buffer size is enforced at every chunk size")
    func smallLimit() throws {
        // The 11-byte line is over a 10-byte limit although it fits the default 256 KiB buffer.
        let text = Array("short\n0123456789A\nok\n".utf8)
        for piece in [1, 3, 7, 64, 4096] {
            let reader = try LineReader(PieceReader(text, piece: piece), maxLineLength: .bytes(10))
            var caught: SluiceError?
            var lines: [[UInt8]] = []
            do {
                while let block = try reader.nextBlock() { block.forEachLine { lines.append(Array($0)); return true } }
            } catch {
                caught = error
            }
            #expect(lines == [Array("short".utf8)], "pieces of \(piece)")
            #expect(caught?.message == "line longer than the --max-line limit of 10 B starting at decoded byte 6", "pieces of \(piece)")
            // Exactly at the limit is fine.
            #expect(try framedLines(Array("0123456789\nab".utf8), piece: piece, capacity: 256 << 10, maxLine: 10)
                    == [Array("0123456789".utf8), Array("ab".utf8)])
        }
    }

    @Test("skip mode drops long lines in bounded memory and says where, in order")
    func skipLongLines() throws {
        let long1 = [UInt8](repeating: 0x41, count: 5000), long2 = [UInt8](repeating: 0x42, count: 300)
        let text = Array("a\nb\n".utf8) + long1 + Array("\nc\n".utf8) + long2 + [0x0A] + long1
        for piece in [1, 5, 100, 512, 1 << 16] {
            let reader = try LineReader(PieceReader(text, piece: piece), capacity: .bytes(64), maxLineLength: .bytes(200),
                                        longLines: .skip)
            var events: [String] = []
            while true {
                let block = try reader.nextBlock()
                for e in reader.takeSkippedLines() { events.append("skip " + e.message.split(separator: " ").last!) }
                guard let block else { break }
                block.forEachLine { events.append(String(decoding: $0, as: UTF8.self)); return true }
            }
            #expect(events == ["a", "b", "skip 4", "c", "skip 5007", "skip 5308"], "pieces of \(piece)")
        }
    }

    @Test("lines before a source fault are handed out, the partial last one too, then the fault")
    func partialBeforeFault() throws {
        final class Failing: ByteReader {
            var sent = false
            func read(into buffer: UnsafeMutableRawBufferPointer) throws(SluiceError) -> Int {
                if sent { throw SluiceError(.truncated, "unexpected end of input", offset: 99) }
                sent = true
                let text = Array("one\ntwo\nthr".utf8)
                for (i, b) in text.enumerated() { buffer[i] = b }
                return text.count
            }
        }
        let reader = try LineReader(Failing())
        var bytes: [UInt8] = []
        var caught: SluiceError?
        do {
            while let block = try reader.nextBlock() { bytes += Array(block) }
        } catch {
            caught = error
        }
        #expect(bytes == Array("one\ntwo\nthr".utf8))
        #expect(caught?.kind == .truncated)
    }

    @Test("tail keeps the last N lines across blocks, byte for byte")
    func tail() throws {
        let cases = [((1...1000).map { "line \($0)" }.joined(separator: "\n"), "line 998\nline 999\nline 1000"),
                     ((1...1000).map { "line \($0)\r\n" }.joined(), "line 998\r\nline 999\r\nline 1000\r\n")]
        for (text, expected) in cases {
            let bytes = Array(text.utf8)
            for piece in [1, 7, 64, 4096] {
                let reader = try LineReader(PieceReader(bytes, piece: piece), capacity: .bytes(32))
                var tail = TailBuffer(count: 3)
                while let block = try reader.nextBlock() { try tail.add(block: block) }
                var got: [UInt8] = []
                try tail.forEach { got += Array($0) }
                #expect(got == Array(expected.utf8), "pieces of \(piece)")
            }
        }
    }

    @Test("tail slots grow with the lines kept and are reserved from the budget")
    func tailBudget() throws {
        let text = Array((1...10).map { "line \($0)\n" }.joined().utf8)
        let budget = MemoryBudget(cap: .kibibytes(64))
        do {
            var tail = TailBuffer(count: Int.max, budget: budget)
            try text.withUnsafeBytes { try tail.add(block: $0) }
            #expect(tail.heldLines == 10)
            #expect(budget.used.bytes == tail.reservedBytes && tail.reservedBytes < 1024)
        }
        #expect(budget.used.bytes == 0)
        // A window that does not fit under the cap is a limit error, not an allocation.
        let small = MemoryBudget(cap: .bytes(200))
        var tail = TailBuffer(count: 1_000_000, budget: small)
        var caught: SluiceError?
        do {
            try text.withUnsafeBytes { try tail.add(block: $0) }
        } catch {
            caught = error as? SluiceError
        }
        #expect(caught?.kind == .limit)
    }

    @Test("a dropped line stops tail's output only while it is among the last N")
    func tailDropped() throws {
        var tail = TailBuffer(count: 2)
        try Array("a\n".utf8).withUnsafeBytes { try tail.add(block: $0) }
        try tail.add(dropped: [SluiceError(.limit, "too long")])
        try Array("b\n".utf8).withUnsafeBytes { try tail.add(block: $0) }
        var got: [UInt8] = []
        #expect(throws: SluiceError.self) { try tail.forEach { got += Array($0) } }
        #expect(got.isEmpty)
        try Array("c".utf8).withUnsafeBytes { try tail.add(block: $0) }
        try tail.forEach { got += Array($0) }
        #expect(got == Array("b\nc".utf8))
    }
}
