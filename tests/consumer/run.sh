#!/usr/bin/env bash
# run.sh - unrecurse as an installed package, used by another project.
#
# usage: tests/consumer/run.sh BUILD_DIR WORK_DIR
#
# Installs BUILD_DIR (cmake --install) into WORK_DIR/prefix, then, with
# nothing but that prefix:
#  - the installed tool runs from anywhere and finds its header (a file
#    that includes <unrecurse.h> is rewritten with no -I);
#  - tests/consumer/project, copied into WORK_DIR, is configured with
#    find_package(unrecurse CONFIG) and built with each CMake generator
#    present (Unix Makefiles, and Ninja when installed): its parser is
#    rewritten by unrecurse_transform() at build time. The native build
#    dies of a stack overflow at depth 10^6 under a 64 KiB stack; the
#    rewritten one prints the right result. A rebuild with nothing changed
#    does not rewrite again; a change to a header the parser includes
#    rewrites it again; an unsupported construct added to the parser fails
#    the build with the tool's diagnostic, located in the parser's source;
#  - pkg-config --cflags --libs unrecurse builds the rewritten parser by
#    hand, against the installed shared library;
#  - the man page is installed.
# Exits 0 when every check passed.
set -euo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

expect_args 2 "BUILD_DIR WORK_DIR" "$@"
build=$(absolute "$1") work=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(fresh_dir "$work")
prefix=$work/prefix
deep=1000000
run_timeout=${UNRECURSE_TEST_TIMEOUT:-60}

cmake --install "$build" --prefix "$prefix" >"$work/install.log" ||
    { cat "$work/install.log"; echo "consumer: cmake --install failed"; exit 1; }
for f in bin/unrecurse include/unrecurse.h lib/libunrecurse.a lib/libunrecurse.so \
    lib/pkgconfig/unrecurse.pc lib/cmake/unrecurse/unrecurseConfig.cmake \
    share/man/man1/unrecurse.1; do
    [ -e "$prefix/$f" ] || fail "not installed: $f"
done
soname=$(objdump -p "$prefix/lib/libunrecurse.so" 2>/dev/null | awk '$1 == "SONAME" { print $2 }')
[ "$soname" = libunrecurse.so.0 ] || fail "libunrecurse.so has SONAME '$soname', not libunrecurse.so.0"

# The installed tool, from a directory of its own, on a file that includes
# <unrecurse.h>, with no -I.
mkdir -p "$work/alone"
printf '#include <unrecurse.h>\nUNRECURSE long down(long n) { return n ? down(n - 1) + 1 : 0; }\n' \
    >"$work/alone/down.c"
(cd "$work/alone" && "$prefix/bin/unrecurse" down.c -o down.rewritten.c --depfile down.d) \
    2>"$work/alone/tool.log" ||
    fail "the installed tool failed on down.c: $(head -c 300 "$work/alone/tool.log")"
grep -q 'down__frame' "$work/alone/down.rewritten.c" 2>/dev/null ||
    fail "the installed tool did not rewrite down.c"
# The header it read is the installed one, not the source tree's (which the
# tool, built in the tree, could also find).
grep -Eq "^  $prefix/(bin/\.\./)?include/unrecurse\.h" "$work/alone/down.d" 2>/dev/null ||
    fail "the installed tool did not read $prefix/include/unrecurse.h: $(head -c 300 "$work/alone/down.d")"

# check_run WHAT STATUS OUTPUT RUN: RUN's (run_with_stack) exit status and
# standard output (OUTPUT empty: any).
check_run() {
    local what=$1 want_status=$2 want_out=$3 status out
    status=$(cat "$4.status")
    out=$(cat "$4.stdout")
    [ "$status" = "$want_status" ] || fail "$what: exit status $status, expected $want_status"
    [ -z "$want_out" ] || [ "$out" = "$want_out" ] || fail "$what: printed '$out', expected '$want_out'"
}

generators=("Unix Makefiles")
command -v ninja >/dev/null && generators+=(Ninja)
for gen in "${generators[@]}"; do
    g=${gen// /_}
    src=$work/$g/src bld=$work/$g/build
    mkdir -p "$work/$g"
    cp -r "$here/project" "$src"
    echo "consumer: $gen"
    cmake -S "$src" -B "$bld" -G "$gen" -DCMAKE_PREFIX_PATH="$prefix" \
        -DCMAKE_BUILD_TYPE=Release >"$work/$g/configure.log" 2>&1 ||
        { fail "$gen: configure failed: $(tail -n 20 "$work/$g/configure.log")"; continue; }
    if ! cmake --build "$bld" >"$work/$g/build1.log" 2>&1; then
        fail "$gen: build failed: $(tail -n 20 "$work/$g/build1.log")"
        continue
    fi
    grep -q 'unrecurse parse.c' "$work/$g/build1.log" || fail "$gen: the first build did not rewrite parse.c"

    run_with_stack unlimited "$work/$g/small" "$bld/nest" 5
    check_run "$gen: nest 5" 0 15 "$work/$g/small"
    run_with_stack 64 "$work/$g/native" "$bld/nest_native" "$deep"
    [ "$(cat "$work/$g/native.status")" -gt 128 ] ||
        fail "$gen: the native build survived depth $deep under 64 KiB (status $(cat "$work/$g/native.status")): the deep run proves nothing"
    run_with_stack 64 "$work/$g/deep" "$bld/nest" "$deep"
    check_run "$gen: nest $deep under 64 KiB" 0 $((3 * deep)) "$work/$g/deep"

    cmake --build "$bld" >"$work/$g/build2.log" 2>&1 || fail "$gen: the second build failed"
    if grep -q 'unrecurse parse.c' "$work/$g/build2.log"; then
        fail "$gen: a build with nothing changed rewrote parse.c again"
    fi

    sleep 1 # a newer time stamp than the rewritten file's, on any file system
    sed -i 's/#define NEST_WEIGHT 3/#define NEST_WEIGHT 4/' "$src/include/nest.h"
    cmake --build "$bld" >"$work/$g/build3.log" 2>&1 || fail "$gen: the build after the header change failed"
    grep -q 'unrecurse parse.c' "$work/$g/build3.log" ||
        fail "$gen: changing include/nest.h did not rewrite parse.c again"
    echo "--- rebuild after a change to include/nest.h:" >>"$work/rebuild.log"
    cat "$work/$g/build3.log" >>"$work/rebuild.log"
    run_with_stack unlimited "$work/$g/small4" "$bld/nest" 5
    check_run "$gen: nest 5 after the header change" 0 20 "$work/$g/small4"

    cat >>"$src/parse.c" <<'EOF'

long nest_generic(long n)
{
    return n > 0 ? _Generic(n, long: nest_generic(n - 1), default: 0) : 0;
}
EOF
    line=$(grep -n '_Generic' "$src/parse.c" | cut -d: -f1)
    if cmake --build "$bld" >"$work/$g/build4.log" 2>&1; then
        fail "$gen: a parser the tool rejects built"
    elif ! grep -Eq "$src/parse.c:$line:[0-9]+: error: recursive call inside _Generic" "$work/$g/build4.log"; then
        fail "$gen: the failed build does not show the tool's diagnostic at parse.c:$line: $(tail -n 15 "$work/$g/build4.log")"
    fi
done

# pkg-config, by hand, against the shared library.
mkdir -p "$work/pc"
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
if flags=$(pkg-config --cflags --libs unrecurse); then
    "$prefix/bin/unrecurse" --all "$here/project/parse.c" -o "$work/pc/parse.c" \
        -- -I"$here/project/include" 2>"$work/pc/tool.log" || fail "pkg-config: the rewrite failed"
    # shellcheck disable=SC2086 # FLAGS is a list
    gcc -O2 -I"$here/project/include" "$here/project/main.c" "$work/pc/parse.c" $flags \
        -Wl,-rpath,"$prefix/lib" -o "$work/pc/nest" 2>"$work/pc/cc.log" ||
        fail "pkg-config: the build failed: $(head -c 500 "$work/pc/cc.log")"
    run_with_stack 64 "$work/pc/deep" "$work/pc/nest" "$deep"
    check_run "pkg-config: nest $deep under 64 KiB" 0 $((3 * deep)) "$work/pc/deep"
else
    fail "pkg-config --cflags --libs unrecurse failed"
fi

echo "consumer: built with ${generators[*]} and pkg-config"
finish consumer "$work"
