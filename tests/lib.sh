# shellcheck shell=bash disable=SC2034 # the variables are for the scripts that source it
# lib.sh - shell helpers shared by the test scripts (tests/e2e/*.sh,
# tests/random/run.sh, tests/real/run.sh, tests/suites/run.sh) and
# scripts/demo.sh. Source it, from bash:
#
#     . "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
#
# It defines functions and a few variables, and runs nothing. The variables
# (a script may change them after sourcing):
#   small_stack   the stack, in KiB, that rewritten programs must run deep
#                 on (ulimit -s), and that their originals must overflow
#   strict        the warning flags the rewritten files must compile under
#   gcc, clang    the compilers: $CC_GCC and $CC_CLANG, default gcc, clang
#   run_timeout   seconds a program may run (run_with_stack; describe says
#                 it); default 60
#   sanitize      the options that build a test program under the sanitizers
#                 of a sanitized build tree, which passes them in
#                 $UNRECURSE_TEST_SANITIZE (-DUNRECURSE_SANITIZE=ON); empty
#                 in a plain one
#   run_memory    KiB of address space a program may map (ulimit -v in
#                 run_with_stack); default empty, no limit

small_stack=64 # KiB
strict=(-Wall -Wextra -Werror)
gcc=${CC_GCC:-gcc}
clang=${CC_CLANG:-clang}
run_timeout=60
read -r -a sanitize <<<"${UNRECURSE_TEST_SANITIZE:-}"
run_memory=

# describe STATUS: an exit status the way a shell user would read it (124
# is timeout(1)'s: the program ran out of time).
describe() {
    local rc=$1 sig
    if [ "$rc" -eq 124 ]; then
        echo "timed out after ${run_timeout}s"
    elif [ "$rc" -gt 128 ]; then
        sig=$(kill -l $((rc - 128)) 2>/dev/null || echo "$((rc - 128))")
        case $sig in
            SEGV) echo "killed by SIGSEGV (segmentation fault; stack overflow?)" ;;
            *) echo "killed by SIG$sig" ;;
        esac
    else
        echo "exit status $rc"
    fi
}

# killed_by_signal STATUS: is STATUS that of a program killed by a signal
# (and not timeout(1)'s 124)?
killed_by_signal() {
    [ "$1" -gt 128 ]
}

# abnormal STATUS: did the program not end by itself (killed by a signal,
# or out of time)?
abnormal() {
    [ "$1" -gt 128 ] || [ "$1" -eq 124 ]
}

# sanitizer_report FILE: prints the first line of a report of
# AddressSanitizer, LeakSanitizer or UBSan in FILE (what a program wrote on
# standard error); fails if there is none.
sanitizer_report() {
    grep -a -m1 -E '^==[0-9]+==ERROR: [A-Za-z]+Sanitizer|: runtime error: ' "$1"
}

# run_with_stack STACK OUT COMMAND ARGS...: runs COMMAND with a stack limit
# of STACK KiB (or "unlimited", or "default": the limit as it is), no core
# dumps, a limit of $run_timeout seconds (and of $run_memory KiB of address
# space, if set); leaves OUT.stdout, OUT.stderr and OUT.status (the exit
# status, as describe takes it). COMMAND is a test program: built with
# $sanitize, it is not checked for leaks, as test programs leave what they
# allocated to exit (no one frees a tree 10^6 deep); the tool and the
# runtime's suites are.
run_with_stack() {
    local stack=$1 out=$2 rc=0
    shift 2
    # The braces keep the shell's own "Segmentation fault" notice quiet.
    {
        (
            ulimit -c 0
            export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
            [ -z "$run_memory" ] || ulimit -v "$run_memory"
            case $stack in
                default) ;;
                unlimited) ulimit -s unlimited 2>/dev/null || ulimit -s "$(ulimit -H -s)" ;;
                *) ulimit -s "$stack" ;;
            esac
            exec timeout "$run_timeout" "$@"
        ) >"$out.stdout" 2>"$out.stderr" || rc=$?
    } 2>/dev/null
    echo "$rc" >"$out.status"
}

# located_error FILE: does FILE (a tool's standard error) hold a located
# diagnostic, "PATH:LINE:COL: error: ..."?
located_error() {
    grep -aqE ':[0-9]+:[0-9]+: error: ' "$1"
}

# same_run EXPECTED ACTUAL: did two runs of run_with_stack (their OUT
# prefixes) give the same standard output and exit status?
same_run() {
    cmp -s "$1.stdout" "$2.stdout" && [ "$(cat "$1.status")" = "$(cat "$2.status")" ]
}

# test_spec FILE...: the "unrecurse-test: ..." line of the first FILE that
# has one, from "unrecurse-test:" on (nothing if none has).
test_spec() {
    cat "$@" | grep -m1 -o 'unrecurse-test:.*' || true
}

# spec_value SPEC KEY: the value of KEY=VALUE in SPEC (nothing if absent).
spec_value() {
    sed -n "s/.*[[:space:]]$2=\\([^[:space:]]*\\).*/\\1/p" <<<"$1"
}

# absolute PATH: PATH made absolute if it names a directory (has a slash),
# so that it still works after a cd; a bare command name is left to PATH.
absolute() {
    case $1 in
        */*) echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")" ;;
        *) echo "$1" ;;
    esac
}

# expect_args COUNT USAGE ARGS...: exits 2 with "usage: SCRIPT USAGE"
# unless there are COUNT ARGS.
expect_args() {
    local count=$1 usage=$2
    shift 2
    if [ $# -ne "$count" ]; then
        echo "usage: $0 $usage" >&2
        exit 2
    fi
}

# fresh_dir DIR: empties DIR (made if missing) and prints its absolute path.
fresh_dir() {
    rm -rf "$1"
    mkdir -p "$1"
    (cd "$1" && pwd)
}

# fail MESSAGE: one failed check, counted in failures; the script reports
# them at its end (finish NAME).
failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# finish NAME [WHERE]: "NAME: passed" and exit 0, or the failed checks'
# count (and WHERE, where their files are) and exit 1.
finish() {
    if [ "$failures" -ne 0 ]; then
        echo "$1: FAILED ($failures check(s) failed)${2:+; everything is in $2}"
        exit 1
    fi
    echo "$1: passed"
    exit 0
}

# make_work_dir NAME: sets work to a new temporary directory, removed when
# the script exits.
make_work_dir() {
    work=$(mktemp -d "${TMPDIR:-/tmp}/unrecurse-$1.XXXXXX")
    trap 'rm -rf "$work"' EXIT
}

# write_long_expression TERMS: a recursive function whose return
# expression is a left-nested tree of TERMS binary operators, and a main
# that prints f(20). Both libclang's parser and the tool recurse on it.
write_long_expression() {
    local terms=$1 i
    echo '#include <stdio.h>'
    echo 'long f(long n)'
    echo '{'
    echo '    if (n <= 0)'
    echo '        return 0;'
    printf '    return (f(n - 1)'
    for ((i = 0; i < terms; i++)); do printf ' + n'; done
    echo ') % 1000003;'
    echo '}'
    echo 'int main(void) { printf("%ld\n", f(20)); return 0; }'
}

# write_else_if_chain BRANCHES: a recursive function that is an else-if
# chain of BRANCHES branches, a recursive call in each (as many call sites
# as branches), and a main that prints f(12, k) for a few k.
write_else_if_chain() {
    local branches=$1 i
    echo '#include <stdio.h>'
    echo 'long f(long n, long k)'
    echo '{'
    echo '    if (n <= 0)'
    echo '        return k;'
    for ((i = 0; i < branches; i++)); do
        echo "    else if (k == $i)"
        echo "        return (f(n - 1, k + $((i % 7))) + $i) % 1000003;"
    done
    echo '    return f(n - 1, k / 2);'
    echo '}'
    printf 'int main(void) { printf("%%ld %%ld %%ld\\n", f(12, 3), f(12, %d), f(12, 1L << 40)); return 0; }\n' \
        $((branches - 1))
}

# ---- Debian source packages (tests/real/run.sh, tests/suites/run.sh) ----

# as_root COMMAND ARGS...: runs COMMAND as root (through sudo unless root).
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}
# have_deb_src: do the apt sources have a deb-src entry?
have_deb_src() {
    grep -rqsE '^[[:space:]]*(deb-src[[:space:]]|Types:.*deb-src)' \
        /etc/apt/sources.list /etc/apt/sources.list.d/
}
# add_deb_src: derives deb-src from the system's deb822 sources: the same
# stanzas (URIs, Suites, Components, Signed-By) with Types: deb-src, in
# /etc/apt/sources.list.d/unrecurse-deb-src.sources (and one-line entries
# of sources.list in unrecurse-deb-src.list). Returns 1 if there are none.
add_deb_src() {
    local out=/etc/apt/sources.list.d/unrecurse-deb-src.sources tmp
    tmp=$(mktemp)
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] && [ "$f" != "$out" ] || continue
        awk 'BEGIN { RS = ""; ORS = "\n\n" }
             /(^|\n)Types:[^\n]*(^|[ \t])deb([ \t\n]|$)/ &&
             !/(^|\n)Enabled:[ \t]*no/ {
                 gsub(/(^|\n)Types:[^\n]*/, "\nTypes: deb-src"); sub(/^\n/, ""); print }' "$f" >>"$tmp"
    done
    # One-line sources.list entries, if any.
    if [ -f /etc/apt/sources.list ]; then
        grep -E '^[[:space:]]*deb[[:space:]]' /etc/apt/sources.list |
            sed -E 's/^[[:space:]]*deb[[:space:]]/deb-src /' >"$tmp.list" || true
        [ -s "$tmp.list" ] && as_root cp "$tmp.list" /etc/apt/sources.list.d/unrecurse-deb-src.list
    fi
    if [ ! -s "$tmp" ] && [ ! -s "$tmp.list" ]; then
        rm -f "$tmp" "$tmp.list"
        return 1
    fi
    [ -s "$tmp" ] && as_root install -m 644 "$tmp" "$out"
    rm -f "$tmp" "$tmp.list"
}
# installed PACKAGE: is the Debian package PACKAGE installed?
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# apt_source_ready SOURCE LOG [PACKAGE...]: makes `apt-get source SOURCE`
# possible (a deb-src entry derived from the system's deb sources by
# add_deb_src if there is none, then apt-get update; or just the update if
# apt does not know SOURCE yet) and installs each PACKAGE that is missing.
# What apt says goes to LOG. Returns 1 if any of it failed.
apt_source_ready() {
    local source=$1 log=$2 missing=() p
    shift 2
    for p in "$@"; do
        installed "$p" || missing+=("$p")
    done
    if ! have_deb_src; then
        echo "no deb-src in the apt sources; deriving one from the deb entries" | tee -a "$log"
        add_deb_src >>"$log" 2>&1 || { echo "no deb sources to derive deb-src from" >>"$log"; return 1; }
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$log" 2>&1 || return 1
    elif ! apt-cache showsrc "$source" 2>/dev/null | grep -q '^Package:'; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$log" 2>&1 || return 1
    fi
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "installing: ${missing[*]}" >>"$log"
        as_root env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$log" 2>&1 || return 1
    fi
}
