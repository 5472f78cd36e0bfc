// CZlib: static inline wrappers for zlib macros that do not import into Swift.
// Nothing else lives here; all logic is in SluiceCodecs.
#ifndef SLUICE_CZLIB_H
#define SLUICE_CZLIB_H
#include <zlib.h>

/// inflateInit2(strm, windowBits): the macro passes ZLIB_VERSION and sizeof(z_stream).
static inline int sluice_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}

/// deflateInit2(strm, level, method, windowBits, memLevel, strategy).
static inline int sluice_deflateInit2(z_streamp strm, int level, int windowBits, int memLevel, int strategy) {
    return deflateInit2(strm, level, Z_DEFLATED, windowBits, memLevel, strategy);
}

#endif
