#!/usr/bin/env bash
# Interleaved A/B timing of two sluice binaries on the same commands: on a shared VM whose speed
# drifts over minutes, each round runs every command with A and then with B, so both sides see the
# same weather; the report gives per-command medians and B ÷ A.
#
#   bash Benchmarks/ab.sh OLD_BINARY NEW_BINARY ROUNDS DIR 'grep -c ERROR big.gz' 'cat big.gz' ...
#
# Each command is run as `BINARY <command> > /dev/null` in DIR; a non-zero exit other than grep's
# 1 (no match) stops the run. Prints a Markdown table.
set -euo pipefail
a=$1 b=$2 rounds=$3 dir=$4
shift 4
cd "$dir"
times=$(mktemp)
for ((r = 0; r < rounds; r++)); do
    for c in "$@"; do
        for side in A B; do
            bin=$a; [[ $side == B ]] && bin=$b
            s=$(date +%s.%N)
            set +e; sh -c "'$bin' $c > /dev/null"; rc=$?; set -e
            e=$(date +%s.%N)
            if ((rc != 0 && rc != 1)); then echo "ab.sh: '$bin $c' exited $rc" >&2; exit 1; fi
            printf '%s\t%s\t%s\n' "$side" "$c" "$(awk "BEGIN { print $e - $s }")" >> "$times"
        done
    done
done
python3 - "$times" "$rounds" "$a" "$b" <<'PY'
import statistics, sys
t = {}
for line in open(sys.argv[1]):
    side, c, s = line.rstrip("\n").split("\t")
    t.setdefault((side, c), []).append(float(s))
print(f"Interleaved A/B, {sys.argv[2]} rounds, medians (s). A = `{sys.argv[3]}`, B = `{sys.argv[4]}`.\n")
print("| command | A s | B s | B ÷ A |\n|---|---:|---:|---:|")
for c in dict.fromkeys(c for _, c in t):
    ma, mb = statistics.median(t[("A", c)]), statistics.median(t[("B", c)])
    print(f"| `sluice {c}` | {ma:.3f} | {mb:.3f} | {mb / ma:.3f} |")
PY
rm -f "$times"
