#!/usr/bin/env bash
# Installs the system libraries Sluice links (zlib, liblzma, ISA-L, PCRE2), and GNU time, lzip and pigz (used by the
# tests) when they are missing. With --bench, also the peer tools the benchmark compares
# against. Safe to run repeatedly: does nothing when everything is present.
set -euo pipefail

packages=(zlib1g-dev liblzma-dev libisal-dev libpcre2-dev time lzip pigz)
if [[ "${1:-}" == "--bench" ]]; then
    packages+=(gzip xz-utils pigz isal ugrep ripgrep hyperfine python3)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
    exit 0
fi

echo "setup: installing ${missing[*]}" >&2
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
