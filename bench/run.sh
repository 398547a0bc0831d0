#!/usr/bin/env bash
# run.sh - run the benchmarks and print the table and the targets (the
# benchmark targets listed in BENCHMARKS.md).
#
# For each subject (bench/subjects/SUBJECT.c, one annotated source) it runs
# four builds side by side:
#
#   native     gcc -O2, natively recursive, stack unlimited
#   rewritten  the tool's output of the same source (native first), -O2,
#              64 KiB stack
#   heap       the same with --heap-only
#   hand       SUBJECT_hand.c, an explicit stack written by hand, 64 KiB stack
#   split      the same source with gcc -O2 -fsplit-stack, 64 KiB stack
#
# in rounds: every round runs every subject and variant once at its size N
# (and, but for fib, once more at N/2, for bytes per recursion level), the
# variants in a rotating order, so that a noisy neighbour hurts all variants
# alike. Every run's output must be the same checksum line as the first run
# of that subject at that size (and every run must exit with 0), or the
# script stops with an error. Each round also builds each input alone at
# both sizes, to subtract its memory. Then it runs the native build once
# with its stack measured directly, times the tool on a generated
# 3,000-line file against clang -fsyntax-only, and prints the table and the
# benchmark targets listed in BENCHMARKS.md, met or not.
#
# Programs come from the build (cmake --build build --target bench_programs,
# or scripts/bench.sh, which does everything). Needs bash, awk, gcc, clang.
#
# usage: bench/run.sh [OPTIONS] [SUBJECT...]
#   --bin DIR        the bench programs (default build/bench/bin)
#   --tool FILE      unrecurse (default build/tool/unrecurse)
#   --runtime-lib F  libunrecurse.a (default build/runtime/libunrecurse.a)
#   --work DIR       where the runs leave their files (default build/bench/work)
#   --runs N         timed runs per subject and variant (default 7; the
#                    medians need at least 5 to mean much)
#   --size S=N       run subject S at size N instead of its default
#   --no-tool        skip the tool-speed measurement
#   SUBJECT...       some of: fib list_sum tree_height ackermann parser tail_loop
#                    mixed (default: all)
# UNRECURSE_BENCH_RUNS and UNRECURSE_BENCH_SUBJECTS (space-separated) give
# defaults for --runs and the subjects, for the cmake target `bench`.
#
# Exit status: 0 when everything ran and every checksum agreed (whether or
# not the targets are met), 1 when a run failed or disagreed, 2 on usage.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=$root/build/bench/bin
tool=$root/build/tool/unrecurse
runtime_lib=$root/build/runtime/libunrecurse.a
work=$root/build/bench/work
runs=${UNRECURSE_BENCH_RUNS:-7}
tool_speed=1
subjects=()

all_subjects=(fib list_sum tree_height ackermann parser tail_loop mixed)
variants=(native rewritten heap hand split)

# Per subject: default size, the recursive function, and how its memory is
# measured (deep: bytes per level from N/2 and N; const: constant memory
# expected; none: too shallow to show in RSS).
declare -A size=(
    [fib]=34 [list_sum]=10000000 [tree_height]=1000000
    [ackermann]=10000 [parser]=1000000 [tail_loop]=1000000000 [mixed]=1000000)
declare -A function=(
    [fib]=fib [list_sum]=sum [tree_height]=height
    [ackermann]=ack [parser]=expr [tail_loop]=loop [mixed]=expr)
declare -A memory=(
    [fib]="none" [list_sum]=deep [tree_height]=deep
    [ackermann]=deep [parser]=deep [tail_loop]=const [mixed]=deep)
# mixed is parser.c built with -DPARSER_MIXED.
declare -A base=([mixed]=parser)
declare -A defines=([mixed]=-DPARSER_MIXED)
declare -A stack_kib=([native]=unlimited [rewritten]=64 [heap]=64 [hand]=64 [split]=64)

usage() {
    sed -n '/^# usage:/,/^# Exit status/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

while [ $# -gt 0 ]; do
    case $1 in
    --bin) bin=$2; shift 2 ;;
    --tool) tool=$2; shift 2 ;;
    --runtime-lib) runtime_lib=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --size)
        s=${2%%=*}
        [ -n "${size[$s]+x}" ] && [[ ${2#*=} =~ ^[0-9]+$ ]] || usage
        size[$s]=${2#*=}
        shift 2 ;;
    --no-tool) tool_speed=0; shift ;;
    -h | --help) usage ;;
    -*) echo "run.sh: unknown option $1" >&2; usage ;;
    *)
        [ -n "${size[$1]+x}" ] || { echo "run.sh: unknown subject $1" >&2; usage; }
        subjects+=("$1"); shift ;;
    esac
done
if [ ${#subjects[@]} -eq 0 ]; then
    read -r -a subjects <<<"${UNRECURSE_BENCH_SUBJECTS:-${all_subjects[*]}}"
fi
for s in "${subjects[@]}"; do
    [ -n "${size[$s]+x}" ] || { echo "run.sh: unknown subject $s" >&2; usage; }
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || usage
[ "$runs" -ge 5 ] || echo "run.sh: warning: $runs runs per variant; medians of fewer than 5 are noisy" >&2

launch=$bin/launch
[ -x "$launch" ] || {
    echo "run.sh: $launch is missing: build the programs first" >&2
    echo "run.sh: (cmake --build build --target bench_programs, or scripts/bench.sh)" >&2
    exit 1
}

# Only what this script writes is removed: --work may name any directory.
rm -rf "$work/runs" "$work/ref" "$work/su" "$work/frames" "$work/tool" "$work/results.tsv"
mkdir -p "$work/runs" "$work/ref" "$work/su"
results=$work/results.tsv
: >"$results"

fail() {
    echo >&2
    echo "run.sh: FAILED: $*" >&2
    exit 1
}

# run_one SUBJECT VARIANT KIND SIZE ROUND [input]
# KIND: full (timed), half (size / 2), stack (stack measured), input, input_half.
# Appends: subject variant kind size round call_ns wall_ns rss_kib depth stack_bytes
run_one() {
    local s=$1 v=$2 kind=$3 n=$4 round=$5 mode=${6:-}
    local prog=$bin/$s.$v out err line wall rss status call depth stack ref hwm file cpu
    out=$work/runs/$s.$v.$kind.$round.out
    err=$work/runs/$s.$v.$kind.$round.err
    if [ "$kind" = stack ]; then
        line=$(BENCH_MEASURE_STACK=1 "$launch" "${stack_kib[$v]}" "$out" "$err" "$prog" "$n" $mode)
    else
        line=$("$launch" "${stack_kib[$v]}" "$out" "$err" "$prog" "$n" $mode)
    fi
    read -r wall rss status <<<"$line"
    if [ "$status" != 0 ]; then
        tail -n 5 "$err" >&2 || true
        fail "$s.$v $n${mode:+ $mode} (stack ${stack_kib[$v]} KiB) exited with status $status; see $err"
    fi
    ref=$work/ref/$s.$n${mode:+.$mode}
    if [ ! -f "$ref" ]; then
        cp "$out" "$ref"
        echo "$v" >"$ref.variant"
    elif ! cmp -s "$out" "$ref"; then
        echo "  $(cat "$ref.variant"):" >&2
        sed 's/^/    /' "$ref" >&2
        echo "  $v:" >&2
        sed 's/^/    /' "$out" >&2
        fail "CHECKSUM MISMATCH: $s $n${mode:+ $mode}: $v printed something else than $(cat "$ref.variant")"
    fi
    call=0 depth=0 stack=-1 cpu=0
    line=$(grep '^bench: call_ns=' "$err" || true)
    if [ -n "$line" ]; then
        call=$(sed -n 's/.*call_ns=\([0-9]*\).*/\1/p' <<<"$line")
        depth=$(sed -n 's/.*depth=\([0-9]*\).*/\1/p' <<<"$line")
        stack=$(sed -n 's/.*stack_bytes=\(-\{0,1\}[0-9]*\).*/\1/p' <<<"$line")
        cpu=$(sed -n 's/.*cpu_ns=\([0-9]*\).*/\1/p' <<<"$line")
    elif [ -z "$mode" ]; then
        fail "$s.$v printed no 'bench: call_ns=' line on stderr; see $err"
    fi
    line=$(grep '^bench: hwm_kb=' "$err" || true)
    hwm=$(sed -n 's/.*hwm_kb=\([0-9]*\).*/\1/p' <<<"$line")
    file=$(sed -n 's/.*file_kb=\([0-9]*\).*/\1/p' <<<"$line")
    [ -n "$hwm" ] && [ -n "$file" ] || fail "$s.$v printed no 'bench: hwm_kb=' line on stderr; see $err"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$s" "$v" "$kind" "$n" "$round" \
        "$call" "$wall" "$rss" "$depth" "$stack" "$hwm" $((hwm - file)) "${cpu:-0}" >>"$results"
}

# Which variants were built; the split variant needs gcc -fsplit-stack and gold.
declare -A have=()
for s in "${subjects[@]}"; do
    for v in "${variants[@]}"; do
        if [ -x "$bin/$s.$v" ]; then
            have[$s.$v]=1
        elif [ "$v" != split ]; then
            fail "$bin/$s.$v is missing: build the programs first"
        fi
    done
done

start_time=$(date +%s)
load_start=$(cut -d" " -f1-3 /proc/loadavg 2>/dev/null || echo "?")
echo "run.sh: $runs rounds of: ${subjects[*]}; then memory, stack and tool runs" >&2

# Timed rounds, the variants' order rotating from round to round. Each
# round also runs the subjects at N/2, and their input alone at N and N/2,
# for bytes per level: peak memory varies by some tens of KiB from run to
# run, which matters for the subjects whose recursion takes little memory
# (ackermann), so those are medians over the rounds too.
for ((r = 1; r <= runs; r++)); do
    printf 'run.sh: round %d/%d:' "$r" "$runs" >&2
    for s in "${subjects[@]}"; do
        printf ' %s' "$s" >&2
        for ((k = 0; k < ${#variants[@]}; k++)); do
            v=${variants[$(((k + r - 1) % ${#variants[@]}))]}
            [ -n "${have[$s.$v]:-}" ] || continue
            run_one "$s" "$v" full "${size[$s]}" "$r"
            if [ "${memory[$s]}" != none ]; then
                run_one "$s" "$v" half $((size[$s] / 2)) "$r"
            fi
        done
        if [ "${memory[$s]}" = deep ]; then
            run_one "$s" native input "${size[$s]}" "$r" input
            run_one "$s" native input_half $((size[$s] / 2)) "$r" input
        fi
    done
    echo >&2
done

# The native stack measured directly.
echo "run.sh: native stack" >&2
for s in "${subjects[@]}"; do
    run_one "$s" native stack "${size[$s]}" 1
done

# The static frame gcc gives the recursive function (-fstack-usage: the
# machine frame, return address included, of one activation of the
# function as compiled, which may cover several source levels if gcc
# inlined the function into itself).
for s in "${subjects[@]}"; do
    if gcc -O2 -fstack-usage -I"$root/runtime" -I"$root/bench/subjects" ${defines[$s]:-} \
        -c "$root/bench/subjects/${base[$s]:-$s}.c" -o "$work/su/$s.o" 2>/dev/null; then
        f=$(awk -F'\t' -v f="${function[$s]}" '{ n = split($1, a, ":") } a[n] == f { print $2 }' \
            "$work/su/$s.su")
        printf '%s\tnative\tframe\t0\t1\t0\t0\t0\t0\t%s\t0\t0\t0\n' "$s" "${f:-0}" >>"$results"
    fi
done

# The heap frame of the rewritten function: sizeof its frame struct
# (FUNCTION__frame in the tool's output), which the runtime pushes as is,
# one per active call. Found by compiling the tool's output with a main()
# of our own that prints it; skipped if the tool names it otherwise.
mkdir -p "$work/frames"
for s in "${subjects[@]}"; do
    f=${function[$s]}
    out=$work/frames/$s
    "$tool" "$root/bench/subjects/${base[$s]:-$s}.c" -o "$out.c" -- -I"$root/bench/subjects" \
        ${defines[$s]:-} 2>/dev/null || fail "$tool rejected bench/subjects/${base[$s]:-$s}.c"
    printf '\n#undef main\nint main(void)\n{\n    printf("%%zu\\n", sizeof(struct %s__frame));\n    return 0;\n}\n' \
        "$f" >>"$out.c"
    if gcc -Dmain=bench_subject_main -I"$root/runtime" -I"$root/bench/subjects" ${defines[$s]:-} "$out.c" \
        "$runtime_lib" -pthread -o "$out" 2>/dev/null; then
        printf '%s\trewritten\tframe\t0\t1\t0\t0\t0\t0\t%s\t0\t0\t0\n' "$s" "$("$out")" >>"$results"
    fi
done

# Tool speed on a generated file, interleaved with clang's own parse.
tool_note=""
if [ "$tool_speed" = 1 ]; then
    echo "run.sh: tool speed" >&2
    big=$work/tool/generated.c
    mkdir -p "$work/tool"
    bash "$root/bench/gen_source.sh" >"$big"
    big_lines=$(wc -l <"$big")
    clang=$(command -v clang || true)
    [ -n "$clang" ] || fail "clang is needed for the tool-speed line"
    # First check that the rewritten file computes what the original does.
    "$tool" "$big" -o "$work/tool/generated.rewritten.c" -- -I"$root/runtime" \
        2>"$work/tool/tool.err" || {
        cat "$work/tool/tool.err" >&2
        fail "$tool rejected $big"
    }
    # The tool's output must compile without warnings at -std=c99 -Wall
    # -Wextra (the end-to-end tests build it with -Werror); so does the
    # generated file itself.
    flags=(-std=c99 -O2 -Wall -Wextra -I"$root/runtime")
    gcc "${flags[@]}" "$big" -o "$work/tool/generated.native" 2>"$work/tool/gcc.original.err" ||
        fail "gcc cannot compile $big; see $work/tool/gcc.original.err"
    gcc "${flags[@]}" "$work/tool/generated.rewritten.c" "$runtime_lib" -pthread \
        -o "$work/tool/generated.rewritten" 2>"$work/tool/gcc.rewritten.err" ||
        fail "gcc cannot compile the rewritten $big; see $work/tool/gcc.rewritten.err"
    "$clang" "${flags[@]}" -c "$work/tool/generated.rewritten.c" -o "$work/tool/clang.o" \
        2>"$work/tool/clang.rewritten.err" ||
        fail "clang cannot compile the rewritten $big; see $work/tool/clang.rewritten.err"
    warnings() { grep -c 'warning:' "$1" || true; }
    tool_note="-std=c99 -O2 -Wall -Wextra: $(warnings "$work/tool/gcc.original.err") gcc warnings on the original file, $(warnings "$work/tool/gcc.rewritten.err") gcc and $(warnings "$work/tool/clang.rewritten.err") clang warnings on the rewritten one ($work/tool/*.err)"
    "$work/tool/generated.native" >"$work/tool/native.out"
    (ulimit -s 64 && "$work/tool/generated.rewritten") >"$work/tool/rewritten.out" ||
        fail "the rewritten $big failed"
    cmp -s "$work/tool/native.out" "$work/tool/rewritten.out" ||
        fail "CHECKSUM MISMATCH: the rewritten $big prints $(cat "$work/tool/rewritten.out"), the original $(cat "$work/tool/native.out")"
    for ((r = 1; r <= runs; r++)); do
        line=$("$launch" - "$work/tool/t.out" "$work/tool/t.err" \
            "$tool" "$big" -o "$work/tool/timed.rewritten.c" -- -I"$root/runtime")
        read -r wall rss status <<<"$line"
        [ "$status" = 0 ] || fail "$tool $big exited with $status"
        printf 'tool\tunrecurse\tfull\t%s\t%s\t%s\t%s\t%s\t0\t-1\t%s\t0\t0\n' "$big_lines" "$r" "$wall" "$wall" "$rss" "$rss" >>"$results"
        line=$("$launch" - "$work/tool/c.out" "$work/tool/c.err" \
            "$clang" -fsyntax-only -I"$root/runtime" "$big")
        read -r wall rss status <<<"$line"
        [ "$status" = 0 ] || fail "clang -fsyntax-only $big exited with $status"
        printf 'tool\tclang\tfull\t%s\t%s\t%s\t%s\t%s\t0\t-1\t%s\t0\t0\n' "$big_lines" "$r" "$wall" "$wall" "$rss" "$rss" >>"$results"
    done
fi

# The machine, then the report.
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo
echo "unrecurse benchmarks - $(date -u '+%Y-%m-%d %H:%M UTC'), $(($(date +%s) - start_time)) s"
echo "machine: $(nproc) CPUs, ${cpu:-unknown CPU}, $(uname -sr)"
echo "load average (1, 5, 15 min): $load_start at the start, $(cut -d" " -f1-3 /proc/loadavg 2>/dev/null || echo "?") at the end"
if rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null); then
    git -C "$root" diff --quiet HEAD -- tool runtime bench 2>/dev/null ||
        rev="$rev, with uncommitted changes in tool/, runtime/ or bench/"
    echo "source: git $rev"
fi
echo "gcc: $(gcc --version | head -n 1)"
[ "$tool_speed" = 1 ] && echo "clang: $("$clang" --version | head -n 1)"
echo "runs: $runs per variant (median); sizes: $(for s in "${subjects[@]}"; do printf '%s=%s ' "$s" "${size[$s]}"; done)"
echo


awk -F'\t' -v subjects="${subjects[*]}" -v variants="${variants[*]}" \
    -v memory_kinds="$(for s in "${subjects[@]}"; do printf '%s=%s ' "$s" "${memory[$s]}"; done)" \
    -v functions="$(for s in "${subjects[@]}"; do printf '%s=%s ' "$s" "${function[$s]}"; done)" \
    -v tool_note="$tool_note" -f "$root/bench/report.awk" "$results"
