// CLibc: glibc's GNU extensions memmem and memrchr, which Swift's Glibc module does not export
// (they need _GNU_SOURCE). Byte search is the line framer's and grep's inner loop, so it uses
// glibc's vectorised versions rather than a Swift loop.
#ifndef SLUICE_CLIBC_H
#define SLUICE_CLIBC_H
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <string.h>
#include <stddef.h>

static inline const void *sluice_memmem(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len) {
    return memmem(haystack, haystack_len, needle, needle_len);
}
static inline const void *sluice_memrchr(const void *s, int c, size_t n) {
    return memrchr(s, c, n);
}
#endif
