#!/usr/bin/env bash
# tool_errors.sh - the tool's usage and I/O errors: exit status 2, the message,
# nothing written, nothing leaked.
#
# usage: tool_errors.sh TOOL WORK_DIR
#
# Each case gives the tool options that it collects before it finds the
# error (-f NAME, flags after --), so that an error path that does not free
# them leaks: in a sanitized build tree, LeakSanitizer reports it and the
# exit status becomes 99 (tests/CMakeLists.txt). Each case must
#  - exit with status 2 (a usage or I/O error; 1 would be a rejected input);
#  - print "unrecurse: error: TEXT" on standard error, and for a usage
#    error the usage after it;
#  - write no -o file, and leave nothing beside it;
#  - give no sanitizer report.
# The cases: an unknown option, an option without its argument, two inputs,
# no input, --graph without its argument; an input that cannot be read, an -o
# target in a directory that does not exist; -p DIR where DIR does not
# exist, has no compile_commands.json, has a malformed one, or has one that
# does not list the input.
set -euo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

expect_args 2 "TOOL WORK_DIR" "$@"
tool=$(absolute "$1") work=$2
rm -rf "$work"
mkdir -p "$work/out" "$work/nodb" "$work/malformed" "$work/other"
work=$(cd "$work" && pwd)
failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

input=$work/walk.c
out=$work/out/walk.rewritten.c
printf 'int walk(int n) { return n ? walk(n - 1) : 0; }\n' >"$input"
printf '[{"directory": "%s", "file": ' "$work" >"$work/malformed/compile_commands.json"
printf '[{"directory": "%s", "arguments": ["cc", "-c", "other.c"], "file": "other.c"}]\n' \
    "$work" >"$work/other/compile_commands.json"

# expect_error TEXT ARGS...: runs the tool with ARGS; it must fail as the
# top of this file says, with "unrecurse: error: TEXT".
expect_error() {
    local text=$1 rc=0 report left before=$failures
    shift
    "$tool" "$@" >"$work/stdout" 2>"$work/stderr" || rc=$?
    echo "errors: unrecurse $*: exit status $rc"
    [ "$rc" -eq 2 ] || fail "exit status $rc, expected 2 (usage or I/O error)"
    grep -qF "unrecurse: error: $text" "$work/stderr" ||
        fail "no 'unrecurse: error: $text' on standard error"
    if report=$(sanitizer_report "$work/stderr"); then
        fail "$report"
    fi
    left=$(find "$work/out" -mindepth 1 -printf '%f ')
    [ -z "$left" ] || fail "files were written: $left"
    if [ "$failures" -gt "$before" ]; then
        sed 's/^/  | /' "$work/stderr" | head -n 40
    fi
    rm -rf "$work/out"
    mkdir "$work/out"
}

# expect_usage_error TEXT ARGS...: expect_error, and the usage must follow.
expect_usage_error() {
    expect_error "$@"
    grep -q '^usage: unrecurse ' "$work/stderr" || fail "no usage after the error"
}

expect_usage_error "unknown option '--bogus'" -f walk --bogus "$input" -o "$out"
expect_usage_error "option '-o' needs an argument" -f walk "$input" -o
expect_usage_error "more than one input file ('$input')" -f walk "$input" "$input" -o "$out"
expect_usage_error "no input file" -f walk -o "$out" -- -DX
expect_usage_error "option '--graph' needs an argument" -f walk "$input" -o "$out" --graph
expect_error "cannot read '$work/missing.c'" -f walk "$work/missing.c" -o "$out" -- -DX
expect_error "cannot create '$work/missing/walk.rewritten.c.unrecurse-" \
    -f walk "$input" -o "$work/missing/walk.rewritten.c" -- -DX
expect_error "cannot load $work/missing/compile_commands.json" \
    -f walk -p "$work/missing" "$input" -o "$out" -- -DX
expect_error "cannot load $work/nodb/compile_commands.json" \
    -f walk -p "$work/nodb" "$input" -o "$out" -- -DX
expect_error "cannot load $work/malformed/compile_commands.json" \
    -f walk -p "$work/malformed" "$input" -o "$out" -- -DX
expect_error "$input is not in $work/other/compile_commands.json; give its flags after '--' instead" \
    -f walk -p "$work/other" "$input" -o "$out" -- -DX

if [ "$failures" -gt 0 ]; then
    echo "errors: FAILED ($failures check(s) failed)"
    exit 1
fi
echo "errors: passed"
