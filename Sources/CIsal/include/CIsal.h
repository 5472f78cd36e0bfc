// CIsal: ISA-L's igzip API. Its functions import as they are; the constants below are macros.
#ifndef SLUICE_CISAL_H
#define SLUICE_CISAL_H
#include <isa-l/igzip_lib.h>
#include <isa-l/crc.h>

static inline uint32_t sluice_isal_flag_deflate(void) { return ISAL_DEFLATE; }
static inline uint32_t sluice_isal_flag_gzip_no_hdr(void) { return ISAL_GZIP_NO_HDR; }
static inline uint32_t sluice_isal_flag_zlib_no_hdr(void) { return ISAL_ZLIB_NO_HDR; }
static inline int sluice_isal_block_finished(const struct inflate_state *s) {
    return s->block_state == ISAL_BLOCK_FINISH;
}

/// Encoder: `gzip_flag` values and the end-of-stream test (macros and an enum member).
static inline uint16_t sluice_isal_igzip_deflate(void) { return IGZIP_DEFLATE; }
static inline uint16_t sluice_isal_igzip_gzip_no_hdr(void) { return IGZIP_GZIP_NO_HDR; }
static inline uint16_t sluice_isal_no_flush(void) { return NO_FLUSH; }
static inline uint16_t sluice_isal_sync_flush(void) { return SYNC_FLUSH; }
static inline int sluice_isal_deflate_ended(const struct isal_zstream *s) {
    return s->internal_state.state == ZSTATE_END;
}
/// The default `level_buf` size ISA-L documents for compression levels 0-3.
static inline uint32_t sluice_isal_level_buf_size(uint32_t level) {
    switch (level) {
    case 1: return ISAL_DEF_LVL1_DEFAULT;
    case 2: return ISAL_DEF_LVL2_DEFAULT;
    case 3: return ISAL_DEF_LVL3_DEFAULT;
    default: return ISAL_DEF_LVL0_DEFAULT;
    }
}

#endif
