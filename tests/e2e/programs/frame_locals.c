/*
 * frame_locals.c - locals that must live in the heap frame: arrays, locals
 * whose address is passed down into the recursive call and used after it,
 * a shadowed name live across a call; and control flow around calls: a
 * backward goto, switch fall-through, const locals.
 *
 * unrecurse-test: small=0,1,2,7,50 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

#define M 1000003L

struct pair {
    long a, b;
};

/* The callee writes through a pointer into its caller's frame. */
UNRECURSE static long down(long n, long *out)
{
    long mine = n % 13;
    long buf[3] = {n, n * 2, n * 3};
    long *p = &buf[1];
    if (n > 0) {
        down(n - 1, &mine);
        *p += mine;
    }
    *out = (*out + buf[0] + buf[1] + buf[2]) % M;
    return mine;
}

/* A shadowed name live across a call, and a struct local in the frame. */
UNRECURSE static long shadow(long n)
{
    long x = n;
    struct pair pr = {n, 1};
    if (n <= 0)
        return 1;
    {
        long x = n * 2 % 7;
        long r = shadow(n - 1);
        pr.b = r;
        x += r % 3;
        pr.a += x;
    }
    return (x + pr.a + pr.b) % M;
}

/* A backward goto and switch fall-through around calls. */
UNRECURSE static long jumps(long n)
{
    const long k = n % 4;
    long acc = 0;
    int tries = 0;
again:
    tries++;
    switch (k) {
    case 0:
        acc += 1;
        /* fall through */
    case 1:
        if (n > 0 && tries == 1)
            acc += jumps(n - 1);
        break;
    case 2:
        acc += n > 0 && tries == 1 ? jumps(n - 1) * 2 % M : 3;
        /* fall through */
    default:
        acc += k;
    }
    if (tries < 2)
        goto again;
    return (acc + k) % M;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    long total = 0;
    long last = down(n, &total);
    printf("down %ld total %ld\n", last, total);
    printf("shadow %ld\n", shadow(n));
    printf("jumps %ld\n", jumps(n));
    return 0;
}
