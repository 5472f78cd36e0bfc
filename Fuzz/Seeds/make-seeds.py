#!/usr/bin/env python3
"""Writes the hand-made fuzz seeds in this folder (committed; rerun only to change them).

Each seed is small and aims at one fault path the conformance corpus does not cover:
a deflate body that needs a preset dictionary the file does not carry (ISA-L's foreign bytes),
a reserved block type after a lot of good data (bytes lost before a fault with small windows),
several members, padding after the last member, zero-led data that passes a .lzma plausibility
check, and text that looks like a zlib header. Deterministic: same bytes on every run.
"""
import lzma
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def write(folder, name, data):
    os.makedirs(os.path.join(HERE, folder), exist_ok=True)
    with open(os.path.join(HERE, folder, name), "wb") as f:
        f.write(data)


def raw_deflate(data, level=6, zdict=None, flush_only=False):
    c = zlib.compressobj(level, zlib.DEFLATED, -15, zdict=zdict) if zdict else zlib.compressobj(level, zlib.DEFLATED, -15)
    body = c.compress(data)
    return body + (c.flush(zlib.Z_SYNC_FLUSH) if flush_only else c.flush())


def gzip_member(data, body=None, flags=0, extra=b""):
    header = b"\x1f\x8b\x08" + bytes([flags]) + b"\x00\x00\x00\x00\x00\x03" + extra
    body = raw_deflate(data) if body is None else body
    return header + body + struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)


def log_text(lines, seed=1):
    out, x = [], seed
    for i in range(lines):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        level = ["INFO", "WARN", "ERROR", "DEBUG"][x % 4]
        out.append(f"2024-05-{1 + i % 28:02d} 12:{i % 60:02d}:{x % 60:02d} {level} user:{x % 9973} request {i} took {x % 500}ms\n")
    return "".join(out).encode()


text = log_text(200)
dictionary = log_text(40, seed=7)

# gzip: a preset-dictionary body without its dictionary. zlib refuses at the first far match
# ("invalid distance too far back"); ISA-L once forwarded bytes from its reused buffer instead.
write("gzip", "zdict-without-dictionary.gz", gzip_member(text, body=raw_deflate(text, zdict=dictionary)))
write("gzip", "two-members.gz", gzip_member(text[:3000]) + gzip_member(text[3000:]))
write("gzip", "trailing-zeros.gz", gzip_member(text) + b"\x00" * 512)
write("gzip", "empty-member-then-data.gz", gzip_member(b"") + gzip_member(b"hello\n"))
write("gzip", "stored-blocks.gz", gzip_member(text[:5000], body=raw_deflate(text[:5000], level=0)))
write("gzip", "fname-fcomment-fhcrc.gz",
      (lambda h: h + struct.pack("<H", zlib.crc32(h) & 0xFFFF))(b"\x1f\x8b\x08\x1a\x00\x00\x00\x00\x00\x03name.txt\x00a comment\x00")
      + raw_deflate(b"hello\n") + struct.pack("<II", zlib.crc32(b"hello\n"), 6))
# 1 MiB of good data, then a final block of the reserved type 11 (bits 1, 11 = 0x07).
big = (log_text(60, seed=3) * 300)[: 1 << 20]  # repetitive, so 1 MiB compresses to a few KiB
write("gzip", "reserved-block-after-1MiB.gz",
      b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + raw_deflate(big, level=9, flush_only=True) + b"\x07" + b"\x00" * 8)
write("gzip", "truncated-mid-body.gz", gzip_member(text)[:700])

# zlib and raw deflate (the zlib-deflate target decodes every seed both ways).
write("zlib-deflate", "hello.zz", zlib.compress(b"hello, world\n"))
write("zlib-deflate", "log-level9.zz", zlib.compress(text, 9))
write("zlib-deflate", "log-level1.zz", zlib.compress(text, 1))
c = zlib.compressobj(6, zlib.DEFLATED, 15, zdict=dictionary)
write("zlib-deflate", "fdict.zz", c.compress(text) + c.flush())
write("zlib-deflate", "log.deflate", raw_deflate(text))
write("zlib-deflate", "stored.deflate", raw_deflate(text[:3000], level=0))
write("zlib-deflate", "zdict-without-dictionary.deflate", raw_deflate(text, zdict=dictionary))

# xz: two streams with stream padding between them, every check, and a BCJ + delta chain.
write("xz", "two-streams-padded.xz", lzma.compress(text[:4000]) + b"\x00" * 4 + lzma.compress(text[4000:], check=lzma.CHECK_SHA256))
write("xz", "check-none.xz", lzma.compress(text, check=lzma.CHECK_NONE))
write("xz", "check-crc32.xz", lzma.compress(text, check=lzma.CHECK_CRC32))
write("xz", "x86-delta-lzma2.xz", lzma.compress(text, filters=[{"id": lzma.FILTER_X86}, {"id": lzma.FILTER_DELTA, "dist": 4},
                                                          {"id": lzma.FILTER_LZMA2, "preset": 1}]))
write("xz", "trailing-zeros-3.xz", lzma.compress(text) + b"\x00" * 3)

# .lzma (LZMA_Alone): known and unknown size, and two streams concatenated.
write("lzma", "unknown-size.lzma", lzma.compress(text, format=lzma.FORMAT_ALONE))
alone = lzma.compress(b"first\n", format=lzma.FORMAT_ALONE)
write("lzma", "two-streams.lzma", alone + lzma.compress(b"second\n", format=lzma.FORMAT_ALONE))
write("lzma", "garbage-after.lzma", alone + b"garbage")

# Detection: zero-led data once taken for .lzma (dictionary size 0) and text taken for zlib.
write("detect", "zeros-then-text.bin", b"\x00" * 4096 + b"hello\n")
write("detect", "x-caret-text.txt", b"x^2 + y^2 = z^2\n")
write("detect", "plain-log.txt", text[:2000])
write("detect", "gzip-then-text.gz", gzip_member(b"hello\n") + b"not a member\n")

# Lines: [k-1 | shape | k read sizes | payload]; see Fuzz/Checks/LineChecks.swift.
write("lines", "crlf-split.bin", bytes([2, 0x00, 1, 2, 3]) + b"a\r\nbb\r\n\r\nccc\r")
write("lines", "long-line-small-limit.bin", bytes([0, 0x80 | (3 << 3) | 1, 5]) + b"x" * 40 + b"\n" + b"y" * 60 + b"\nz")
write("lines", "log-random-reads.bin", bytes([5, 0x03, 1, 200, 7, 255, 13, 64]) + text[:6000])
write("lines", "nul-and-empty-lines.bin", bytes([0, 0x00, 0]) + b"\n\n\x00\n\xff\xfe\n\n")
