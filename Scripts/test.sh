#!/usr/bin/env bash
# The test command: install missing system libraries, build once (with tests), run the suite once.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/setup.sh
swift build --build-tests
swift test --skip-build --disable-xctest
