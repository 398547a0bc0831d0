/*
 * function_names.c - a rewritten function says its own name: __func__,
 * __FUNCTION__, __PRETTY_FUNCTION__ and assert()'s message (which uses the
 * last) in a cycle of two functions, whose bodies the tool moves into one
 * state machine function of another name, and in a function alone. Parsed
 * with -Wwrite-strings, which makes every string literal const (cJSON
 * builds so), and built with -Wunused-macros: only the names a function
 * says are defined for it.
 *
 * unrecurse-test: small=0,1,2,7 deep=300000
 * unrecurse-args: --all -- -Wwrite-strings
 * unrecurse-also-cflags: -Wwrite-strings -Wunused-macros
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WHERE() (__func__)

static unsigned long odd_names(unsigned long n);

static unsigned long even_names(unsigned long n)
{
    if (n == 0)
        return strlen(__func__) + strlen(__FUNCTION__) + 100 * (WHERE()[0] == 'e');
    unsigned long r = odd_names(n - 1);
    return (r ^ (r >> 7)) + (strstr(__extension__ __PRETTY_FUNCTION__, "even_names") != NULL);
}

static unsigned long odd_names(unsigned long n)
{
    if (n == 0) {
        printf("%s %s\n", __func__, __FUNCTION__);
        return 7;
    }
    assert(strcmp(__func__, "odd_names") == 0);
    unsigned long r = even_names(n - 1);
    return (r ^ (r >> 5)) + sizeof __func__;
}

static unsigned long alone(unsigned long n)
{
    if (n == 0)
        return sizeof(__func__);
    unsigned long r = alone(n - 1);
    return (r ^ (r >> 3)) + 1 + (strcmp(WHERE(), "alone") != 0);
}

int main(int argc, char **argv)
{
    unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 5;
    printf("%lu %lu %lu\n", even_names(n), odd_names(n), alone(n));
    return 0;
}
