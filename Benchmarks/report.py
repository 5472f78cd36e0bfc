#!/usr/bin/env python3
"""Turns one benchmark section's raw measurements into Benchmarks/results/<section>-<size>.md.

    python3 Benchmarks/report.py render RUN_DIR OUT.md     # what run.sh calls per section
    python3 Benchmarks/report.py size 512MiB               # "536870912 512MiB" (bytes, label)

RUN_DIR is written by run.sh and holds tab-separated files (no header lines):

    meta.tsv      key, value                      section, title, size label, runs, cwd, notes
    machine.tsv   key, value                      CPU, cores, RAM, kernel, OS, Swift, tool versions
    groups.tsv    group, title, baseline id       one hyperfine run each: hf-<group>.json
    commands.tsv  id, group, label, bytes, cmd    in hyperfine order; bytes = uncompressed bytes
    rss.tsv       id, label, KiB, cmd, note       peak RSS from /usr/bin/time -f %M
    facts.tsv     key, value, description         counts, sizes, allocations, correctness
    checks.tsv    kind, args...                   the "Done means" lines (see CHECKS below)

Times are hyperfine medians in seconds. "× sluice time" is this command's median divided by the
median of the table's sluice baseline (above 1: slower than sluice); "sluice ÷ this" is the inverse,
the form the targets in the issues use (sluice time as a multiple of the peer's). MB/s is
uncompressed bytes / 10^6 / median. RSS is reported in MiB (KiB / 1024).
"""
import json
import os
import sys

PASS, FAIL, MISSING = "✅", "❌", "⚠️"


def parse_size(text):
    """4096, 64KiB, 16M, 1GiB (binary multiples), as Corpus/make-logs.py reads them."""
    t = text.strip().lower()
    for suffix, mult in (("gib", 1 << 30), ("mib", 1 << 20), ("kib", 1 << 10), ("g", 1 << 30),
                         ("m", 1 << 20), ("k", 1 << 10), ("b", 1)):
        if t.endswith(suffix):
            return int(float(t[: -len(suffix)]) * mult)
    return int(t)


def size_label(n):
    for unit, mult in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n % mult == 0:
            return "%d%s" % (n // mult, unit)
    return "%dB" % n


def read_tsv(run_dir, name):
    path = os.path.join(run_dir, name)
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def unescape(cmd):
    """Commands are stored with newlines as the two characters \\n."""
    return cmd.replace("\\n", "\n")


def code(cmd):
    """A command as inline Markdown code, on one line, safe inside a table cell."""
    return "`" + cmd.replace("\\n", "⏎").replace("\n", "⏎").replace("|", "\\|") + "`"


def fmt_s(x):
    """Seconds, with the digits that matter: 12.3, 1.23, 0.123, 0.0123."""
    if x is None:
        return "–"
    if x >= 10:
        return "%.1f" % x
    if x >= 1:
        return "%.2f" % x
    if x >= 0.1:
        return "%.3f" % x
    return "%.4f" % x


def fmt_ratio(x):
    return "–" if x is None else "%.2f" % x


def mib(kib):
    return None if kib is None else kib / 1024.0


def fmt_mib(kib):
    return "–" if kib is None else "%.1f" % mib(kib)


class Run:
    def __init__(self, run_dir):
        self.dir = run_dir
        self.meta = {r[0]: r[1] if len(r) > 1 else "" for r in read_tsv(run_dir, "meta.tsv")}
        self.machine = [(r[0], r[1] if len(r) > 1 else "") for r in read_tsv(run_dir, "machine.tsv")]
        self.groups = read_tsv(run_dir, "groups.tsv")
        self.commands = {}
        self.order = []
        for r in read_tsv(run_dir, "commands.tsv"):
            cid, group, label, nbytes, cmd = r[0], r[1], r[2], r[3], r[4]
            self.commands[cid] = {"id": cid, "group": group, "label": label,
                                  "bytes": int(nbytes) if nbytes else None, "cmd": cmd}
            self.order.append(cid)
        self.rss = {}
        self.rss_order = []
        for r in read_tsv(run_dir, "rss.tsv"):
            cid, label, kib, cmd = r[0], r[1], r[2], r[3]
            note = r[4] if len(r) > 4 else ""
            self.rss[cid] = {"label": label, "kib": int(kib) if kib.isdigit() else None, "cmd": cmd, "note": note}
            self.rss_order.append(cid)
        self.facts = {}
        self.fact_order = []
        for r in read_tsv(run_dir, "facts.tsv"):
            self.facts[r[0]] = (r[1] if len(r) > 1 else "", r[2] if len(r) > 2 else "")
            self.fact_order.append(r[0])
        self.checks = read_tsv(run_dir, "checks.tsv")
        self.times = {}
        for group, _title, _baseline in self.groups:
            path = os.path.join(run_dir, "hf-%s.json" % group)
            if not os.path.exists(path):
                continue
            with open(path, encoding="utf-8") as f:
                results = json.load(f)["results"]
            ids = [c for c in self.order if self.commands[c]["group"] == group]
            for cid, res in zip(ids, results):
                times = sorted(res.get("times") or [res["mean"]])
                median = res.get("median")
                if median is None:
                    mid = len(times) // 2
                    median = times[mid] if len(times) % 2 else (times[mid - 1] + times[mid]) / 2
                self.times[cid] = {"median": median, "mean": res["mean"], "stddev": res.get("stddev") or 0.0,
                                   "min": res["min"], "max": res["max"], "runs": len(times),
                                   "exit_codes": res.get("exit_codes", [])}

    def median(self, cid):
        t = self.times.get(cid)
        return t["median"] if t else None

    def rss_kib(self, cid):
        r = self.rss.get(cid)
        return r["kib"] if r else None

    def name(self, cid):
        if cid in self.commands:
            return self.commands[cid]["label"]
        if cid in self.rss:
            return self.rss[cid]["label"]
        return cid

    # ----- tables -------------------------------------------------------------------------

    def time_table(self, group, title, baseline):
        ids = [c for c in self.order if self.commands[c]["group"] == group]
        base = self.median(baseline)
        out = ["### %s" % title, ""]
        if base is not None:
            out.append("Baseline for the ratios: %s (median %s s)." % (code(self.name(baseline)), fmt_s(base)))
            out.append("")
        out.append("| command | median s | mean ± σ s | min s | × sluice time | sluice ÷ this | MB/s | peak RSS MiB |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|")
        for cid in ids:
            c = self.commands[cid]
            t = self.times.get(cid)
            if t is None:
                out.append("| %s | not run | | | | | | %s |" % (code(c["label"]), self.rss_cell(cid)))
                continue
            med = t["median"]
            x = med / base if base else None
            inv = base / med if base and med > 0 else None
            speed = "–"
            if c["bytes"] and med > 0:
                mbs = c["bytes"] / 1e6 / med
                speed = "%.0f" % mbs if mbs >= 10 else "%.1f" % mbs
            fails = [e for e in t["exit_codes"] if e not in (0, None)]
            flag = " (exit %s)" % sorted(set(fails)) if fails else ""
            out.append("| %s%s | %s | %s ± %s | %s | %s | %s | %s | %s |" % (
                code(c["label"]), flag, fmt_s(med), fmt_s(t["mean"]), fmt_s(t["stddev"]), fmt_s(t["min"]),
                fmt_ratio(x), fmt_ratio(inv), speed, self.rss_cell(cid)))
        out.append("")
        notes = sorted({self.rss[c]["note"] for c in ids if c in self.rss and self.rss[c]["note"]})
        for n in notes:
            out += ["† %s (`/usr/bin/time -f %%M sh -c '…'` reports the largest process of the pipeline, not the sum)." % n, ""]
        return out

    def rss_cell(self, cid):
        r = self.rss.get(cid)
        if r is None:
            return "–"
        return fmt_mib(r["kib"]) + (" †" if r["note"] else "")

    def memory_table(self):
        extra = [cid for cid in self.rss_order if cid not in self.commands]
        if not extra:
            return []
        out = ["### Peak memory", "",
               "Peak resident set size from `/usr/bin/time -f %M`, one run each (KiB ÷ 1024). For a shell "
               "pipeline run as `sh -c '…'` the figure is the largest single process in it (the kernel "
               "reports the maximum over the waited-for children, not their sum).", "",
               "| measurement | peak RSS MiB | command | note |", "|---|---:|---|---|"]
        for cid in extra:
            r = self.rss[cid]
            out.append("| %s | %s | %s | %s |" % (r["label"], fmt_mib(r["kib"]), code(r["cmd"]), r["note"]))
        out.append("")
        return out

    def facts_table(self):
        if not self.fact_order:
            return []
        out = ["### Facts checked in this run", "", "| what | value |", "|---|---|"]
        for key in self.fact_order:
            value, desc = self.facts[key]
            out.append("| %s | %s |" % ((desc or key).replace("|", "\\|"), value.replace("|", "\\|")))
        out.append("")
        return out

    # ----- checks -------------------------------------------------------------------------
    # ratio A B MAX [TEXT]      median(A)/median(B) ≤ MAX                  "A = r × B (target ≤ MAX)"
    # info_ratio A B [TEXT]     median(A)/median(B), no target
    # abs A MAX_SECONDS         median(A) ≤ MAX
    # rss_above A FLOOR MAX     rss(A) − rss(FLOOR) ≤ MAX MiB
    # rss_same A B TOL          |rss(A) − rss(B)| ≤ TOL MiB
    # rss_le A B                rss(A) ≤ rss(B)
    # equal KEY,KEY,... TEXT    the facts have the same value
    # fact_ratio A B MAX TEXT   fact(A)/fact(B) ≤ MAX
    # fact_max KEY MAX TEXT     fact(KEY) ≤ MAX
    # fact_true KEY TEXT        fact(KEY) == "yes"
    # note TEXT                 a line of its own

    def check_line(self, row):
        kind, args = row[0], row[1:]
        try:
            # code() escapes "|" for table cells; list items want it plain.
            return getattr(self, "check_" + kind)(*args).replace("\\|", "|")
        except (KeyError, TypeError, ValueError, ZeroDivisionError) as e:
            return "%s `%s` could not be evaluated (%s)" % (MISSING, " ".join(row), e)

    def _missing(self, *ids):
        gone = [i for i in ids if self.median(i) is None]
        if gone:
            return "%s not measured: %s" % (MISSING, ", ".join(code(self.name(i)) for i in gone))
        return None

    def check_ratio(self, a, b, limit, text=""):
        m = self._missing(a, b)
        if m:
            return "%s — %s" % (text or "%s vs %s" % (a, b), m)
        r = self.median(a) / self.median(b)
        ok = r <= float(limit)
        return "%s %s = %.3f × %s (target ≤ %s)%s" % (PASS if ok else FAIL, code(self.name(a)), r, code(self.name(b)), limit,
                                                    " — " + text if text else "")

    def check_info_ratio(self, a, b, text=""):
        m = self._missing(a, b)
        if m:
            return "%s — %s" % (text or "%s vs %s" % (a, b), m)
        r = self.median(a) / self.median(b)
        return "ℹ️ %s = %.3f × %s%s" % (code(self.name(a)), r, code(self.name(b)), " — " + text if text else "")

    def check_abs(self, a, limit, text=""):
        m = self._missing(a)
        if m:
            return m
        v = self.median(a)
        ok = v <= float(limit)
        return "%s %s median %s s (target ≤ %s s)%s" % (PASS if ok else FAIL, code(self.name(a)), fmt_s(v), fmt_s(float(limit)),
                                                    " — " + text if text else "")

    def _rss_missing(self, *ids):
        gone = [i for i in ids if self.rss_kib(i) is None]
        if gone:
            return "%s peak RSS not measured: %s" % (MISSING, ", ".join(gone))
        return None

    def check_rss_above(self, a, floor, limit, text=""):
        m = self._rss_missing(a, floor)
        if m:
            return m
        d = mib(self.rss_kib(a) - self.rss_kib(floor))
        ok = d <= float(limit)
        return "%s peak RSS of %s = floor + %.1f MiB (%.1f vs %.1f MiB for %s; target ≤ %s MiB above)%s" % (
            PASS if ok else FAIL, code(self.name(a)), d, mib(self.rss_kib(a)), mib(self.rss_kib(floor)),
            code(self.name(floor)), limit, " — " + text if text else "")

    def check_rss_same(self, a, b, tol, text=""):
        m = self._rss_missing(a, b)
        if m:
            return m
        d = mib(self.rss_kib(b) - self.rss_kib(a))
        ok = abs(d) <= float(tol)
        return "%s peak RSS %.1f MiB for %s vs %.1f MiB for %s (Δ %+.1f MiB; target ±%s MiB)%s" % (
            PASS if ok else FAIL, mib(self.rss_kib(a)), code(self.name(a)), mib(self.rss_kib(b)), code(self.name(b)),
            d, tol, " — " + text if text else "")

    def check_rss_le(self, a, b, text=""):
        m = self._rss_missing(a, b)
        if m:
            return m
        ok = self.rss_kib(a) <= self.rss_kib(b)
        return "%s peak RSS of %s %.1f MiB ≤ %s %.1f MiB%s" % (
            PASS if ok else FAIL, code(self.name(a)), mib(self.rss_kib(a)), code(self.name(b)), mib(self.rss_kib(b)),
            " — " + text if text else "")

    def check_equal(self, keys, text=""):
        keys = keys.split(",")
        have = [k for k in keys if k in self.facts]
        if len(have) < 2:
            return "%s %s — fewer than two values measured" % (MISSING, text)
        values = {self.facts[k][0] for k in have}
        ok = len(values) == 1
        detail = ", ".join("%s %s" % (self.facts[k][1] or k, self.facts[k][0]) for k in have)
        return "%s %s: %s" % (PASS if ok else FAIL, text, detail)

    def check_fact_ratio(self, a, b, limit, text=""):
        if a not in self.facts or b not in self.facts:
            return "%s %s — not measured" % (MISSING, text)
        r = float(self.facts[a][0]) / float(self.facts[b][0])
        ok = r <= float(limit)
        return "%s %s = %.4f × %s (target ≤ %s)%s" % (PASS if ok else FAIL, self.facts[a][1] or a, r,
                                                     self.facts[b][1] or b, limit, " — " + text if text else "")

    def check_fact_max(self, key, limit, text=""):
        if key not in self.facts:
            return "%s %s — not measured" % (MISSING, text)
        v = float(self.facts[key][0])
        ok = v <= float(limit)
        return "%s %s = %s (target ≤ %s)%s" % (PASS if ok else FAIL, self.facts[key][1] or key, self.facts[key][0], limit,
                                              " — " + text if text else "")

    def check_fact_true(self, key, text=""):
        if key not in self.facts:
            return "%s %s — not measured" % (MISSING, text)
        ok = self.facts[key][0] == "yes"
        return "%s %s" % (PASS if ok else FAIL, text or self.facts[key][1])

    def check_note(self, text):
        return "ℹ️ " + text

    # ----- the page -----------------------------------------------------------------------

    def render(self):
        m = self.meta
        out = ["# %s" % m.get("title", m.get("section", "benchmark")), ""]
        out.append("Generated by `%s` on %s. Input: `Corpus/make-logs.py --size %s --seed 1` (%s bytes of "
                   "log text)%s." % (m.get("invocation", "Benchmarks/run.sh"), m.get("date", "?"), m.get("size", "?"),
                                     m.get("log_bytes", "?"), m.get("inputs", "")))
        out.append("")
        if m.get("summary"):
            out += [m["summary"], ""]
        out += ["## Done means", ""]
        for row in self.checks:
            out.append("- " + self.check_line(row))
        if not self.checks:
            out.append("- (no targets for this section)")
        out.append("")
        out += ["## Results", ""]
        out.append("Hyperfine %s, `--warmup 1 --runs %s`, commands run by `sh -c` in `%s` with output to "
                   "`/dev/null` (or to the file named); files are in the page cache after the warm-up. "
                   "**× sluice time** = this command's median ÷ the sluice baseline's median (above 1: sluice "
                   "is faster); **sluice ÷ this** = the inverse. **MB/s** = uncompressed bytes ÷ 10⁶ ÷ median." % (
                       m.get("hyperfine", ""), m.get("runs", "?"), m.get("cwd", ".")))
        out.append("")
        for group, title, baseline in self.groups:
            out += self.time_table(group, title, baseline)
        out += self.memory_table()
        out += self.facts_table()
        if m.get("notes"):
            out += ["### Notes", ""] + ["- " + n for n in m["notes"].split("\\n") if n] + [""]
        out += ["## Exact commands", "", "Run in `%s` with `%s` first on `PATH` (see the tools list below)." % (
            m.get("cwd", "."), m.get("bindir", "Benchmarks/work/bin")), "", "```sh"]
        for cid in self.order:
            out.append("%s" % unescape(self.commands[cid]["cmd"]))
        for cid in self.rss_order:
            if cid not in self.commands:
                cmd = unescape(self.rss[cid]["cmd"])
                line = cmd if cmd.startswith("/usr/bin/time") or "| /usr/bin/time" in cmd else "/usr/bin/time -f %M " + cmd
                if line not in out:
                    out.append(line)
        out += ["```", "", "## Machine", "", "| | |", "|---|---|"]
        for key, value in self.machine:
            out.append("| %s | %s |" % (key, value.replace("|", "\\|")))
        out.append("")
        return "\n".join(out)


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "size":
        n = parse_size(sys.argv[2])
        print(n, size_label(n))
        return 0
    if len(sys.argv) == 4 and sys.argv[1] == "render":
        text = Run(sys.argv[2]).render()
        with open(sys.argv[3], "w", encoding="utf-8") as f:
            f.write(text)
        return 0
    if len(sys.argv) == 3 and sys.argv[1] == "checks":
        run = Run(sys.argv[2])
        for row in run.checks:
            print(run.check_line(row))
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
