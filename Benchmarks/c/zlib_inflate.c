/* The reference point for `sluice cat --gzip-backend zlib`: the plainest correct zlib gzip decoder.
 *
 *   cc -O2 -o Benchmarks/work/zlib_inflate Benchmarks/c/zlib_inflate.c -lz
 *   Benchmarks/work/zlib_inflate < big.gz > /dev/null
 *
 * Reads stdin in 128 KiB chunks, inflates with windowBits 31 (gzip wrapper, CRC32 and ISIZE
 * checked by zlib), starts the next member with inflateReset when one ends (multi-member files,
 * pigz/BGZF output), writes 128 KiB output chunks to stdout. Exit status 1 on any error.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <zlib.h>

#define CHUNK (128 * 1024)

static unsigned char in[CHUNK];
static unsigned char out[CHUNK];

static int write_all(const unsigned char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(STDOUT_FILENO, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            perror("zlib_inflate: write");
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int main(void) {
    z_stream s;
    memset(&s, 0, sizeof s);
    if (inflateInit2(&s, 31) != Z_OK) {
        fprintf(stderr, "zlib_inflate: inflateInit2 failed\n");
        return 1;
    }
    int in_member = 0;   /* bytes of the current member have been fed */
    int eof = 0;
    for (;;) {
        if (s.avail_in == 0) {
            if (eof) break;
            ssize_t r = read(STDIN_FILENO, in, CHUNK);
            if (r < 0) {
                if (errno == EINTR) continue;
                perror("zlib_inflate: read");
                return 1;
            }
            if (r == 0) { eof = 1; break; }
            s.next_in = in;
            s.avail_in = (uInt)r;
        }
        in_member = 1;
        s.next_out = out;
        s.avail_out = CHUNK;
        int ret = inflate(&s, Z_NO_FLUSH);
        if (ret != Z_OK && ret != Z_STREAM_END && ret != Z_BUF_ERROR) {
            fprintf(stderr, "zlib_inflate: inflate error %d (%s)\n", ret, s.msg ? s.msg : "?");
            return 1;
        }
        if (write_all(out, CHUNK - s.avail_out) != 0) return 1;
        if (ret == Z_STREAM_END) {
            /* Another member may follow (in this buffer or the next read). */
            if (inflateReset(&s) != Z_OK) return 1;
            in_member = 0;
        } else if (ret == Z_BUF_ERROR && s.avail_in != 0) {
            fprintf(stderr, "zlib_inflate: no progress\n");
            return 1;
        }
    }
    if (in_member) {
        fprintf(stderr, "zlib_inflate: unexpected end of input\n");
        return 1;
    }
    inflateEnd(&s);
    return 0;
}
