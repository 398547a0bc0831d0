#!/usr/bin/env bash
# compile_cost.sh - the rewritten files of generated programs whose cycles
# once cost gcc -O2 minutes and gigabytes must compile within bounds.
#
# usage: compile_cost.sh TOOL RUNTIME_INCLUDE_DIR GEN WORK_DIR
#
# gcc 12 at -O2 inlines mutually recursive functions into copies of each
# other when their arguments are known at many call sites, and the cycle's
# state machine, calling the cycle back through helpers that are not
# rewritten, had every copy cloned again: more than 6 GB for the seeds
# below (their originals: 1.5 GB, 14 s). The members now stay out of line
# (UNRECURSE__NOINLINE: one per loop of calls). Each rewritten file must
# compile with gcc -O2 in under 1 GB of address space and 60 s; with the
# members inlined, cc1 runs out of that memory in seconds. And which
# members are kept out of line: expr alone in the parser of
# bench/cycle_cost.c, value alone in a JSON-like cycle of two loops.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

expect_args 4 "TOOL RUNTIME_INCLUDE_DIR GEN WORK_DIR" "$@"
tool=$1 include=$2 gen=$3
work=$(fresh_dir "$4")

# SEED OPTIONS...: the programs the random tester found.
programs=(
    "850293 --mutual --disable=static-local"
    "860374 --mutual --enable=tasks --disable=static-local"
    "860508 --mutual --enable=tasks --disable=static-local"
)
for program in "${programs[@]}"; do
    read -r -a args <<<"$program"
    p=$work/p${args[0]}
    "$gen" "${args[@]}" >"$p.c" || { fail "$gen $program failed"; continue; }
    if ! "$tool" "$p.c" -o "$p.rewritten.c" 2>"$p.tool.log"; then
        fail "the tool rejected gen $program: $(head -c 500 "$p.tool.log")"
        continue
    fi
    grep -q '^UNRECURSE__NOINLINE$' "$p.rewritten.c" ||
        fail "gen $program: no cycle member is marked UNRECURSE__NOINLINE"
    status=0
    (
        ulimit -v 1000000
        exec timeout 60 "$gcc" -std=c99 -O2 -I "$include" -c "$p.rewritten.c" -o "$p.o"
    ) >"$p.gcc.log" 2>&1 || status=$?
    [ "$status" -eq 0 ] ||
        fail "gen $program: gcc -O2 on the rewritten file: $(describe "$status"): $(head -c 300 "$p.gcc.log")"
done
# expect_out_of_line SOURCE NAME: the tool keeps NAME's definition alone
# out of line in SOURCE's cycles (the line after UNRECURSE__NOINLINE).
expect_out_of_line() {
    local out=$work/$(basename "$1" .c).rewritten.c marked
    if ! "$tool" --no-line "$1" -o "$out" 2>"$out.log"; then
        fail "the tool rejected $1: $(head -c 500 "$out.log")"
        return
    fi
    marked=$(grep -A1 '^UNRECURSE__NOINLINE$' "$out" | grep -v '^UNRECURSE__NOINLINE$' || true)
    [ "$marked" = "$2" ] || fail "$1: the members out of line are '$marked', expected '$2' alone"
}

# The parser of bench/cycle_cost.c (expr -> term -> factor -> expr): one
# loop, so one member out of line, expr, called from the fewest sites.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
expect_out_of_line "$here/../../bench/cycle_cost.c" "UNRECURSE static long expr(struct parser *p)"
# A JSON-like cycle, two loops through value (value -> array -> value,
# value -> object -> value): value alone is kept out of line, not array,
# which the first walk keeps out of line before it finds the second loop.
cat >"$work/json.c" <<'C'
#include <unrecurse.h>
UNRECURSE static long value(const char **s);
UNRECURSE static long array(const char **s)
{
    long n = 0;
    while (**s && **s != ']')
        n += value(s);
    ++*s;
    return n;
}
UNRECURSE static long object(const char **s)
{
    long n = 0;
    while (**s && **s != '}')
        n += 2 * value(s);
    ++*s;
    return n;
}
UNRECURSE static long value(const char **s)
{
    char c = *(*s)++;
    return c == '[' ? array(s) : c == '{' ? object(s) : 1;
}
long count(const char *s)
{
    return value(&s);
}
C
expect_out_of_line "$work/json.c" "UNRECURSE static long value(const char **s)"
finish compile_cost "$work"
