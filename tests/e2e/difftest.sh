#!/usr/bin/env bash
# difftest.sh - differential end-to-end test of one program.
#
# usage: difftest.sh TOOL RUNTIME_INCLUDE_DIR RUNTIME_LIB PROGRAM WORK_DIR
#
# PROGRAM is a .c file, or a directory of .c files (and headers) that make
# one program: each file is rewritten on its own, then all are linked.
# PROGRAM.c carries a line
#     unrecurse-test: small=SET[,SET...] deep=SET[,SET...]
# where a SET is the program's arguments, separated by ':' when there are
# several (e.g. small=0,10,3:4). deep=none followed by a reason skips the deep
# part (only for exponential programs, which can't reach a large depth).
# Optional lines:
#     unrecurse-args: OPTIONS       the tool's options (e.g. --all for legacy
#                                   code without annotations), per file, given
#                                   after the file: they may end with
#                                   "-- CLANG_ARGS"
#     unrecurse-warning: TEXT       a warning the tool must give, one line
#                                   each (without one, it must give none)
#     unrecurse-also-cflags: FLAGS  more options to compile the rewritten
#                                   program with, warning-free (e.g. -O1)
#
# The test:
#  1. rewrites PROGRAM.c with TOOL into WORK_DIR (fails unless it exits 0);
#     each line of the tool's standard error with "warning:" must contain
#     the TEXT of an unrecurse-warning line, and each TEXT must be in one;
#  2. compiles the original (gcc -O2 -std=c99) and the rewritten file with
#     gcc and with clang at -O2 -std=c99 -Wall -Wextra -Werror (and again
#     with the FLAGS of an unrecurse-also-cflags line added, if any);
#  3. for each small SET, runs the three builds and compares their standard
#     output and exit status byte for byte with the original's;
#  4. for each deep SET, runs the original natively under an unlimited stack
#     for the expected output, then the rewritten gcc build under a 64 KiB
#     stack (ulimit -s 64), and compares. The original must also be killed by
#     a signal (a stack overflow: SIGSEGV) when run at that SET under the same
#     64 KiB stack, or the deep run proves nothing and the test fails: a
#     program gcc turns into a loop (tail calls, accumulators) needs a
#     recursion it cannot remove, and a deep SET must be deep enough.
# In a sanitized build tree ($UNRECURSE_TEST_SANITIZE, see tests/lib.sh) the
# tool runs under its sanitizers, the original and the rewritten builds are
# compiled with them, and a sanitizer report in any run fails the test, be
# the exit statuses what they may; an original built so may also die of a
# stack overflow through AddressSanitizer's report instead of a signal.
# Everything it produced stays in WORK_DIR for inspection. Exits 0 when every
# comparison matched, 1 otherwise.
#
# Environment: CC_GCC, CC_CLANG (compilers, default gcc and clang),
# UNRECURSE_TEST_TIMEOUT (seconds per run, default 60),
# UNRECURSE_TEST_TOOL_ARGS (options for every run of the tool, before the
# program's own: --heap-only for the e2e_heap tests).
set -euo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

if [ $# -ne 5 ]; then
    echo "usage: $0 TOOL RUNTIME_INCLUDE_DIR RUNTIME_LIB PROGRAM.c WORK_DIR" >&2
    exit 2
fi
tool=$1 include=$2 lib=$3 program=$4 work=$5
run_timeout=${UNRECURSE_TEST_TIMEOUT:-60}
cflags=(-O2 -std=c99 ${sanitize[@]+"${sanitize[@]}"})

# A directory is a program of several files, each rewritten on its own
# and then linked together; the file with the unrecurse-test line is main.
sources=("$program")
extra=()
if [ -d "$program" ]; then
    sources=("$program"/*.c)
    extra=(-I "$program")
fi
name=$(basename "$program" .c)
failures=0

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# Stops at once: nothing more can be compared.
die() {
    echo "FAIL: $*"
    echo "difftest $name: FAILED"
    exit 1
}

for f in "$tool" "$program" "$lib"; do
    [ -e "$f" ] || die "$f does not exist (is the project built?)"
done

spec=$(test_spec "${sources[@]}")
[ -n "$spec" ] || die "$program has no 'unrecurse-test: small=... deep=...' line"
small=$(spec_value "$spec" small)
deep=$(spec_value "$spec" deep)
[ -n "$small" ] || die "$program: no small=SETS in '$spec'"
[ -n "$deep" ] || die "$program: no deep=SETS (or deep=none REASON) in '$spec'"
if [ "$deep" = none ] && ! grep -q 'deep=none[[:space:]]*[^[:space:]]' <<<"$spec"; then
    die "$program: deep=none needs a reason after it"
fi

mkdir -p "$work"
rm -f "$work/$name".*

# same EXPECTED ACTUAL LABEL: compares two runs' stdout and exit status.
same() {
    local exp=$1 act=$2 label=$3 rc_exp rc_act report
    rc_exp=$(cat "$exp.status")
    rc_act=$(cat "$act.status")
    if report=$(sanitizer_report "$act.stderr"); then
        fail "$label: $report"
    elif cmp -s "$exp.stdout" "$act.stdout" && [ "$rc_exp" = "$rc_act" ]; then
        return 0
    else
        fail "$label differs from the original"
    fi
    if [ "$rc_exp" != "$rc_act" ]; then
        echo "  expected $(describe "$rc_exp"), got $(describe "$rc_act")"
    fi
    if ! cmp -s "$exp.stdout" "$act.stdout"; then
        echo "  standard output (--- expected, +++ got):"
        diff -u --label expected --label got "$exp.stdout" "$act.stdout" | head -n 40 | sed 's/^/  /'
    fi
    if [ -s "$act.stderr" ]; then
        echo "  its standard error:"
        head -n 20 "$act.stderr" | sed 's/^/  | /'
    fi
    return 1
}

echo "difftest $name: $program"

# 1. Rewrite, with the options of an "unrecurse-args: ..." line if any
# (legacy programs select their functions with --all or --function).
rewritten=()
: >"$work/$name.tool.stderr"
for source in "${sources[@]}"; do
    out=$work/$(basename "$source" .c).rewritten.c
    read -r -a tool_args <<<"${UNRECURSE_TEST_TOOL_ARGS:-} $(grep -m1 -o 'unrecurse-args:.*' "$source" | sed 's/^unrecurse-args://' || true)"
    rc=0
    # After the file: OPTIONS may end with "-- CLANG_ARGS".
    "$tool" "$source" -o "$out" ${tool_args[@]+"${tool_args[@]}"} 2>"$work/$name.tool.one" || rc=$?
    if [ -s "$work/$name.tool.one" ]; then
        echo "  the tool said:"
        sed 's/^/  | /' "$work/$name.tool.one"
        cat "$work/$name.tool.one" >>"$work/$name.tool.stderr"
    fi
    rm -f "$work/$name.tool.one"
    [ "$rc" -eq 0 ] || die "$tool $source -o $out: $(describe "$rc")"
    [ -s "$out" ] || die "the tool exited 0 but wrote no $out"
    echo "  rewrote: $tool $source -o $out${tool_args[*]+ ${tool_args[*]}}"
    rewritten+=("$out")
done

# The tool's warnings: those of the unrecurse-warning lines, no other.
mapfile -t expected_warnings < <(cat "${sources[@]}" | sed -n 's/.*unrecurse-warning:[[:space:]]*//p')
while IFS= read -r line; do
    known=0
    for text in ${expected_warnings[@]+"${expected_warnings[@]}"}; do
        case $line in *"$text"*) known=1 ;; esac
    done
    [ "$known" -eq 1 ] || fail "the tool gave a warning no unrecurse-warning line expects: $line"
done < <(grep -a 'warning:' "$work/$name.tool.stderr" || true)
for text in ${expected_warnings[@]+"${expected_warnings[@]}"}; do
    if grep -a 'warning:' "$work/$name.tool.stderr" | grep -aqF -- "$text"; then
        echo "  the tool warned as expected: ...$text..."
    else
        fail "the tool did not give the expected warning: ...$text..."
    fi
done

# 2. Compile.
compile() {
    local label=$1 log=$2
    shift 2
    if ! "$@" >"$log" 2>&1; then
        echo "  $*"
        sed 's/^/  | /' "$log" | head -n 60
        die "compiling $label failed"
    fi
}
# (The original links the runtime too: built without the tool, a program
# that uses tasks or generators still calls it.)
compile original "$work/$name.original.log" \
    "$gcc" "${cflags[@]}" -I "$include" ${extra[@]+"${extra[@]}"} "${sources[@]}" \
    "$lib" -pthread -o "$work/$name.original"
compile "rewritten with gcc" "$work/$name.gcc.log" \
    "$gcc" "${cflags[@]}" "${strict[@]}" -I "$include" ${extra[@]+"${extra[@]}"} \
    "${rewritten[@]}" "$lib" -pthread -o "$work/$name.gcc"
compile "rewritten with clang" "$work/$name.clang.log" \
    "$clang" "${cflags[@]}" "${strict[@]}" -I "$include" ${extra[@]+"${extra[@]}"} \
    "${rewritten[@]}" "$lib" -pthread -o "$work/$name.clang"
echo "  compiled: original (gcc), rewritten (gcc and clang, ${strict[*]} ${cflags[*]})"
read -r -a also <<<"$(cat "${sources[@]}" | sed -n 's/.*unrecurse-also-cflags://p' | head -n 1)"
if [ "${#also[@]}" -gt 0 ]; then
    for build in gcc clang; do
        compile "rewritten with $build ${also[*]}" "$work/$name.$build-also.log" \
            "${!build}" "${cflags[@]}" "${also[@]}" "${strict[@]}" -I "$include" \
            ${extra[@]+"${extra[@]}"} "${rewritten[@]}" "$lib" -pthread -o "$work/$name.$build-also"
    done
    echo "  compiled: rewritten (gcc and clang) also with ${also[*]}, warning-free"
fi

args_of() { # SET -> one argument per line
    tr ':' '\n' <<<"$1"
}

# ground_truth KIND SET STACK: runs the original on SET's arguments with a
# STACK as run_with_stack takes it, into OUT.expected.*; sets args, out (the
# files' prefix, by KIND and SET) and rc. Fails, and returns 1, when the
# original did not end by itself: there is nothing to compare with.
ground_truth() {
    local kind=$1 set=$2 stack=$3 report
    mapfile -t args < <(args_of "$set")
    out=$work/$name.$kind-${set//[^A-Za-z0-9_.-]/_}
    run_with_stack "$stack" "$out.expected" "$work/$name.original" "${args[@]}"
    rc=$(cat "$out.expected.status")
    if abnormal "$rc"; then
        fail "$kind ${args[*]}: the original with the $stack stack was $(describe "$rc"): no ground truth; fix the test program"
        return 1
    fi
    if report=$(sanitizer_report "$out.expected.stderr"); then
        fail "$kind ${args[*]}: the original: $report: no ground truth; fix the test program"
        sed 's/^/  | /' "$out.expected.stderr" | head -n 20
        return 1
    fi
}

# 3. Small sizes: original vs both rewritten builds.
IFS=, read -r -a small_sets <<<"$small"
for set in "${small_sets[@]}"; do
    ground_truth small "$set" default || continue
    ok=1
    for build in gcc clang; do
        run_with_stack default "$out.$build" "$work/$name.$build" "${args[@]}"
        same "$out.expected" "$out.$build" "small ${args[*]}: rewritten ($build build)" || ok=0
    done
    if [ "$ok" -eq 1 ]; then
        echo "  small ${args[*]}: same output ($(wc -c <"$out.expected.stdout") bytes) and $(describe "$rc") from original, rewritten (gcc), rewritten (clang)"
    fi
done

# 4. Deep: ground truth from the native original on an unlimited stack.
if [ "$deep" = none ]; then
    reason=${spec#*deep=none}
    echo "  deep: skipped: ${reason#"${reason%%[![:space:]]*}"}"
else
    IFS=, read -r -a deep_sets <<<"$deep"
    for set in "${deep_sets[@]}"; do
        ground_truth deep "$set" unlimited || continue
        run_with_stack "$small_stack" "$out.native-small-stack" "$work/$name.original" "${args[@]}"
        rc_native=$(cat "$out.native-small-stack.status")
        native=$(describe "$rc_native")
        if [ "${#sanitize[@]}" -gt 0 ] &&
            grep -aq 'ERROR: AddressSanitizer: stack-overflow' "$out.native-small-stack.stderr"; then
            native="stopped by AddressSanitizer: stack-overflow"
        elif ! killed_by_signal "$rc_native"; then
            fail "deep ${args[*]}: the original with a ${small_stack} KiB stack was $native, not killed by a signal: a deep run it survives proves nothing (make the deep size deeper, or the recursion one gcc cannot turn into a loop)"
        fi
        run_with_stack "$small_stack" "$out.gcc" "$work/$name.gcc" "${args[@]}"
        if same "$out.expected" "$out.gcc" "deep ${args[*]}: rewritten (gcc build) with a ${small_stack} KiB stack"; then
            echo "  deep ${args[*]}: rewritten (gcc) with a ${small_stack} KiB stack: same output and $(describe "$rc") as the original with an unlimited stack (the original with a ${small_stack} KiB stack: $native)"
        fi
    done
fi

if [ "$failures" -gt 0 ]; then
    echo "difftest $name: FAILED ($failures check(s) failed)"
    exit 1
fi
echo "difftest $name: passed"
