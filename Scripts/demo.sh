#!/usr/bin/env bash
# The main job on the bundled Corpus/: build a release binary, then inspect, verify, search,
# recompress and benchmark the sample logs, and show what happens with a damaged file.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/setup.sh
swift build -c release --static-swift-stdlib --product sluice >&2
sluice=".build/release/sluice"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

step "$sluice" info Corpus/app.log.gz Corpus/app.log.xz
step "$sluice" test Corpus/app.log.gz Corpus/app.log.xz
echo "(no output: both intact)"
step "$sluice" head -n 3 Corpus/app.log.xz
step "$sluice" count Corpus/app.log.gz Corpus/app.log.xz
step "$sluice" grep -c -e ERROR -e ' 50[0-9] ' Corpus/app.log.gz
step "$sluice" grep -n -m 3 -E 'upstream timeout .* after [0-9]{3}ms' Corpus/app.log.xz
step "$sluice" grep ERROR Corpus/app.log.gz -o "$scratch/errors.xz"
step "$sluice" count "$scratch/errors.xz"
step "$sluice" recompress --to xz -l 6 -T 2 --check-output --stats -o "$scratch/app.log.xz" Corpus/app.log.gz
step "$sluice" bench --codecs gzip,xz --levels 1,6,9 --memory-cap 64MiB --min-seconds 0.2 --chart "$scratch/bench.svg" Corpus/app.log.xz
head -c 120000 Corpus/app.log.gz > "$scratch/cut.gz"
printf '\n\033[1m$ sluice test --json cut.gz   # the sample cut at 120000 bytes\033[0m\n'
"$sluice" test --json "$scratch/cut.gz" || echo "(exit status $?; every good byte before the cut is still delivered by cat)"
