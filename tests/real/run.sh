#!/usr/bin/env bash
# shellcheck disable=SC2154,SC2034 # real_* come from LIB/lib.sh; tests/lib.sh reads run_timeout
# run.sh - the real-library harness: a third-party C library, unedited, through
# `unrecurse --all`, measured by its own test suite and a deep input.
#
# usage: tests/real/run.sh [OPTIONS] LIB [TOOL]
#
#   LIB    a directory tests/real/LIB/ with lib.sh (how to build and test the
#          library) and deep.c (the deep driver); see tests/real/README.md
#   TOOL   the unrecurse binary (default: build/tool/unrecurse)
#
# options:
#   --strict       stop after the rewrite stage if the tool rejected a file
#                  (default: keep each rejected file as it was, or rewrite only
#                  the cycles of it the tool accepts, and measure the rest)
#   --depth N      nesting of the deep input (default 1000000)
#   --stack KIB    the small stack of the deep runs, in KiB (default 256)
#   --work DIR     work tree (default build/real/LIB)
#   --runtime LIB  libunrecurse.a (default build/runtime/libunrecurse.a)
#
# Stages, one summary line each (PASS/FAIL), then "N passed, M failed":
#   fetch      the Debian source package, with `apt-get source` (a deb-src
#              entry is derived from the system's own deb sources if there is
#              none), and the build dependencies the library needs
#   original   the library built by its own build system; its own tests
#   rewrite    every .c file of the library proper through `unrecurse --all`
#   rewritten  the rewritten library built the same way, libunrecurse linked
#              in through build-system variables only; its own tests, which
#              must pass as many as the original's
#   deep.MODE  the deep driver, input nested --depth deep, under ulimit -s
#              --stack: the original build must be killed by a signal, the
#              rewritten one must finish with the right result
# Exit status 0 when every stage passed, 1 otherwise, 2 on a usage error.
# Everything a run makes stays in the work tree: logs, both builds, the
# tool's diagnostics per file (rewrite/*.diag), report.txt.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=../lib.sh
. "$root/tests/lib.sh"

strict=0
depth=1000000
stack=256
work=
runtime_lib=$root/build/runtime/libunrecurse.a
usage() { sed -n '3,/^set -uo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
    case $1 in
        --strict) strict=1; shift ;;
        --depth) depth=$2; shift 2 ;;
        --stack) stack=$2; shift 2 ;;
        --work) work=$2; shift 2 ;;
        --runtime) runtime_lib=$2; shift 2 ;;
        -h|--help) usage ;;
        -*) echo "run.sh: unknown option $1" >&2; usage ;;
        *) break ;;
    esac
done
[ $# -ge 1 ] && [ $# -le 2 ] || usage
lib=$1
tool=${2:-$root/build/tool/unrecurse}
libdir=$here/$lib
[ -f "$libdir/lib.sh" ] || { echo "run.sh: no library '$lib' (no $libdir/lib.sh)" >&2; exit 2; }
[ -x "$tool" ] || { echo "run.sh: no unrecurse binary at $tool (build with scripts/setup.sh)" >&2; exit 2; }
[ -f "$runtime_lib" ] || { echo "run.sh: no libunrecurse at $runtime_lib (build with scripts/setup.sh)" >&2; exit 2; }
tool=$(cd "$(dirname "$tool")" && pwd)/$(basename "$tool")
runtime_lib=$(cd "$(dirname "$runtime_lib")" && pwd)/$(basename "$runtime_lib")
runtime_inc=$root/runtime
work=${work:-$root/build/real/$lib}
mkdir -p "$work"
work=$(cd "$work" && pwd)
jobs=${REAL_JOBS:-2}
run_timeout=${REAL_TIMEOUT:-120}

# ---------------------------------------------------------------- reporting
passed=0
failed=0
report=$work/report.txt
: >"$report"
say() { echo "$*" | tee -a "$report"; }
stage() { # stage PASS|FAIL NAME TEXT...
    local verdict=$1 name=$2
    shift 2
    if [ "$verdict" = PASS ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
    say "$verdict $lib.$name: $*"
}
finish() {
    say "real.$lib: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
}
seconds() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# ---------------------------------------------------------------- the library's hooks
# lib.sh sets real_package (Debian source package), real_packages (Debian
# packages the build needs) and real_build_system (cmake or make), and defines
#   real_sources           the .c files of the library proper, relative to
#                          the source tree (run in it)
# and, for cmake: real_cmake_args (array), real_deep_target (the library
# target), real_deep_cflags (extra C flags of the deep build), and
#   real_driver_flags BLD  compile/link flags of the deep driver against BLD
# A make-based library defines real_configure, real_build, real_test,
# real_tool_flags and real_driver_flags itself (see tests/real/README.md).
real_cmake_args=()
real_deep_cflags=
real_deep_modes=()
# shellcheck source=/dev/null
. "$libdir/lib.sh"

# cmake_configure SRC BLD CFLAGS LIBS [ARGS...]
cmake_configure() {
    local src=$1 bld=$2 cflags=$3 libs=$4
    shift 4
    cmake -S "$src" -B "$bld" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
        "-DCMAKE_C_FLAGS=$cflags" "-DCMAKE_C_STANDARD_LIBRARIES=$libs" \
        "${real_cmake_args[@]}" "$@"
}
if [ "$real_build_system" = cmake ]; then
    real_configure() { cmake_configure "$@"; }
    real_build() { cmake --build "$1" -j"$jobs" ${2:+--target "$2"}; }
    # real_test BLD LOG: run the tests, set test_total and test_failed
    real_test() {
        (cd "$1" && ctest -j"${REAL_TEST_JOBS:-1}" --timeout 300) >"$2" 2>&1
        local line
        line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$2" | tail -1)
        test_total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$line")
        test_failed=$(sed -E 's/.*passed, ([0-9]+) tests? failed.*/\1/' <<<"$line")
        [ -n "$line" ] || { test_total=0; test_failed=0; }
    }
    real_tool_flags() { echo "-p $1"; }
fi

# ---------------------------------------------------------------- fetch
fetch() {
    local log=$work/fetch.log
    : >"$log"
    apt_source_ready "$real_package" "$log" dpkg-dev "${real_packages[@]}" || return 1
    src=$(find "$work/source" -mindepth 1 -maxdepth 1 -type d -name "$real_package-*" 2>/dev/null | head -1)
    if [ -z "$src" ]; then
        rm -rf "$work/source"
        mkdir -p "$work/source"
        (cd "$work/source" && apt-get source -q "$real_package") >>"$log" 2>&1 || return 1
        src=$(find "$work/source" -mindepth 1 -maxdepth 1 -type d -name "$real_package-*" | head -1)
        [ -n "$src" ] || return 1
    fi
    version=$(basename "$src")
}

if fetch; then
    stage PASS fetch "$version (apt-get source into ${work#"$root"/}/source)"
else
    stage FAIL fetch "see $work/fetch.log"
    finish
fi

# ---------------------------------------------------------------- original
orig_bld=$work/original
t_orig=
build_and_test() { # build_and_test NAME SRC BLD CFLAGS LIBS -> test_* and t_*
    local name=$1 s=$2 b=$3 cflags=$4 libs=$5 t0 t1
    rm -rf "$b"
    if ! real_configure "$s" "$b" "$cflags" "$libs" >"$work/$name.configure.log" 2>&1; then
        build_error="configure failed, see $work/$name.configure.log"
        return 1
    fi
    if ! real_build "$b" >"$work/$name.build.log" 2>&1; then
        build_error="build failed, see $work/$name.build.log"
        return 1
    fi
    t0=$(seconds)
    real_test "$b" "$work/$name.test.log"
    t1=$(seconds)
    test_time=$(elapsed "$t0" "$t1")
}
if build_and_test original "$src" "$orig_bld" "" ""; then
    orig_total=$test_total orig_failed=$test_failed t_orig=$test_time
    if [ "$orig_total" -gt 0 ] && [ "$orig_failed" -eq 0 ]; then
        stage PASS original "tests $((orig_total - orig_failed))/$orig_total passed in ${t_orig}s"
    else
        stage FAIL original "tests $((orig_total - orig_failed))/$orig_total passed in ${t_orig}s (see $work/original.test.log)"
    fi
else
    stage FAIL original "$build_error"
    orig_total=0 orig_failed=0
fi

# ---------------------------------------------------------------- rewrite
# The copy is configured first: its compilation database (or flags) is what
# the tool parses each file with. The link of libunrecurse and -I for
# unrecurse.h go through build-system variables only.
rw_src=$work/rewritten-src
rw_bld=$work/rewritten
rw_cflags="-I$runtime_inc"
rw_libs="$runtime_lib -pthread"
rm -rf "$rw_src" "$rw_bld" "$work/rewrite"
cp -a "$src" "$rw_src"
mkdir -p "$work/rewrite"
real_configure "$rw_src" "$rw_bld" "$rw_cflags" "$rw_libs" >"$work/rewritten.configure.log" 2>&1 ||
    { stage FAIL rewrite "configuring the copy failed, see $work/rewritten.configure.log"; finish; }

# names_in LINE: the quoted function names of a --list cycle line.
names_in() { grep -o "'[^']*'" <<<"$1" | tr -d "'"; }
files_total=0 files_rewritten=0 files_plain=0 files_rejected=0 files_partial=0
funcs_cycles=0 funcs_rewritten=0
rejected_summary=()
mapfile -t sources < <(cd "$rw_src" && real_sources | sort)
read -ra tflags <<<"$(real_tool_flags "$rw_bld")"
{
    echo "tool: $tool"
    "$tool" --version 2>&1 || true
} >"$work/rewrite/tool.txt"
for f in "${sources[@]}"; do
    files_total=$((files_total + 1))
    key=${f//\//_}
    out=$work/rewrite/$key
    # The cycles of the file and which of them the tool can rewrite.
    (cd "$rw_src" && "$tool" --list "${tflags[@]}" "$f") >"$out.list" 2>&1
    cycles=() ok_names=()
    while IFS= read -r line; do
        case $line in
            *"recursive function '"*|*"cycle of '"*) ;;
            *) continue ;;
        esac
        mapfile -t names < <(names_in "${line%%\': *}'")
        cycles+=("${names[*]}")
        funcs_cycles=$((funcs_cycles + ${#names[@]}))
        case $line in
            *"cannot be rewritten"*) ;;
            *) ok_names+=("${names[@]}") ;;
        esac
    done < <(grep -E "^[^ ].*(recursive function|cycle of) '" "$out.list")
    rc=0
    (cd "$rw_src" && "$tool" --all "$f" -o "$out.c" "${tflags[@]}") >"$out.diag" 2>&1 || rc=$?
    if [ "$rc" -eq 0 ]; then
        if cmp -s "$out.c" "$rw_src/$f"; then
            files_plain=$((files_plain + 1))
        else
            files_rewritten=$((files_rewritten + 1))
            cp "$out.c" "$rw_src/$f"
            for c in "${cycles[@]}"; do
                read -ra names <<<"$c"
                funcs_rewritten=$((funcs_rewritten + ${#names[@]}))
            done
        fi
        continue
    fi
    files_rejected=$((files_rejected + 1))
    # Per function, from --list: "f, g: FILE:LINE:COL: message".
    mapfile -t reasons < <(awk '
        /^[^ ].*cannot be rewritten/ {
            n = $0; sub(/^[^'"'"']*/, "", n); sub(/'"'"': .*/, "'"'"'", n)
            gsub(/'"'"'/, "", n); next }
        /^[^ ]/ { n = "" }
        /^ +.*error: / && n != "" { l = $0; sub(/^ +/, "", l); sub(/ error: /, " ", l); print n ": " l }
    ' "$out.list")
    if [ "${#reasons[@]}" -eq 0 ]; then
        reasons=("exit status $rc: $(grep -m3 . "$out.diag" | paste -sd ' ' -)")
    fi
    for r in "${reasons[@]}"; do rejected_summary+=("$f: $r"); done
    {
        echo "  rejected $f (--all, exit status $rc):"
        sed 's/^/    /' "$out.diag"
    } >>"$work/rewrite/rejected.txt"
    [ "$strict" -eq 1 ] && continue
    # Keep it as it was, or rewrite only the cycles the tool accepts.
    if [ "${#ok_names[@]}" -gt 0 ]; then
        fargs=()
        for n in "${ok_names[@]}"; do fargs+=(--function "$n"); done
        if (cd "$rw_src" && "$tool" "${fargs[@]}" "$f" -o "$out.partial.c" "${tflags[@]}") \
            >"$out.partial.diag" 2>&1; then
            cp "$out.partial.c" "$rw_src/$f"
            files_partial=$((files_partial + 1))
            funcs_rewritten=$((funcs_rewritten + ${#ok_names[@]}))
            echo "    kept: rewrote only ${ok_names[*]}" >>"$work/rewrite/rejected.txt"
        fi
    fi
done
partly=
[ "$files_partial" -gt 0 ] && partly=" ($files_partial of them partly rewritten, with --function for the cycles the tool accepts)"
say "  rewrite: $files_total files: $files_rewritten rewritten, $files_plain with nothing to rewrite, $files_rejected rejected by the tool$partly"
say "  rewrite: $funcs_rewritten of $funcs_cycles functions on recursion cycles rewritten"
for r in "${rejected_summary[@]}"; do say "  rejected: $r"; done
if [ "$files_rejected" -eq 0 ]; then
    stage PASS rewrite "$files_total files, $funcs_rewritten of $funcs_cycles functions on cycles rewritten"
else
    stage FAIL rewrite "$files_rejected of $files_total files rejected (diagnostics in $work/rewrite/); $funcs_rewritten of $funcs_cycles functions on cycles rewritten"
    [ "$strict" -eq 1 ] && finish
fi

# ---------------------------------------------------------------- rewritten
partial_note=
[ "$files_rejected" -gt 0 ] && partial_note=" (rejected files kept original or partly rewritten)"
if build_and_test rewritten "$rw_src" "$rw_bld" "$rw_cflags" "$rw_libs"; then
    rw_total=$test_total rw_failed=$test_failed t_rw=$test_time
    text="tests $((rw_total - rw_failed))/$rw_total passed in ${t_rw}s, original $((orig_total - orig_failed))/$orig_total in ${t_orig}s$partial_note"
    if [ "$rw_total" -gt 0 ] && [ "$rw_total" -eq "$orig_total" ] && [ "$rw_failed" -le "$orig_failed" ]; then
        stage PASS rewritten "$text"
    else
        stage FAIL rewritten "$text; failed: $(grep -E '^ *[0-9]+ - ' "$work/rewritten.test.log" | sed -E 's/^ *[0-9]+ - //' | head -20 | paste -sd ' ' -)"
    fi
else
    stage FAIL rewritten "$build_error$partial_note"
fi

# ---------------------------------------------------------------- deep
# The library is built once more, original and rewritten, with
# real_deep_cflags (e.g. a depth limit raised), and the driver linked to
# each. Modes: real_deep_modes.
deep_build() { # deep_build NAME SRC CFLAGS LIBS -> driver $work/deep-NAME/deep
    local name=$1 s=$2 cflags=$3 libs=$4 b
    b=$work/deep-$name
    rm -rf "$b"
    deep_log=$work/deep-$name.configure.log
    real_configure "$s" "$b" "$cflags" "$libs" >"$deep_log" 2>&1 || return 1
    deep_log=$work/deep-$name.build.log
    real_build "$b" "${real_deep_target:-}" >"$deep_log" 2>&1 || return 1
    read -ra dflags <<<"$(real_driver_flags "$b")"
    # shellcheck disable=SC2086
    gcc -O2 -std=c99 -Wall -Wextra -o "$b/deep" "$libdir/deep.c" "${dflags[@]}" $libs \
        >>"$work/deep-$name.build.log" 2>&1
}
if ! deep_build original "$src" "$real_deep_cflags" ""; then
    stage FAIL deep "building the original for the deep run failed, see $deep_log"
elif ! deep_build rewritten "$rw_src" "$rw_cflags $real_deep_cflags" "$rw_libs"; then
    stage FAIL deep "building the rewritten library for the deep run failed, see $deep_log"
else
    for mode in "${real_deep_modes[@]}"; do
        o=$work/deep-run.$mode
        # The reference: the original on an unlimited stack must get it right.
        run_with_stack unlimited "$o.reference" "$work/deep-original/deep" "$mode" "$depth"
        run_with_stack "$stack" "$o.original" "$work/deep-original/deep" "$mode" "$depth"
        run_with_stack "$stack" "$o.rewritten" "$work/deep-rewritten/deep" "$mode" "$depth"
        rf=$(cat "$o.reference.status") ro=$(cat "$o.original.status") rr=$(cat "$o.rewritten.status")
        got=$(head -1 "$o.rewritten.stdout")
        text="depth $depth, ulimit -s $stack: original $(describe "$ro"), rewritten $(describe "$rr")${got:+: $got}"
        if [ "$rf" -ne 0 ] || ! grep -q "^$mode ok $depth" "$o.reference.stdout"; then
            stage FAIL "deep.$mode" "the original on an unlimited stack: $(describe "$rf"): $(head -1 "$o.reference.stdout") (the driver or the depth is wrong)"
        elif killed_by_signal "$ro" && [ "$rr" -eq 0 ] && cmp -s "$o.reference.stdout" "$o.rewritten.stdout"; then
            stage PASS "deep.$mode" "$text"
        elif ! killed_by_signal "$ro"; then
            stage FAIL "deep.$mode" "$text (the original did not crash: the input proves nothing)"
        else
            stage FAIL "deep.$mode" "$text"
        fi
    done
fi

finish
