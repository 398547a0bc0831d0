/*
 * pointer_walk.c - pointer parameters walking an array, a string and a list.
 *
 * sum_array() advances a pointer into an array; fill() writes through its
 * pointer parameter before recursing; length() walks a string; reverse()
 * reverses a linked list in place, the classic non-tail recursion that relinks
 * nodes after the recursive call returns and returns a pointer.
 *
 * unrecurse-test: small=0,1,2,10,100 deep=1000000
 */
#include <stdio.h>
#include <stdlib.h>

#include <unrecurse.h>

struct node {
    long value;
    struct node *next;
};

UNRECURSE static void fill(long *out, long n, unsigned long long seed)
{
    if (n == 0)
        return;
    *out = (long)(seed % 1000);
    fill(out + 1, n - 1, seed * 7 + 3);
}

UNRECURSE static unsigned long long sum_array(const long *a, size_t n)
{
    if (n == 0)
        return 0;
    return (unsigned long long)a[0] * (n % 5 + 1) + sum_array(a + 1, n - 1);
}

UNRECURSE static size_t length(const char *s)
{
    if (*s == '\0')
        return 0;
    return 1 + length(s + 1);
}

UNRECURSE struct node *reverse(struct node *n)
{
    struct node *rest;

    if (n == NULL || n->next == NULL)
        return n;
    rest = reverse(n->next);
    n->next->next = n;
    n->next = NULL;
    return rest;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    long *a = malloc(((size_t)n + 1) * sizeof *a);
    char *s = malloc((size_t)n + 1);
    struct node *nodes = malloc(((size_t)n + 1) * sizeof *nodes);
    struct node *head = NULL, *p;
    unsigned long long check = 0;
    long i;

    if (a == NULL || s == NULL || nodes == NULL)
        return 1;
    fill(a, n, 1);
    for (i = 0; i < n; i++) {
        s[i] = (char)('a' + a[i] % 26);
        nodes[i].value = a[i];
        nodes[i].next = head;
        head = &nodes[i];
    }
    s[n] = '\0';
    printf("sum_array = %llu\n", sum_array(a, (size_t)n));
    printf("length = %zu\n", length(s));
    head = reverse(head);
    for (p = head, i = 0; p != NULL; p = p->next, i++)
        check = check * 31 + (unsigned long long)(p->value + i);
    printf("reversed: %llu\n", check);
    free(nodes);
    free(s);
    free(a);
    return 0;
}
