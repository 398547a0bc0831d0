/* symptom: wrong output (in the first version, f(d - 1) twice a level: rewritten printed 10 for 3, native 22) and gcc "unused variable 'i'": a for-init variable kept in the frame is never initialized (found before 4c10b28, which fixes it) */
/*
 * for_init_in_frame.c - `for (unsigned long i = 0; ...)` where i lives in the
 * frame (its address is taken). The rewritten loop kept the declaration
 * `unsigned long i = 0` as a native variable but tested and incremented
 * the frame's field, which nothing had set. (Its second call goes one level
 * down only, so that the recursion is linear and can run deep.)
 *
 * unrecurse-test: small=0,1,2,3,10 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

UNRECURSE static unsigned long f(long d)
{
    unsigned long acc = 1;
    if (d <= 0)
        return 1;
    for (unsigned long i = 0; i < 2; i++) {
        unsigned long *p = &i;
        acc = (acc + f(i == 0 ? d - 1 : 0) + *p) % 1000003UL;
    }
    return acc;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 3;
    printf("%lu\n", f(n));
    return 0;
}
