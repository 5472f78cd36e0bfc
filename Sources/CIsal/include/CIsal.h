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

#endif
