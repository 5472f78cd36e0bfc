#!/usr/bin/env bash
# The main job on the bundled Corpus/: build a release binary, then inspect, verify, decode and
# search the sample logs, and show what happens with a damaged file.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/setup.sh
swift build -c release --product sluice >&2
sluice=".build/release/sluice"
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

step "$sluice" info Corpus/app.log.gz Corpus/app.log.xz
step "$sluice" test Corpus/app.log.gz Corpus/app.log.xz
echo "(no output: both intact)"
step "$sluice" cat Corpus/app.log.xz | head -n 3
if "$sluice" help grep >/dev/null 2>&1; then
    step "$sluice" count --pattern ' 50[0-9] ' Corpus/app.log.gz
    step "$sluice" grep -m 3 'ERROR' Corpus/app.log.xz
fi
damaged=$(mktemp --suffix=.gz)
trap 'rm -f "$damaged"' EXIT
head -c 120000 Corpus/app.log.gz > "$damaged"
printf '\n\033[1m$ sluice test --json %s   # the sample cut at 120000 bytes\033[0m\n' "$damaged"
"$sluice" test --json "$damaged" || echo "(exit status $?: the good bytes before the cut are still recoverable with cat)"
