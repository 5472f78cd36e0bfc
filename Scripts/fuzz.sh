#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ once, then runs one target (or all) for SECONDS each.
#
#   bash Scripts/fuzz.sh                     # every target, 30 s each
#   bash Scripts/fuzz.sh differential 300    # one target, five minutes
#   bash Scripts/fuzz.sh --list              # the target names
#
# Seeds are assembled at run time under .build-fuzz/seeds/ from ../shared/conformance (beside the
# clone; SLUICE_CONFORMANCE overrides, absent is fine), Corpus/ and the hand-made Fuzz/Seeds/;
# inputs the fuzzer finds interesting accumulate in .build-fuzz/corpus/<target>/ between runs.
# Every saved crash in Tests/Fixtures/fuzz-crashes/<target>/ is fed in too, so a bug that is not
# fixed yet fails the run at once.
#
# Exits non-zero on any crash, leak, timeout, out-of-memory or oracle failure (a check in
# Fuzz/Checks aborting); the input is copied to Tests/Fixtures/fuzz-crashes/<target>/ (which the
# normal test suite replays) and the problems it shows are printed.
#
# SLUICE_FUZZ_KEEP_GOING=1 keeps fuzzing after a failure (libFuzzer's -fork=1 -ignore_crashes=1)
# and saves every distinct failing input, for hunting rather than gating.
# SLUICE_FUZZ_SEED (default 1) fixes libFuzzer's random seed, so a gate run on a fresh clone
# mutates the same way every time (what it reaches still depends on the machine's speed); set
# another value, or 0 for a random one, when hunting.
set -uo pipefail
# The Swift runtime's crash backtracer would catch libFuzzer's abort and can stall it.
export SWIFT_BACKTRACE=enable=no
cd "$(dirname "$0")/.."

all_targets=(gzip-isal gzip-zlib zlib-deflate xz lzma lzip detect lines differential)
if [[ "${1:-}" == "--list" ]]; then
    printf '%s\n' "${all_targets[@]}"
    exit 0
fi
target=${1:-all}
seconds=${2:-30}
if [[ "$target" == all ]]; then
    targets=("${all_targets[@]}")
elif [[ " ${all_targets[*]} " == *" $target "* ]]; then
    targets=("$target")
else
    echo "fuzz.sh: unknown target '$target'; one of: all ${all_targets[*]}" >&2
    exit 2
fi

scratch=.build-fuzz
conformance=${SLUICE_CONFORMANCE:-../shared/conformance}
crashes=Tests/Fixtures/fuzz-crashes

echo "fuzz: building the fuzz targets (release, -sanitize=fuzzer,address)" >&2
build_start=$SECONDS
# `--sanitize=fuzzer` makes SwiftPM link libFuzzer's main; the one -sanitize=fuzzer,address flag
# after it is what swiftc keeps (given two -sanitize flags it keeps only the last, and
# `--sanitize=fuzzer --sanitize=address` silently builds without coverage counters).
if ! (cd Fuzz && nice -n 10 swift build -c release --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address \
        --scratch-path "../$scratch" 2>&1 | grep -v "Cannot export local symbol '__asan_extra_spill_area'"); then
    echo "fuzz: build failed" >&2
    exit 1
fi
bin=$scratch/release
echo "fuzz: build took $((SECONDS - build_start)) s" >&2

# copy_seeds DEST FIND-ARGS...: copies matching conformance files into DEST (flat, unique names).
copy_seeds() {
    local dest=$1
    shift
    [[ -d "$conformance" ]] || return 0
    find "$conformance" -type f "$@" -print0 | while IFS= read -r -d '' f; do
        cp "$f" "$dest/$(echo "${f#"$conformance"/}" | tr '/' '_')"
    done
}

# Assembles .build-fuzz/seeds/<target>/ (rebuilt each run; cheap).
prepare_seeds() {
    local t=$1 dest=$scratch/seeds/$1
    rm -rf "$dest"
    mkdir -p "$dest"
    case $t in
        gzip-isal | gzip-zlib | differential)
            copy_seeds "$dest" -path '*/gzip/*'
            cp Corpus/app.log.gz "$dest/corpus-app.log.gz"
            gzip -dc Corpus/app.log.gz | head -c 20000 | gzip -9 -c >"$dest/corpus-head.gz" 2>/dev/null || true
            ;;
        zlib-deflate)
            # Raw deflate bodies: the gzip samples without their 10-byte header (most have no
            # optional fields), and the same as zlib streams from the hand-made seeds.
            local f
            for f in $(find "$conformance/gzip" -type f -name '*.gz' 2>/dev/null | head -40); do
                tail -c +11 "$f" >"$dest/$(basename "$f").deflate"
            done
            ;;
        xz) copy_seeds "$dest" -name '*.xz'; cp Corpus/app.log.xz "$dest/corpus-app.log.xz" ;;
        lzma) copy_seeds "$dest" \( -name '*.lzma' -o -name '*.litonlylzma' \) ;;
        lzip) copy_seeds "$dest" -name '*.lz' ;;
        detect)
            copy_seeds "$dest" \( -path '*/gzip/*' -o -path '*/xz*' -o -path '*/bzip2/*' -o -path '*/zstd/*' -o -path '*/tar/*' \) -size -64k
            cp Corpus/app.log.gz Corpus/app.log.xz "$dest/"
            ;;
        lines)
            # Text with a chunking header: [k-1 | shape | k sizes | payload] (Fuzz/Checks/LineChecks.swift).
            local i=0 f
            for f in $(find "$conformance/logs" -type f 2>/dev/null | head -8); do
                { printf '\x03\x05\x01\x10\xff\x07'; head -c 8000 "$f"; } >"$dest/log-$i.bin"
                i=$((i + 1))
            done
            { printf '\x00\x00\x00'; gzip -dc Corpus/app.log.gz | head -c 8000; } >"$dest/corpus.bin"
            ;;
    esac
}

# Hand-made seed folders per target.
hand_made() {
    case $1 in
        gzip-isal | gzip-zlib | differential) echo Fuzz/Seeds/gzip ;;
        detect) echo Fuzz/Seeds/detect Fuzz/Seeds/gzip Fuzz/Seeds/xz Fuzz/Seeds/lzma Fuzz/Seeds/zlib-deflate ;;
        *) echo "Fuzz/Seeds/$1" ;;
    esac
}

max_len() {
    case $1 in
        lines) echo 16384 ;;
        *) echo 65536 ;;
    esac
}

# signature TARGET FILE: what the input breaks, with numbers blanked, so two inputs that break
# the same promise (or crash the same way) count as one failure.
signature() {
    "$bin/fuzz-$1" -rss_limit_mb=2048 -timeout=10 "$2" 2>&1 |
        grep -E '^sluice-fuzz|SUMMARY: (AddressSanitizer|LeakSanitizer|libFuzzer)|ERROR: libFuzzer: (timeout|out-of-memory)' |
        sed -E 's/\[[0-9, ]*\]/[...]/g; s/0x[0-9a-f]+/N/g; s/[0-9]+/N/g' | sort -u | md5sum | cut -c1-12
}

# save_failures TARGET FILE...: copies each failing input whose failure is not already on file
# to Tests/Fixtures/fuzz-crashes/TARGET/ and prints what it breaks.
save_failures() {
    local t=$1 f known=" " saved repeats=0
    shift
    for f in "$crashes/$t"/*; do
        [[ -f "$f" && "$f" != *.md ]] && known+="$(signature "$t" "$f") "
    done
    for f in "$@"; do
        local sig
        sig=$(signature "$t" "$f")
        if [[ "$known" == *" $sig "* ]]; then
            repeats=$((repeats + 1))
            continue
        fi
        known+="$sig "
        saved=$crashes/$t/$(basename "$f")
        cp "$f" "$saved"
        echo "fuzz: saved $saved ($(stat -c %s "$saved") bytes); replay: $bin/fuzz-$t $saved" >&2
        head -c 128 "$saved" | od -A d -t x1 | head -8 >&2
        "$bin/fuzz-$t" -rss_limit_mb=2048 -timeout=10 "$saved" 2>&1 | grep -E 'sluice-fuzz|ERROR:|SUMMARY' | head -10 >&2
    done
    ((repeats == 0)) || echo "fuzz: $repeats more failing input(s) break the same promise as one already in $crashes/$t" >&2
}

failed=()
for t in "${targets[@]}"; do
    start=$SECONDS
    prepare_seeds "$t"
    corpus=$scratch/corpus/$t
    artifacts=$scratch/artifacts/$t
    rm -rf "$artifacts"
    mkdir -p "$corpus" "$artifacts" "$crashes/$t"
    seed_dirs=()
    for d in $scratch/seeds/$t $(hand_made "$t") $crashes/$t; do
        [[ -d "$d" ]] && seed_dirs+=("$d")
    done
    extra=()
    if [[ "${SLUICE_FUZZ_KEEP_GOING:-0}" == 1 ]]; then
        extra=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
    fi
    log=$scratch/fuzz-$t.log
    echo "fuzz: $t for $seconds s (log: $log)" >&2
    # The outer timeout is a backstop: libFuzzer stops itself after -max_total_time.
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} timeout $((seconds + 300)) nice -n 10 "$bin/fuzz-$t" \
        -max_total_time="$seconds" -seed="${SLUICE_FUZZ_SEED:-1}" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
        -max_len="$(max_len "$t")" -print_final_stats=1 -artifact_prefix="$artifacts/" \
        "${extra[@]}" "$corpus" "${seed_dirs[@]}" >"$log" 2>&1
    status=$?
    grep -E '^(stat::|#[0-9]+ *DONE|Done [0-9]+ runs|INFO: fuzzed for)' "$log" | sed "s/^/fuzz: $t: /" >&2 || true
    found=$(find "$artifacts" -type f | sort)
    if [[ $status -ne 0 || -n "$found" ]]; then
        failed+=("$t")
        echo "fuzz: $t FAILED (libFuzzer exit $status)" >&2
        grep -E 'sluice-fuzz|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|SUMMARY' "$log" | sort -u | head -10 >&2
        save_failures "$t" $found
    fi
    echo "fuzz: $t took $((SECONDS - start)) s" >&2
done

if ((${#failed[@]} > 0)); then
    echo "fuzz: FAILED: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz: all ${#targets[@]} target(s) ran clean" >&2
