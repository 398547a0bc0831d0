#!/usr/bin/env bash
# test.sh - set up and build (scripts/setup.sh), then run the whole test suite:
# the runtime's Check suites (also under valgrind) and the end-to-end tests of
# tests/e2e, via ctest, in build/; then the same suite built with ASan and
# UBSan, in build-asan/ (scripts/sanitize.sh). Both run, whatever the first
# gives; exits non-zero if anything fails in either.
#
# usage: scripts/test.sh [CTEST_ARGS...]     e.g. scripts/test.sh -R e2e
#   (CTEST_ARGS go to both runs)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/setup.sh
status=0
ctest --test-dir build --output-on-failure --no-tests=error -j2 "$@" || status=1
echo "==> the same tests under AddressSanitizer and UBSan (scripts/sanitize.sh)"
scripts/sanitize.sh "$@" || status=1
exit "$status"
