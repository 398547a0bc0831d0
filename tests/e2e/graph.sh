#!/usr/bin/env bash
# graph.sh - `unrecurse --graph`: for each tests/e2e/graph/NAME.c, the DOT
# text of the function on its "unrecurse-graph: FUNCTION" line must equal
# NAME.expected.dot, and Graphviz's dot must render it to SVG (dot is
# installed by scripts/setup.sh; without it the test fails). --graph of a
# function the tool does not rewrite is an error (exit 2, no output).
#
# usage: graph.sh TOOL WORK_DIR [--update]
set -euo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

if [ $# -lt 2 ]; then
    echo "usage: $0 TOOL WORK_DIR [--update]" >&2
    exit 2
fi
tool=$(absolute "$1") work=$2 update=${3:-}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/graph
work=$(fresh_dir "$work")
command -v dot >/dev/null || { echo "FAIL: Graphviz's dot is not installed (scripts/setup.sh installs it)"; exit 1; }

for input in "$here"/*.c; do
    name=$(basename "$input" .c)
    fn=$(sed -n 's/.*unrecurse-graph: *\([A-Za-z_0-9]*\).*/\1/p' "$input" | head -n 1)
    [ -n "$fn" ] || { fail "$name.c has no unrecurse-graph line"; continue; }
    # From the directory, on the bare name: the DOT names the file.
    (cd "$here" && "$tool" --graph "$fn" "$name.c" -o "$work/$name.dot") 2>"$work/$name.stderr" ||
        { fail "$name: the tool failed: $(head -c 300 "$work/$name.stderr")"; continue; }
    if [ "$update" = --update ]; then
        cp "$work/$name.dot" "$here/$name.expected.dot"
        echo "updated $name.expected.dot (review it: git diff)"
    elif ! diff -u "$here/$name.expected.dot" "$work/$name.dot"; then
        fail "$name: the DOT differs from $name.expected.dot"
    fi
    dot -Tsvg "$work/$name.dot" -o "$work/$name.svg" 2>"$work/$name.dot.stderr" &&
        grep -q '<svg' "$work/$name.svg" || fail "$name: dot cannot render it: $(head -c 300 "$work/$name.dot.stderr")"
    echo "graph: $name ($fn): $(grep -c -- '->' "$work/$name.dot") edges, rendered"
done

rc=0
"$tool" --graph no_such_function "$here/cycle.c" -o "$work/none.dot" 2>"$work/none.stderr" || rc=$?
[ "$rc" -eq 2 ] || fail "--graph of a function not rewritten: exit status $rc, expected 2"
grep -q "unrecurse: error: 'no_such_function' is not a function the tool rewrites" "$work/none.stderr" ||
    fail "--graph of a function not rewritten: no error message"
[ ! -e "$work/none.dot" ] || fail "--graph of a function not rewritten wrote a file"

finish graph
