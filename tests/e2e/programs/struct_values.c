/*
 * struct_values.c - structs passed and returned by value.
 *
 * walk() takes a struct by value, changes its copy before the recursive call
 * (the caller's copy must not change), returns a struct, and stores the
 * returned struct in a local that is declared with it as initializer, then
 * assigned, then returned. The struct has a small array member, copied with
 * it. shift() returns a struct member of the recursive result directly.
 *
 * unrecurse-test: small=0,1,2,10,100 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

#define M 1000003L

struct state {
    long x;
    long y;
    unsigned char tag[4];
};

static struct state combine(struct state a, struct state b)
{
    struct state r = a;
    r.x = (a.x + b.y) % M;
    r.y = (a.y * 3 + b.x) % M;
    r.tag[0] = (unsigned char)(a.tag[0] ^ b.tag[1]);
    return r;
}

UNRECURSE static struct state walk(struct state s, long n)
{
    struct state before = s;

    if (n == 0)
        return s;
    s.x = (s.x + n) % M;
    s.tag[n % 4] = (unsigned char)(s.tag[n % 4] + n);
    struct state r = walk(s, n - 1);
    r.y = (r.y + before.x + s.x) % M;
    r = combine(r, before);
    return r;
}

UNRECURSE static long shift(struct state s, long n)
{
    if (n == 0)
        return s.x + s.y;
    s.y = (s.y + 1) % M;
    return (shift(s, n - 1) + s.tag[n % 4]) % M;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    struct state s = { 1, 2, { 3, 4, 5, 6 } };
    struct state r = walk(s, n);

    printf("walk(%ld) = {%ld, %ld, {%u, %u, %u, %u}}; s = {%ld, %ld}\n", n, r.x, r.y,
           r.tag[0], r.tag[1], r.tag[2], r.tag[3], s.x, s.y);
    printf("shift(%ld) = %ld\n", n, shift(s, n));
    return 0;
}
