/* symptom: gcc -O1/-O2 -Wall warns "dangling pointer to 'r' may be used" [-Wdangling-pointer=] in the rewritten file (open at 4c10b28, fixed by ad5bc6b: the test passes there and fails at 4c10b28) */
/*
 * struct_local_dangling.c - a struct local initialized from a function
 * returning a struct, after a recursive call. In the rewritten function the
 * block holding r is left by `goto f__enter` and entered again at the resume
 * label; gcc's lifetime analysis then takes the uses of r for uses of a dead
 * object (a false positive, but the output must compile without warnings).
 *
 * unrecurse-test: small=0,1,2,10 deep=1000000
 * unrecurse-also-cflags: -O1
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

struct S {
    unsigned long a;
    long b;
    unsigned char c[4];
};

static struct S mk(unsigned long a, unsigned long b)
{
    struct S s;
    s.a = a;
    s.b = (long)(b & 0xffffUL);
    s.c[0] = (unsigned char)a;
    s.c[1] = (unsigned char)b;
    s.c[2] = 2;
    s.c[3] = 3;
    return s;
}

UNRECURSE static unsigned long f(long d)
{
    if (d <= 0)
        return 1;
    unsigned long acc = f(d - 1);
    struct S r = mk(acc, 3);
    return (acc + r.a + r.c[0]) % 1000003UL;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    printf("%lu\n", f(n));
    return 0;
}
