#!/usr/bin/env bash
# Regenerates the committed samples: 1 MiB of generated logs as gzip (two members, like rotated
# logs appended together) and as xz. Deterministic: same bytes every run with the same tools.
set -euo pipefail
cd "$(dirname "$0")"
python3 make-logs.py --size 512KiB --seed 7 > /tmp/sluice-part1.log
python3 make-logs.py --size 512KiB --seed 8 > /tmp/sluice-part2.log
{ gzip -6 -n -c /tmp/sluice-part1.log; gzip -6 -n -c /tmp/sluice-part2.log; } > app.log.gz
cat /tmp/sluice-part1.log /tmp/sluice-part2.log | xz -6 -c --check=crc64 > app.log.xz
rm -f /tmp/sluice-part1.log /tmp/sluice-part2.log
