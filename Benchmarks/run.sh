#!/usr/bin/env bash
# Side-by-side benchmark of sluice against the tools people use today (gzip, pigz, igzip, a plain C
# zlib loop, xz, Python, zgrep, ugrep, ripgrep, GNU grep), peers measured in the same run.
# Writes one Markdown report per section to Benchmarks/results/<section>-<size>.md.
# Benchmarks/README.md explains each section and how to read the tables.
#
#   bash Benchmarks/run.sh                                   # everything, 512 MiB of log text
#   bash Benchmarks/run.sh --size 32MiB --runs 3 --sections decode
#   SLUICE_BIN=/path/to/sluice bash Benchmarks/run.sh        # measure that binary, skip the build
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bash Benchmarks/run.sh [--size 512MiB] [--runs N] [--sections decode,grep,api,recompress]
                              [--out Benchmarks/results] [--recompress-size 64MiB] [--small 16MiB]

  --size             uncompressed size of the generated log (default 512MiB)
  --runs             hyperfine runs per command, after one warm-up run (default 5)
  --sections         comma-separated subset of decode,grep,api,recompress (default: all);
                     grep/api/recompress are skipped when sluice lacks the commands they measure
  --out              directory for the Markdown reports (default Benchmarks/results)
  --recompress-size  input size for the recompress timings (default 64MiB, as in issue 4)
  --small            the small input peak RSS is compared against (default 16MiB)

Environment: SLUICE_BIN=/path/to/sluice measures that binary instead of building
`swift build -c release --static-swift-stdlib --product sluice --scratch-path .build-bench`.
Generated inputs, tools and raw hyperfine JSON live in Benchmarks/work/ (git-ignored, reused).
EOF
}

invocation="bash Benchmarks/run.sh $*"
size=512MiB runs=5 sections=decode,grep,api,recompress out="" rsize=64MiB small=16MiB
while (($#)); do
    case $1 in
        --size) size=$2; shift 2 ;;
        --size=*) size=${1#*=}; shift ;;
        --runs) runs=$2; shift 2 ;;
        --runs=*) runs=${1#*=}; shift ;;
        --sections) sections=$2; shift 2 ;;
        --sections=*) sections=${1#*=}; shift ;;
        --out) out=$2; shift 2 ;;
        --out=*) out=${1#*=}; shift ;;
        --recompress-size) rsize=$2; shift 2 ;;
        --recompress-size=*) rsize=${1#*=}; shift ;;
        --small) small=$2; shift 2 ;;
        --small=*) small=${1#*=}; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "run.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --runs needs a positive integer, not '$runs'" >&2; exit 2; }
for s in ${sections//,/ }; do
    case $s in decode | grep | api | recompress) ;; *) echo "run.sh: unknown section '$s'" >&2; exit 2 ;; esac
done
if [[ -n $out && $out != /* ]]; then out="$PWD/$out"; fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
out=${out:-$root/Benchmarks/results}
work=$root/Benchmarks/work
bindir=$work/bin
mkdir -p "$out" "$work" "$bindir" "$work/corpus" "$work/runs"
if [[ -d /opt/swift/usr/bin && ":$PATH:" != *":/opt/swift/usr/bin:"* ]]; then PATH="$PATH:/opt/swift/usr/bin"; fi

say() { printf '\n\033[1mrun.sh: %s\033[0m\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }

read -r size_bytes size_label < <(python3 Benchmarks/report.py size "$size")
read -r small_bytes small_label < <(python3 Benchmarks/report.py size "$small")
read -r rsize_bytes rsize_label < <(python3 Benchmarks/report.py size "$rsize")

# ---- tools ------------------------------------------------------------------------------------

say "checking the peer tools (Scripts/setup.sh --bench)"
bash Scripts/setup.sh --bench

if [[ -n ${SLUICE_BIN:-} ]]; then
    sluice_bin=$(readlink -f "$SLUICE_BIN")
    [[ -x $sluice_bin ]] || { echo "run.sh: SLUICE_BIN=$SLUICE_BIN is not an executable" >&2; exit 2; }
    build_note="SLUICE_BIN (not built by run.sh)"
else
    say "building sluice (release, --scratch-path .build-bench)"
    swift build -c release --static-swift-stdlib --product sluice --scratch-path .build-bench >&2
    sluice_bin="$(swift build -c release --static-swift-stdlib --product sluice --scratch-path .build-bench --show-bin-path)/sluice"
    build_note="swift build -c release --static-swift-stdlib --product sluice --scratch-path .build-bench"
fi
ln -sfn "$sluice_bin" "$bindir/sluice"

cc -O2 -o "$work/zlib_inflate" Benchmarks/c/zlib_inflate.c -lz
ln -sfn ../zlib_inflate "$bindir/zlib_inflate"
cc -O2 -shared -fPIC -o "$work/malloc_count.so" Benchmarks/c/malloc_count.c
# The interpreter itself, not a version-manager shim (pyenv's shim adds ~40 ms of bash per start).
python_bin=$(python3 -c 'import sys; print(sys.executable)')
ln -sfn "$python_bin" "$bindir/python3"
export PATH="$bindir:$PATH"
sluice="$bindir/sluice"

# sluice_has COMMAND: whether this sluice has the subcommand (`help X` prints the root help when not).
sluice_has() { local h; h=$("$sluice" help "$1" 2>/dev/null) || true; [[ $h == *"USAGE: sluice $1"* ]]; }

# ---- machine ----------------------------------------------------------------------------------

machine="$work/runs/machine.tsv"
{
    printf 'CPU\t%s\n' "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    printf 'cores\t%s online (%s)\n' "$(nproc)" "$(lscpu 2>/dev/null | awk -F: '/^Thread\(s\) per core/{t=$2} /^Core\(s\) per socket/{c=$2} END{gsub(/ /,"",t); gsub(/ /,"",c); if (c) printf "%s core(s) per socket, %s thread(s) per core", c, t}')"
    printf 'RAM\t%s MiB\n' "$(awk '/MemTotal/{printf "%d", $2/1024}' /proc/meminfo)"
    printf 'kernel\t%s\n' "$(uname -sr)"
    printf 'OS\t%s (Debian %s)\n' "$(. /etc/os-release && echo "$PRETTY_NAME")" "$(cat /etc/debian_version 2>/dev/null || echo '?')"
    printf 'locale\tLANG=%s LC_ALL=%s\n' "${LANG:-}" "${LC_ALL:-}"
    swift_version=$(swift --version 2>&1 || true)
    printf 'Swift\t%s\n' "$(grep -i -m1 'swift version' <<<"$swift_version" || echo '?')"
    printf 'sluice\t%s, %s, %s (%s)\n' "$("$sluice" --version)" "$sluice_bin" "$build_note" \
        "$(if ldd "$sluice_bin" 2>/dev/null | grep -q libswiftCore; then echo 'shared Swift runtime'; else echo 'static Swift stdlib'; fi)"
    printf 'source\t%s%s\n' "$(git rev-parse --short HEAD 2>/dev/null || echo '?')" \
        "$(git status --porcelain 2>/dev/null | grep -qv '^??' && echo ' + uncommitted changes' || true)"
    printf 'libraries\t%s\n' "$(dpkg-query -W -f='${Package} ${Version}, ' zlib1g liblzma5 libisal2 libpcre2-8-0 2>/dev/null | sed 's/, $//')"
    printf 'hyperfine\t%s\n' "$(hyperfine --version)"
    printf 'gzip\t%s\n' "$(gzip --version | sed -n 1p)"
    have pigz && printf 'pigz\t%s\n' "$(pigz --version 2>&1 | sed -n 1p)"
    have igzip && printf 'igzip\t%s\n' "$(igzip --version 2>&1 | sed -n 1p)"
    printf 'xz\t%s\n' "$(xz --version | sed -n 1p)"
    printf 'python3\t%s (%s)\n' "$(python3 --version 2>&1)" "$python_bin"
    have ugrep && printf 'ugrep\t%s\n' "$(ugrep --version | sed -n 1p)"
    have rg && printf 'ripgrep\t%s\n' "$(rg --version | sed -n 1p)"
    printf 'grep\t%s\n' "$(grep --version | sed -n 1p)"
    printf 'cc\t%s\n' "$(cc --version | sed -n 1p)"
} > "$machine"

# ---- inputs -----------------------------------------------------------------------------------

# corpus LABEL BYTES: Benchmarks/work/corpus/LABEL/{big.log,big.gz,big.xz}, reused while the size,
# the seed, the generator and the compression settings are unchanged.
corpus() {
    local label=$1 bytes=$2 dir="$work/corpus/$1"
    local want
    want="size=$bytes seed=1 generator=$(sha256sum Corpus/make-logs.py | cut -c1-16) gzip=-6 xz=-6,-T2"
    if [[ -f $dir/stamp && $(cat "$dir/stamp") == "$want" && -f $dir/big.log && -f $dir/big.gz && -f $dir/big.xz ]]; then
        return
    fi
    say "generating the $label corpus in ${dir#"$root"/}"
    rm -rf "$dir"
    mkdir -p "$dir"
    python3 Corpus/make-logs.py --size "$bytes" --seed 1 > "$dir/big.log"
    gzip -6 -c "$dir/big.log" > "$dir/big.gz"
    xz -6 -T2 -c "$dir/big.log" > "$dir/big.xz"
    echo "$want" > "$dir/stamp"
}

corpus "$size_label" "$size_bytes"
corpus "$small_label" "$small_bytes"
cwd="$work/corpus/$size_label"
small_rel="../$small_label"
log_bytes=$(stat -c %s "$cwd/big.log")
log_lines=$(wc -l < "$cwd/big.log")
small_lines=$(wc -l < "$work/corpus/$small_label/big.log")
xz_blocks() { xz --robot --list "$1" | awk '$1 == "totals" { print $3 }'; }

# ---- measurement helpers ----------------------------------------------------------------------

run="" section=""
declare -A CMD LABEL BYTES

begin() { # begin SECTION TITLE
    section=$1
    run="$work/runs/$1-$size_label"
    rm -rf "$run"
    mkdir -p "$run"
    cp "$machine" "$run/machine.tsv"
    CMD=() LABEL=() BYTES=()
    meta section "$1"
    meta title "$2"
    meta size "$size_label"
    meta log_bytes "$log_bytes"
    meta runs "$runs"
    meta cwd "${cwd#"$root"/}"
    meta bindir "${bindir#"$root"/}"
    meta invocation "$invocation"
    meta date "$(date -u '+%Y-%m-%d %H:%M UTC')"
    meta hyperfine "$(hyperfine --version | cut -d' ' -f2)"
    load_start=$(cut -d' ' -f1-3 /proc/loadavg)
    say "section $1: $2"
}
esc() { local s=${1//$'\t'/ }; printf '%s' "${s//$'\n'/\\n}"; }
meta() { printf '%s\t%s\n' "$1" "$(esc "$2")" >> "$run/meta.tsv"; }
fact() { printf '%s\t%s\t%s\n' "$1" "$(esc "$2")" "$(esc "${3:-}")" >> "$run/facts.tsv"; }
check() { local IFS=$'\t'; printf '%s\n' "$*" >> "$run/checks.tsv"; }
notes=()
note() { notes+=("$1"); }

# add ID LABEL BYTES COMMAND: a command for the next bench; LABEL is what the tables show.
add() { CMD[$1]=$4; LABEL[$1]=$2; BYTES[$1]=$3; }

# bench GROUP TITLE ID...: one hyperfine run over the commands, the first being the baseline.
bench() {
    local group=$1 title=$2 id
    shift 2
    local cmds=()
    for id in "$@"; do
        cmds+=("${CMD[$id]}")
        printf '%s\t%s\t%s\t%s\t%s\n' "$id" "$group" "$(esc "${LABEL[$id]}")" "${BYTES[$id]}" "$(esc "${CMD[$id]}")" >> "$run/commands.tsv"
    done
    printf '%s\t%s\t%s\n' "$group" "$title" "$1" >> "$run/groups.tsv"
    say "$section / $title: hyperfine over $# commands"
    local style=basic
    [[ -t 1 ]] && style=full
    (cd "$cwd" && hyperfine --warmup 1 --runs "${group_runs:-$runs}" --ignore-failure --style "$style" \
        --export-json "$run/hf-$group.json" "${cmds[@]}") >&2
}

# rss ID LABEL COMMAND [NOTE]: peak RSS (KiB) of one run of COMMAND. A pipeline runs as
# `sh -c` so the figure is its largest process; a simple command runs directly under time.
rss() {
    local id=$1 label=$2 cmd=$3 note=${4:-} tmp="$run/.rss" kib
    rm -f "$tmp"
    if [[ $cmd == *'|'* ]]; then
        (cd "$cwd" && /usr/bin/time -f %M -o "$tmp" sh -c "$cmd") || true
        note=${note:-pipeline: its largest process}
    else
        (cd "$cwd" && eval "/usr/bin/time -f %M -o \"\$tmp\" $cmd") || true
    fi
    kib=$(tail -n1 "$tmp" 2>/dev/null || true)
    [[ $kib =~ ^[0-9]+$ ]] || kib="?"
    printf '%s\t%s\t%s\t%s\t%s\n' "$id" "$(esc "$label")" "$kib" "$(esc "$cmd")" "$(esc "$note")" >> "$run/rss.tsv"
}
rss_of() { local id; for id in "$@"; do rss "$id" "${LABEL[$id]}" "${CMD[$id]}"; done; }

# output COMMAND: stdout of one run, in the benchmark directory.
output() { (cd "$cwd" && sh -c "$1" 2>/dev/null) || true; }
# same_as_log COMMAND [LOG]: "yes" when COMMAND writes exactly the log's bytes.
same_as_log() { if (cd "$cwd" && sh -c "$1" 2>/dev/null | cmp -s - "${2:-big.log}"); then echo yes; else echo no; fi; }

finish() {
    local load_end
    load_end=$(cut -d' ' -f1-3 /proc/loadavg)
    printf 'load average (1, 5, 15 min)\t%s at the start of the section, %s at the end\n' "$load_start" "$load_end" >> "$run/machine.tsv"
    if awk -v l="${load_start%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > 0.25 * n) }'; then
        note "The machine was not idle when this section started (1-minute load average $load_start on $(nproc) cores): other work competed for the CPU, so expect noise; compare min as well as median, or rerun on a quiet machine."
    fi
    if ((${#notes[@]})); then meta notes "$(printf '%s\\n' "${notes[@]}")"; fi
    notes=()
    local md="$out/$section-$size_label.md"
    python3 "$root/Benchmarks/report.py" render "$run" "$md"
    say "wrote ${md#"$root"/}"
    python3 "$root/Benchmarks/report.py" checks "$run" >&2
}

py_gzip=$'python3 -c \'import gzip,sys; n=0\nfor line in gzip.open(sys.argv[1]): n+=1\''
py_lzma=$'python3 -c \'import lzma,sys; n=0\nfor line in lzma.open(sys.argv[1]): n+=1\''

# ---- decode -----------------------------------------------------------------------------------

section_decode() {
    begin decode "Decoding: sluice cat vs gzip, pigz, igzip, C zlib, xz, Python ($size_label)"
    meta inputs ", compressed with \`gzip -6\` ($(stat -c %s "$cwd/big.gz") bytes) and \`xz -6 -T2\` ($(stat -c %s "$cwd/big.xz") bytes, $(xz_blocks "$cwd/big.xz") blocks)"
    local gz=() xz=()
    add s_gz "sluice cat big.gz" "$log_bytes" "sluice cat big.gz > /dev/null"; gz+=(s_gz)
    add s_gz_zlib "sluice cat --gzip-backend zlib big.gz" "$log_bytes" "sluice cat --gzip-backend zlib big.gz > /dev/null"; gz+=(s_gz_zlib)
    if have igzip; then add igzip "igzip -dc big.gz" "$log_bytes" "igzip -dc big.gz > /dev/null"; gz+=(igzip); fi
    if have pigz; then add pigz "pigz -dc big.gz" "$log_bytes" "pigz -dc big.gz > /dev/null"; gz+=(pigz); fi
    add gzip "gzip -dc big.gz" "$log_bytes" "gzip -dc big.gz > /dev/null"; gz+=(gzip)
    add czlib "zlib_inflate < big.gz (C zlib loop)" "$log_bytes" "zlib_inflate < big.gz > /dev/null"; gz+=(czlib)
    add py_gz "python3 gzip line loop" "$log_bytes" "$py_gzip big.gz"; gz+=(py_gz)

    add s_xz "sluice cat big.xz" "$log_bytes" "sluice cat big.xz > /dev/null"; xz+=(s_xz)
    add s_xz_t2 "sluice cat -T 2 big.xz" "$log_bytes" "sluice cat -T 2 big.xz > /dev/null"; xz+=(s_xz_t2)
    add xz "xz -dc big.xz" "$log_bytes" "xz -dc big.xz > /dev/null"; xz+=(xz)
    add xz_t2 "xz -dc -T2 big.xz" "$log_bytes" "xz -dc -T2 big.xz > /dev/null"; xz+=(xz_t2)
    add py_xz "python3 lzma line loop" "$log_bytes" "$py_lzma big.xz"; xz+=(py_xz)

    fact gz_ok "$(same_as_log 'sluice cat big.gz')" "sluice cat big.gz reproduces big.log byte for byte"
    fact gz_zlib_ok "$(same_as_log 'sluice cat --gzip-backend zlib big.gz')" "… with --gzip-backend zlib"
    fact czlib_ok "$(same_as_log 'zlib_inflate < big.gz')" "zlib_inflate < big.gz reproduces big.log"
    fact xz_ok "$(same_as_log 'sluice cat big.xz')" "sluice cat big.xz reproduces big.log"
    fact xz_t2_ok "$(same_as_log 'sluice cat -T 2 big.xz')" "sluice cat -T 2 big.xz reproduces big.log"
    fact xz_blocks "$(xz_blocks "$cwd/big.xz")" "xz blocks in big.xz (\`xz -6 -T2\` makes 24 MiB blocks; -T2 decoding needs ≥ 2)"
    fact log_lines "$log_lines" "lines in big.log"

    bench gz "gzip: $(stat -c %s "$cwd/big.gz") bytes → $log_bytes bytes" "${gz[@]}"
    bench xz "xz: $(stat -c %s "$cwd/big.xz") bytes → $log_bytes bytes" "${xz[@]}"

    say "decode: peak RSS"
    rss_of "${gz[@]}" "${xz[@]}"
    rss floor "sluice --version (the binary's floor)" "sluice --version > /dev/null"
    rss s_gz_small "sluice cat, $small_label gzip input" "sluice cat $small_rel/big.gz > /dev/null"
    rss s_gz_zlib_small "sluice cat --gzip-backend zlib, $small_label input" "sluice cat --gzip-backend zlib $small_rel/big.gz > /dev/null"
    rss s_xz_small "sluice cat, $small_label xz input" "sluice cat $small_rel/big.xz > /dev/null"
    rss s_gz_big "sluice cat, $size_label gzip input" "sluice cat big.gz > /dev/null"
    rss s_gz_zlib_big "sluice cat --gzip-backend zlib, $size_label input" "sluice cat --gzip-backend zlib big.gz > /dev/null"
    rss s_xz_big "sluice cat, $size_label xz input" "sluice cat big.xz > /dev/null"

    check ratio s_gz igzip 1.10 "ISA-L through Swift vs ISA-L's own CLI"
    check info_ratio gzip s_gz "issue 2 expects ≈ 6"
    check ratio s_gz_zlib czlib 1.05 "zlib through Swift vs the plain C loop"
    check ratio s_xz xz 1.05
    check ratio s_xz_t2 xz_t2 1.05 "multi-block input: $(xz_blocks "$cwd/big.xz") blocks"
    check rss_above s_gz floor 2 "gzip, ISA-L backend"
    check rss_above s_gz_zlib floor 2 "gzip, zlib backend"
    check rss_same s_gz_small s_gz_big 1 "flat in the input size"
    check rss_same s_gz_zlib_small s_gz_zlib_big 1
    check rss_same s_xz_small s_xz_big 1 "xz (the $small_label file is one block)"
    check fact_true gz_ok "sluice cat big.gz output identical to big.log (also zlib backend, xz, xz -T 2: see facts)"
    check info_ratio py_gz s_gz "Python's streaming gzip line loop, for scale"
    [[ $(xz_blocks "$cwd/big.xz") -ge 2 ]] || note "big.xz has a single block, so -T 2 cannot decode in parallel; use a larger --size."
    finish
}

# ---- grep -------------------------------------------------------------------------------------

section_grep() {
    if ! sluice_has grep; then
        say "grep section skipped: this sluice has no grep command (sluice help grep)"
        return
    fi
    begin grep "Searching: sluice grep / head / tail vs ugrep -z, rg -z, zgrep, gzip -dc | grep ($size_label)"
    meta inputs ", compressed with \`gzip -6\` ($(stat -c %s "$cwd/big.gz") bytes)"
    local re='user:[0-9]+5 '
    local lit=() rex=() hd=() tl=()
    # -c everywhere: GNU grep stops at the first match when its output is /dev/null, so bare
    # searches would not measure the same work; counting forces every tool through every line.
    add sg_c "sluice grep -c ERROR big.gz" "$log_bytes" "sluice grep -c ERROR big.gz > /dev/null"; lit+=(sg_c)
    if have ugrep; then add ug_c "ugrep -z -c ERROR big.gz" "$log_bytes" "ugrep -z -c ERROR big.gz > /dev/null"; lit+=(ug_c); fi
    if have rg; then add rg_c "rg -z -c ERROR big.gz" "$log_bytes" "rg -z -c ERROR big.gz > /dev/null"; lit+=(rg_c); fi
    add zg_c "zgrep -c ERROR big.gz" "$log_bytes" "zgrep -c ERROR big.gz > /dev/null"; lit+=(zg_c)
    add gg_c "gzip -dc big.gz | grep -c ERROR" "$log_bytes" "gzip -dc big.gz | grep -c ERROR > /dev/null"; lit+=(gg_c)

    add sg_re "sluice grep -c -E '$re' big.gz" "$log_bytes" "sluice grep -c -E '$re' big.gz > /dev/null"; rex+=(sg_re)
    if have ugrep; then add ug_re "ugrep -z -c -E '$re' big.gz" "$log_bytes" "ugrep -z -c -E '$re' big.gz > /dev/null"; rex+=(ug_re); fi
    if have rg; then add rg_re "rg -z -c '$re' big.gz" "$log_bytes" "rg -z -c '$re' big.gz > /dev/null"; rex+=(rg_re); fi
    add gg_re "gzip -dc big.gz | grep -c -E '$re'" "$log_bytes" "gzip -dc big.gz | grep -c -E '$re' > /dev/null"; rex+=(gg_re)

    add s_head "sluice head -n 10 big.gz" "" "sluice head -n 10 big.gz > /dev/null"; hd+=(s_head)
    add gz_head "gzip -dc big.gz | head -n 10" "" "gzip -dc big.gz | head -n 10 > /dev/null"; hd+=(gz_head)
    add s_version "sluice --version (start-up floor)" "" "sluice --version > /dev/null"; hd+=(s_version)
    add s_tail "sluice tail -n 10 big.gz" "$log_bytes" "sluice tail -n 10 big.gz > /dev/null"; tl+=(s_tail)
    add gz_tail "gzip -dc big.gz | tail -n 10" "$log_bytes" "gzip -dc big.gz | tail -n 10 > /dev/null"; tl+=(gz_tail)

    local id
    for id in "${lit[@]}" "${rex[@]}"; do
        fact "count_$id" "$(output "${CMD[$id]% > /dev/null}" | tr -d '\n')" "${LABEL[$id]}"
    done
    fact head_ok "$(if [[ $(output 'sluice head -n 10 big.gz') == "$(head -n 10 "$cwd/big.log")" ]]; then echo yes; else echo no; fi)" \
        "sluice head -n 10 equals head -n 10 big.log"
    fact tail_ok "$(if [[ $(output 'sluice tail -n 10 big.gz') == "$(tail -n 10 "$cwd/big.log")" ]]; then echo yes; else echo no; fi)" \
        "sluice tail -n 10 equals tail -n 10 big.log"

    bench literal "fixed string, count: ERROR" "${lit[@]}"
    bench regex "regular expression, count: -E '$re'" "${rex[@]}"
    # Start-up-sized commands: cheap, and noisy at a few runs, so at least 20.
    group_runs=$((runs < 20 ? 20 : runs)) bench head "head: stop after 10 lines ($((runs < 20 ? 20 : runs)) runs)" "${hd[@]}"
    bench tail "tail: last 10 lines" "${tl[@]}"

    say "grep: peak RSS"
    rss_of "${lit[@]}" "${rex[@]}" "${hd[@]}" "${tl[@]}"
    rss floor "sluice --version (the binary's floor)" "sluice --version > /dev/null"
    rss sg_small "sluice grep -c ERROR, $small_label input" "sluice grep -c ERROR $small_rel/big.gz > /dev/null"
    rss sg_big "sluice grep -c ERROR, $size_label input" "sluice grep -c ERROR big.gz > /dev/null"
    rss sg_re_small "sluice grep -c -E, $small_label input" "sluice grep -c -E '$re' $small_rel/big.gz > /dev/null"
    rss sg_re_big "sluice grep -c -E, $size_label input" "sluice grep -c -E '$re' big.gz > /dev/null"
    rss st_small "sluice tail -n 10, $small_label input" "sluice tail -n 10 $small_rel/big.gz > /dev/null"
    rss st_big "sluice tail -n 10, $size_label input" "sluice tail -n 10 big.gz > /dev/null"

    check ratio sg_c ug_c 0.5
    check ratio sg_c zg_c 0.25
    check equal "count_sg_c,count_gg_c,count_ug_c,count_rg_c,count_zg_c" "same ERROR count"
    check ratio sg_re ug_re 1.0
    check equal "count_sg_re,count_gg_re,count_ug_re,count_rg_re" "same regex count"
    check abs s_head 0.050 "it stops reading"
    check fact_true head_ok "sluice head -n 10 output equals head -n 10 of the log"
    check fact_true tail_ok "sluice tail -n 10 output equals tail -n 10 of the log"
    check rss_same st_small st_big 1 "tail keeps memory flat"
    check rss_same sg_small sg_big 1 "grep keeps memory flat"
    check rss_same sg_re_small sg_re_big 1
    finish
}

# ---- api --------------------------------------------------------------------------------------

# build_probe PRODUCT: builds one Benchmarks/api probe; true when it compiled.
build_probe() {
    local product=$1 log="$work/api-build-$1.log"
    if swift build -c release --package-path Benchmarks/api --scratch-path "$work/api-build" --product "$product" > "$log" 2>&1; then
        ln -sfn "$(swift build -c release --package-path Benchmarks/api --scratch-path "$work/api-build" --show-bin-path)/$product" "$bindir/$product"
        return 0
    fi
    say "api probe $product does not compile against the current library (see ${log#"$root"/}); skipped"
    grep -m3 'error:' "$log" >&2 || true
    rm -f "$bindir/$product"
    return 1
}

# allocs ID NAME COMMAND_WITH_{}: heap allocations per line, from runs on the small and the big
# input ({} stands for the file; the difference removes start-up and per-file costs).
allocs() {
    local id=$1 label=$2 cmd=$3 a_small a_big
    a_small=$(cd "$cwd" && MALLOC_COUNT_OUT="$run/.mc" LD_PRELOAD="$work/malloc_count.so" sh -c "${cmd//\{\}/$small_rel/big.gz} > /dev/null" && cut -d' ' -f1 "$run/.mc") || a_small=""
    a_big=$(cd "$cwd" && MALLOC_COUNT_OUT="$run/.mc" LD_PRELOAD="$work/malloc_count.so" sh -c "${cmd//\{\}/big.gz} > /dev/null" && cut -d' ' -f1 "$run/.mc") || a_big=""
    if [[ -z $a_small || -z $a_big ]]; then return; fi
    fact "alloc_small_$id" "$a_small" "heap allocations, $label, $small_label input ($small_lines lines)"
    fact "alloc_big_$id" "$a_big" "heap allocations, $label, $size_label input ($log_lines lines)"
    fact "alloc_line_$id" "$(python3 -c "print('%.5f' % (($a_big - $a_small) / ($log_lines - $small_lines)))")" \
        "heap allocations per line, $label (difference ÷ difference in lines)"
}

section_api() {
    begin api "Swift API: counting lines through the library vs sluice cat ($size_label)"
    meta inputs ", compressed with \`gzip -6\` ($(stat -c %s "$cwd/big.gz") bytes), $log_lines lines"
    local ids=() have_count=no framer=no lines=no
    sluice_has count && have_count=yes
    build_probe api-lines-framer && framer=yes || true
    build_probe api-lines && lines=yes || true
    if [[ $have_count == no && $framer == no && $lines == no ]]; then
        say "api section skipped: neither sluice count nor an api probe is available"
        return
    fi
    add s_cat "sluice cat big.gz" "$log_bytes" "sluice cat big.gz > /dev/null"; ids+=(s_cat)
    if [[ $lines == yes ]]; then add api_lines "api-lines big.gz (Sluice.lines(of: path).lines { })" "$log_bytes" "api-lines big.gz > /dev/null"; ids+=(api_lines); fi
    if [[ $framer == yes ]]; then add api_framer "api-lines-framer big.gz (LineReader + forEachLine)" "$log_bytes" "api-lines-framer big.gz > /dev/null"; ids+=(api_framer); fi
    if [[ $have_count == yes ]]; then add s_count "sluice count big.gz" "$log_bytes" "sluice count big.gz > /dev/null"; ids+=(s_count); fi
    add wc "gzip -dc big.gz | wc -l" "$log_bytes" "gzip -dc big.gz | wc -l > /dev/null"; ids+=(wc)

    fact log_lines "$log_lines" "lines in big.log (wc -l)"
    [[ $lines == yes ]] && fact lines_api "$(output 'api-lines big.gz' | awk '{print $1}')" "lines counted by api-lines"
    [[ $framer == yes ]] && fact lines_framer "$(output 'api-lines-framer big.gz' | awk '{print $1}')" "lines counted by api-lines-framer"
    [[ $have_count == yes ]] && fact count_out "$(output 'sluice count big.gz' | tr '\n' ' ')" "sluice count big.gz prints"

    bench api "count every line" "${ids[@]}"

    say "api: peak RSS and allocations"
    rss_of "${ids[@]}"
    rss floor "sluice --version (the binary's floor)" "sluice --version > /dev/null"
    allocs s_cat "sluice cat" "sluice cat {}"
    if [[ $lines == yes ]]; then
        rss api_lines_small "api-lines, $small_label input" "api-lines $small_rel/big.gz > /dev/null"
        allocs api_lines "api-lines" "api-lines {}"
    fi
    if [[ $framer == yes ]]; then
        rss api_framer_small "api-lines-framer, $small_label input" "api-lines-framer $small_rel/big.gz > /dev/null"
        allocs api_framer "api-lines-framer" "api-lines-framer {}"
    fi
    if [[ $have_count == yes ]]; then
        rss s_count_small "sluice count, $small_label input" "sluice count $small_rel/big.gz > /dev/null"
        allocs s_count "sluice count" "sluice count {}"
    fi

    if [[ $lines == yes ]]; then
        check ratio api_lines s_cat 1.15 "the closure API, issue 3's target"
    else
        check note "api-lines (the closure API of issue 3) is not measured: it does not compile against this library yet"
    fi
    if [[ $framer == yes ]]; then
        check ratio api_framer s_cat 1.15 "the framing layer the API sits on"
    fi
    [[ $have_count == yes ]] && check ratio s_count s_cat 1.15 "the CLI's line count"
    check equal "log_lines,lines_api,lines_framer" "same line count"
    [[ $lines == yes ]] && check fact_max alloc_line_api_lines 0.01 "no per-line heap allocation"
    [[ $framer == yes ]] && check fact_max alloc_line_api_framer 0.01 "no per-line heap allocation"
    [[ $have_count == yes ]] && check fact_max alloc_line_s_count 0.01 "no per-line heap allocation"
    [[ $lines == yes ]] && check rss_same api_lines_small api_lines 1
    [[ $framer == yes ]] && check rss_same api_framer_small api_framer 1
    [[ $have_count == yes ]] && check rss_same s_count_small s_count 1
    note "Allocations are counted by Benchmarks/c/malloc_count.c (LD_PRELOAD): every malloc, calloc, realloc and aligned allocation of the process, Swift runtime and codecs included."
    [[ $lines == yes ]] || note "api-lines (Benchmarks/api/Sources/api-lines) did not compile against this library: see Benchmarks/work/api-build-api-lines.log; adjust it to the final API."
    finish
}

# ---- recompress -------------------------------------------------------------------------------

section_recompress() {
    if ! sluice_has recompress; then
        say "recompress section skipped: this sluice has no recompress command (sluice help recompress)"
        return
    fi
    corpus "$rsize_label" "$rsize_bytes"
    local big_cwd=$cwd big_bytes=$log_bytes
    cwd="$work/corpus/$rsize_label"
    local rbytes
    rbytes=$(stat -c %s "$cwd/big.log")
    begin recompress "Recompressing gzip → xz and gzip → gzip: sluice recompress vs gzip -dc | xz / pigz ($rsize_label timings, $size_label for memory)"
    meta inputs ". Timings use the $rsize_label corpus compressed with \`gzip -6\` ($(stat -c %s "$cwd/big.gz") bytes); the memory checks also run on the $small_label and $size_label corpora"
    meta log_bytes "$rbytes"
    meta size "$rsize_label"

    # Spell the flags the way this sluice accepts them: stdout as `-o -` (or -c/--stdout), the
    # gzip format as gz (or gzip). Probed on the bundled sample.
    local probe="$root/Corpus/app.log.gz" stdout_flag="" gz_name="" f t
    for f in "-o -" "-c" "--stdout"; do
        if "$sluice" recompress --to xz -l 1 $f "$probe" 2>/dev/null | xz -t 2>/dev/null; then stdout_flag=$f; break; fi
    done
    for t in gz gzip; do
        if "$sluice" recompress --to $t -l 1 ${stdout_flag:--o -} "$probe" 2>/dev/null | gzip -t 2>/dev/null; then gz_name=$t; break; fi
    done
    if [[ -z $stdout_flag || -z $gz_name ]]; then
        say "recompress: could not find how to write to stdout (tried -o -, -c, --stdout with --to xz/gz -l 1); section skipped"
        "$sluice" help recompress >&2 || true
        cwd=$big_cwd
        return
    fi
    local rx=() rg=()
    add r_s_xz "sluice recompress --to xz -l 6 -T 2" "$rbytes" "sluice recompress --to xz -l 6 -T 2 $stdout_flag big.gz > sluice.xz"; rx+=(r_s_xz)
    add r_p_xz "gzip -dc | xz -6 -T2" "$rbytes" "gzip -dc big.gz | xz -6 -T2 > pipe.xz"; rx+=(r_p_xz)
    add r_s_gz "sluice recompress --to $gz_name -l 6 -T 2" "$rbytes" "sluice recompress --to $gz_name -l 6 -T 2 $stdout_flag big.gz > sluice.gz"; rg+=(r_s_gz)
    if have pigz; then add r_p_gz "gzip -dc | pigz -6 -p2" "$rbytes" "gzip -dc big.gz | pigz -6 -p2 > pigz.gz"; rg+=(r_p_gz); fi
    add r_g_gz "gzip -dc | gzip -6" "$rbytes" "gzip -dc big.gz | gzip -6 > gzip.gz"; rg+=(r_g_gz)

    bench xz "gzip -6 → xz -6, 2 threads" "${rx[@]}"
    bench gz "gzip -6 → gzip -6, 2 threads" "${rg[@]}"

    local name
    for name in sluice.xz pipe.xz sluice.gz pigz.gz gzip.gz; do
        [[ -f $cwd/$name ]] && fact "size_$name" "$(stat -c %s "$cwd/$name")" "bytes in $name"
    done
    fact sluice_xz_ok "$(same_as_log 'xz -dc sluice.xz')" "xz -dc sluice.xz reproduces the log"
    fact sluice_gz_ok "$(same_as_log 'gzip -dc sluice.gz')" "gzip -dc sluice.gz reproduces the log"
    have pigz && fact sluice_gz_pigz_ok "$(same_as_log 'pigz -dc sluice.gz')" "pigz -dc sluice.gz reproduces the log"
    fact sluice_xz_blocks "$(xz_blocks "$cwd/sluice.xz")" "xz blocks in sluice.xz"

    say "recompress: peak RSS"
    rss_of "${rx[@]}" "${rg[@]}"
    # Each side of the pipelines on its own, to show which process is the largest.
    local ta="$run/.ta" tb="$run/.tb"
    (cd "$cwd" && /usr/bin/time -f %M -o "$ta" gzip -dc big.gz | /usr/bin/time -f %M -o "$tb" xz -6 -T2 > /dev/null) || true
    local both="/usr/bin/time -f %M -o A gzip -dc big.gz | /usr/bin/time -f %M -o B xz -6 -T2 > /dev/null"
    printf '%s\t%s\t%s\t%s\t%s\n' p_gzip "gzip -dc, left of the xz pipeline (A)" "$(tail -n1 "$ta")" "$both" "each side on its own" >> "$run/rss.tsv"
    printf '%s\t%s\t%s\t%s\t%s\n' p_xz "xz -6 -T2, right of the pipeline (B)" "$(tail -n1 "$tb")" "$both" "each side on its own" >> "$run/rss.tsv"
    if have pigz; then
        (cd "$cwd" && gzip -dc big.gz | /usr/bin/time -f %M -o "$tb" pigz -6 -p2 > /dev/null) || true
        printf '%s\t%s\t%s\t%s\t%s\n' p_pigz "pigz -6 -p2, right of the pigz pipeline" "$(tail -n1 "$tb")" \
            "gzip -dc big.gz | /usr/bin/time -f %M pigz -6 -p2 > /dev/null" "each side on its own" >> "$run/rss.tsv"
    fi
    rss floor "sluice --version (the binary's floor)" "sluice --version > /dev/null"
    local sm="../$small_label/big.gz" bg="../$size_label/big.gz"
    rss rx_small "recompress --to xz, $small_label input" "sluice recompress --to xz -l 6 -T 2 $stdout_flag $sm > /dev/null"
    rss rx_big "recompress --to xz, $size_label input" "sluice recompress --to xz -l 6 -T 2 $stdout_flag $bg > /dev/null"
    rss rg_small "recompress --to $gz_name, $small_label input" "sluice recompress --to $gz_name -l 6 -T 2 $stdout_flag $sm > /dev/null"
    rss rg_big "recompress --to $gz_name, $size_label input" "sluice recompress --to $gz_name -l 6 -T 2 $stdout_flag $bg > /dev/null"

    check ratio r_s_xz r_p_xz 1.0
    check rss_le r_s_xz r_p_xz "peak RSS ≤ the pipeline's largest process"
    check ratio r_s_gz r_p_gz 1.0
    check fact_ratio size_sluice.gz size_pigz.gz 1.01 "output size within 1% of pigz's"
    check fact_true sluice_xz_ok "xz -dc of sluice's .xz reproduces the input"
    check fact_true sluice_gz_ok "gzip -dc of sluice's .gz reproduces the input"
    check rss_same rg_small rg_big 1 "flat in the input size"
    check rss_same rx_small rx_big 1 "flat in the input size: Sluice's xz -6 -T2 blocks are 4 MiB (half the dictionary), so both threads reach their full working set within 8 MiB of input"
    check rss_same r_s_xz rx_big 1 "$rsize_label vs $size_label, the same"
    note "The xz pipeline's peak RSS is that of its largest process: \`/usr/bin/time sh -c 'gzip -dc big.gz | xz -6 -T2 > pipe.xz'\` reports the maximum over the shell and its children (Linux ru_maxrss of waited-for descendants), not their sum; both sides are also measured separately in the memory table."
    finish
    cwd=$big_cwd
    log_bytes=$big_bytes
}

for s in ${sections//,/ }; do
    "section_$s"
done
say "done: reports in ${out#"$root"/}/"
