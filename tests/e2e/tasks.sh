#!/usr/bin/env bash
# tasks.sh - samples/tasks.c, the documents parsed as interleaved tasks,
# end to end: built without the tool (each task runs at its start) and
# rewritten (native first, and --heap-only), with gcc.
#
# usage: tasks.sh TOOL RUNTIME_DIR RUNTIME_LIB WORK_DIR
#
# It checks that:
#  - without the hostile document, the rewritten program prints what the
#    original prints: the same heights, the same bytes read;
#  - with it (a document 1,000,000 deep), the original dies of its stack
#    under a 64 KiB stack, while the rewritten one, under the same stack,
#    cancels that document past its step budget (200,000 steps), prints the
#    others as the original did without it, and exits 0.
set -euo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

expect_args 4 "TOOL RUNTIME_DIR RUNTIME_LIB WORK_DIR" "$@"
tool=$(absolute "$1") runtime=$(cd "$2" && pwd) lib=$(absolute "$3") work=$4
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(fresh_dir "$work")
cd "$work"

build() { # NAME SOURCE: NAME, built from SOURCE
    "$gcc" -O2 -std=c99 "${strict[@]}" ${sanitize[@]+"${sanitize[@]}"} -I "$runtime" "$2" \
        "$lib" -pthread -o "$1" 2>"$1.log" || { fail "$1 does not build: $(head -c 600 "$1.log")"; finish tasks "$work"; }
}
build original "$here/samples/tasks.c"
run_with_stack default original ./original
[ "$(cat original.status)" -eq 0 ] || fail "the original: $(describe "$(cat original.status)")"

run_with_stack "$small_stack" original_hostile ./original hostile
# (In a sanitized tree, AddressSanitizer reports the overflow instead.)
killed_by_signal "$(cat original_hostile.status)" ||
    { [ "${#sanitize[@]}" -gt 0 ] &&
        grep -aq 'ERROR: AddressSanitizer: stack-overflow' original_hostile.stderr; } ||
    fail "the original did not crash on the hostile document under a ${small_stack} KiB stack: $(describe "$(cat original_hostile.status)")"

for mode in native_first heap_only; do
    options=()
    [ "$mode" = heap_only ] && options=(--heap-only)
    "$tool" ${options[@]+"${options[@]}"} "$here/samples/tasks.c" -o "$mode.c" 2>"$mode.tool.log" ||
        { fail "$mode: the tool failed: $(head -c 600 "$mode.tool.log")"; continue; }
    build "$mode" "$mode.c"
    run_with_stack default "$mode" "./$mode"
    same_run original "$mode" || fail "$mode: without the hostile document, the output differs from the original's"
    run_with_stack "$small_stack" "${mode}_hostile" "./$mode" hostile
    status=$(cat "${mode}_hostile.status")
    [ "$status" -eq 0 ] || fail "$mode, hostile: $(describe "$status"): $(head -c 300 "${mode}_hostile.stderr")"
    first=$(head -n 1 "${mode}_hostile.stdout")
    [[ $first =~ ^"document x: cancelled after "([0-9]+)" steps"$ ]] && [ "${BASH_REMATCH[1]}" -gt 200000 ] ||
        fail "$mode, hostile: the first line is '$first', expected the hostile document cancelled past 200000 steps"
    tail -n +2 "${mode}_hostile.stdout" | cmp -s - original.stdout ||
        fail "$mode, hostile: the other documents' lines differ from the original's: $(tail -n +2 "${mode}_hostile.stdout")"
done
echo "tasks: $(head -n 1 native_first_hostile.stdout 2>/dev/null)"
finish tasks "$work"
