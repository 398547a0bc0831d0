/* main.c - nest N: the depth of N nested brackets, times NEST_WEIGHT. */
#include <stdio.h>
#include <stdlib.h>

#include "nest.h"

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 3, i;
    char *text = malloc((size_t)(2 * n + 1));
    const char *p = text;

    if (!text)
        return 2;
    for (i = 0; i < n; i++) {
        text[i] = '(';
        text[2 * n - 1 - i] = ')';
    }
    text[2 * n] = '\0';
    printf("%ld\n", nest_depth(&p));
    free(text);
    return 0;
}
