import CLzma
import SluiceCore

/// What an .xz file's indexes say about it, read like `xz -l` does: headers, footers and indexes
/// only, seeking past the compressed blocks (`lzma_file_info_decoder`).
public struct XzIndexSummary: Sendable, Equatable {
    public var streams: Int
    public var blocks: Int
    /// Check types used by the streams, e.g. `CRC64` or `CRC32,SHA-256`.
    public var checks: String
    public var compressedBytes: Int64
    public var uncompressedBytes: Int64
}

public enum XzIndex {
    /// Reads the indexes of the seekable .xz file open on `fd` (size `fileSize`). Moves the file position.
    public static func read(fd: Int32, fileSize: Int64, path: String) throws(SluiceError) -> XzIndexSummary {
        let stream = UnsafeMutablePointer<lzma_stream>.allocate(capacity: 1)
        sluice_lzma_stream_init(stream)
        var index: OpaquePointer? = nil
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
        defer {
            lzma_end(stream)
            stream.deallocate()
            buffer.deallocate()
            if let index { lzma_index_end(index, nil) }
        }
        var ret = lzma_file_info_decoder(stream, &index, UInt64.max, UInt64(fileSize))
        guard ret == LZMA_OK else { throw SluiceError(.limit, "cannot start the xz index reader", code: LzmaDecoder.codeName(ret), path: path) }
        try SystemCalls.seek(fd, to: 0, path: path)
        var position: Int64 = 0
        var atEnd = false
        while true {
            if stream.pointee.avail_in == 0 && !atEnd {
                let n = try SystemCalls.read(fd, into: buffer, path: path)
                stream.pointee.next_in = UnsafePointer(buffer.baseAddress?.assumingMemoryBound(to: UInt8.self))
                stream.pointee.avail_in = n
                position += Int64(n)
                atEnd = n == 0
            }
            ret = lzma_code(stream, atEnd ? LZMA_FINISH : LZMA_RUN)
            switch ret {
            case LZMA_OK:
                continue
            case LZMA_SEEK_NEEDED:
                try SystemCalls.seek(fd, to: Int64(stream.pointee.seek_pos), path: path)
                position = Int64(stream.pointee.seek_pos)
                stream.pointee.avail_in = 0
                atEnd = false
            case LZMA_STREAM_END:
                guard let index else { throw SluiceError(.corrupt, "xz index missing", path: path) }
                return XzIndexSummary(
                    streams: Int(lzma_index_stream_count(index)),
                    blocks: Int(lzma_index_block_count(index)),
                    checks: checkNames(lzma_index_checks(index)),
                    compressedBytes: Int64(lzma_index_file_size(index)),
                    uncompressedBytes: Int64(lzma_index_uncompressed_size(index)))
            default:
                let kind: SluiceError.Kind = ret == LZMA_BUF_ERROR ? .truncated : (ret == LZMA_OPTIONS_ERROR ? .unsupported : .corrupt)
                throw SluiceError(kind, "cannot read the xz index", code: LzmaDecoder.codeName(ret),
                                  offset: position - Int64(stream.pointee.avail_in), path: path)
            }
        }
    }

    static func checkNames(_ mask: UInt32) -> String {
        var names: [String] = []
        for id in 0..<16 where mask & (1 << UInt32(id)) != 0 {
            names.append(LzmaDecoder.checkName(lzma_check(rawValue: UInt32(id))))
        }
        return names.joined(separator: ",")
    }
}
