/*
 * hygiene.c - user names that collide with every name the generated code
 * would use: functions named `a` and `nested`, a parameter named `stack`,
 * globals and locals named like f's frame pointer, result and temporaries
 * (f__f, f__ret, f__t1), a global named like a cycle's engine
 * (ping_cycle__run), and macros named like the plain words generated code
 * used to use (result, entry, args, data, unused, return_to, top, root,
 * base), each defined to something that breaks any code that says it.
 * The rewrite must give every generated name a prefix no user name starts
 * with.
 *
 * unrecurse-test: small=0,1,2,7,30 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>
#include <unrecurse.h>

#define result garbage(
#define entry garbage(
#define args garbage(
#define data garbage(
#define unused garbage(
#define return_to garbage(
#define top garbage(
#define root garbage(
#define base garbage(

static long f__f = 3, f__ret = 4;
long ping_cycle__run = 7;

UNRECURSE long f(long n)
{
    long f__t1 = n % 5;
    if (n <= 0)
        return f__f + f__ret;
    long d = f(n - 1);
    return (d + f__t1 + 1 + (d % 7 == 3)) % 1000003;
}

UNRECURSE static long a(long a_n)
{
    if (a_n <= 0)
        return 0;
    long d = a(a_n - 1);
    return d + 1 + (d % 7 == 3);
}

UNRECURSE static long nested(long stack)
{
    if (stack <= 0)
        return 0;
    long d = nested(stack - 1);
    return d + 2 + (d % 5 == 1);
}

UNRECURSE long pong(long n);

UNRECURSE long ping(long n)
{
    if (n <= 0)
        return ping_cycle__run;
    long d = pong(n - 1);
    return d + 1 + (d % 3 == 2);
}

UNRECURSE long pong(long n)
{
    if (n <= 0)
        return 1;
    long d = ping(n - 1);
    return d + 3 + (d % 4 == 1);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10;
    printf("%ld %ld %ld %ld\n", f(n), a(n), nested(n), ping(n));
    return 0;
}
