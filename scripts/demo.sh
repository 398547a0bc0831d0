#!/usr/bin/env bash
# demo.sh - the point of unrecurse in ten seconds.
#
# Sets up and builds the project (scripts/setup.sh), rewrites a bundled sample
# with the tool, builds the original and the rewritten program with gcc -O2,
# and runs both at a depth of a million under a 64 KiB stack: the original
# overflows its stack, the rewritten one prints its result, and the original
# prints the same result once given an unlimited stack.
#
# usage: scripts/demo.sh [SAMPLE [SIZE]]
#   SAMPLE  a program in samples/ (default: brackets)
#   SIZE    its argument (default: the deep size on its unrecurse-test line)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=tests/lib.sh
. tests/lib.sh

sample=${1:-brackets}
sample=${sample##*/}
sample=${sample%.c}
source=samples/$sample.c
if [ ! -f "$source" ]; then
    echo "demo: no $source; the samples are: $(cd samples && printf '%s ' -- *.c)" >&2
    exit 2
fi
size=${2:-$(spec_value "$(test_spec "$source")" deep)}
if [ -z "$size" ] || [ "$size" = none ]; then
    echo "demo: $source has no deep size (it is exponential); pass one: $0 $sample SIZE" >&2
    exit 2
fi

mkdir -p build/demo
echo "==> setting up and building (scripts/setup.sh; log in build/demo/setup.log)"
if ! scripts/setup.sh >build/demo/setup.log 2>&1; then
    tail -n 30 build/demo/setup.log >&2
    echo "demo: setup failed; see build/demo/setup.log" >&2
    exit 1
fi

tool=build/tool/unrecurse
runtime_lib=build/runtime/libunrecurse.a
native=build/demo/$sample.native
rewritten_c=build/demo/$sample.rewritten.c
rewritten=build/demo/$sample.rewritten
what=$(sed -n '2s/^ \* [^ ]* - //p' "$source")

echo
echo "unrecurse demo: $source${what:+ - $what}"
echo
echo "  rewrite:  $tool $source -o $rewritten_c"
"$tool" "$source" -o "$rewritten_c"
echo "  compile:  gcc -O2 $source -> $native"
gcc -O2 -std=c99 -I runtime "$source" -o "$native"
echo "            gcc -O2 $rewritten_c $runtime_lib -> $rewritten"
gcc -O2 -std=c99 -I runtime "$rewritten_c" "$runtime_lib" -pthread -o "$rewritten"

now() { date +%s%N; }

# run STACK NAME BINARY: runs BINARY SIZE with `ulimit -s STACK`, without
# core dumps (run_with_stack); leaves build/demo/NAME.stdout, .stderr, and
# sets rc and ms.
run() {
    local out=build/demo/$2 start
    start=$(now)
    run_with_stack "$1" "$out" "$3" "$size"
    ms=$((($(now) - start) / 1000000))
    rc=$(cat "$out.status")
}

# outcome NAME: describes the last run for a person.
outcome() {
    local out=build/demo/$1
    if abnormal "$rc"; then
        echo "$(describe "$rc"), exit status $rc"
    elif [ "$rc" -ne 0 ]; then
        echo "exit status $rc: $(head -n 3 "$out.stderr")"
    else
        tail -n 1 "$out.stdout"
    fi
}

echo
echo "  With a 64 KiB stack (ulimit -s 64), $sample $size:"
run 64 native-64k "$native"
native_rc=$rc
printf '    original   %s  [%d ms]\n' "$(outcome native-64k)" "$ms"
run 64 rewritten-64k "$rewritten"
rewritten_rc=$rc
printf '    rewritten  %s  [%d ms]\n' "$(outcome rewritten-64k)" "$ms"

echo
echo "  With an unlimited stack (ulimit -s unlimited):"
run unlimited native-unlimited "$native"
unlimited_rc=$rc
printf '    original   %s  [%d ms]\n' "$(outcome native-unlimited)" "$ms"
echo

if [ "$rewritten_rc" -ne 0 ]; then
    echo "  The rewritten program failed; its standard error:"
    sed 's/^/    | /' build/demo/rewritten-64k.stderr
    exit 1
fi
if [ "$unlimited_rc" -eq 0 ] && cmp -s build/demo/native-unlimited.stdout build/demo/rewritten-64k.stdout; then
    echo "  The rewritten program's output on a 64 KiB stack is the same as the original's on an unlimited one."
else
    echo "  The outputs differ:"
    diff -u --label "original, unlimited stack" --label "rewritten, 64 KiB stack" \
        build/demo/native-unlimited.stdout build/demo/rewritten-64k.stdout | sed 's/^/    /'
    exit 1
fi
if [ "$native_rc" -eq 0 ]; then
    if grep -q 'deep=none' "$source"; then
        echo "  (The original did not overflow: $sample's depth stays small, see $source.)"
    else
        echo "  (The original did not overflow at this size; try a larger one: $0 $sample $((size * 10)))"
    fi
fi
