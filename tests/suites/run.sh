#!/usr/bin/env bash
# run.sh - a public C test suite through `unrecurse --all`: gcc's C torture
# tests, every program of them, each compiled natively and rewritten.
#
# usage: tests/suites/run.sh [OPTIONS] [SUITE...]
#
#   SUITE  execute     gcc.c-torture/execute/*.c (the default): programs
#                      that abort on a wrong result; the rewritten build must
#                      exit and print as the original does
#          compile     gcc.c-torture/compile/*.c: compile-only; a file the
#                      tool rewrites (exit 0) must compile
#          dg-torture  gcc.dg/torture/*.c: those with `dg-do run` as in
#                      execute, the others compile-only
#
# options:
#   --tool PATH     the unrecurse binary (default build/tool/unrecurse)
#   --runtime LIB   libunrecurse.a (default build/runtime/libunrecurse.a)
#   --work DIR      work tree (default build/suites)
#   --source PKG    the Debian source package of gcc (default gcc-12)
#   --only GLOB     only the tests whose file name matches GLOB (e.g. 'pr8*')
#   --jobs N        tests run in parallel (default 2)
#   --keep          keep every test's files, not only the findings'
#
# Fetch: `apt-get source --download-only PKG` into WORK/source (a deb-src
# entry is derived from the system's own deb sources if there is none), and
# only gcc/testsuite/gcc.c-torture/ and gcc/testsuite/gcc.dg/ extracted from
# it (the orig tarball of gcc holds gcc's own tarball); nothing is fetched
# again once they are there.
#
# Each test program FILE.c:
#  1. compiled natively with gcc -w -O0 (plus the options of its
#     dg-options and dg-additional-options lines that have no target
#     selector; linked with -lm, as gcc's own harness does) and run
#     (unless compile-only): if it does not compile, or does not exit 0 by
#     itself, it is "not applicable", with the reason;
#  2. through `unrecurse --all FILE.c -o OUT.c` (10 s of CPU time at most,
#     and 120 s of wall time, so that a loaded machine does not make a hang;
#     -std, -D and -fgnu89-inline of those options after --), and
#     `unrecurse --list`;
#  3. classified:
#       no recursion  exit 0 and OUT.c the same bytes as FILE.c
#       rejected      exit 1, no OUT.c, the first error line located
#                     (FILE:LINE:COL: error: ...); counted by message kind
#       rewritten     exit 0 and OUT.c differs: OUT.c compiled with the same
#                     flags (-I runtime, libunrecurse.a -pthread), run, and
#                     its exit status and standard output compared with the
#                     original's ("rewritten and equal"); compile-only: it
#                     compiles ("rewritten, compiles")
#     Anything else is a finding: a crash or a hang of the tool, another
#     exit status, a rejection without a located error or with an output
#     file, no OUT.c after exit 0, OUT.c that does not compile, a different
#     exit status or output, or OUT.c unchanged while --list reports
#     functions on recursion cycles.
#
# Printed per suite: the counts (total, not applicable by reason, no
# recursion, rewritten and equal, rejected by reason, findings, each with
# its file). Everything stays in WORK/SUITE/: results.tsv (one line a test:
# class, file, detail), report.txt (the summary), and findings/NAME/ (the
# program, the rewritten file, logs and outputs of each finding, and
# REASON). Exit status 1 if there is a finding, 2 on a usage or fetch error.
#
# Environment: CC_GCC (default gcc), SUITES_TIMEOUT (seconds a program may
# compile or run, default 60).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/lib.sh
. "$root/tests/lib.sh"

run_timeout=${SUITES_TIMEOUT:-60}
tool_cpu=10  # seconds of CPU time
tool_wall=120
cflags=(-w -O0)

# ---------------------------------------------------------------- one test

# dg_options FILE: the options of FILE's dg-options and dg-additional-options
# lines that apply everywhere (those with a { target ... } selector are left
# out), one per line.
dg_options() {
    sed -n -E 's/.*\{ *dg-(additional-)?options +("([^"]*)"|\{ *"([^"]*)" *\}|([^ "{}]+)) *\}.*/\3\4\5/p' "$1" |
        tr ' ' '\n' | grep . || true
}

# first_line LOG: its first error (or its first line), without the
# directory of the file it names; for a link, the linker's error, not
# collect2's.
first_line() {
    local line
    line=$(grep -a -v '^collect2' "$1" | grep -a -m1 -i -E 'error|undefined reference' || true)
    [ -n "$line" ] || line=$(head -n1 "$1")
    sed -E 's|^[^ :]*/||; s|^([^ :]*:)?\(\.text[^)]*\): ||' <<<"$line" | head -c 240
}

# run_tool OUT ARGS...: the tool, with its CPU and wall time limits; its
# standard output and error in OUT and OUT.log.
run_tool() {
    local out=$1
    shift
    # The braces keep the shell's own notice of a crash quiet.
    {
        (ulimit -t "$tool_cpu" && exec timeout "$tool_wall" "$tool" "$@") >"$out" 2>"$out.log"
    } 2>/dev/null
}

# error_kind LINE: a diagnostic reduced to its kind: no location, quoted
# names as 'X', numbers as N, and only up to the first ": " of the message.
error_kind() {
    # shellcheck disable=SC1112 # gcc's quotes
    sed -E 's/^[^ ]*:[0-9]+(:[0-9]+)?: (fatal )?(error|Error): //; s/^[a-z0-9]+: (error|Error): //; s/: .*//; s/‘[^’]*’/‘X’/g' <<<"$1" |
        sed -E "s/'[^']*'/'X'/g; s/[0-9]+/N/g" | head -c 160
}

# suite_dir SUITE: the suite's directory under gcc/testsuite.
suite_dir() {
    case $1 in
        execute | compile) echo "gcc.c-torture/$1" ;;
        dg-torture) echo gcc.dg/torture ;;
    esac
}

# one SUITE FILE: checks one test program, prints one line:
# CLASS<tab>FILE<tab>DETAIL, CLASS one of na, norec, equal (ran the same),
# compiles (compile-only), rejected, finding.
one() {
    local suite=$1 src=$2
    local name dir
    name=$(basename "$src" .c)
    dir=$work/$suite/tests/$name
    rm -rf "$dir"
    mkdir -p "$dir"
    local p=$dir/$name
    cp "$src" "$p.c"
    local srcdir
    srcdir=$(dirname "$src")

    local -a opts tool_opts=(-I "$srcdir")
    mapfile -t opts < <(dg_options "$src")
    local o
    for o in ${opts[@]+"${opts[@]}"}; do
        case $o in -std=* | -D* | -U* | -fgnu89-inline) tool_opts+=("$o") ;; esac
    done
    local -a flags=("${cflags[@]}" ${opts[@]+"${opts[@]}"} -I "$srcdir")
    printf '%s\n' "${flags[*]}" >"$p.flags"

    # 1. Native.
    local run=1
    case $suite in
        compile) run=0 ;;
        dg-torture) grep -qE '\{ *dg-do +run' "$src" || run=0 ;;
    esac
    local -a link=(-lm) runtime=("$runtime_lib" -pthread)
    [ "$run" -eq 1 ] || { link=(-c) runtime=(); }
    local crc=0
    timeout "$run_timeout" "$gcc" "${flags[@]}" "$src" "${link[@]}" -o "$p.native" \
        >"$p.native.log" 2>&1 || crc=$?
    if [ "$crc" -eq 124 ]; then
        verdict na "gcc does not compile it within ${run_timeout} s"
        return
    elif [ "$crc" -ne 0 ]; then
        local line
        line=$(first_line "$p.native.log")
        verdict na "does not compile natively: $(error_kind "$line")" "$line"
        return
    fi
    if [ "$run" -eq 1 ]; then
        run_with_stack default "$p.native" "$p.native"
        local rc
        rc=$(cat "$p.native.status")
        if [ "$rc" -ne 0 ]; then
            verdict na "fails natively: $(describe "$rc")"
            return
        fi
    fi

    # 2. The tool.
    local trc=0
    run_tool "$p.tool" --all "$src" -o "$p.rewritten.c" -- "${tool_opts[@]}" || trc=$?
    run_tool "$p.list" --list "$src" -- "${tool_opts[@]}" || true
    local cycles
    cycles=$(grep -cE "^[^ ].*: (recursive function|cycle of) '" "$p.list" || true)

    # 3. Classify.
    case $trc in
        0) ;;
        1)
            local err
            err=$(grep -a -m1 'error:' "$p.tool.log" || true)
            if [ -e "$p.rewritten.c" ]; then
                verdict finding "rejected (exit status 1) but wrote the output file: $(sed -E 's|^[^ :]*/||' <<<"$err")"
            elif ! grep -qE '^[^ :]+:[0-9]+:[0-9]+: error: ' <<<"$err"; then
                verdict finding "rejected (exit status 1) without a located error: $(head -n1 "$p.tool.log" | head -c 200)"
            else
                verdict rejected "$(error_kind "$err")" "$(sed -E 's|^[^ :]*/||' <<<"$err" | head -c 300)"
            fi
            return
            ;;
        124 | 137 | 152) verdict finding "the tool hung: no result within ${tool_cpu} s of CPU time or ${tool_wall} s of wall time"; return ;;
        *) verdict finding "the tool was $(describe "$trc"): $(head -n1 "$p.tool.log" | head -c 200)"; return ;;
    esac
    if [ ! -f "$p.rewritten.c" ]; then
        verdict finding "the tool exited 0 but wrote no output file"
        return
    fi
    if cmp -s "$src" "$p.rewritten.c"; then
        if [ "$cycles" -gt 0 ]; then
            verdict finding "--all exited 0 and changed nothing, but --list reports $cycles recursive function(s) or cycle(s)"
        else
            verdict norec ""
        fi
        return
    fi

    # Rewritten: it must compile, and (execute) run as the original did.
    if ! timeout "$run_timeout" "$gcc" "${flags[@]}" -I "$runtime_inc" "$p.rewritten.c" \
        ${runtime[@]+"${runtime[@]}"} "${link[@]}" -o "$p.rewritten" >"$p.rewritten.log" 2>&1; then
        verdict finding "the tool exited 0 but its output does not compile: $(first_line "$p.rewritten.log")"
        return
    fi
    local warned=
    grep -aq 'warning:' "$p.tool.log" && warned=" (the tool warned: $(grep -a -m1 'warning:' "$p.tool.log" | sed -E 's|^[^ :]*/||' | head -c 160))"
    if [ "$run" -eq 0 ]; then
        verdict compiles "$cycles recursive function(s) or cycle(s) rewritten; compiles$warned"
        return
    fi
    run_with_stack default "$p.rewritten" "$p.rewritten"
    local a b
    a=$(cat "$p.native.status")
    b=$(cat "$p.rewritten.status")
    if [ "$a" != "$b" ]; then
        verdict finding "the original gave $(describe "$a"), the rewritten program $(describe "$b")"
    elif ! cmp -s "$p.native.stdout" "$p.rewritten.stdout"; then
        verdict finding "standard output differs: $(diff "$p.native.stdout" "$p.rewritten.stdout" | grep -a -m1 '^[<>]' | head -c 160)"
    else
        verdict equal "$cycles recursive function(s) or cycle(s) rewritten; $(describe "$b"), same output$warned"
    fi
}

# verdict CLASS DETAIL [LONG]: prints the test's line (with LONG, the full
# diagnostic behind a DETAIL that is a kind, as a fourth field), keeps a finding's files in
# findings/NAME/ and removes the rest (unless --keep).
verdict() {
    local class=$1 detail=$2 long=${3:-}
    printf '%s\t%s\t%s\t%s\n' "$class" "$name.c" "$detail" "$long"
    if [ "$class" = finding ]; then
        echo "$detail" >"$dir/REASON"
        rm -rf "$work/$suite/findings/$name"
        mkdir -p "$work/$suite/findings"
        mv "$dir" "$work/$suite/findings/$name"
    elif [ "$keep" -eq 0 ]; then
        rm -rf "$dir"
    fi
}

if [ "${1:-}" = --one ]; then
    [ $# -eq 3 ] || exit 2
    tool=$SUITES_TOOL runtime_lib=$SUITES_RUNTIME runtime_inc=$root/runtime
    work=$SUITES_WORK keep=$SUITES_KEEP
    one "$2" "$3"
    exit 0
fi

# ---------------------------------------------------------------- the driver
tool=$root/build/tool/unrecurse
runtime_lib=$root/build/runtime/libunrecurse.a
work=$root/build/suites
package='gcc-12'
only='*'
jobs=2
keep=0
usage() { sed -n '3,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
    case $1 in
        --tool) tool=$2; shift 2 ;;
        --runtime) runtime_lib=$2; shift 2 ;;
        --work) work=$2; shift 2 ;;
        --source) package=$2; shift 2 ;;
        --only) only=$2; shift 2 ;;
        --jobs) jobs=$2; shift 2 ;;
        --keep) keep=1; shift ;;
        -h | --help) usage ;;
        -*) echo "run.sh: unknown option $1" >&2; usage ;;
        *) break ;;
    esac
done
suites=("$@")
[ "${#suites[@]}" -gt 0 ] || suites=(execute)
for s in "${suites[@]}"; do
    case $s in execute | compile | dg-torture) ;; *) echo "run.sh: no suite '$s' (execute, compile, dg-torture)" >&2; usage ;; esac
done
[ -x "$tool" ] || { echo "run.sh: no unrecurse binary at $tool (build with scripts/setup.sh)" >&2; exit 2; }
[ -f "$runtime_lib" ] || { echo "run.sh: no libunrecurse at $runtime_lib (build with scripts/setup.sh)" >&2; exit 2; }
tool=$(absolute "$tool")
runtime_lib=$(absolute "$runtime_lib")
mkdir -p "$work"
work=$(cd "$work" && pwd)

# ---------------------------------------------------------------- fetch
# testsuite: gcc's gcc/testsuite directory, once it is there.
fetch() {
    local log=$work/fetch.log orig inner z
    local -a wanted=('*/gcc/testsuite/gcc.c-torture/*' '*/gcc/testsuite/gcc.dg/*')
    testsuite=$(find "$work/source" -mindepth 3 -maxdepth 3 -type d -path '*/gcc/testsuite' 2>/dev/null | head -1)
    [ -z "$testsuite" ] || [ ! -d "$testsuite/gcc.c-torture" ] || [ ! -d "$testsuite/gcc.dg/torture" ] ||
        return 0
    : >"$log"
    apt_source_ready "$package" "$log" xz-utils || return 1
    rm -rf "$work/source"
    mkdir -p "$work/source"
    (cd "$work/source" && apt-get source --download-only -q "$package") >>"$log" 2>&1 || return 1
    orig=$(find "$work/source" -maxdepth 1 -name '*.orig.tar.*' | head -1)
    [ -n "$orig" ] || { echo "no orig tarball in $work/source" >>"$log"; return 1; }
    # Debian's gcc orig tarball holds upstream's (gcc-12.2.0-dfsg.tar.xz);
    # take just those directories from it, without writing it out.
    inner=$(tar -tf "$orig" | grep -m1 -E '/gcc-[0-9][^/]*\.tar\.(xz|gz|bz2)$' || true)
    if [ -n "$inner" ]; then
        case $inner in *.xz) z=-J ;; *.gz) z=-z ;; *) z=-j ;; esac
        echo "extracting gcc.c-torture/ and gcc.dg/ from $inner in $(basename "$orig")" >>"$log"
        tar -xOf "$orig" "$inner" | tar -x "$z" -C "$work/source" --wildcards "${wanted[@]}" >>"$log" 2>&1 ||
            return 1
    else
        tar -xf "$orig" -C "$work/source" --wildcards "${wanted[@]}" >>"$log" 2>&1 || return 1
    fi
    find "$work/source" -maxdepth 1 -type f -name '*.dsc' -printf '%f\n' | sed 's/\.dsc$//' >"$work/source/VERSION"
    # The download is no longer needed: the tests are out.
    rm -f "$orig"
    testsuite=$(find "$work/source" -mindepth 3 -maxdepth 3 -type d -path '*/gcc/testsuite' | head -1)
    [ -n "$testsuite" ] && [ -d "$testsuite/gcc.c-torture" ] && [ -d "$testsuite/gcc.dg/torture" ]
}
if ! fetch; then
    echo "run.sh: fetching gcc's tests from the Debian source package $package failed; see $work/fetch.log" >&2
    exit 2
fi
version=$(cat "$work/source/VERSION" 2>/dev/null || echo "$package")

# ---------------------------------------------------------------- the suites
# count CLASS: the tests of CLASS in $results.
count() { awk -F'\t' -v c="$1" '$1 == c' "$results" | wc -l; }
# by_kind CLASS: the details of CLASS, with counts, most frequent first.
by_kind() {
    awk -F'\t' -v c="$1" '$1 == c { print $3 }' "$results" | sort | uniq -c | sort -rn | sed 's/^/    /'
}
self=$here/$(basename "${BASH_SOURCE[0]}")
export SUITES_TOOL="$tool" SUITES_RUNTIME="$runtime_lib" SUITES_WORK="$work" SUITES_KEEP="$keep"
export CC_GCC="$gcc" SUITES_TIMEOUT="$run_timeout"
status=0
for suite in "${suites[@]}"; do
    dir=$work/$suite
    rm -rf "$dir"
    mkdir -p "$dir"
    results=$dir/results.tsv
    report=$dir/report.txt
    t0=$(date +%s)
    sdir=$(suite_dir "$suite")
    echo "run.sh: suite $suite: $(find "$testsuite/$sdir" -maxdepth 1 -type f -name "$only" -name '*.c' | wc -l) programs, $jobs at a time" >&2
    find "$testsuite/$sdir" -maxdepth 1 -type f -name "$only" -name '*.c' | sort |
        xargs -r -P "$jobs" -n 1 bash "$self" --one "$suite" >"$results"
    t1=$(date +%s)
    rmdir "$dir/tests" 2>/dev/null || true
    total=$(wc -l <"$results")
    findings=$(count finding)
    {
        echo "suite $suite: $sdir from $version, gcc ${cflags[*]}, $(basename "$tool") --all ($((t1 - t0)) s)"
        echo "  total:                $total"
        echo "  not applicable:       $(count na)"
        by_kind na
        echo "  no recursion:         $(count norec)"
        [ "$suite" = compile ] || echo "  rewritten and equal:  $(count equal)"
        [ "$suite" = execute ] || echo "  rewritten, compiles:  $(count compiles) (compile-only)"
        echo "  rejected:             $(count rejected)"
        by_kind rejected
        echo "  findings:             $findings"
        awk -F'\t' '$1 == "finding" { print "    " $2 ": " $3 }' "$results"
    } | tee "$report"
    [ "$findings" -eq 0 ] || status=1
done
exit "$status"
