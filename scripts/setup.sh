#!/usr/bin/env bash
# setup.sh - install what unrecurse needs to build, then configure and build it.
#
# Idempotent and safe to run again: Debian packages are installed only when
# missing (as root, or through sudo otherwise), and the build is incremental.
# Works from any directory; the build tree is build/ at the repository root.
#
# usage: scripts/setup.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=tests/lib.sh
. tests/lib.sh # installed

# Compilers and build tools, libclang for the tool, Check for the runtime's
# unit tests and valgrind to run them under memcheck. gcc and clang are both
# used by the end-to-end tests (gcc brings its AddressSanitizer and UBSan
# runtimes, libasan and libubsan, for scripts/sanitize.sh). libc6-dev is
# named because gcc only recommends it, and recommends are not installed; so
# is libclang-rt-dev, clang's sanitizer and libFuzzer runtimes, for the fuzz
# target (-DUNRECURSE_FUZZ=ON, tests/fuzz/README.md). ninja-build and pkg-config
# serve the installed-package test (tests/consumer/), which builds a project
# with both CMake generators and with pkg-config; gdb serves e2e.debugging
# and graphviz (dot) e2e.graph.
packages=(cmake make ninja-build gcc gdb graphviz libc6-dev clang libclang-dev libclang-rt-dev check pkg-config valgrind)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
    for p in "${packages[@]}"; do
        installed "$p" || missing+=("$p")
    done
else
    echo "setup: no dpkg here; make sure these are installed: ${packages[*]}" >&2
fi

if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: installing missing packages: ${missing[*]}"
    if [ "$(id -u)" -eq 0 ]; then
        sudo=()
    elif command -v sudo >/dev/null 2>&1; then
        sudo=(sudo)
    else
        echo "setup: need root to install: ${missing[*]}" >&2
        echo "setup: run as root, or: apt-get install ${missing[*]}" >&2
        exit 1
    fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j2
