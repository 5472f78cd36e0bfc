import CLzma
import SluiceCore

/// liblzma's return codes and check IDs by name, for the decoders, the encoder and the index reader.
enum LzmaCode {
    static func check(_ check: lzma_check) -> IntegrityCheck {
        switch check {
        case LZMA_CHECK_NONE: return IntegrityCheck.none
        case LZMA_CHECK_CRC32: return .crc32
        case LZMA_CHECK_CRC64: return .crc64
        case LZMA_CHECK_SHA256: return .sha256
        default: return .unknown(id: check.rawValue)
        }
    }

    static func codeName(_ ret: lzma_ret) -> String {
        switch ret {
        case LZMA_OK: return "LZMA_OK"
        case LZMA_STREAM_END: return "LZMA_STREAM_END"
        case LZMA_NO_CHECK: return "LZMA_NO_CHECK"
        case LZMA_UNSUPPORTED_CHECK: return "LZMA_UNSUPPORTED_CHECK"
        case LZMA_GET_CHECK: return "LZMA_GET_CHECK"
        case LZMA_MEM_ERROR: return "LZMA_MEM_ERROR"
        case LZMA_MEMLIMIT_ERROR: return "LZMA_MEMLIMIT_ERROR"
        case LZMA_FORMAT_ERROR: return "LZMA_FORMAT_ERROR"
        case LZMA_OPTIONS_ERROR: return "LZMA_OPTIONS_ERROR"
        case LZMA_DATA_ERROR: return "LZMA_DATA_ERROR"
        case LZMA_BUF_ERROR: return "LZMA_BUF_ERROR"
        case LZMA_PROG_ERROR: return "LZMA_PROG_ERROR"
        default: return "lzma_ret \(ret.rawValue)"
        }
    }
}
