/*
 * shared_labels.c - the functions of one recursion cycle share one state
 * machine, and so one label namespace, but each uses the cleanup labels
 * of everyday C: `out:`, `error:`, `fail:`. The rewrite renames the labels
 * that collide (and not into a name a member already uses: g has a label
 * `f__out`), forward and backward gotos alike.
 *
 * unrecurse-test: small=0,1,5,7,10,33 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

UNRECURSE static long g(long d);
UNRECURSE static long h(long d);

UNRECURSE static long f(long d)
{
    long *cell = malloc(sizeof *cell);
    if (!cell)
        goto error;
    if (d <= 0)
        goto out;
    if (d == 5)
        goto fail;
    *cell = g(d - 1);
    d = *cell;
out:
    free(cell);
    return (d + 1) % 1000003L;
fail:
    free(cell);
    return 5;
error:
    return -1;
}

UNRECURSE static long g(long d)
{
    int tries = 0;
again:
    if (d <= 0)
        goto out;
    if (d == 7 && tries++ == 0)
        goto again; /* backward */
    if (d % 11 == 0)
        goto f__out;
    d = h(d - 1);
out:
    return (d + 2) % 1000003L;
f__out:
    d = f(d - 1);
    goto out;
}

UNRECURSE static long h(long d)
{
    if (d <= 0)
        goto error;
    d = f(d - 1);
    goto out;
error:
    d = 100;
out:
    return (d + 3) % 1000003L;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    printf("%ld %ld %ld\n", f(n), g(n), h(n));
    return 0;
}
