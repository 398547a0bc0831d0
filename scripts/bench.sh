#!/usr/bin/env bash
# bench.sh - build unrecurse and its benchmarks, run them, print the table.
#
# Runs scripts/setup.sh (installs what is missing, configures and builds
# build/), builds the benchmark programs (not part of the default build),
# then runs bench/run.sh, which prints the table: native recursion, the
# rewritten code, a hand-written explicit stack and gcc -fsplit-stack, side
# by side, and the benchmark targets listed in BENCHMARKS.md, met or not. A full run
# takes one to two minutes on a 2-core machine. See BENCHMARKS.md.
#
# usage: scripts/bench.sh [--runs N] [--size SUBJECT=N] [--no-tool] [SUBJECT...]
#   (the options of bench/run.sh; subjects: fib list_sum tree_height
#   ackermann parser tail_loop; default all, 7 runs each)
#
# Exit status: 0 when every run succeeded with the same checksum in every
# variant (met targets or not), non-zero otherwise.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/setup.sh
cmake --build build --target bench_programs -j2
exec bench/run.sh --bin build/bench/bin --tool build/tool/unrecurse \
    --runtime-lib build/runtime/libunrecurse.a --work build/bench/work "$@"
