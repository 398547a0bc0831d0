#!/usr/bin/env bash
# deep_input.sh - the tool on deeply nested input: a recursive function
# whose return expression has 16,000 terms (a left-nested tree of 16,000
# binary operators, which libclang's parser and the tool's own walk both
# recurse on). The tool must not crash: it rewrites the function, and the
# rewritten program prints what the original prints. In a sanitized build
# tree the rewritten program is linked with the sanitized runtime ($sanitize,
# tests/lib.sh) but not instrumented itself: gcc's UBSan takes minutes on
# 16,000 checked additions.
#
# usage: deep_input.sh TOOL RUNTIME_DIR RUNTIME_LIB WORK_DIR
set -euo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

tool=$1 runtime=$2 lib=$3 work=$4
rm -rf "$work"
mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

terms=16000
{
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
} > "$work/big.c"

rc=0
"$tool" --all "$work/big.c" -o "$work/big.rewritten.c" 2>"$work/tool.log" || rc=$?
[ "$rc" -eq 0 ] || fail "the tool exited with status $rc on a $terms-term expression: $(head -c 300 "$work/tool.log")"
cc -O0 "$work/big.c" -o "$work/native"
cc -O0 -I"$runtime" -c "$work/big.rewritten.c" -o "$work/big.rewritten.o"
cc ${sanitize[@]+"${sanitize[@]}"} "$work/big.rewritten.o" "$lib" -o "$work/rewritten"
[ "$("$work/native")" = "$("$work/rewritten")" ] || fail "the rewritten program prints something else"
echo "deep_input: $terms terms rewritten, same output"
