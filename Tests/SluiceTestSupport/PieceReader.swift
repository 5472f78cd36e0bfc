import SluiceCore

/// Hands out bytes in fixed-size pieces, to put chunk boundaries everywhere.
public final class PieceReader: ByteReader {
    public let bytes: [UInt8]
    public let piece: Int
    public var position = 0

    public init(_ bytes: [UInt8], piece: Int) {
        self.bytes = bytes
        self.piece = piece
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SluiceError) -> Int {
        let n = min(piece, buffer.count, bytes.count - position)
        for i in 0..<n { buffer[i] = bytes[position + i] }
        position += n
        return n
    }
}
