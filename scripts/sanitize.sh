#!/usr/bin/env bash
# sanitize.sh - the test suite again, under AddressSanitizer and UBSan.
#
# Sets up (scripts/setup.sh), then configures build-asan/ with
# -DUNRECURSE_SANITIZE=ON, builds it and runs its tests with ctest. There
# the tool, the runtime, its Check suites and every program the tests
# compile are built with -fsanitize=address,undefined
# -fno-sanitize-recover=all: any report of AddressSanitizer, LeakSanitizer
# (the tool and the suites; not the test programs, which leave their data
# to exit) or UBSan fails its test. README.md ("Tests") says what runs
# there and what does not. scripts/test.sh runs it after the plain suite.
#
# usage: scripts/sanitize.sh [CTEST_ARGS...]     e.g. scripts/sanitize.sh -R e2e
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/setup.sh
# random.quick runs 25 seeds here (1..25, of the plain run's 1..100): a
# sanitized seed costs several times a plain one.
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DUNRECURSE_SANITIZE=ON \
    -DUNRECURSE_BUILD_BENCH=OFF -DRANDOM_QUICK_COUNT=25
cmake --build build-asan -j2
ctest --test-dir build-asan --output-on-failure --no-tests=error -j2 "$@"
