/*
 * check_backtrace.c - Check suite for runtime/backtrace.c: the heap frames
 * of functions the tool rewrote, read back from inside the recursion.
 *
 * The recursions are backtrace_subject.c, rewritten by the tool at build
 * time (see CMakeLists.txt); each calls bt_probe at its bottom, where the
 * test prints the backtrace into memory (open_memstream) and compares it,
 * line by line, with what the recursion's depth says it must be. Every
 * call goes on heap frames (unrecurse_set_native_budget(0)), so that the
 * counts are those of the recursion.
 *
 * Test cases, by concern:
 *   layouts  a frame per pending call (bt_depth), a million deep, over
 *            many chunks; a frame per activation (bt_addr); a cycle whose
 *            members tail-call each other, so frames change hands
 *            (bt_even, bt_odd); a recursion through a function pointer,
 *            a run per call, separated (bt_walk).
 *   limits   unrecurse_backtrace_top's lines; no frames at all; no memory
 *            for every frame (malloc is wrapped and fails big blocks): the
 *            innermost ones, and how many are not shown.
 */
#define _GNU_SOURCE

#include "suite.h"

#include <stdio.h>
#include <string.h>

extern void (*bt_probe)(void);
long bt_depth(long n);
long bt_addr(long n);
long bt_even(long n);
long bt_walk(long n);
void bt_init(void);

/* The subject's path as the tool saw it, for the lines that name it. */
#ifndef SUBJECT
#error "SUBJECT: the path of backtrace_subject.c, from CMakeLists.txt"
#endif

/* ---- malloc, wrapped: blocks over fail_over bytes fail ---- */

static size_t fail_over = (size_t)-1;
void *__real_malloc(size_t size);
void *__wrap_malloc(size_t size)
{
    return size > fail_over ? NULL : __real_malloc(size);
}

/* ---- the probe ---- */

static char *printed;    /* what the probe printed */
static size_t top_lines; /* 0: unrecurse_backtrace, else _top */

static void probe(void)
{
    size_t size;
    FILE *out = open_memstream(&printed, &size);
    ck_assert_ptr_nonnull(out);
    if (top_lines)
        unrecurse_backtrace_top(out, top_lines);
    else
        unrecurse_backtrace(out);
    fclose(out);
}

static void setup(void)
{
    bt_init();
    bt_probe = probe;
    unrecurse_set_native_budget(0);
    printed = NULL;
    top_lines = 0;
}

static void teardown(void)
{
    free(printed);
}

/* N with commas between groups of three digits. */
static const char *grouped(long n, char *buf)
{
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%ld", n), o = 0;
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

/* The printed backtrace is EXPECTED, line by line. */
static void expect_lines(const char *const *expected, int count)
{
    const char *p = printed;
    for (int i = 0; i < count; i++) {
        const char *nl = strchr(p, '\n');
        ck_assert_msg(nl, "line %d missing: expected '%s' in:\n%s", i + 1, expected[i], printed);
        ck_assert_msg(strlen(expected[i]) == (size_t)(nl - p) &&
                          !strncmp(p, expected[i], (size_t)(nl - p)),
                      "line %d is '%.*s', expected '%s', in:\n%s", i + 1, (int)(nl - p), p,
                      expected[i], printed);
        p = nl + 1;
    }
    ck_assert_msg(*p == '\0', "more lines than expected: '%s'", p);
}

/* The backtrace of a simple recursion FN, DEPTH calls pending at LINE on
 * CALL, one running: the pending ones folded after the first. */
static void expect_simple(const char *fn, long depth, int line, const char *call)
{
    char l1[128], l2[256], l3[128], l4[128], a[32], b[32];
    snprintf(l1, sizeof l1, "  #0  %s  (running)", fn);
    snprintf(l2, sizeof l2, "  #1  %s  %s:%d  %s", fn, SUBJECT, line, call);
    snprintf(l3, sizeof l3, "      ... %s more frames: the frame above, %s more times ...",
             grouped(depth - 1, a), grouped(depth - 1, b));
    snprintf(l4, sizeof l4, "unrecurse: %s calls on heap frames, in 1 run", grouped(depth + 1, a));
    const char *lines[] = {"unrecurse: heap frames of this thread, innermost first:", l1, l2, l3,
                           l4};
    expect_lines(lines, 5);
}

/* ---- layouts ---- */

START_TEST(test_frame_per_call_million)
{
    ck_assert_int_eq(bt_depth(1000000), 1000000);
    expect_simple("bt_depth", 1000000, 16, "bt_depth(n - 1)");
}
END_TEST

START_TEST(test_frame_per_activation)
{
    bt_addr(1000);
    expect_simple("bt_addr", 1000, 28, "bt_addr(n - 1)");
}
END_TEST

/* bt_even(2000): even(2k) calls odd(2k-1) at line 39 and waits; odd
 * tail-calls even(2k-2), which takes its frame. 1000 calls wait, all
 * even's, and even(0) runs. */
START_TEST(test_cycle_frames_change_hands)
{
    ck_assert_int_eq(bt_even(2000), 1000);
    expect_simple("bt_even", 1000, 39, "bt_odd(n - 1)");
}
END_TEST

/* bt_walk(7): walk(7) waits on walk(6) (line 54), which calls walk(5)
 * through a pointer: a new run, and so on. Four runs: (7 6) (5 4) (3 2)
 * (1 0); in each, the odd one waits at line 54, the even one called
 * through code not rewritten (running, in the innermost run). */
START_TEST(test_runs_through_pointer)
{
    char site[256];
    bt_walk(7);
    snprintf(site, sizeof site, "  #1  bt_walk  %s:54  bt_walk(n - 1)", SUBJECT);
    char last[256];
    snprintf(last, sizeof last, "  #7  bt_walk  %s:54  bt_walk(n - 1)", SUBJECT);
    const char *lines[] = {
        "unrecurse: heap frames of this thread, innermost first:",
        "  #0  bt_walk  (running)",
        site,
        "  -- called through code that is not rewritten, from --",
        "  #2  bt_walk  (in a call to code that is not rewritten)",
        "      ... 4 more frames: the 3 lines above, 2 more times ...",
        last,
        "unrecurse: 8 calls on heap frames, in 4 runs",
    };
    expect_lines(lines, 8);
}
END_TEST

/* ---- limits ---- */

START_TEST(test_top_lines)
{
    char site[256], rest[128], n[32], total[128];
    top_lines = 2;
    bt_depth(1000000);
    snprintf(site, sizeof site, "  #1  bt_depth  %s:16  bt_depth(n - 1)", SUBJECT);
    snprintf(rest, sizeof rest,
             "  ... %s more frames below (unrecurse_backtrace prints them all)",
             grouped(999999, n));
    snprintf(total, sizeof total, "unrecurse: %s calls on heap frames, in 1 run",
             grouped(1000001, n));
    const char *lines[] = {"unrecurse: heap frames of this thread, innermost first:",
                           "  #0  bt_depth  (running)", site, rest, total};
    expect_lines(lines, 5);
}
END_TEST

START_TEST(test_no_frames)
{
    probe(); /* outside any run */
    const char *none[] = {"unrecurse: no heap frames on this thread"};
    expect_lines(none, 1);
    free(printed);
    unrecurse_set_native_budget((size_t)1 << 20);
    bt_depth(100); /* native: no heap frame */
    expect_lines(none, 1);
}
END_TEST

/* No memory for a code per frame (4 bytes each: 4,000,004 bytes): a
 * quarter, then a quarter of that, is tried; 1,000,000 bytes fit under
 * 1 MiB. The 250,000 innermost are shown, 750,001 are not. */
START_TEST(test_no_memory_for_all)
{
    char site[256], fold[128], below[128], total[128], a[32], b[32];
    fail_over = (size_t)1 << 20;
    bt_depth(1000000);
    fail_over = (size_t)-1;
    snprintf(site, sizeof site, "  #1  bt_depth  %s:16  bt_depth(n - 1)", SUBJECT);
    snprintf(fold, sizeof fold, "      ... %s more frames: the frame above, %s more times ...",
             grouped(249998, a), grouped(249998, b));
    snprintf(below, sizeof below, "  ... %s more frames below, not shown: no memory to read them",
             grouped(750001, a));
    snprintf(total, sizeof total, "unrecurse: %s calls on heap frames, in 1 run",
             grouped(1000001, a));
    const char *lines[] = {"unrecurse: heap frames of this thread, innermost first:",
                           "  #0  bt_depth  (running)", site, fold, below, total};
    expect_lines(lines, 6);
}
END_TEST

static Suite *backtrace_suite(void)
{
    Suite *s = suite_create("backtrace");
    TCase *tc = tcase_create("layouts");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_frame_per_call_million);
    tcase_add_test(tc, test_frame_per_activation);
    tcase_add_test(tc, test_cycle_frames_change_hands);
    tcase_add_test(tc, test_runs_through_pointer);
    tcase_set_timeout(tc, 30);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_top_lines);
    tcase_add_test(tc, test_no_frames);
    tcase_add_test(tc, test_no_memory_for_all);
    tcase_set_timeout(tc, 30);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(backtrace_suite());
}
