#!/usr/bin/env bash
# test.sh - set up and build (scripts/setup.sh), then run the whole test suite:
# the runtime's Check suites and the end-to-end tests of tests/e2e, via ctest.
# Exits non-zero if anything fails.
#
# usage: scripts/test.sh [CTEST_ARGS...]     e.g. scripts/test.sh -R e2e
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/setup.sh
ctest --test-dir build --output-on-failure --no-tests=error -j2 "$@"
