/* not found: the cycle node_delete -> node_decref (static inline, in an included header) -> node_delete; `--list` says "no recursive functions", `--all` rewrites nothing, and the deep run overflows the stack -- jansson value.c json_delete -> json_delete_array/json_delete_object -> json_decref (jansson.h) -> json_delete */
/* `--function node_delete` rewrites it, and then the deep run completes
   (the call back from node_decref is a nested run):
     unrecurse --all header_inline_cycle.c -o out.c          # unchanged
     unrecurse --function node_delete header_inline_cycle.c -o out.c
     gcc -O2 -I runtime out.c build/runtime/libunrecurse.a -pthread
     (ulimit -s 256; ./a.out 1000000)   # "freed 1000000" */
#include <stdio.h>
#include <stdlib.h>
#include "header_inline_cycle.h"

void node_delete(struct node *n) {
    node_decref(n->kid);
    free(n);
}

int main(int argc, char **argv) {
    long depth = argc > 1 ? atol(argv[1]) : 10;
    struct node *top = NULL;
    for (long i = 0; i < depth; i++) {
        struct node *n = malloc(sizeof *n);
        if (!n)
            return 1;
        n->refs = 1;
        n->kid = top;
        top = n;
    }
    node_decref(top);
    printf("freed %ld\n", depth);
    return 0;
}
