#!/usr/bin/env bash
# task_cost.sh - builds bench/task_cost.c with the tool and runs it: the
# cost of a task's step against a plain call on heap frames, side by side
# in one run (see task_cost.c). Not part of ctest.
#
# usage: bench/task_cost.sh [TOOL [RUNTIME_LIB [N [ROUNDS]]]]
#   (defaults: build/tool/unrecurse, build/runtime/libunrecurse.a,
#   1000000, 9)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tool=${1:-$root/build/tool/unrecurse}
lib=${2:-$root/build/runtime/libunrecurse.a}
work=$(mktemp -d "${TMPDIR:-/tmp}/unrecurse-task-cost.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$tool" "$root/bench/task_cost.c" -o "$work/task_cost.c"
gcc -O2 -std=c99 -I "$root/runtime" "$work/task_cost.c" "$lib" -pthread -o "$work/task_cost"
"$work/task_cost" "${3:-1000000}" "${4:-9}"
