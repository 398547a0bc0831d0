/*
 * cycle_cost.c - the native calls of a cycle of rewritten functions (bench/cost.sh
 * cycle): a three-function expression parser (expr, term, factor) parses a
 * document nested DEPTH brackets deep, REPS times, within the native budget.
 * cost.sh builds it natively, rewritten, and rewritten with
 * UNRECURSE_INLINE_CYCLES (the members left to gcc's inliner), and runs the
 * three in turn; this program prints the CPU seconds of its REPS parses
 * (cpu_now in cost.h).
 *
 * usage: cycle_cost DEPTH REPS
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

#include "cost.h"

struct parser {
    const char *s;
};

UNRECURSE static long expr(struct parser *p);

UNRECURSE static long factor(struct parser *p)
{
    if (*p->s == '(') {
        p->s++;
        long v = expr(p);
        p->s++;
        return v;
    }
    return *p->s++ - '0';
}

UNRECURSE static long term(struct parser *p)
{
    long v = factor(p);
    while (*p->s == '*') {
        p->s++;
        v = v * factor(p) % 1000003;
    }
    return v;
}

UNRECURSE static long expr(struct parser *p)
{
    long v = term(p);
    while (*p->s == '+') {
        p->s++;
        v = (v + term(p)) % 1000003;
    }
    return v;
}

int main(int argc, char **argv)
{
    long depth = argc > 1 ? atol(argv[1]) : 30, reps = argc > 2 ? atol(argv[2]) : 300000;
    char *text = malloc(6 * (size_t)depth + 2), *q = text;
    for (long i = 0; i < depth; i++) {
        *q++ = '(';
        *q++ = (char)('1' + i % 9);
        *q++ = '*';
    }
    *q++ = '2';
    for (long i = 0; i < depth; i++) {
        *q++ = '+';
        *q++ = '3';
        *q++ = ')';
    }
    *q = '\0';
    long sum = 0;
    double start = cpu_now();
    for (long r = 0; r < reps; r++) {
        struct parser p = {text};
        sum += expr(&p);
    }
    printf("%.6f %ld\n", cpu_now() - start, sum);
    free(text);
    return 0;
}
