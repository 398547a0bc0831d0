#!/usr/bin/env bash
# cost.sh - builds bench/NAME_cost.c with the tool and runs it, with an
# unlimited stack (gen_cost.c has a native recursive visitor): side by side
# in one run, the cost of a task's step against a plain call on heap frames
# (task), of a value from a recursive generator against a native visitor
# with a callback (gen), or of the native calls between the members of a
# cycle, kept out of line (UNRECURSE__NOINLINE) or left to gcc's inliner
# (UNRECURSE_INLINE_CYCLES), against the original (cycle: three builds,
# run in turn, a rotating order each round; N is the parses per run).
# Not part of ctest; BENCHMARKS.md has the results.
#
# usage: bench/cost.sh task|gen|cycle [N [ROUNDS [TOOL [RUNTIME_LIB]]]]
#   (defaults: 1000000, 9, build/tool/unrecurse, build/runtime/libunrecurse.a)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
case ${1:-} in
    task | gen | cycle) name=$1 ;;
    *) echo "usage: $0 task|gen|cycle [N [ROUNDS [TOOL [RUNTIME_LIB]]]]" >&2; exit 2 ;;
esac
tool=${4:-$root/build/tool/unrecurse}
lib=${5:-$root/build/runtime/libunrecurse.a}
work=$(mktemp -d "${TMPDIR:-/tmp}/unrecurse-cost.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$tool" "$root/bench/${name}_cost.c" -o "$work/${name}_cost.c"
build() { # OUT SOURCE [OPTION...]
    local out=$1 source=$2
    shift 2
    gcc -O2 -std=c99 "$@" -I "$root/runtime" -I "$root/bench" "$source" "$lib" -pthread -o "$out"
}
build "$work/${name}_cost" "$work/${name}_cost.c"
ulimit -s unlimited
if [ "$name" != cycle ]; then
    "$work/${name}_cost" "${2:-1000000}" "${3:-9}"
    exit 0
fi
build "$work/original" "$root/bench/cycle_cost.c"
build "$work/inlined" "$work/cycle_cost.c" -DUNRECURSE_INLINE_CYCLES
variants=(original cycle_cost inlined)
names=("original, natively recursive" "rewritten (out of line)" "rewritten, UNRECURSE_INLINE_CYCLES")
reps=${2:-1000000} rounds=${3:-9}
for ((r = 0; r < rounds; r++)); do
    for ((k = 0; k < 3; k++)); do
        v=$(((k + r) % 3))
        read -r seconds sum < <("$work/${variants[$v]}" 30 "$reps")
        [ -z "${expected:-}" ] && expected=$sum
        [ "$sum" = "$expected" ] || { echo "cost.sh: ${names[$v]} computed $sum, not $expected" >&2; exit 1; }
        echo "$v $seconds"
    done
done | sort -k1,1n -k2,2g | awk -v rounds="$rounds" -v reps="$reps" \
    -v n0="${names[0]}" -v n1="${names[1]}" -v n2="${names[2]}" '
    { t[$1, c[$1]++] = $2 }
    END {
        split(n0 "|" n1 "|" n2, name, "|")
        printf "expression 30 brackets deep, %d parses per run; medians of %d rounds\n", reps, rounds
        for (v = 0; v < 3; v++) {
            m = t[v, int(rounds / 2)]
            if (v == 0) base = m
            printf "%-36s %7.2f ns CPU per parse  %5.2fx\n", name[v + 1], m / reps * 1e9, m / base
        }
    }'
