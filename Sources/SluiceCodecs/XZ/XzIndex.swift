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
    /// Total (compressed, with headers) and uncompressed size of the largest block.
    public var largestBlockCompressedBytes: Int = 0
    public var largestBlockUncompressedBytes: Int = 0
}

public enum XzIndex {
    /// Reads the indexes of the seekable .xz file open on `fd` (size `fileSize`) with `pread(2)`,
    /// so the file position (where decoding continues) does not move.
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
        guard ret == LZMA_OK else { throw SluiceError(.limit, "cannot start the xz index reader", code: LzmaCode.codeName(ret), path: path) }
        var position: Int64 = 0
        var atEnd = false
        while true {
            if stream.pointee.avail_in == 0 && !atEnd {
                let n = try SystemCalls.read(fd, into: buffer, at: position, path: path)
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
                position = Int64(stream.pointee.seek_pos)
                stream.pointee.avail_in = 0
                atEnd = false
            case LZMA_STREAM_END:
                guard let index else { throw SluiceError(.corrupt, "xz index missing", path: path) }
                var summary = XzIndexSummary(
                    streams: Int(lzma_index_stream_count(index)),
                    blocks: Int(lzma_index_block_count(index)),
                    checks: checkNames(lzma_index_checks(index)),
                    compressedBytes: Int64(lzma_index_file_size(index)),
                    uncompressedBytes: Int64(lzma_index_uncompressed_size(index)))
                var iter = lzma_index_iter()
                lzma_index_iter_init(&iter, index)
                while lzma_index_iter_next(&iter, LZMA_INDEX_ITER_BLOCK) == 0 {
                    summary.largestBlockCompressedBytes = max(summary.largestBlockCompressedBytes, Int(iter.block.total_size))
                    summary.largestBlockUncompressedBytes = max(summary.largestBlockUncompressedBytes, Int(iter.block.uncompressed_size))
                }
                return summary
            default:
                let kind: SluiceError.Kind = ret == LZMA_BUF_ERROR ? .truncated : (ret == LZMA_OPTIONS_ERROR ? .unsupported : .corrupt)
                throw SluiceError(kind, "cannot read the xz index", code: LzmaCode.codeName(ret),
                                  offset: position - Int64(stream.pointee.avail_in), path: path)
            }
        }
    }

    static func checkNames(_ mask: UInt32) -> String {
        var names: [String] = []
        for id in 0..<16 where mask & (1 << UInt32(id)) != 0 {
            names.append(LzmaCode.check(lzma_check(rawValue: UInt32(id))).description)
        }
        return names.joined(separator: ",")
    }
}

extension XzIndex {
    /// Memory one thread of liblzma's multithreaded decoder needs for this seekable .xz file: the
    /// first block's filter chain (its dictionary) plus input and output buffers for the largest
    /// block (measured on liblzma 5.4: two threads on 22 MiB blocks with an 8 MiB dictionary
    /// peak at 94 MiB). Nil when the file cannot be read that way (the decoder then decides on its own).
    public static func memoryPerDecoderThread(fd: Int32, fileSize: Int64, path: String) -> (bytes: Int, blocks: Int)? {
        guard let summary = try? read(fd: fd, fileSize: fileSize, path: path), summary.blocks > 1 else { return nil }
        // Stream header (12 bytes), then the first block header: size byte, then the header.
        var head = [UInt8](repeating: 0, count: 12 + 1024)
        let n = head.withUnsafeMutableBytes { (try? SystemCalls.read(fd, into: $0, at: 0, path: path)) ?? 0 }
        guard n > 13 else { return nil }
        var flags = lzma_stream_flags()
        guard head.withUnsafeBufferPointer({ lzma_stream_header_decode(&flags, $0.baseAddress) }) == LZMA_OK else { return nil }
        let headerSize = Int((UInt32(head[12]) + 1) * 4)
        guard head[12] != 0, 12 + headerSize <= n else { return nil }
        var filters = (lzma_filter(), lzma_filter(), lzma_filter(), lzma_filter(), lzma_filter())
        let dictionary: UInt64 = withUnsafeMutablePointer(to: &filters) { tuple in
            tuple.withMemoryRebound(to: lzma_filter.self, capacity: 5) { list -> UInt64 in
                var block = lzma_block()
                block.version = 1
                block.header_size = UInt32(headerSize)
                block.check = flags.check
                block.filters = list
                let ret = head.withUnsafeBufferPointer { lzma_block_header_decode(&block, nil, $0.baseAddress! + 12) }
                guard ret == LZMA_OK else { return UInt64.max }
                defer { lzma_filters_free(list, nil) }
                return lzma_raw_decoder_memusage(list)
            }
        }
        guard dictionary != UInt64.max else { return nil }
        // liblzma holds a block's input and output per thread and keeps the next block's output
        // buffer in flight, so count the largest block's output twice.
        return (Int(dictionary) + summary.largestBlockCompressedBytes + 2 * summary.largestBlockUncompressedBytes, summary.blocks)
    }
}
