/// Lines for code that lives in Swift concurrency: an `AsyncSequence` of blocks of lines.
///
/// Each element is a ``LineBlock`` holding many lines (up to about 256 KiB), so the cost of an
/// `await` is paid per block, not per line. Decoding happens inside `next()`, on the caller's task.
public struct LineBlocks: AsyncSequence {
    public typealias Element = LineBlock
    let pipeline: LinePipeline

    public func makeAsyncIterator() -> Iterator { Iterator(pipeline: pipeline) }

    public final class Iterator: AsyncIteratorProtocol {
        private let pipeline: LinePipeline
        private var reader: LineReader?
        private let runner: StageRunner
        private var done = false

        init(pipeline: LinePipeline) {
            self.pipeline = pipeline
            runner = StageRunner(stages: pipeline.stages, numbersLines: pipeline.numbersLines)
        }

        public func next() async throws -> LineBlock? {
            if done { return nil }
            let reader = try self.reader ?? LineReader(try pipeline.open(), path: pipeline.path,
                                                       maxLineLength: pipeline.maxLineLength, budget: pipeline.budget)
            self.reader = reader
            var bytes: [UInt8] = []
            var count = 0
            let runner = self.runner
            while let more = try reader.withNextBlock({ (block) throws(SluiceError) -> Bool in
                bytes.reserveCapacity(block.count + 1)
                return try runner.run(block) { (line) throws(SluiceError) -> Bool in
                    bytes.append(contentsOf: line.bytes)
                    bytes.append(0x0A)
                    count += 1
                    return true
                }
            }) {
                if !more { done = true }
                if count > 0 || done { break }
            }
            if count == 0 {
                done = true
                return nil
            }
            return LineBlock(bytes: bytes, lineCount: count)
        }
    }
}

/// Several complete lines, owned, each ending in `\n`.
public struct LineBlock: Sendable {
    public let bytes: [UInt8]
    public let lineCount: Int

    /// Calls `body` with each line (terminator stripped), borrowed.
    public func forEachLine(_ body: (LineView) throws -> Void) rethrows {
        try bytes.withUnsafeBytes { buffer in
            try buffer.forEachLine { line in
                try body(LineView(bytes: line))
                return true
            }
        }
    }
}

extension LinePipeline {
    /// The lines that pass all stages, as an `AsyncSequence` of blocks.
    public var blocks: LineBlocks { LineBlocks(pipeline: self) }
}
