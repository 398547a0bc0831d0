/* backtrace_subject.c - recursions for check_backtrace.c, rewritten by the
 * tool at build time; its line numbers are part of that suite. */
#include <unrecurse.h>

void (*bt_probe)(void); /* called at the bottom of each recursion */
static void bt_touch(long *p) { *p += 1; }
static long (*bt_step)(long);

/* A frame per pending call: a function alone, nothing's address taken. */
UNRECURSE long bt_depth(long n)
{
    if (n == 0) {
        bt_probe();
        return 0;
    }
    return 1 + bt_depth(n - 1); /* line 16 */
}

/* A frame per activation: a local's address is taken. */
UNRECURSE long bt_addr(long n)
{
    long here = n;
    bt_touch(&here);
    if (n == 0) {
        bt_probe();
        return here;
    }
    return bt_addr(n - 1) + here; /* line 28 */
}

/* A cycle whose members tail-call each other: frames change hands. */
UNRECURSE long bt_odd(long n);
UNRECURSE long bt_even(long n)
{
    if (n == 0) {
        bt_probe();
        return 0;
    }
    return bt_odd(n - 1) + 1; /* line 39 */
}
UNRECURSE long bt_odd(long n)
{
    return bt_even(n - 1);
}

/* Through a function pointer: each call a run of its own. */
UNRECURSE long bt_walk(long n)
{
    if (n == 0) {
        bt_probe();
        return 0;
    }
    if (n % 2)
        return bt_walk(n - 1) * 2 + 1; /* line 54 */
    return bt_step(n - 1) + 1;
}

void bt_init(void)
{
    bt_step = bt_walk;
}
