/*
 * backtrace.c - unrecurse_backtrace: the heap frames of the calling thread,
 * read back as the calls they stand for.
 *
 * A frame holds no pointer to its function: the frames of one run of a
 * state machine lie between the run's record (unrecurse__run, pushed by
 * unrecurse_begin) and the next run's record, or the top, and the run's
 * group (unrecurse_group, emitted by the tool) says how to read them.
 * With a frame per pending call (a function alone), every frame is the
 * same size and holds the resume point of its call. With a frame per
 * activation, the frames are read from the run's root up: a frame holds
 * the resume point of the frame below it, whose call says which member
 * the frame belongs to, hence its size, and so where the next one starts
 * (in a cycle whose members tail-call each other, each frame says its
 * member itself). Frames never straddle chunks: a frame that does not fit
 * in the rest of a chunk starts the next one.
 *
 * The walk goes up, from the outermost run, and a backtrace is printed
 * innermost first: each frame becomes a small code (its group, member and
 * site, interned), the codes are stored, then printed from the top down,
 * with repeats folded. Memory: 4 bytes per frame shown; if that cannot be
 * had, the innermost frames only.
 */
#include "unrecurse.h"
#include "private.h"

#include <stdint.h>
#include <stdlib.h>

/* What a code stands for. */
enum {
    BT_ACTIVE = -1,  /* the run's topmost activation: no pending call known */
    BT_UNREAD = -2,  /* frames that could not be read: the rest of the run */
    BT_UNKNOWN = -3, /* a frame whose resume point is not set (being pushed) */
    BT_BOUNDARY = -4 /* the run above was called from code not rewritten */
};

typedef struct bt_key {
    const unrecurse_group *group; /* NULL for BT_BOUNDARY */
    int member;
    int site; /* a resume point, or one of BT_* */
} bt_key;

/* The chunks in use, from the first (outermost) up. */
typedef struct bt_chunk {
    const char *base, *top;
} bt_chunk;

typedef struct bt {
    bt_chunk *chunks;
    size_t nchunks;
    bt_key *keys; /* interned: a code is an index */
    size_t nkeys, keys_cap;
    uint32_t *codes; /* pass 2: the codes kept, outermost first */
    size_t total;    /* codes seen in this pass */
    size_t skip;     /* pass 2: codes not kept (the outermost ones) */
    size_t kept;
    size_t calls; /* codes seen that stand for a call (not a boundary) */
    int failed;   /* no memory for a key */
} bt;

/* ---- codes ---- */

static uint32_t bt_code(bt *b, const unrecurse_group *g, int member, int site)
{
    size_t i;
    for (i = 0; i < b->nkeys; i++) /* as many as the program has sites */
        if (b->keys[i].group == g && b->keys[i].member == member && b->keys[i].site == site)
            return (uint32_t)i;
    if (b->nkeys == b->keys_cap) {
        size_t cap = b->keys_cap ? 2 * b->keys_cap : 16;
        bt_key *k = realloc(b->keys, cap * sizeof *k);
        if (!k) {
            b->failed = 1;
            return 0;
        }
        b->keys = k;
        b->keys_cap = cap;
    }
    b->keys[b->nkeys].group = g;
    b->keys[b->nkeys].member = member;
    b->keys[b->nkeys].site = site;
    return (uint32_t)b->nkeys++;
}

static void bt_emit(bt *b, const unrecurse_group *g, int member, int site)
{
    if (b->codes && b->total >= b->skip) {
        uint32_t code = bt_code(b, g, member, site);
        b->codes[b->kept++] = code;
    }
    b->total++;
    b->calls += site != BT_BOUNDARY;
}

/* ---- the walk ---- */

/* A place in the frame stack: chunk C (an index into b->chunks), address P. */
typedef struct bt_pos {
    size_t c;
    const char *p;
} bt_pos;

/* The chunk holding P, an address of a frame or run record. */
static bt_pos bt_find(const bt *b, const void *p)
{
    bt_pos at = {0, (const char *)p};
    size_t i;
    for (i = 0; i < b->nchunks; i++)
        if (at.p >= b->chunks[i].base && at.p < b->chunks[i].top) {
            at.c = i;
            return at;
        }
    at.c = b->nchunks; /* not found */
    return at;
}

/* Moves AT to the next chunk's base while it is at its chunk's top. */
static void bt_normalize(const bt *b, bt_pos *at)
{
    while (at->c + 1 < b->nchunks && at->p == b->chunks[at->c].top) {
        at->c++;
        at->p = b->chunks[at->c].base;
    }
}

static int bt_before(bt_pos a, bt_pos z)
{
    return a.c < z.c || (a.c == z.c && a.p < z.p);
}

/* Reads the resume point of a frame at P: its return_to at OFFSET. */
static int bt_site(const unrecurse_group *g, const char *p, size_t offset)
{
    unsigned k;
    switch (g->return_to_size) {
    case 0: /* one resume point in the group */
        for (k = 0; k < g->nsites; k++)
            if (g->sites[k].line)
                return (int)k;
        return BT_UNKNOWN;
    case 1:
        k = *(const unsigned char *)(p + offset);
        break;
    case 2:
        k = *(const unsigned short *)(p + offset);
        break;
    default:
        k = *(const unsigned *)(p + offset);
        break;
    }
    return k < g->nsites && g->sites[k].line ? (int)k : BT_UNKNOWN;
}

static size_t bt_members(const unrecurse_group *g)
{
    size_t n = 0;
    while (g->functions[n])
        n++;
    return n;
}

/* The frames of run R, from FROM up to TO. */
static void bt_run(bt *b, const unrecurse__run *r, bt_pos from, bt_pos to)
{
    const unrecurse_group *g = r->group;
    size_t members = bt_members(g);
    int member = -1; /* of the frame below */
    bt_pos at = from;

    bt_normalize(b, &at);
    if (!g->per_activation) /* a frame per pending call, all of member 0 */
        member = 0;
    while (bt_before(at, to)) {
        int mine;
        size_t size;
        if (!g->per_activation) {
            int site = bt_site(g, at.p, g->return_to_offset);
            if (site >= 0 && g->sites[site].caller != 0)
                site = BT_UNKNOWN;
            bt_emit(b, g, 0, site);
            mine = 0;
        } else if (member < 0) { /* the root */
            mine = g->member_offset >= 0 ? *(const unsigned char *)(at.p + g->member_offset)
                                         : (int)r->entry;
        } else {
            int site = bt_site(g, at.p, 0);
            if (site < 0 || g->sites[site].caller != member)
                break;
            bt_emit(b, g, member, site);
            mine = g->member_offset >= 0 ? *(const unsigned char *)(at.p + g->member_offset)
                                         : g->sites[site].callee;
        }
        if (mine < 0 || (size_t)mine >= members)
            break;
        size = g->functions[mine]->frame_size;
        if (size == 0 || size > (size_t)(b->chunks[at.c].top - at.p))
            break;
        member = mine;
        at.p += size;
        bt_normalize(b, &at);
    }
    if (bt_before(at, to)) {
        bt_emit(b, g, member < 0 ? (int)r->entry : member, BT_UNREAD);
        return;
    }
    if (member >= 0)
        bt_emit(b, g, member, BT_ACTIVE);
}

/* Walks every run of S, outermost first. */
static void bt_walk(bt *b, const unrecurse_stack *s, unrecurse__run **runs, size_t nruns)
{
    size_t i;
    for (i = nruns; i-- > 0;) {
        const unrecurse__run *r = runs[i];
        bt_pos from = bt_find(b, r), to;
        if (from.c == b->nchunks)
            return; /* not on the stack: nothing more can be read */
        from.p += sizeof *r;
        if (i > 0)
            to = bt_find(b, runs[i - 1]);
        if (i == 0 || to.c == b->nchunks) {
            to.c = b->nchunks - 1;
            to.p = s->top;
        }
        if (i + 1 < nruns)
            bt_emit(b, NULL, 0, BT_BOUNDARY);
        bt_run(b, r, from, to);
    }
}

/* ---- printing ---- */

/* N with a comma between groups of three digits. */
static const char *bt_number(size_t n, char *buf, size_t size)
{
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%zu", n), i, o = 0;
    for (i = 0; i < len && (size_t)o + 2 < size; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

static int bt_is_frame(const bt *b, uint32_t code)
{
    return b->keys[code].site != BT_BOUNDARY;
}

static void bt_line(FILE *out, const bt *b, uint32_t code, size_t number, int innermost)
{
    const bt_key *k = &b->keys[code];
    const unrecurse_function *fn;
    if (k->site == BT_BOUNDARY) {
        fputs("  -- called through code that is not rewritten, from --\n", out);
        return;
    }
    fn = k->group->functions[k->member];
    fprintf(out, "  #%zu  %s  ", number, fn->name);
    if (k->site >= 0) {
        const unrecurse_site *site = &k->group->sites[k->site];
        fprintf(out, "%s:%u  %s\n", k->group->functions[site->caller]->file, site->line,
                site->call);
    } else if (k->site == BT_ACTIVE)
        fputs(innermost ? "(running)\n" : "(in a call to code that is not rewritten)\n", out);
    else if (k->site == BT_UNKNOWN)
        fputs("(a frame being pushed: its call is not recorded yet)\n", out);
    else
        fputs("(the frames below this one could not be read)\n", out);
}

/* The longest repeat at codes[i], going down (innermost first: index
 * kept - 1 - i): a block of *PERIOD codes (up to 8) that appears *COPIES
 * times in a row. Returns the codes it covers, 0 if folding it saves
 * fewer than 3 lines. */
static size_t bt_repeat(const bt *b, size_t i, size_t n, size_t *period, size_t *copies)
{
    size_t best = 0, p;
#define AT(j) b->codes[b->kept - 1 - (j)]
    for (p = 1; p <= 8 && i + 2 * p <= n; p++) {
        size_t j = i + p;
        while (j < n && AT(j) == AT(j - p))
            j++;
        {
            size_t c = (j - i) / p;
            if (c >= 2 && (c - 1) * p >= 3 && c * p > best) {
                best = c * p;
                *period = p;
                *copies = c;
            }
        }
    }
#undef AT
    return best;
}

/* Prints the kept codes, innermost first, at most LINES lines. */
static void bt_print(FILE *out, const bt *b, size_t lines)
{
    size_t n = b->kept, i = 0, number = 0, printed = 0;
    char num[40], num2[40];
    while (i < n) {
        size_t period = 0, copies = 0, covered, j, frames = 0;
        if (printed >= lines) {
            size_t rest = 0;
            for (j = i; j < n; j++)
                rest += bt_is_frame(b, b->codes[n - 1 - j]);
            rest += b->skip;
            fprintf(out, "  ... %s more frames below (unrecurse_backtrace prints them all)\n",
                    bt_number(rest, num, sizeof num));
            return;
        }
        /* The innermost line stands alone: it is the one running. A fold
         * is printed whole, or not at all. */
        covered = i > 0 ? bt_repeat(b, i, n, &period, &copies) : 0;
        if (covered && lines - printed < period + 1)
            covered = 0;
        if (!covered) {
            uint32_t code = b->codes[n - 1 - i];
            bt_line(out, b, code, number, i == 0);
            number += bt_is_frame(b, code);
            i++;
            printed++;
            continue;
        }
        for (j = 0; j < period; j++) {
            uint32_t code = b->codes[n - 1 - i - j];
            bt_line(out, b, code, number, i + j == 0);
            number += bt_is_frame(b, code);
            frames += bt_is_frame(b, code);
        }
        if (period == 1)
            fprintf(out, "      ... %s more frames: the frame above, %s more times ...\n",
                    bt_number(frames * (copies - 1), num, sizeof num),
                    bt_number(copies - 1, num2, sizeof num2));
        else
            fprintf(out, "      ... %s more frames: the %zu lines above, %s more times ...\n",
                    bt_number(frames * (copies - 1), num, sizeof num), period,
                    bt_number(copies - 1, num2, sizeof num2));
        number += frames * (copies - 1);
        i += covered;
        printed += period + 1;
    }
    if (b->skip)
        fprintf(out, "  ... %s more frames below, not shown: no memory to read them\n",
                bt_number(b->skip, num, sizeof num));
}

static void bt_free(bt *b)
{
    free(b->chunks);
    free(b->keys);
    free(b->codes);
}

/* Collects the chunks in use (first one first) and the runs (innermost
 * first) of S. Returns 0 if there is no memory for them. */
static int bt_collect(bt *b, const unrecurse_stack *s, unrecurse__run ***runs, size_t *nruns)
{
    const unrecurse__chunk *c;
    const unrecurse__run *r;
    const char *top = s->top;
    size_t i;

    for (c = s->chunk; c; c = c->prev)
        b->nchunks++;
    for (r = s->runs; r; r = r->prev)
        (*nruns)++;
    b->chunks = malloc(b->nchunks * sizeof *b->chunks);
    *runs = malloc((*nruns ? *nruns : 1) * sizeof **runs);
    if (!b->chunks || !*runs)
        return 0;
    for (i = b->nchunks, c = s->chunk; c; top = c->prev_top, c = c->prev) {
        i--;
        b->chunks[i].base = unrecurse__base(c);
        b->chunks[i].top = top;
    }
    for (i = 0, r = s->runs; r; r = r->prev)
        (*runs)[i++] = (unrecurse__run *)r;
    return 1;
}

/* The backtrace of the frames of S, whose owner WHOSE names ("this
 * thread", "the running task"). */
static void bt_stack(FILE *out, const unrecurse_stack *s, size_t lines, const char *whose)
{
    bt b = {0};
    unrecurse__run **runs = NULL;
    size_t nruns = 0, frames, keep, calls;
    char num[40];

    if (!bt_collect(&b, s, &runs, &nruns)) {
        fputs("unrecurse: no memory to read the heap frames\n", out);
        goto done;
    }
    bt_walk(&b, s, runs, nruns); /* count */
    frames = b.total;
    calls = b.calls;
    keep = frames;
    b.codes = malloc((keep ? keep : 1) * sizeof *b.codes);
    while (!b.codes && keep > 64) { /* the innermost ones, then */
        keep /= 4;
        b.codes = malloc(keep * sizeof *b.codes);
    }
    if (!b.codes) {
        fputs("unrecurse: no memory to read the heap frames\n", out);
        goto done;
    }
    b.skip = frames - keep;
    b.total = 0;
    bt_walk(&b, s, runs, nruns); /* keep */
    if (b.failed) {
        fputs("unrecurse: no memory to read the heap frames\n", out);
        goto done;
    }
    fprintf(out, "unrecurse: heap frames of %s, innermost first:\n", whose);
    bt_print(out, &b, lines);
    fprintf(out, "unrecurse: %s call%s on heap frames, in ", bt_number(calls, num, sizeof num),
            calls == 1 ? "" : "s");
    fprintf(out, "%s run%s\n", bt_number(nruns, num, sizeof num), nruns == 1 ? "" : "s");
done:
    free(runs);
    bt_free(&b);
}

void unrecurse__backtrace(FILE *out, size_t lines, int quiet)
{
    const unrecurse_stack *s = unrecurse__stack_peek();
    const unrecurse_task *t = unrecurse__task_running();

    if (!out)
        out = stderr;
    if (t && t->stack.runs) /* inside a task's turn: its frames first */
        bt_stack(out, &t->stack, lines, "the running task");
    if (s && s->runs)
        bt_stack(out, s, lines, "this thread");
    else if (!quiet && !(t && t->stack.runs))
        fputs("unrecurse: no heap frames on this thread\n", out);
}

void unrecurse_backtrace_top(FILE *out, size_t lines)
{
    unrecurse__backtrace(out, lines, 0);
}

void unrecurse_backtrace(FILE *out)
{
    unrecurse__backtrace(out, SIZE_MAX, 0);
}
