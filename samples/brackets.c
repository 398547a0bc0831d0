/*
 * brackets.c - a recursive-descent evaluator: one recursion level per bracket.
 *
 * Parsers are where deep recursion bites in real programs: a recursive-descent
 * parser that handles ordinary input well crashes on input nested a million
 * brackets deep, such as a hostile JSON document or a generated expression.
 * eval() reads
 *
 *     expr    := operand { ('+' | '-' | '*') operand }   (left to right)
 *     operand := digits | '(' expr ')'
 *
 * and calls itself at each '(', from an if inside a loop, as the right-hand
 * side of an assignment. The parser state is a struct passed by pointer.
 * Arithmetic is modulo a prime so that the value fits in 64 bits.
 *
 * The input is generated: N nested levels such as "((3*(4+(1-2)))*5)", each
 * level nested on the left or the right, with an operator and a number, all
 * chosen by a fixed-seed LCG.
 *
 * usage: brackets N     evaluates an expression nested N brackets deep
 *
 * unrecurse-test: small=0,1,2,3,10,1000 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

#define MODULUS 1000000007ULL

struct parser {
    const char *text;
    size_t pos;
    int error; /* set when the text is malformed */
};

static unsigned long long apply(char op, unsigned long long a, unsigned long long b)
{
    switch (op) {
    case '+':
        return (a + b) % MODULUS;
    case '-':
        return (a + MODULUS - b) % MODULUS;
    default:
        return a * b % MODULUS;
    }
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static unsigned long long number(struct parser *p)
{
    unsigned long long v = 0;

    if (!is_digit(p->text[p->pos])) {
        p->error = 1;
        return 0;
    }
    while (is_digit(p->text[p->pos])) {
        v = (v * 10 + (unsigned)(p->text[p->pos] - '0')) % MODULUS;
        p->pos++;
    }
    return v;
}

UNRECURSE static unsigned long long eval(struct parser *p)
{
    unsigned long long acc = 0;
    char op = '+';

    for (;;) {
        unsigned long long operand;

        if (p->text[p->pos] == '(') {
            p->pos++;
            operand = eval(p);
            if (p->text[p->pos] != ')') {
                p->error = 1;
                return 0;
            }
            p->pos++;
        } else {
            operand = number(p);
        }
        acc = apply(op, acc, operand);
        op = p->text[p->pos];
        if (op != '+' && op != '-' && op != '*')
            return acc;
        p->pos++;
    }
}

static unsigned long long lcg_state = 7;

static unsigned lcg_next(void)
{
    lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)(lcg_state >> 33);
}

/* One level of nesting: "(k op NESTED)" or "(NESTED op k)". */
struct level {
    char right;  /* nested on the right */
    char op;
    unsigned char k; /* 1..99 */
};

/* Writes the expression nested DEPTH levels deep; the caller frees it. */
static char *generate(long depth)
{
    struct level *levels = malloc((size_t)depth * sizeof *levels + 1);
    char *text = malloc((size_t)depth * 6 + 3);
    char *out = text;
    long i;

    if (levels == NULL || text == NULL) {
        fprintf(stderr, "brackets: out of memory\n");
        exit(1);
    }
    for (i = 0; i < depth; i++) {
        unsigned r = lcg_next();
        levels[i].right = (char)(r & 1);
        levels[i].op = "+-**"[(r >> 1) & 3];
        levels[i].k = (unsigned char)(1 + (r >> 3) % 99);
    }
    for (i = 0; i < depth; i++) {
        *out++ = '(';
        if (levels[i].right)
            out += sprintf(out, "%u%c", (unsigned)levels[i].k, levels[i].op);
    }
    *out++ = '1' + (char)(depth % 9);
    for (i = depth - 1; i >= 0; i--) {
        if (!levels[i].right)
            out += sprintf(out, "%c%u", levels[i].op, (unsigned)levels[i].k);
        *out++ = ')';
    }
    *out = '\0';
    free(levels);
    return text;
}

int main(int argc, char **argv)
{
    long depth = 1000;
    struct parser p;
    unsigned long long value;
    char *text;

    if (argc > 1)
        depth = strtol(argv[1], NULL, 10);
    if (depth < 0 || depth > 100000000) {
        fprintf(stderr, "usage: brackets N   (0 <= N <= 100000000)\n");
        return 2;
    }
    text = generate(depth);
    if (depth <= 3)
        printf("expression: %s\n", text);
    p.text = text;
    p.pos = 0;
    p.error = 0;
    value = eval(&p);
    if (p.error || p.text[p.pos] != '\0') {
        fprintf(stderr, "brackets: syntax error at offset %zu\n", p.pos);
        return 1;
    }
    printf("%ld brackets deep, %zu characters: value %llu\n", depth, p.pos, value);
    free(text);
    return 0;
}
