/*
 * parser_hand.c - parser.c converted to an explicit stack by hand.
 *
 * The precedence-climbing expr() with its two recursive calls (a bracket,
 * and the right operand of an operator) as a loop over a growable array of
 * frames. A frame is left by a call that waits: it keeps the waiting
 * call's precedence floor, and for an operand also the left-hand value and
 * the operator; a state says which of the two calls it waits for. The
 * current call's floor and value stay in locals.
 *
 * usage: parser_hand N [input]
 */
#include "bench.h"

#define MODULUS 1000000007L
#define PARSER_SHALLOW 100000L /* with -DPARSER_MIXED: see parser.c */

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

enum expr_state { WAIT_BRACKET, WAIT_OPERAND };

struct expr_frame {
    long lhs;             /* WAIT_OPERAND: the value left of op */
    int min;              /* the waiting call's precedence floor */
    char op;              /* WAIT_OPERAND: the operator */
    char state;           /* an enum expr_state */
};

struct expr_stack {
    struct expr_frame *frames;
    size_t count, capacity;
};

/* Pushes a frame; the array may move, so callers keep no frame pointer. */
static void expr_push(struct expr_stack *s, enum expr_state state, int min, long lhs, char op)
{
    struct expr_frame *f;

    if (s->count == s->capacity) {
        size_t capacity = s->capacity ? 2 * s->capacity : 64;
        struct expr_frame *frames = realloc(s->frames, capacity * sizeof *frames);

        if (frames == NULL) {
            fprintf(stderr, "parser_hand: out of memory\n");
            exit(1);
        }
        s->frames = frames;
        s->capacity = capacity;
    }
    f = &s->frames[s->count++];
    f->state = (char)state;
    f->min = min;
    f->lhs = lhs;
    f->op = op;
}

static long expr(struct parser *p, int min)
{
    struct expr_stack s = {NULL, 0, 0};
    long lhs;

call: /* a call of expr(p, min) starts */
    if (p->text[p->pos] == '(') {
        p->pos++;
        expr_push(&s, WAIT_BRACKET, min, 0, 0);
        min = 0;
        goto call;
    }
    lhs = number(p);
    for (;;) {
        char op = p->text[p->pos];
        int prec = precedence(op);
        struct expr_frame *f;

        if (prec >= 0 && prec >= min && !p->error) {
            p->pos++;
            expr_push(&s, WAIT_OPERAND, min, lhs, op);
            min = prec + 1;
            goto call;
        }
        /* The current call returns lhs to the waiting one, if any. */
        if (s.count == 0)
            break;
        f = &s.frames[--s.count];
        min = f->min;
        if (f->state == WAIT_BRACKET) {
            if (p->text[p->pos] != ')')
                p->error = 1;
            else
                p->pos++;
        } else {
            lhs = apply(f->op, f->lhs, lhs);
        }
    }
    free(s.frames);
    return lhs;
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
