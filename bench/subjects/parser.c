/*
 * parser.c - a recursive-descent parser and evaluator of nested expressions.
 *
 * expr() parses by precedence climbing, the usual way to write an
 * expression parser as one function:
 *
 *     expr(min) := primary { op expr(prec(op) + 1) }   while prec(op) >= min
 *     primary   := number | '(' expr(0) ')'
 *
 * with '+' and '-' binding looser than '*', all left-associative, and the
 * arithmetic modulo a prime. It calls itself from an if (a bracket) and
 * from a loop (the right operand of an operator), with its state (the text
 * and the position) in a struct passed by pointer, like a real parser.
 *
 * The input is N levels of brackets, each "(k op NESTED)" or "(NESTED op k)"
 * as a fixed-seed generator decides: a level nested on the left costs one
 * recursion level, one nested on the right two (the right operand, then
 * its bracket), so the depth is N + (levels nested on the right) + 1.
 *
 * usage: parser N [input]
 *
 * Built with -DPARSER_MIXED (the subject `mixed`), the timed call first
 * parses a document of 4 levels (depth at most 9) PARSER_SHALLOW = 10^5
 * times, then the deep one: most documents are shallow, one is hostile.
 */
#include <unrecurse.h>

#include "bench.h"

#define MODULUS 1000000007L
#define PARSER_SHALLOW 100000L

struct parser {
    const char *text;
    long pos;
    int error; /* set when the text is malformed */
};

static int precedence(char op)
{
    switch (op) {
    case '+':
    case '-':
        return 0;
    case '*':
        return 1;
    default:
        return -1; /* not an operator: the expression ends here */
    }
}

static long apply(char op, long a, long b)
{
    switch (op) {
    case '+':
        return (a + b) % MODULUS;
    case '-':
        return (a - b + MODULUS) % MODULUS;
    default:
        return a * b % MODULUS;
    }
}

static long number(struct parser *p)
{
    long v = 0;

    if (p->text[p->pos] < '0' || p->text[p->pos] > '9')
        p->error = 1;
    while (p->text[p->pos] >= '0' && p->text[p->pos] <= '9')
        v = (v * 10 + (p->text[p->pos++] - '0')) % MODULUS;
    return v;
}

UNRECURSE long expr(struct parser *p, int min)
{
    long lhs;

    if (p->text[p->pos] == '(') {
        p->pos++;
        lhs = expr(p, 0);
        if (p->text[p->pos] != ')')
            p->error = 1;
        else
            p->pos++;
    } else {
        lhs = number(p);
    }
    for (;;) {
        char op = p->text[p->pos];
        int prec = precedence(op);

        if (prec < 0 || prec < min || p->error)
            return lhs;
        p->pos++;
        lhs = apply(op, lhs, expr(p, prec + 1));
    }
}

/* Writes N levels of brackets into a new string; *DEPTH is set to the
 * recursion depth that parsing it reaches. */
static char *generate(long n, long *depth)
{
    unsigned long long seed = 7;
    char *levels = bench_alloc((size_t)n + 1, 1);
    char *text = bench_alloc((size_t)n * 6 + 2, 1);
    char *out = text;
    long i;

    *depth = n + 1;
    for (i = 0; i < n; i++) {
        unsigned long r = bench_random(&seed);

        levels[i] = (char)r; /* bit 0: nested on the right; bits 1-2: op; rest: k */
        *depth += r & 1;
    }
    for (i = 0; i < n; i++) {
        unsigned long r = (unsigned char)levels[i];

        *out++ = '(';
        if (r & 1)
            out += sprintf(out, "%lu%c", 1 + (r >> 3) % 9, "+-**"[(r >> 1) & 3]);
    }
    *out++ = '1' + (char)(n % 9);
    for (i = n - 1; i >= 0; i--) {
        unsigned long r = (unsigned char)levels[i];

        if (!(r & 1))
            out += sprintf(out, "%c%lu", "+-**"[(r >> 1) & 3], 1 + (r >> 3) % 9);
        *out++ = ')';
    }
    *out = '\0';
    free(levels);
    return text;
}

int main(int argc, char **argv)
{
    struct bench_run run;
    struct parser p;
    long depth, value;
#ifdef PARSER_MIXED
    char *shallow;
    long shallow_depth, i, sum = 0;
#endif

    bench_init(&run, argc, argv, 0, 100000000);
    p.text = generate(run.size, &depth);
    p.pos = 0;
    p.error = 0;
    if (run.input_only) {
        printf("%ld levels, %zu characters\n", run.size, strlen(p.text));
        return 0;
    }
#ifdef PARSER_MIXED
    shallow = generate(4, &shallow_depth);
#endif
    bench_start(&run, &run);
#ifdef PARSER_MIXED
    for (i = 0; i < PARSER_SHALLOW; i++) {
        struct parser q;
        q.text = shallow;
        q.pos = 0;
        q.error = 0;
        sum = (sum + expr(&q, 0)) % MODULUS;
    }
#endif
    value = expr(&p, 0);
    bench_stop(&run, depth);
#ifdef PARSER_MIXED
    value = (value + sum) % MODULUS;
    free(shallow);
#endif
    if (p.error || p.text[p.pos] != '\0') {
        fprintf(stderr, "parser: syntax error at offset %ld\n", p.pos);
        return 1;
    }
    printf("%ld levels, %ld characters: value %ld\n", run.size, p.pos, value);
    free((char *)p.text);
    return 0;
}
