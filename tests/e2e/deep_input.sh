#!/usr/bin/env bash
# deep_input.sh - the tool on huge input: a recursive function whose return
# expression has 16,000 terms (a left-nested tree of 16,000 binary
# operators, which libclang's parser and the tool's own walk both recurse
# on), and one that is an else-if chain of 10,000 branches with a call in
# each (libclang's parser recurses on the chain; the tool's liveness once
# took minutes on it). The tool must not crash: it rewrites them, and the
# rewritten programs print what the originals print. (How fast the tool is
# on them: bench/tool_speed.sh.) In a sanitized build tree the rewritten
# programs are linked with the sanitized runtime ($sanitize, tests/lib.sh)
# but not instrumented themselves: gcc's UBSan takes minutes on 16,000
# checked additions.
#
# usage: deep_input.sh TOOL RUNTIME_DIR RUNTIME_LIB WORK_DIR
set -euo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

tool=$1 runtime=$2 lib=$3 work=$4
rm -rf "$work"
mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

# The rewritten chain is compiled and run at a size gcc compiles in
# seconds (-O0 takes minutes at 10,000); the tool runs on the big one.
terms=16000 branches=10000 branches_run=1500

# check_same NAME: NAME.c and its rewrite print the same.
check_same() {
    cc -O0 "$work/$1.c" -o "$work/$1.native"
    cc -O0 -I"$runtime" -c "$work/$1.rewritten.c" -o "$work/$1.rewritten.o"
    cc ${sanitize[@]+"${sanitize[@]}"} "$work/$1.rewritten.o" "$lib" -o "$work/$1.rewritten"
    [ "$("$work/$1.native")" = "$("$work/$1.rewritten")" ] ||
        fail "$1: the rewritten program prints something else"
}

# rewrite NAME WHAT: runs the tool on NAME.c, which must succeed.
rewrite() {
    local rc=0
    "$tool" --all "$work/$1.c" -o "$work/$1.rewritten.c" 2>"$work/$1.log" || rc=$?
    [ "$rc" -eq 0 ] || fail "the tool exited with status $rc on $2: $(head -c 300 "$work/$1.log")"
}

write_long_expression "$terms" >"$work/expression.c"
rewrite expression "a $terms-term expression"
check_same expression

write_else_if_chain "$branches" >"$work/chain.c"
rewrite chain "an else-if chain of $branches branches"
write_else_if_chain "$branches_run" >"$work/chain_run.c"
rewrite chain_run "an else-if chain of $branches_run branches"
check_same chain_run
echo "deep_input: a $terms-term expression and else-if chains of $branches and $branches_run" \
    "branches rewritten; the programs that were run agree"
