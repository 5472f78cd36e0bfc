#!/usr/bin/env bash
# Interleaved timing of the decode pairs issue 2 compares: on a shared VM whose speed drifts over
# minutes, hyperfine's "all runs of A, then all runs of B" can put A and B in different weather.
# Here every round runs each command once, in turn, and the report takes per-command medians.
#   bash Benchmarks/interleaved.sh [ROUNDS]   (after Benchmarks/run.sh made the 512 MiB corpus)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-11}
cd "$root/Benchmarks/work/corpus/512MiB"
export PATH="$root/Benchmarks/work/bin:$PATH"
commands=(
    "sluice cat big.gz"
    "igzip -dc big.gz"
    "sluice cat --gzip-backend zlib big.gz"
    "zlib_inflate < big.gz"
    "sluice cat big.xz"
    "xz -dc big.xz"
    "sluice cat -T 2 big.xz"
    "xz -dc -T2 big.xz"
)
times=$(mktemp)
for ((r = 0; r < rounds; r++)); do
    for c in "${commands[@]}"; do
        s=$(date +%s.%N); sh -c "$c > /dev/null"; e=$(date +%s.%N)
        printf '%s\t%s\n' "$c" "$(awk "BEGIN { print $e - $s }")" >> "$times"
    done
done
python3 - "$times" "$rounds" <<'PY'
import statistics, sys
t = {}
for line in open(sys.argv[1]):
    c, s = line.rstrip("\n").split("\t")
    t.setdefault(c, []).append(float(s))
m = {c: statistics.median(v) for c, v in t.items()}
print(f"Interleaved, {sys.argv[2]} rounds, medians (s):\n")
print("| pair | sluice | peer | sluice ÷ peer | target |\n|---|---:|---:|---:|---|")
for a, b, target in [("sluice cat big.gz", "igzip -dc big.gz", "≤ 1.10"),
                     ("sluice cat --gzip-backend zlib big.gz", "zlib_inflate < big.gz", "≤ 1.05"),
                     ("sluice cat big.xz", "xz -dc big.xz", "≤ 1.05"),
                     ("sluice cat -T 2 big.xz", "xz -dc -T2 big.xz", "≤ 1.05")]:
    print(f"| `{a}` vs `{b}` | {m[a]:.3f} | {m[b]:.3f} | {m[a]/m[b]:.3f} | {target} |")
PY
rm -f "$times"
