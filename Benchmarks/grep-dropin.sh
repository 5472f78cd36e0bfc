#!/usr/bin/env bash
# Issue 17's figures: the grep drop-in against the binary before it (the common path must not slow
# down), context and many fixed strings against a plain search, and zgrep (gzip -dc | GNU grep) as
# the peer, all on the 512 MiB log, interleaved: every round runs each command once, in turn, so
# all of them see the same weather on this drifting VM. Medians per command.
#
#   bash Benchmarks/grep-dropin.sh OLD_SLUICE NEW_SLUICE [ROUNDS]
#
# Needs Benchmarks/run.sh's corpus (Benchmarks/work/corpus/512MiB/big.gz and big.log). The 1,000
# fixed strings are client addresses of the log's first 200,000 lines (words-1000.txt).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
old=$1 new=$2 rounds=${3:-7}
cd "$root/Benchmarks/work/corpus/512MiB"
[[ -s words-1000.txt ]] || head -n 200000 big.log | cut -d' ' -f1 | LC_ALL=C sort -u | head -n 1000 > words-1000.txt
commands=(
    "old|$old grep -c ERROR big.gz"
    "new|$new grep -c ERROR big.gz"
    "old|$old grep ERROR big.gz"
    "new|$new grep ERROR big.gz"
    "new|$new grep -C 3 ERROR big.gz"
    "new|$new grep -n -C 3 ERROR big.gz"
    "new|$new grep -F ERROR big.gz"
    "new|$new grep -F -f words-1000.txt big.gz"
    "new|$new grep -c -F ERROR big.gz"
    "new|$new grep -c -F -f words-1000.txt big.gz"
    "new|$new grep -c -w -F -f words-1000.txt big.gz"
    "peer|zgrep -c ERROR big.gz"
    "peer|zgrep -C 3 ERROR big.gz"
    "peer|zgrep -c -F -f words-1000.txt big.gz"
)
times=$(mktemp)
for ((r = 0; r < rounds; r++)); do
    for entry in "${commands[@]}"; do
        c=${entry#*|}
        s=$(date +%s.%N)
        set +e; sh -c "$c > /dev/null"; rc=$?; set -e
        e=$(date +%s.%N)
        if ((rc > 1)); then echo "grep-dropin.sh: '$c' exited $rc" >&2; exit 1; fi
        printf '%s\t%s\n' "$entry" "$(awk "BEGIN { print $e - $s }")" >> "$times"
    done
done
python3 - "$times" "$rounds" "$old" "$new" <<'PY'
import statistics, sys
t = {}
for line in open(sys.argv[1]):
    c, s = line.rstrip("\n").split("\t")
    t.setdefault(c, []).append(float(s))
old, new = sys.argv[3], sys.argv[4]
m = {c: statistics.median(v) for c, v in t.items()}
def name(entry):
    side, c = entry.split("|", 1)
    return side + ": `" + c.replace(old, "sluice").replace(new, "sluice") + "`"
print(f"Interleaved, {sys.argv[2]} rounds, medians in seconds, 512 MiB log (big.gz). old = `{old}`, new = `{new}`.\n")
print("| command | median s |\n|---|---:|")
for c in t:
    print(f"| {name(c)} | {m[c]:.3f} |")
def find(side, tail):
    return next(c for c in t if c.startswith(side + "|") and c.endswith(tail))
print("\n| ratio | value |\n|---|---:|")
for what, a, b in [
    ("new ÷ old, `grep -c ERROR`", find("old", " grep -c ERROR big.gz"), find("new", " grep -c ERROR big.gz")),
    ("new ÷ old, `grep ERROR`", find("old", " grep ERROR big.gz"), find("new", " grep ERROR big.gz")),
    ("`grep -C 3 ERROR` ÷ `grep ERROR` (new)", find("new", " grep ERROR big.gz"), find("new", " grep -C 3 ERROR big.gz")),
    ("`grep -F -f words-1000.txt` ÷ `grep -F ERROR`", find("new", " grep -F ERROR big.gz"), find("new", " grep -F -f words-1000.txt big.gz")),
    ("`grep -c -F -f words-1000.txt` ÷ `grep -c -F ERROR`", find("new", " grep -c -F ERROR big.gz"), find("new", " grep -c -F -f words-1000.txt big.gz")),
    ("sluice ÷ zgrep, `-c ERROR`", find("peer", "zgrep -c ERROR big.gz"), find("new", " grep -c ERROR big.gz")),
    ("sluice ÷ zgrep, `-C 3 ERROR`", find("peer", "zgrep -C 3 ERROR big.gz"), find("new", " grep -C 3 ERROR big.gz")),
    ("sluice ÷ zgrep, `-c -F -f words-1000.txt`", find("peer", "zgrep -c -F -f words-1000.txt big.gz"), find("new", " grep -c -F -f words-1000.txt big.gz")),
]:
    print(f"| {what} | {m[b] / m[a]:.3f} |")
PY
rm -f "$times"
