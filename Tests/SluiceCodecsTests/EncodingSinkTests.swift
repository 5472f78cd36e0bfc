import SluiceTestSupport
import Testing
import Sluice

/// Collects what reaches it; optionally fails after `failAfter` bytes, like a full disk.
final class CollectingSink: ByteSink, @unchecked Sendable {
    var bytes: [UInt8] = []
    var finished = false
    let failAfter: Int?
    init(failAfter: Int? = nil) { self.failAfter = failAfter }
    func write(_ b: UnsafeRawBufferPointer) throws(SluiceError) {
        if let failAfter, bytes.count + b.count > failAfter {
            throw SluiceError(.io, "write failed: No space left on device", code: "ENOSPC", path: "out.xz")
        }
        bytes.append(contentsOf: b)
    }
    func finish() throws(SluiceError) { finished = true }
}

@Suite("EncodingSink: encode on a second thread through the ring")
struct EncodingSinkTests {
    static let text = sampleLog(lines: 20_000)

    @Test("writes of any size come out as one stream the real tools decode",
          arguments: [CompressionFormat.gzip, .xz], [1, 3])
    func roundTrip(format: CompressionFormat, threads: Int) throws {
        let downstream = CollectingSink()
        let sink = try EncodingSink(encoder: try Encoders.make(format: format, threads: threads), downstream: downstream,
                                ringCapacity: .kibibytes(64), outputChunk: .kibibytes(4))
        var rng = SeededRandom(state: 5)
        var offset = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 100_000, alignment: 1)
        defer { buffer.deallocate() }
        while offset < Self.text.count {
            let n = min(Int(rng.next() % 100_000) + 1, Self.text.count - offset)
            for i in 0..<n { buffer[i] = Self.text[offset + i] }
            try sink.write(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
            offset += n
        }
        try sink.finish()
        #expect(downstream.finished)
        #expect(sink.bytesIn == Int64(Self.text.count))
        #expect(sink.bytesOut == Int64(downstream.bytes.count))
        let tool = format == .gzip ? ["gzip", "-dc"] : ["xz", "-dc"]
        #expect(try runTool(tool, input: downstream.bytes) == Self.text)
    }

    @Test("a downstream failure on the encoder thread reaches the writer, naming the path, and nothing hangs")
    func downstreamFailure() throws {
        let sink = try EncodingSink(encoder: try Encoders.make(format: .gzip, level: 0), downstream: CollectingSink(failAfter: 10_000),
                                ringCapacity: .kibibytes(16), outputChunk: .kibibytes(4))
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 8192, alignment: 1)
        defer { buffer.deallocate() }
        var caught: SluiceError?
        do throws(SluiceError) {
            for _ in 0..<1000 { try sink.write(UnsafeRawBufferPointer(buffer)) }
            try sink.finish()
        } catch {
            caught = error
        }
        #expect(caught?.description == "out.xz: write failed: No space left on device (ENOSPC)")
    }

    @Test("cancel stops the encoder thread and leaves downstream unfinished")
    func cancel() throws {
        let downstream = CollectingSink()
        let sink = try EncodingSink(encoder: try Encoders.make(format: .xz, level: 0), downstream: downstream)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1000, alignment: 1)
        defer { buffer.deallocate() }
        try sink.write(UnsafeRawBufferPointer(buffer))
        sink.cancel(SluiceError(.corrupt, "input failed"))
        #expect(!downstream.finished)
        #expect(throws: SluiceError.self) { try sink.finish() }
    }
}
