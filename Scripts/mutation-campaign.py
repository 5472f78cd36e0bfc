#!/usr/bin/env python3
"""Mutation campaign: damage real compressed files and compare `sluice cat` with the reference tools.

Usage: python3 Scripts/mutation-campaign.py [--mutants N] [--seed S] [--sluice PATH] [--conformance DIR]

Seeds: the gzip, xz, .lzma and lzip files of ../shared/conformance, Corpus/, and a few made here
(zlib, multi-member gzip, gzip with zero padding). Each mutant gets bit flips, byte overwrites,
truncation, insertion, deletion, appended garbage or zeros, or a splice of two seeds.

Reference decoding, by the mutant's magic number (what `zcat -f` would do otherwise): Python's
zlib (gzip, zlib) and lzma (xz) fed one byte per call, so no failing call can hand out unfinished
bytes (GNU gzip's own inflate emits bytes for distances zlib rejects, and `xz -dc` writes what
liblzma's BCJ filters had not converted when an error came); `xz -dc` for lzip and .lzma; anything
else -> the bytes themselves (plain data passes through).
Sluice runs on the file and through a pipe, with ISA-L and with zlib for gzip. A finding is:
  foreign  - sluice's output is not a prefix of the reference output (nor the reverse);
  accepted - sluice exits 0 where the reference tool rejects the input;
  crash    - a signal, a crash report, or a time-out (10 s);
  lost     - (reported, not failed) sluice delivered fewer bytes before an error than the reference.
Exit status 1 when any finding of the first three kinds is made; findings go to stdout.
"""
import argparse, gzip, lzma, os, random, subprocess, sys, tempfile, zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

def seeds(conformance):
    out = []
    for sub in ("gzip", "xz", "xz-extra"):
        base = os.path.join(conformance, sub)
        for dirpath, _, files in os.walk(base):
            for f in files:
                if f.endswith((".gz", ".xz", ".lzma", ".lz", ".tgz")):
                    p = os.path.join(dirpath, f)
                    if os.path.getsize(p) <= 2 << 20:
                        out.append(open(p, "rb").read())
    for f in ("app.log.gz", "app.log.xz"):
        p = os.path.join(ROOT, "Corpus", f)
        if os.path.exists(p):
            out.append(open(p, "rb").read()[:200_000])
    text = b"".join(b"%d GET /api/users/%d HTTP/1.1 200\n" % (i, i * 7 % 1000) for i in range(3000))
    out.append(zlib.compress(text, 6))
    out.append(gzip.compress(text[:50_000]) + gzip.compress(text[50_000:]))
    out.append(gzip.compress(text) + bytes(512))
    return out

def mutate(rng, data, pool):
    d = bytearray(data)
    kind = rng.randrange(8)
    if kind == 0 and d:                                # bit flips
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(d)); d[i] ^= 1 << rng.randrange(8)
    elif kind == 1 and d:                              # byte overwrites
        for _ in range(rng.randint(1, 8)):
            d[rng.randrange(len(d))] = rng.randrange(256)
    elif kind == 2 and d:                              # truncation
        del d[rng.randrange(len(d)):]
    elif kind == 3:                                    # insertion
        i = rng.randrange(len(d) + 1); d[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
    elif kind == 4 and d:                              # deletion
        i = rng.randrange(len(d)); del d[i:i + rng.randint(1, 16)]
    elif kind == 5:                                    # garbage or zeros after the end
        d += bytes(rng.randint(1, 600)) if rng.random() < 0.5 else bytes(rng.randrange(256) for _ in range(rng.randint(1, 40)))
    elif kind == 6:                                    # splice two seeds
        other = rng.choice(pool); d = d[:rng.randrange(len(d) + 1)] + other[rng.randrange(len(other) + 1):]
    else:                                              # header damage
        for _ in range(rng.randint(1, 3)):
            if d: d[rng.randrange(min(len(d), 24))] = rng.randrange(256)
    return bytes(d)

def stepwise(make, data, members):
    """Decodes `data` one byte per call, as the true decoding's prefix: a decoder's failing call
    may hand out bytes it has not finished (liblzma's BCJ filters do), one byte per call keeps
    that to nothing. With `members`, a new decoder starts after each stream (gzip members,
    concatenated xz streams, zero padding between xz streams). Returns (output, ok)."""
    out = bytearray()
    d, pos = make(), 0
    fed_since_start = 0
    while pos < len(data):
        try:
            out += d.decompress(data[pos:pos + 1])
        except (zlib.error, lzma.LZMAError, EOFError):
            return bytes(out), False
        pos += 1
        fed_since_start += 1
        if d.eof:
            rest = d.unused_data + data[pos:]
            if not members or not rest.strip(b"\x00"):
                return bytes(out), not rest or (members and not rest.strip(b"\x00"))
            data, pos, d = rest.lstrip(b"\x00") if members == "xz" else rest, 0, make()
            fed_since_start = 0
    return bytes(out), False  # input ended inside a stream

def reference(path, data):
    """The true decoding's prefix and whether the input is valid, by the mutant's magic number."""
    if data[:2] == b"\x1f\x8b":
        return stepwise(lambda: zlib.decompressobj(31), data, "gzip")
    if data[:6] == b"\xfd7zXZ\x00":
        return stepwise(lambda: lzma.LZMADecompressor(lzma.FORMAT_XZ), data, "xz")
    if data[:4] == b"LZIP":
        p = subprocess.run(["xz", "-dc", path], capture_output=True, timeout=20)
        return p.stdout, p.returncode == 0
    return None

def guessed_format(b):
    """CompressionFormat.detect's rules for the headerless formats, for choosing the reference."""
    if len(b) >= 14 and b[0] <= 224 and (b[0] % 9) + (b[0] // 9) % 5 <= 4:
        d = int.from_bytes(b[1:5], "little")
        size = int.from_bytes(b[5:13], "little")
        if d != 0 and b[13] == 0 and (size == 2**64 - 1 or size < 2**38):
            if d == 0xFFFFFFFF:
                return "lzma"
            r = d - 1
            for sh in (2, 3, 4, 8, 16): r |= r >> sh
            if ((r + 1) & 0xFFFFFFFF) == d:
                return "lzma"
    if len(b) >= 3 and b[0] & 0x0F == 8 and b[0] >> 4 <= 7 and ((b[0] << 8) | b[1]) % 31 == 0:
        printable = lambda c: 0x20 <= c <= 0x7E
        both = printable(b[0]) and printable(b[1])
        if b[1] & 0x20:
            return "zlib" if (not both and len(b) >= 6) else None
        if (b[2] >> 1) & 3 != 3 and not (b[0] != 0x78 and both):
            return "zlib"
    return None

def partial_zlib(data):
    """What zlib decodes before its error, fed a byte at a time."""
    d = zlib.decompressobj(); out = b""
    for i in range(len(data)):
        try:
            out += d.decompress(data[i:i + 1])
        except zlib.error:
            break
    return out

def run(cmd, stdin=None):
    try:
        p = subprocess.run(cmd, input=stdin, capture_output=True, timeout=10)
    except subprocess.TimeoutExpired:
        return b"", -999, b"timeout"
    return p.stdout, p.returncode, p.stderr

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mutants", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sluice", default=os.path.join(ROOT, ".build/debug/sluice"))
    ap.add_argument("--conformance", default=os.path.join(ROOT, "..", "shared", "conformance"))
    args = ap.parse_args()
    rng = random.Random(args.seed)
    pool = seeds(args.conformance)
    tmp = tempfile.mkdtemp(prefix="sluice-mutants-")
    counts = {"foreign": 0, "accepted": 0, "crash": 0, "lost": 0, "runs": 0}
    findings = []
    lost_by = {}
    lost_examples = []
    for n in range(args.mutants):
        data = mutate(rng, rng.choice(pool), pool)
        path = os.path.join(tmp, "m.bin")
        open(path, "wb").write(data)
        ref = reference(path, data)
        if ref is None:
            # A zlib or .lzma guess (the same rules as CompressionFormat.detect), else plain bytes.
            guess = guessed_format(data)
            ref_out, ref_ok = data, True
            if guess == "zlib":
                d = zlib.decompressobj()
                try:
                    ref_out = d.decompress(data); ref_ok = d.eof and not d.unused_data
                except zlib.error:
                    ref_ok = False
                    ref_out = partial_zlib(data)
            elif guess == "lzma":
                p = subprocess.run(["xz", "--format=lzma", "-dc", path], capture_output=True, timeout=20)
                ref_out, ref_ok = p.stdout, p.returncode == 0
            if guess and not ref_ok and len(ref_out) == 0:
                ref_out, ref_ok = data, True   # a guess that fails before any output is plain
        else:
            ref_out, ref_ok = ref
        variants = [("file", [args.sluice, "cat", path], None), ("pipe", [args.sluice, "cat"], data)]
        if data[:2] == b"\x1f\x8b":
            variants += [("file-zlib", [args.sluice, "cat", "--gzip-backend", "zlib", path], None),
                         ("pipe-zlib", [args.sluice, "cat", "--gzip-backend", "zlib"], data)]
        for name, cmd, stdin in variants:
            out, rc, err = run(cmd, stdin)
            counts["runs"] += 1
            kind = None
            if rc == -999 or rc < 0 or rc >= 128 or b"Program crashed" in err or b"Fatal error" in err:
                kind = "crash"
            elif not (ref_out.startswith(out) or out.startswith(ref_out)):
                kind = "foreign"
            elif rc == 0 and not ref_ok and not out.startswith(ref_out + b""):
                kind = "accepted"
            elif rc == 0 and not ref_ok:
                # sluice accepted what the reference rejected: allowed only for gzip zero padding
                # and lzip trailing data (both documented), or plain pass-through of non-gzip data.
                if not (data.rstrip(b"\x00") != data or data[:4] == b"LZIP"):
                    kind = "accepted"
            elif rc != 0 and len(out) < len(ref_out):
                counts["lost"] += 1
                lost_by[name] = lost_by.get(name, 0) + 1
                if lost_by[name] <= 3:
                    keep = os.path.join(tmp, "lost-%d-%s.bin" % (n, name))
                    open(keep, "wb").write(data)
                    lost_examples.append("lost %s %s out=%d ref=%d %s" % (name, keep, len(out), len(ref_out), err.decode(errors="replace").strip()[:160]))
            if kind:
                counts[kind] += 1
                keep = os.path.join(tmp, "finding-%d-%s.bin" % (n, name))
                open(keep, "wb").write(data)
                findings.append("%s %s %s rc=%d out=%d ref=%d ref_ok=%s %s" % (kind, name, keep, rc, len(out), len(ref_out), ref_ok,
                                                                             err.decode(errors="replace").strip()[:160]))
    for f in findings[:50]:
        print(f)
    print("mutants=%d runs=%d foreign=%d accepted=%d crash=%d lost=%d (kept in %s)" % (
        args.mutants, counts["runs"], counts["foreign"], counts["accepted"], counts["crash"], counts["lost"], tmp))
    print("lost, by variant:", lost_by)
    for line in lost_examples:
        print(line)
    return 1 if counts["foreign"] or counts["accepted"] or counts["crash"] else 0

if __name__ == "__main__":
    sys.exit(main())
