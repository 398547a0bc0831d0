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
# An optional line "unrecurse-args: OPTIONS" gives the tool options (e.g.
# --all for legacy code without annotations).
#
# The test:
#  1. rewrites PROGRAM.c with TOOL into WORK_DIR (fails unless it exits 0);
#  2. compiles the original (gcc -O2 -std=c99) and the rewritten file with
#     gcc and with clang at -O2 -std=c99 -Wall -Wextra -Werror;
#  3. for each small SET, runs the three builds and compares their standard
#     output and exit status byte for byte with the original's;
#  4. for each deep SET, runs the original natively under an unlimited stack
#     for the expected output, then the rewritten gcc build under a 64 KiB
#     stack (ulimit -s 64), and compares. The original must also be killed by
#     a signal (a stack overflow: SIGSEGV) when run at that SET under the same
#     64 KiB stack, or the deep run proves nothing and the test fails: a
#     program gcc turns into a loop (tail calls, accumulators) needs a
#     recursion it cannot remove, and a deep SET must be deep enough.
# Everything it produced stays in WORK_DIR for inspection. Exits 0 when every
# comparison matched, 1 otherwise.
#
# Environment: CC_GCC, CC_CLANG (compilers, default gcc and clang),
# UNRECURSE_TEST_TIMEOUT (seconds per run, default 60).
set -euo pipefail

if [ $# -ne 5 ]; then
    echo "usage: $0 TOOL RUNTIME_INCLUDE_DIR RUNTIME_LIB PROGRAM.c WORK_DIR" >&2
    exit 2
fi
tool=$1 include=$2 lib=$3 program=$4 work=$5
gcc=${CC_GCC:-gcc}
clang=${CC_CLANG:-clang}
timeout=${UNRECURSE_TEST_TIMEOUT:-60}
small_stack=64 # KiB
cflags=(-O2 -std=c99)
strict=(-Wall -Wextra -Werror)

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

spec=$(cat "${sources[@]}" | grep -m1 -o 'unrecurse-test:.*' || true)
[ -n "$spec" ] || die "$program has no 'unrecurse-test: small=... deep=...' line"
small=$(sed -n 's/.*[[:space:]]small=\([^[:space:]]*\).*/\1/p' <<<"$spec")
deep=$(sed -n 's/.*[[:space:]]deep=\([^[:space:]]*\).*/\1/p' <<<"$spec")
[ -n "$small" ] || die "$program: no small=SETS in '$spec'"
[ -n "$deep" ] || die "$program: no deep=SETS (or deep=none REASON) in '$spec'"
if [ "$deep" = none ] && ! grep -q 'deep=none[[:space:]]*[^[:space:]]' <<<"$spec"; then
    die "$program: deep=none needs a reason after it"
fi

mkdir -p "$work"
rm -f "$work/$name".*

# Describes an exit status the way a shell user would read it.
describe() {
    local rc=$1
    if [ "$rc" -eq 124 ]; then
        echo "timed out after ${timeout}s"
    elif [ "$rc" -gt 128 ]; then
        local sig
        sig=$(kill -l $((rc - 128)) 2>/dev/null || echo "$((rc - 128))")
        case $sig in
            SEGV) echo "killed by SIGSEGV (segmentation fault; stack overflow?)" ;;
            *) echo "killed by SIG$sig" ;;
        esac
    else
        echo "exit status $rc"
    fi
}

# run STACK OUT BINARY ARGS...: runs BINARY with a stack limit of STACK KiB
# (or "unlimited", or "default"), no core dumps and a time limit; leaves
# OUT.stdout, OUT.stderr and OUT.status.
run() {
    local stack=$1 out=$2 rc=0
    shift 2
    # The braces keep the shell's own "Segmentation fault" notice quiet.
    {
        (
            ulimit -c 0
            case $stack in
                default) ;;
                unlimited) ulimit -s unlimited 2>/dev/null || ulimit -s "$(ulimit -H -s)" ;;
                *) ulimit -s "$stack" ;;
            esac
            exec timeout "$timeout" "$@"
        ) >"$out.stdout" 2>"$out.stderr" || rc=$?
    } 2>/dev/null
    echo "$rc" >"$out.status"
}

# same EXPECTED ACTUAL LABEL: compares two runs' stdout and exit status.
same() {
    local exp=$1 act=$2 label=$3 rc_exp rc_act
    rc_exp=$(cat "$exp.status")
    rc_act=$(cat "$act.status")
    if cmp -s "$exp.stdout" "$act.stdout" && [ "$rc_exp" = "$rc_act" ]; then
        return 0
    fi
    fail "$label differs from the original"
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
for source in "${sources[@]}"; do
    out=$work/$(basename "$source" .c).rewritten.c
    read -r -a tool_args <<<"$(grep -m1 -o 'unrecurse-args:.*' "$source" | sed 's/^unrecurse-args://' || true)"
    rc=0
    "$tool" ${tool_args[@]+"${tool_args[@]}"} "$source" -o "$out" 2>"$work/$name.tool.stderr" || rc=$?
    if [ -s "$work/$name.tool.stderr" ]; then
        echo "  the tool said:"
        sed 's/^/  | /' "$work/$name.tool.stderr"
    fi
    [ "$rc" -eq 0 ] || die "$tool $source -o $out: $(describe "$rc")"
    [ -s "$out" ] || die "the tool exited 0 but wrote no $out"
    echo "  rewrote: $tool ${tool_args[*]+${tool_args[*]} }$source -o $out"
    rewritten+=("$out")
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
compile original "$work/$name.original.log" \
    "$gcc" "${cflags[@]}" -I "$include" ${extra[@]+"${extra[@]}"} "${sources[@]}" \
    -o "$work/$name.original"
compile "rewritten with gcc" "$work/$name.gcc.log" \
    "$gcc" "${cflags[@]}" "${strict[@]}" -I "$include" ${extra[@]+"${extra[@]}"} \
    "${rewritten[@]}" "$lib" -pthread -o "$work/$name.gcc"
compile "rewritten with clang" "$work/$name.clang.log" \
    "$clang" "${cflags[@]}" "${strict[@]}" -I "$include" ${extra[@]+"${extra[@]}"} \
    "${rewritten[@]}" "$lib" -pthread -o "$work/$name.clang"
echo "  compiled: original (gcc), rewritten (gcc and clang, ${strict[*]} ${cflags[*]})"

args_of() { # SET -> one argument per line
    tr ':' '\n' <<<"$1"
}

# 3. Small sizes: original vs both rewritten builds.
IFS=, read -r -a small_sets <<<"$small"
for set in "${small_sets[@]}"; do
    mapfile -t args < <(args_of "$set")
    out=$work/$name.small-${set//[^A-Za-z0-9_.-]/_}
    run default "$out.original" "$work/$name.original" "${args[@]}"
    rc=$(cat "$out.original.status")
    if [ "$rc" -gt 128 ] || [ "$rc" -eq 124 ]; then
        fail "small ${args[*]}: the original itself was $(describe "$rc"): fix the test program"
        continue
    fi
    ok=1
    for build in gcc clang; do
        run default "$out.$build" "$work/$name.$build" "${args[@]}"
        same "$out.original" "$out.$build" "small ${args[*]}: rewritten ($build build)" || ok=0
    done
    if [ "$ok" -eq 1 ]; then
        echo "  small ${args[*]}: same output ($(wc -c <"$out.original.stdout") bytes) and $(describe "$rc") from original, rewritten (gcc), rewritten (clang)"
    fi
done

# 4. Deep: ground truth from the native original on an unlimited stack.
if [ "$deep" = none ]; then
    reason=${spec#*deep=none}
    echo "  deep: skipped: ${reason#"${reason%%[![:space:]]*}"}"
else
    IFS=, read -r -a deep_sets <<<"$deep"
    for set in "${deep_sets[@]}"; do
        mapfile -t args < <(args_of "$set")
        out=$work/$name.deep-${set//[^A-Za-z0-9_.-]/_}
        run unlimited "$out.expected" "$work/$name.original" "${args[@]}"
        rc=$(cat "$out.expected.status")
        if [ "$rc" -gt 128 ] || [ "$rc" -eq 124 ]; then
            fail "deep ${args[*]}: the original on an unlimited stack was $(describe "$rc"): no ground truth"
            continue
        fi
        run "$small_stack" "$out.native-small-stack" "$work/$name.original" "${args[@]}"
        rc_native=$(cat "$out.native-small-stack.status")
        native=$(describe "$rc_native")
        if [ "$rc_native" -le 128 ]; then
            fail "deep ${args[*]}: the original with a ${small_stack} KiB stack was $native, not killed by a signal: a deep run it survives proves nothing (make the deep size deeper, or the recursion one gcc cannot turn into a loop)"
        fi
        run "$small_stack" "$out.gcc" "$work/$name.gcc" "${args[@]}"
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
