#!/usr/bin/env bash
# debugging.sh - the rewritten code, seen from a compiler and a debugger,
# is at the user's lines: debugging/walk.c rewritten (with #line
# directives, the default) and built with -g -O0.
#
# usage: debugging.sh TOOL RUNTIME_DIR RUNTIME_LIB WORK_DIR
#
# It checks that:
#  - gcc's -Wall warning about walk.c's unused local (line 11) points at
#    walk.c:11, and no warning points anywhere else;
#  - gdb, in batch mode, stops at a breakpoint on walk.c:15 (inside the
#    rewritten function) both when the call runs natively
#    (UNRECURSE_NATIVE_BUDGET=1M) and on heap frames (=0: the state
#    machine), and ten `next` from there stay on lines of the function
#    (walk.c:8-17): through the return and the resumption of its caller;
#  - `call unrecurse_backtrace(stderr)` at that breakpoint shows the heap
#    frames: six calls waiting at walk.c:14, folded, and the one running
#    (none when the calls run natively).
set -euo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

expect_args 4 "TOOL RUNTIME_DIR RUNTIME_LIB WORK_DIR" "$@"
tool=$(absolute "$1") runtime=$(cd "$2" && pwd) lib=$(absolute "$3") work=$4
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(fresh_dir "$work")
command -v gdb >/dev/null || { echo "FAIL: gdb is not installed (scripts/setup.sh installs it)"; exit 1; }

cp "$here/debugging/walk.c" "$work/walk.c"
cd "$work"
"$tool" --all walk.c -o walk.rewritten.c
# (in a sanitized tree, with the sanitizers the runtime was built with)
if ! LC_ALL=C gcc -g -O0 -Wall ${sanitize[@]+"${sanitize[@]}"} -I "$runtime" walk.rewritten.c "$lib" \
    -pthread -o walk 2>gcc.log; then
    fail "the rewritten walk.c does not build: $(head -c 600 gcc.log)"
    finish debugging "$work"
fi
grep -q "^walk.c:11:[0-9]*: warning: unused variable 'unused_here'" gcc.log ||
    fail "no warning at walk.c:11 for the unused local: $(head -c 500 gcc.log)"
others=$(grep ': warning: ' gcc.log | grep -v '^walk.c:11:' || true)
[ -z "$others" ] || fail "warnings elsewhere: $others"

for budget in 1M 0; do
    gdb -q -batch -nx -ex "set environment UNRECURSE_NATIVE_BUDGET=$budget" \
        -ex 'break walk.c:15 if n->value == 3' -ex 'run 10' \
        -ex 'call unrecurse_backtrace(stderr)' -ex next -ex next -ex next -ex next -ex next \
        -ex next -ex next -ex next -ex next -ex next \
        -ex 'kill' ./walk >"gdb.$budget.log" 2>&1 || true
    stop=$(grep -m1 -E '^Breakpoint 1(\.[0-9]+)?, ' "gdb.$budget.log" || true)
    if ! grep -qE ' at [^ ]*walk\.c:15$' <<<"$stop"; then
        fail "budget $budget: gdb did not stop at walk.c:15: $(head -c 600 "gdb.$budget.log")"
        continue
    fi
    # The lines gdb shows after the stop: "LINE<tab>text".
    mapfile -t lines < <(sed -n '/^Breakpoint 1/,$p' "gdb.$budget.log" | grep -E '^[0-9]+'$'\t' | cut -f1)
    [ "${#lines[@]}" -ge 10 ] || fail "budget $budget: gdb showed ${#lines[@]} lines, expected 11: $(cat "gdb.$budget.log")"
    for l in "${lines[@]}"; do
        [ "$l" -ge 8 ] && [ "$l" -le 17 ] ||
            fail "budget $budget: a step went to walk.c:$l, outside the function (8-17)"
    done
    # The heap frames, from gdb: none when the calls run natively; on heap
    # frames, total(9) .. total(4) wait at line 14 and total(3) runs.
    if [ "$budget" = 0 ]; then
        expected=$(printf '%s\n' "unrecurse: heap frames of this thread, innermost first:" \
            "  #0  total  (running)" "  #1  total  walk.c:14  total(n->next)" \
            "      ... 5 more frames: the frame above, 5 more times ..." \
            "unrecurse: 7 calls on heap frames, in 1 run")
    else
        expected="unrecurse: no heap frames on this thread"
    fi
    [ "$(grep -E '^(unrecurse: |  #|      \.\.\.)' "gdb.$budget.log")" = "$expected" ] ||
        fail "budget $budget: gdb's 'call unrecurse_backtrace(stderr)' printed: $(grep -E '^(unrecurse|  )' "gdb.$budget.log"), expected: $expected"
    echo "debugging: budget $budget: stopped in $(sed -E 's/^Breakpoint [0-9.]+, ([^ ]+) .*/\1/' <<<"$stop"), lines ${lines[*]}"
done

finish debugging "$work"
