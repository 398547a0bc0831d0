#!/usr/bin/env bash
# tool_speed.sh - how fast the tool is on huge input, against the parse
# alone: for each input, the best of RUNS wall times of
#     unrecurse --all INPUT -o OUT
#     clang -fsyntax-only INPUT     (on an unlimited stack: at 10,000
#                                    branches it overflows 8 MiB)
# measured side by side in one run, and their ratio. The target (issue:
# huge inputs) is a ratio of at most 3. The inputs are tests/lib.sh's
# else-if chains (a call in every branch) and long expressions.
#
# usage: tool_speed.sh TOOL [WORK_DIR]        (RUNS=N in the environment, default 3)
set -euo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../tests/lib.sh"

tool=$1
work=${2:-$(mktemp -d)}
runs=${RUNS:-3}
mkdir -p "$work"

# best_time COMMAND...: the least wall time of RUNS runs, in seconds.
best_time() {
    local best='' t i start
    for ((i = 0; i < runs; i++)); do
        start=$(date +%s.%N)
        "$@" >/dev/null 2>&1 || { echo "FAIL: $*" >&2; exit 1; }
        t=$(echo "$(date +%s.%N) - $start" | bc)
        if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
    done
    printf '%.2f' "$best"
}

parse_only() { (ulimit -s unlimited && "$clang" -fsyntax-only -w "$1"); }

printf '%-28s %10s %10s %7s\n' input tool clang ratio
for spec in chain:1000 chain:4000 chain:10000 expression:16000; do
    kind=${spec%%:*} n=${spec#*:}
    input=$work/$kind-$n.c
    if [ "$kind" = chain ]; then write_else_if_chain "$n"; else write_long_expression "$n"; fi >"$input"
    t_tool=$(best_time "$tool" --all "$input" -o "$work/$kind-$n.rewritten.c")
    t_clang=$(best_time parse_only "$input")
    printf '%-28s %9ss %9ss %6.1fx\n' "$kind of $n" "$t_tool" "$t_clang" \
        "$(echo "$t_tool / $t_clang" | bc -l)"
done
