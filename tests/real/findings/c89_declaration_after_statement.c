/* rewritten output is not C90: the stack check (`if (unrecurse_native_low(..)) {..; return;}`) comes before the frame declarations, so `gcc -std=c89 -pedantic -Werror` fails with "ISO C90 forbids mixed declarations and code" -- cJSON cJSON.c cJSON_Delete, cJSON_Duplicate, cJSON_Compare, the parse_value and print_value cycles; cJSON_Utils.c every rewritten function */
/* The input is C90 and compiles cleanly with the library's own flags:
     gcc -c -std=c89 -pedantic -Wall -Wextra -Werror FILE.c
   Run: unrecurse --all FILE.c -o out.c -- -std=c89
        gcc -c -std=c89 -pedantic -Wall -Wextra -Werror -I runtime out.c  -> error */
#include <stdlib.h>

struct node {
    struct node *kid, *next;
};

void node_free(struct node *n);
void node_free(struct node *n)
{
    struct node *next = NULL;
    while (n != NULL) {
        next = n->next;
        node_free(n->kid);
        free(n);
        n = next;
    }
}
