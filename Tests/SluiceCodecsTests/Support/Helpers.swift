import SluiceTestSupport
import Foundation
import Sluice

/// Runs a real tool (`gzip`, `xz`) with `input` on stdin and returns its stdout.
func runTool(_ arguments: [String], input: [UInt8]) throws -> [UInt8] {
    // A tool that exits early (or is missing) must fail the test, not kill the runner with SIGPIPE.
    signal(SIGPIPE, SIG_IGN)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let inPipe = Pipe(), outPipe = Pipe()
    process.standardInput = inPipe
    process.standardOutput = outPipe
    try process.run()
    let writer = Thread {
        inPipe.fileHandleForWriting.write(Data(input))
        try? inPipe.fileHandleForWriting.close()
    }
    writer.start()
    let output = outPipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw ToolFailure(arguments: arguments, status: process.terminationStatus) }
    return [UInt8](output)
}

struct ToolFailure: Error { var arguments: [String]; var status: Int32 }

/// Hands out a byte array in pieces whose sizes come from `sizes` (cycled): 1-byte reads, random
/// splits. Rewinds like a regular file when `rewindable`, or refuses like a pipe.
final class ChunkedReader: RewindableByteReader {
    private let bytes: [UInt8]
    private var position = 0
    private var sizes: () -> Int
    let canRewind: Bool

    init(_ bytes: [UInt8], rewindable: Bool = true, sizes: @escaping () -> Int) {
        self.bytes = bytes
        self.sizes = sizes
        self.canRewind = rewindable
    }

    func rewind(to offset: Int64) throws(SluiceError) {
        precondition(canRewind, "a pipe cannot rewind")
        position = Int(offset)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(SluiceError) -> Int {
        let n = min(buffer.count, bytes.count - position, max(1, sizes()))
        for i in 0..<n { buffer[i] = bytes[position + i] }
        position += n
        return n
    }
}


/// What decoding an input to its end gave: all bytes before any fault, and the fault.
struct Decoded {
    var bytes: [UInt8]
    var error: SluiceError?
    var report: DecodeReport
}

/// Decodes `compressed` through the full reader stack, `readSizes` bytes per source read and
/// `outSize` bytes of output space per call.
func decode(_ compressed: [UInt8], format: CompressionFormat? = nil, backend: GzipBackend = .isal,
            readSizes: @escaping () -> Int = { 1 << 20 }, outSize: Int = 64 << 10, chunkSize: Int = 1024,
            rewindable: Bool = true) -> Decoded {
    let source = ChunkedReader(compressed, rewindable: rewindable, sizes: readSizes)
    var out: [UInt8] = []
    let options = DecodeOptions(format: format, gzipBackend: backend, chunkSize: .bytes(chunkSize))
    let reader: DecodingReader
    do {
        reader = try Decoders.open(source: source, path: "input", options: options)
    } catch {
        return Decoded(bytes: [], error: error, report: DecodeReport(format: format ?? .plain))
    }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: outSize, alignment: 16)
    defer { buffer.deallocate() }
    do {
        while true {
            let n = try reader.read(into: buffer)
            if n == 0 { break }
            out.append(contentsOf: buffer[..<n])
        }
        return Decoded(bytes: out, error: nil, report: reader.report)
    } catch {
        return Decoded(bytes: out, error: error, report: reader.report)
    }
}

/// Realistic log text: `lines` lines, seeded.
func sampleLog(lines: Int, seed: UInt64 = 42) -> [UInt8] {
    var rng = SeededRandom(state: seed)
    let paths = ["/", "/api/users", "/api/orders/17", "/static/app.js", "/login", "/health"]
    let codes = [200, 200, 200, 301, 404, 500]
    var text = ""
    for i in 0..<lines {
        let ip = "10.\(rng.next() % 256).\(rng.next() % 256).\(rng.next() % 256)"
        let path = paths[Int(rng.next() % UInt64(paths.count))]
        let code = codes[Int(rng.next() % UInt64(codes.count))]
        text += "\(ip) - - [27/Nov/2026:10:\(i % 60):\(i % 60)] \"GET \(path) HTTP/1.1\" \(code) \(rng.next() % 50000)\n"
    }
    return Array(text.utf8)
}
