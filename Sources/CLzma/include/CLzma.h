// CLzma: wrappers for liblzma macros (LZMA_STREAM_INIT, decoder flags) that do not import into Swift.
#ifndef SLUICE_CLZMA_H
#define SLUICE_CLZMA_H
#include <lzma.h>
#include <string.h>

/// Equivalent of `lzma_stream s = LZMA_STREAM_INIT;` on caller-owned storage.
static inline void sluice_lzma_stream_init(lzma_stream *strm) {
    lzma_stream tmp = LZMA_STREAM_INIT;
    *strm = tmp;
}

static inline uint32_t sluice_lzma_concatenated(void) { return LZMA_CONCATENATED; }
static inline uint32_t sluice_lzma_tell_unsupported_check(void) { return LZMA_TELL_UNSUPPORTED_CHECK; }
static inline uint32_t sluice_lzma_tell_any_check(void) { return LZMA_TELL_ANY_CHECK; }
static inline uint32_t sluice_lzma_ignore_check(void) { return LZMA_IGNORE_CHECK; }
static inline uint32_t sluice_lzma_preset_extreme(void) { return LZMA_PRESET_EXTREME; }
static inline uint64_t sluice_lzma_vli_unknown(void) { return LZMA_VLI_UNKNOWN; }
static inline uint64_t sluice_lzma_filter_lzma2(void) { return LZMA_FILTER_LZMA2; }

/// Zero-initialised lzma_mt options (the struct has reserved fields that must be zero).
static inline void sluice_lzma_mt_clear(lzma_mt *mt) { memset(mt, 0, sizeof(*mt)); }

#endif
