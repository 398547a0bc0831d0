/* rewritten output fails -Wc++-compat -Werror: the frame pointers are assigned unrecurse_push()'s `void *` (and the nested-run data pointer) without a cast, "request for implicit conversion from 'void *' to 'struct ..__frame *' not permitted in C++" -- cJSON cJSON.c and cJSON_Utils.c, every rewritten function (cJSON builds with -Wc++-compat -Werror) */
/* The input compiles cleanly with the library's own flags:
     gcc -c -Wall -Wextra -Wc++-compat -Werror FILE.c
   Run: unrecurse --all FILE.c -o out.c
        gcc -c -Wall -Wextra -Wc++-compat -Werror -I runtime out.c  -> error */
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
