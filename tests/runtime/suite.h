/*
 * suite.h - what the runtime's Check suites (check_MODULE.c) share: a cheap
 * assertion for hot loops, an error handler that longjmps out with what it
 * saw, the entry of a nested run, and the way main runs a suite.
 */
#ifndef UNRECURSE_TEST_SUITE_H
#define UNRECURSE_TEST_SUITE_H

#include <check.h>
#include <unrecurse.h>

#include <setjmp.h>
#include <stdlib.h>

/* Fails the test, without the cost of ck_assert's bookkeeping on success
 * (Check records every passing ck_assert): for checks in hot loops. */
#define EXPECT(cond, ...)                                                     \
    do {                                                                      \
        if (!(cond))                                                          \
            ck_abort_msg(__VA_ARGS__);                                        \
    } while (0)

/* What catch_error saw. File scope: it is read after longjmp. */
static struct {
    jmp_buf env;
    unrecurse_error err;
    int calls;
} caught;

/* An error handler (unrecurse_set_error_handler) that records the error in
 * caught and longjmps to caught.env. */
static inline void catch_error(const unrecurse_error *err, void *data)
{
    (void)data;
    caught.err = *err;
    caught.calls++;
    longjmp(caught.env, 1);
}

/* Calls FN(ARG) the way a rewritten function FUNCTION is entered from
 * outside its state machine, a nested run: on a new native stack segment
 * if the stack is low, counted in *MOVES, or right here. */
static inline void enter_nested(void (*fn)(void *), void *arg,
                                const unrecurse_function *function, long *moves)
{
    unrecurse_stack *s = unrecurse_stack_get();

    if (unrecurse_native_low(s)) {
        (*moves)++;
        unrecurse_run_on_segment(s, fn, arg, function);
    } else {
        fn(arg);
    }
}

/* Runs SUITE in Check's fork mode, which the suites need: each test gets a
 * fresh process, so a fresh main-thread stack, and some end in abort().
 * Returns main's exit status. */
static inline int run_suite(Suite *suite)
{
    SRunner *sr = srunner_create(suite);
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
