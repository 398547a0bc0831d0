/*
 * strict_c89.c - libraries such as cJSON build with -std=c89 -pedantic
 * -Werror and more (-Wc++-compat, -Wswitch-default,
 * -Wdeclaration-after-statement): the rewritten code must be C90 and
 * C++-compatible too. Declarations come before statements, aggregates are
 * not initialized from variables, void pointers are cast, every switch
 * has a default; in a function alone on its cycle and in a cycle of three
 * (a recursive-descent evaluator of nested lists, like cJSON's
 * parse_value/parse_array).
 *
 * unrecurse-also-cflags: -std=c89 -pedantic -Wc++-compat -Wswitch-default -Wdeclaration-after-statement
 * unrecurse-test: small=0,1,2,9 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>
#include <unrecurse.h>

struct node {
    struct node *next;
    long value;
};

UNRECURSE static long depth(const struct node *n)
{
    long d;
    if (!n)
        return 0;
    d = depth(n->next);
    return d + 1 + (d % 7 == 3);
}

/* value := '[' list ']' | digit;  list := value list | empty */
UNRECURSE static long parse_list(const char **p);

UNRECURSE static long parse_value(const char **p)
{
    long v;
    if (**p == '[') {
        (*p)++;
        v = parse_list(p);
        if (**p == ']')
            (*p)++;
        return v + 1;
    }
    v = **p - '0';
    (*p)++;
    return v;
}

UNRECURSE static long parse_list(const char **p)
{
    long sum = 0;
    while (**p && **p != ']') {
        long v = parse_value(p);
        sum = (sum + v) % 1000003;
    }
    return sum;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10, i;
    struct node *head = NULL;
    char *text = (char *)malloc((size_t)(2 * n + 2));
    const char *at = text;
    for (i = 0; i < n; i++) {
        struct node *x = (struct node *)malloc(sizeof *x);
        x->next = head;
        x->value = i;
        head = x;
        text[i] = '[';
        text[2 * n - i] = ']';
    }
    text[n] = '7';
    text[2 * n + 1] = '\0';
    printf("%ld %ld\n", depth(head), parse_value(&at));
    while (head) {
        struct node *next = head->next;
        free(head);
        head = next;
    }
    free(text);
    return 0;
}
