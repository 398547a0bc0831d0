#!/usr/bin/env bash
# runtime_errors.sh - the runtime's errors, end to end:
# runtime_errors/pointer_walk.c, a recursion through a function pointer (so
# through nested runs on native stack segments), rewritten by the tool and
# run under a 64 KiB stack.
#
# usage: runtime_errors.sh TOOL RUNTIME_DIR RUNTIME_LIB WORK_DIR
#
# It checks that:
#  - a deep walk works (the base line for what follows);
#  - segments count against UNRECURSE_LIMIT: under 4M, the walk is stopped
#    by the default handler, which names the function and the segment, and
#    prints the top of the heap frames' backtrace;
#  - a shallow walk runs natively (native first): UNRECURSE_LIMIT=1 does
#    not stop it;
#  - UNRECURSE_LIMIT=1 (no room for the first chunk) names the function
#    when UNRECURSE_NATIVE_BUDGET=0 puts every call on heap frames;
#  - a malformed UNRECURSE_LIMIT (64MB) or UNRECURSE_NATIVE_BUDGET (1.5M)
#    is reported, once, and ignored;
#  - an error handler may longjmp out of a walk deep in segments, again and
#    again, each time leaving the same bytes held (no segment kept), and a
#    deep walk afterwards works.
set -euo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

expect_args 4 "TOOL RUNTIME_DIR RUNTIME_LIB WORK_DIR" "$@"
tool=$1 runtime=$2 lib=$3 work=$4
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rm -rf "$work"
mkdir -p "$work"
failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

"$tool" "$here/runtime_errors/pointer_walk.c" -o "$work/pointer_walk.c" 2>"$work/tool.log" ||
    { echo "FAIL: the tool rejected runtime_errors/pointer_walk.c:"; cat "$work/tool.log"; exit 1; }
"$gcc" -O2 -std=c99 "${strict[@]}" ${sanitize[@]+"${sanitize[@]}"} -I"$runtime" "$work/pointer_walk.c" "$lib" -pthread \
    -o "$work/pointer_walk"
program=$work/pointer_walk
deep=1000000

# expect_output NAME STATUS TEXT: the run NAME (run_with_stack's OUT) ended
# with STATUS and printed TEXT on standard output.
expect_output() {
    local status
    status=$(cat "$work/$1.status")
    [ "$status" -eq "$2" ] || fail "$1: $(describe "$status"), expected $(describe "$2")"
    [ "$(cat "$work/$1.stdout")" = "$3" ] ||
        fail "$1: printed '$(head -c 300 "$work/$1.stdout")', expected '$3'"
}

# expect_error NAME REGEX [backtrace]: the run NAME said exactly one line
# on standard error, and it matches REGEX (grep -E, anchored); with
# `backtrace`, that line and then the top of the heap frames' backtrace
# (unrecurse_backtrace_top, at most 12 lines of frames, whose calls are
# walk's). Under AddressSanitizer (a sanitized build tree), its one-time
# warning that it does not fully support swapcontext, which a switch to a
# segment prints, is not counted.
expect_error() {
    local said first rest
    said=$(grep -v "^==[0-9]*==WARNING: ASan doesn't fully support makecontext/swapcontext" \
        "$work/$1.stderr" || true)
    first=$(head -n 1 <<<"$said")
    rest=$(tail -n +2 <<<"$said")
    if [ "${3:-}" = backtrace ]; then
        local frame='  #[0-9]+  walk  (\(running\)|\(in a call to code that is not rewritten\)|/.*/pointer_walk\.c:[0-9]+  walk\(n - 1\))'
        local others='  -- called through code that is not rewritten, from --|      \.\.\. [0-9,]+ more frames: the (frame|[0-9]+ lines) above, [0-9,]+ more times \.\.\.|  \.\.\. [0-9,]+ more frames below \(unrecurse_backtrace prints them all\)'
        [ "$(head -n 1 <<<"$rest")" = "unrecurse: heap frames of this thread, innermost first:" ] &&
            grep -Eqx "unrecurse: [0-9,]+ calls on heap frames, in [0-9,]+ runs?" <<<"$(tail -n 1 <<<"$rest")" &&
            [ "$(sed '1d;$d' <<<"$rest" | grep -Evxc -- "$frame|$others")" -eq 0 ] &&
            [ "$(sed '1d;$d' <<<"$rest" | wc -l)" -le 13 ] ||
            fail "$1: the backtrace after the error is not as expected: '$(head -c 1500 <<<"$rest")'"
        rest=
    fi
    [ -z "$rest" ] && grep -Eqx -- "$2" <<<"$first" ||
        fail "$1: said '$(head -c 500 "$work/$1.stderr")', expected one line matching '$2'"
}

run_with_stack "$small_stack" "$work/deep" "$program" "$deep"
expect_output deep 0 "$deep"

UNRECURSE_LIMIT=4M run_with_stack "$small_stack" "$work/limit" "$program" "$deep"
expect_output limit 134 ""
expect_error limit "unrecurse: walk: frame memory limit of 4194304 bytes reached (at depth [0-9]+, )?in a nested run on native stack segment [0-9]+ \\(set UNRECURSE_LIMIT=BYTES to change it\\)" backtrace

UNRECURSE_LIMIT=1 run_with_stack "$small_stack" "$work/native" "$program" 10
expect_output native 0 10

UNRECURSE_NATIVE_BUDGET=0 UNRECURSE_LIMIT=1 run_with_stack "$small_stack" "$work/tiny" "$program" 10
expect_output tiny 134 ""
expect_error tiny "unrecurse: walk: frame memory limit of 1 bytes reached at depth 1 \\(set UNRECURSE_LIMIT=BYTES to change it\\)"

UNRECURSE_LIMIT=64MB run_with_stack "$small_stack" "$work/malformed" "$program" "$deep"
expect_output malformed 0 "$deep"
expect_error malformed "unrecurse: UNRECURSE_LIMIT=\"64MB\" is not a size \\(.*\\); using the default limit of 1073741824 bytes"

UNRECURSE_NATIVE_BUDGET=1.5M run_with_stack "$small_stack" "$work/malformed_budget" "$program" "$deep"
expect_output malformed_budget 0 "$deep"
expect_error malformed_budget "unrecurse: UNRECURSE_NATIVE_BUDGET=\"1.5M\" is not a size \\(.*\\); using the default native budget"

run_with_stack "$small_stack" "$work/recover" "$program" "$deep" recover 3
status=$(cat "$work/recover.status")
[ "$status" -eq 0 ] || fail "recover: $(describe "$status"): $(head -c 500 "$work/recover.stderr")"
mapfile -t said <"$work/recover.stdout"
round="walk: frame memory limit reached, depth [0-9]+, segment [1-9][0-9]*, [0-9]+ bytes held; then [0-9]+"
if [ "${#said[@]}" -ne 5 ]; then
    fail "recover: printed ${#said[@]} lines, expected 5: $(head -c 500 "$work/recover.stdout")"
else
    for i in 0 1 2; do
        grep -Eqx "round $((i + 1)): $round" <<<"${said[$i]}" ||
            fail "recover: '${said[$i]}' does not match 'round $((i + 1)): $round'"
        # Every round the same, to the byte: nothing kept from the one before.
        [ "${said[$i]#round ?: }" = "${said[0]#round 1: }" ] ||
            fail "recover: round $((i + 1)) differs from round 1: '${said[$i]}'"
    done
    [ "${said[3]}" = "$deep" ] || fail "recover: the walk after the rounds printed '${said[3]}'"
    [ "${said[4]}" = "held ${said[0]##* }" ] ||
        fail "recover: '${said[4]}' after the last walk, expected 'held ${said[0]##* }'"
fi

if [ "$failures" -ne 0 ]; then
    echo "runtime_errors: $failures check(s) FAILED; everything is in $work"
    exit 1
fi
echo "runtime_errors: all checks passed"
