#!/usr/bin/env bash
# run.sh - random-program differential tester of the unrecurse tool.
#
# usage: run.sh TOOL RUNTIME_INCLUDE_DIR RUNTIME_LIB GEN FIRST_SEED COUNT [WORK_DIR]
#
# For each seed FIRST_SEED .. FIRST_SEED+COUNT-1:
#  1. GEN SEED $GEN_OPTIONS writes a random recursive program (gen.c);
#  2. the program is compiled natively with gcc -std=c99 -O1 -Wall -Wextra
#     -Werror: it must be warning-free, or the generator is at fault;
#  3. TOOL rewrites it: exit status 0, no warning, and the same bytes when
#     run a second time (a program whose line says `warns=via-cycle` has a
#     function that recurses only through an unannotated via_ helper: the
#     tool must warn of that cycle, and of nothing else);
#  4. the rewritten file is compiled with gcc -std=c99 -O1 -Wall -Wextra
#     -Werror, and also with gcc -O2 and with clang -O1 (these two: apart
#     from warnings they also give on the original, which are the
#     generator's).
#     A warning is a failure, but the outputs are still compared (with the
#     build made without -Werror);
#  5. both builds run at the small sizes of the program's
#     `unrecurse-random: small=... deep=N` line (default stack), then at the
#     deep size: the original on an unlimited stack, the rewritten one under
#     `ulimit -s 64`; standard output and exit status must match byte for
#     byte.
# In a sanitized build tree ($UNRECURSE_TEST_SANITIZE, see tests/lib.sh) the
# tool runs under its sanitizers, the two builds that run are compiled with
# them, and a sanitizer report in any run is a failure.
# A failing seed keeps everything in WORK_DIR/failures/SEED/ (the program,
# the rewritten file, logs, outputs, and REASON); passing seeds leave
# nothing (failures/ is emptied when a run starts). One line is printed per
# failure, then the kinds of failure with their counts, and a last line
#     N passed, M failed
# and the exit status is 1 if M > 0.
#
# Environment:
#   GEN_OPTIONS        options for GEN, e.g. "--mutual" or "--disable=goto"
#   TOOL_OPTIONS       options for TOOL, e.g. "--heap-only"
#   JOBS               programs run in parallel (default 2)
#   CC_GCC, CC_CLANG   compilers (default gcc, clang; CC_CLANG=none skips it)
#   RANDOM_TIMEOUT     seconds per compile or run (default 60)
#
# From the build tree (see tests/random/README.md):
#   ctest -R random.quick              a fixed set of seeds, under a minute
#   cmake --build build --target random-long
#                                      RANDOM_LONG_COUNT seeds (default 10000),
#                                      a cache variable; work in
#                                      build/tests/random/long/
# WORK_DIR defaults to ./random-work.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

usage() {
    echo "usage: $0 TOOL RUNTIME_INCLUDE_DIR RUNTIME_LIB GEN FIRST_SEED COUNT [WORK_DIR]" >&2
    exit 2
}

run_timeout=${RANDOM_TIMEOUT:-60}
cflags=(-std=c99 -O1 ${sanitize[@]+"${sanitize[@]}"})

# ---- one seed (run by the workers: run.sh --one ... SEED) ----

# The -Wno-FLAG options for every warning FLAG in a compiler log.
allowed_warnings() {
    grep -o '\[-W[a-z0-9=-]*\]' "$1" 2>/dev/null | sort -u |
        sed 's/^\[-W\([^]=]*\).*\]$/-Wno-\1/'
}

# The verdict on one seed. These use one()'s locals (bash scoping is
# dynamic): dir, work, seed and the list of reasons.

# Stops at once: nothing more can be checked. Reasons noted so far and
# this one are printed.
fail() {
    reasons+=("$1")
    finish
}
# Notes a failure and goes on checking (a warning in the rewritten file
# does not keep its output from being compared).
note() {
    reasons+=("$1")
}
finish() {
    if [ "${#reasons[@]}" -eq 0 ]; then
        rm -rf "$dir"
        echo "PASS seed $seed"
        exit 0
    fi
    printf '%s\n' "${reasons[@]}" >"$dir/REASON"
    mkdir -p "$work/failures"
    rm -rf "$work/failures/$seed"
    mv "$dir" "$work/failures/$seed"
    local joined
    joined=$(printf '%s; ' "${reasons[@]}")
    echo "FAIL seed $seed: ${joined%; }"
    exit 1
}
first_error() { # LOG: its first error or warning line, without the path
    grep -m1 -E 'error|warning' "$1" | sed 's|^[^ ]*/||' | head -c 300
}

one() {
    local tool=$1 include=$2 lib=$3 gen=$4 work=$5 seed=$6
    local dir=$work/work/$seed
    rm -rf "$dir"
    mkdir -p "$dir"
    local p=$dir/p$seed
    local -a reasons=()

    # shellcheck disable=SC2086 # GEN_OPTIONS is a list of options
    if ! "$gen" "$seed" ${GEN_OPTIONS:-} >"$p.c" 2>"$p.gen.log"; then
        fail "generator failed: $(head -c 200 "$p.gen.log")"
    fi
    local spec small deep
    spec=$(grep -m1 -o 'unrecurse-random:.*' "$p.c")
    small=$(sed -n 's/.*small=\([0-9,]*\).*/\1/p' <<<"$spec")
    deep=$(sed -n 's/.*deep=\([0-9]*\).*/\1/p' <<<"$spec")

    # The original: warning-free, or the program is not known to be clean.
    # One exception: gcc 12's -Wmaybe-uninitialized has false positives on
    # these programs (an initialized `seen` passed as a const pointer, seed
    # 100369); when it is the only warning, it is allowed on both files.
    local -a allow_o1=()
    # (Linked with the runtime: built without the tool, a program that
    # starts tasks still calls it.)
    if ! timeout "$run_timeout" "$gcc" "${cflags[@]}" "${strict[@]}" -I "$include" "$p.c" \
        "$lib" -pthread -o "$p.native" >"$p.native.log" 2>&1; then
        timeout "$run_timeout" "$gcc" "${cflags[@]}" -Wall -Wextra -I "$include" "$p.c" \
            "$lib" -pthread -o "$p.native" >"$p.native-warnings.log" 2>&1
        if [ "$(allowed_warnings "$p.native-warnings.log")" = -Wno-maybe-uninitialized ] &&
            timeout "$run_timeout" "$gcc" "${cflags[@]}" "${strict[@]}" -Wno-maybe-uninitialized \
                -I "$include" "$p.c" "$lib" -pthread -o "$p.native" >/dev/null 2>&1; then
            allow_o1=(-Wno-maybe-uninitialized)
        else
            fail "generator: the original does not compile warning-free with gcc: $(first_error "$p.native.log")"
        fi
    fi

    # The rewrite: exit status 0, no warning, the same bytes twice.
    local rc=0
    # The braces keep the shell's own "Segmentation fault" notice quiet.
    { timeout "$run_timeout" "$tool" ${TOOL_OPTIONS:-} "$p.c" -o "$p.rewritten.c" 2>"$p.tool.log" || rc=$?; } 2>/dev/null
    if [ "$rc" -eq 1 ]; then
        fail "tool rejected the program: $(grep -a -m1 'error:' "$p.tool.log" | sed 's|^[^ ]*/||')"
    elif [ "$rc" -ne 0 ]; then
        fail "tool failed: $(describe "$rc"): $(head -n1 "$p.tool.log")"
    fi
    # warns=via-cycle: a function recurses only through a via_ helper,
    # which the tool must say (and nothing else).
    local via_warning="warning: '[a-z0-9]*' is on a recursion cycle through ('via_[a-z0-9]*'(, )?)+, which (is|are) not marked for rewriting"
    if [[ $spec == *warns=via-cycle* ]]; then
        if ! grep -aqE "$via_warning" "$p.tool.log"; then
            note "tool did not warn of a cycle through a via_ helper"
        fi
        if grep -a 'warning:' "$p.tool.log" | grep -aqvE "$via_warning"; then
            note "tool warned: $(grep -a 'warning:' "$p.tool.log" | grep -avE "$via_warning" |
                head -n1 | sed 's|^[^ ]*/||')"
        fi
    elif grep -aq 'warning:' "$p.tool.log"; then
        note "tool warned: $(grep -a -m1 'warning:' "$p.tool.log" | sed 's|^[^ ]*/||')"
    fi
    { timeout "$run_timeout" "$tool" ${TOOL_OPTIONS:-} "$p.c" -o "$p.rewritten-again.c" 2>/dev/null; } 2>/dev/null
    if ! cmp -s "$p.rewritten.c" "$p.rewritten-again.c"; then
        note "tool output is not deterministic: two runs differ"
    fi
    rm -f "$p.rewritten-again.c"

    # Compile the rewritten file: gcc -O1 (run), gcc -O2, clang.
    if ! timeout "$run_timeout" "$gcc" "${cflags[@]}" "${strict[@]}" "${allow_o1[@]}" -I "$include" "$p.rewritten.c" \
        "$lib" -pthread -o "$p.rewritten" >"$p.rewritten.log" 2>&1; then
        if timeout "$run_timeout" "$gcc" "${cflags[@]}" -I "$include" "$p.rewritten.c" \
            "$lib" -pthread -o "$p.rewritten" >/dev/null 2>&1; then
            note "rewritten: gcc -O1 warns: $(first_error "$p.rewritten.log")"
        else
            fail "rewritten: gcc -O1 does not compile it: $(first_error "$p.rewritten.log")"
        fi
    fi
    # gcc -O2 and clang: warnings they also give on the original are the
    # generator's (it is only checked with gcc -O1).
    local -a allow
    if ! timeout "$run_timeout" "$gcc" -std=c99 -O2 "${strict[@]}" -I "$include" -c "$p.rewritten.c" \
        -o "$p.rewritten-O2.o" >"$p.rewritten-O2.log" 2>&1; then
        timeout "$run_timeout" "$gcc" -std=c99 -O2 -Wall -Wextra -I "$include" -c "$p.c" \
            -o "$p.native-O2.o" >"$p.native-O2.log" 2>&1
        mapfile -t allow < <(allowed_warnings "$p.native-O2.log")
        local rc_o2=0
        timeout "$run_timeout" "$gcc" -std=c99 -O2 "${strict[@]}" "${allow[@]}" -I "$include" \
            -c "$p.rewritten.c" -o "$p.rewritten-O2.o" >"$p.rewritten-O2.log" 2>&1 || rc_o2=$?
        if [ "$rc_o2" -eq 124 ]; then
            note "rewritten: gcc -O2 took more than ${run_timeout}s to compile it"
        elif [ "$rc_o2" -ne 0 ]; then
            note "rewritten: gcc -O2 warns: $(first_error "$p.rewritten-O2.log")"
        fi
    fi
    if [ "$clang" != none ] &&
        ! timeout "$run_timeout" "$clang" "${cflags[@]}" "${strict[@]}" -I "$include" \
            -c "$p.rewritten.c" -o "$p.rewritten-clang.o" >"$p.rewritten-clang.log" 2>&1; then
        timeout "$run_timeout" "$clang" "${cflags[@]}" -Wall -Wextra -I "$include" -c "$p.c" \
            -o "$p.native-clang.o" >"$p.native-clang.log" 2>&1
        mapfile -t allow < <(allowed_warnings "$p.native-clang.log")
        if ! timeout "$run_timeout" "$clang" "${cflags[@]}" "${strict[@]}" "${allow[@]}" \
            -I "$include" -c "$p.rewritten.c" -o "$p.rewritten-clang.o" \
            >"$p.rewritten-clang.log" 2>&1; then
            note "rewritten: clang -O1 warns: $(first_error "$p.rewritten-clang.log")"
        fi
    fi
    rm -f "$p".*.o

    # Small sizes, default stack; then deep: the original on an unlimited
    # stack, the rewritten one on 64 KiB. The first difference stops it.
    local n
    IFS=, read -r -a sizes <<<"$small"
    for n in "${sizes[@]}"; do
        run_with_stack default "$p.small-$n.native" "$p.native" "$n"
        run_with_stack default "$p.small-$n.rewritten" "$p.rewritten" "$n"
        compare "$p.small-$n" "size $n" || finish
    done
    if [ -n "$deep" ]; then
        run_with_stack unlimited "$p.deep-$deep.native" "$p.native" "$deep"
        run_with_stack "$small_stack" "$p.deep-$deep.rewritten" "$p.rewritten" "$deep"
        compare "$p.deep-$deep" "deep size $deep, rewritten with a ${small_stack} KiB stack" ||
            finish
    fi
    finish
}

# compare BASE LABEL: BASE.native.* against BASE.rewritten.*; notes a
# difference and returns 1.
compare() {
    local base=$1 label=$2 a b report
    a=$(cat "$base.native.status")
    b=$(cat "$base.rewritten.status")
    if abnormal "$a"; then
        fail "generator: $label: the original was $(describe "$a")"
    fi
    if report=$(sanitizer_report "$base.native.stderr"); then
        fail "generator: $label: the original: ${report:0:200}"
    fi
    if report=$(sanitizer_report "$base.rewritten.stderr"); then
        note "$label: the rewritten program: ${report:0:200}"
        return 1
    fi
    if [ "$a" != "$b" ]; then
        note "$label: the original gave $(describe "$a"), the rewritten $(describe "$b")"
        return 1
    fi
    if ! cmp -s "$base.native.stdout" "$base.rewritten.stdout"; then
        note "$label: output differs: $(diff "$base.native.stdout" "$base.rewritten.stdout" | grep -m1 '^>' | head -c 160)"
        return 1
    fi
}

if [ "${1:-}" = --one ]; then
    shift
    [ $# -eq 6 ] || usage
    one "$@"
    exit $?
fi

# ---- the driver ----

[ $# -eq 6 ] || [ $# -eq 7 ] || usage
tool=$1 include=$2 lib=$3 gen=$4 first=$5 count=$6 work=${7:-random-work}
for f in "$tool" "$lib" "$gen"; do
    [ -e "$f" ] || { echo "run.sh: $f does not exist (is the project built?)" >&2; exit 2; }
done
case $first$count in
    *[!0-9]*) usage ;;
esac
mkdir -p "$work"
work=$(cd "$work" && pwd)
rm -rf "$work/work" "$work/failures"
self=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
export CC_GCC="$gcc" CC_CLANG="$clang" RANDOM_TIMEOUT="$run_timeout" GEN_OPTIONS="${GEN_OPTIONS:-}" \
    TOOL_OPTIONS="${TOOL_OPTIONS:-}"

passed=0 failed=0 done=0
while IFS= read -r line; do
    case $line in
        PASS*) passed=$((passed + 1)) ;;
        FAIL*) failed=$((failed + 1)); echo "$line" ;;
        *) echo "$line" ;;
    esac
    done=$((done + 1))
    if [ "$count" -ge 1000 ] && [ $((done % 500)) -eq 0 ]; then
        echo "run.sh: $done/$count programs, $failed failed" >&2
    fi
done < <(seq "$first" $((first + count - 1)) |
    xargs -P "${JOBS:-2}" -n 1 bash "$self" --one "$tool" "$include" "$lib" "$gen" "$work")
rmdir "$work/work" 2>/dev/null
# The kinds of failure, most frequent first: reasons with file positions,
# names and numbers blanked out.
if [ "$failed" -gt 0 ]; then
    echo "failures by kind (a seed may count under several):"
    cat "$work"/failures/*/REASON 2>/dev/null |
        sed -E 's/p[0-9]+\.(rewritten\.)?c:[0-9]+:[0-9]+: //; s/‘[^’]*’/‘X’/g;'"s/'[^']*'/'X'/g"'; s/[0-9]+/N/g' |
        cut -c1-160 | sort | uniq -c | sort -rn | sed 's/^/  /'
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
