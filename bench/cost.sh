#!/usr/bin/env bash
# cost.sh - builds bench/NAME_cost.c with the tool and runs it, with an
# unlimited stack (gen_cost.c has a native recursive visitor): side by side
# in one run, the cost of a task's step against a plain call on heap frames
# (task), or of a value from a recursive generator against a native
# visitor with a callback (gen). Not part of ctest; BENCHMARKS.md has the
# results.
#
# usage: bench/cost.sh task|gen [N [ROUNDS [TOOL [RUNTIME_LIB]]]]
#   (defaults: 1000000, 9, build/tool/unrecurse, build/runtime/libunrecurse.a)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
case ${1:-} in
    task | gen) name=$1 ;;
    *) echo "usage: $0 task|gen [N [ROUNDS [TOOL [RUNTIME_LIB]]]]" >&2; exit 2 ;;
esac
tool=${4:-$root/build/tool/unrecurse}
lib=${5:-$root/build/runtime/libunrecurse.a}
work=$(mktemp -d "${TMPDIR:-/tmp}/unrecurse-cost.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$tool" "$root/bench/${name}_cost.c" -o "$work/${name}_cost.c"
gcc -O2 -std=c99 -I "$root/runtime" -I "$root/bench" "$work/${name}_cost.c" "$lib" -pthread \
    -o "$work/${name}_cost"
ulimit -s unlimited
"$work/${name}_cost" "${2:-1000000}" "${3:-9}"
