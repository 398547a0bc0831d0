#!/usr/bin/env bash
# seed.sh - the fuzzer's seed corpus, from the project's own tests.
#
# usage: seed.sh GEN OUT_DIR [COUNT]
#
# Copies into OUT_DIR (made if missing) every single-file C input the tests
# hold: samples/*.c, tests/e2e/{programs,diagnostics,golden,list}/*.c
# (not the golden .expected.c files) and tests/random/repro/*.c, each under
# the name DIR-NAME.c; then writes COUNT (default 20) random programs,
# GEN SEED for seeds 1..COUNT, as random-SEED.c, and as many with cycles
# of functions, GEN SEED --mutual, as random-mutual-SEED.c. GEN is the
# random generator, build/tests/random/gen. `tests/fuzz/README.md` says how the
# committed corpus/ was made from these.
set -euo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    echo "usage: $0 GEN OUT_DIR [COUNT]" >&2
    exit 2
fi
gen=$1 out=$2 count=${3:-20}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

mkdir -p "$out"
for dir in samples tests/e2e/programs tests/e2e/diagnostics tests/e2e/golden \
    tests/e2e/list tests/random/repro; do
    for f in "$root/$dir"/*.c; do
        case $f in *.expected.c) continue ;; esac
        cp "$f" "$out/$(basename "$dir")-$(basename "$f")"
    done
done
for ((seed = 1; seed <= count; seed++)); do
    "$gen" "$seed" >"$out/random-$seed.c"
    "$gen" "$seed" --mutual >"$out/random-mutual-$seed.c"
done
echo "seed: $(find "$out" -type f | wc -l) files in $out"
