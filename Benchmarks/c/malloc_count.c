/* Counts heap allocations of a process, for "allocations per line" in the api section.
 *
 *   cc -O2 -shared -fPIC -o Benchmarks/work/malloc_count.so Benchmarks/c/malloc_count.c
 *   MALLOC_COUNT_OUT=/tmp/n LD_PRELOAD=Benchmarks/work/malloc_count.so sluice count big.gz
 *
 * Interposes malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign and valloc
 * (forwarding to glibc's __libc_* entry points, so no dlsym recursion) and, at exit, writes
 * "<allocations> <bytes requested>" to the file named by MALLOC_COUNT_OUT (or to stderr).
 * Allocations made by the Swift runtime and the C codecs are all counted: run the same command
 * on a small and a large input and divide the difference by the difference in lines to get the
 * per-line cost, free of start-up allocations.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static unsigned long long count, bytes;

static inline void note(size_t n) {
    __atomic_fetch_add(&count, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&bytes, n, __ATOMIC_RELAXED);
}

void *malloc(size_t n) { note(n); return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { note(a * b); return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { note(n); return __libc_realloc(p, n); }
void *memalign(size_t al, size_t n) { note(n); return __libc_memalign(al, n); }
void *aligned_alloc(size_t al, size_t n) { note(n); return __libc_memalign(al, n); }
void *valloc(size_t n) { note(n); return __libc_memalign((size_t)sysconf(_SC_PAGESIZE), n); }
int posix_memalign(void **out, size_t al, size_t n) {
    if (al < sizeof(void *) || (al & (al - 1)) != 0) return EINVAL;
    note(n);
    void *p = __libc_memalign(al, n);
    if (p == NULL) return ENOMEM;
    *out = p;
    return 0;
}

__attribute__((destructor)) static void report(void) {
    char line[64];
    int len = snprintf(line, sizeof line, "%llu %llu\n", count, bytes);
    const char *path = getenv("MALLOC_COUNT_OUT");
    int fd = path ? open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644) : 2;
    if (fd < 0) return;
    if (write(fd, line, (size_t)len) < 0) { /* nothing to do */ }
    if (path) close(fd);
}
