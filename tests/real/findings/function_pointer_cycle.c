/* not found: recursion through a function pointer stored in the data (json-c's _to_json_string and free callbacks); `--list` says "no recursive functions", `--all` rewrites nothing, the deep run overflows the stack -- json-c json_object.c json_object_array_to_json_string -> jso->_to_json_string, json_object_put -> json_object_array_delete -> array_list_free -> free_fn -> json_object_put */
/* A limit of a call graph built from direct calls, not a bug of one
   construct: the cycle exists only at run time. Run: unrecurse --all FILE.c;
   a.out 1000000 under ulimit -s 256 crashes, original or "rewritten". */
#include <stdio.h>
#include <stdlib.h>

struct node {
    long (*size)(struct node *); /* set per node, like json-c's methods */
    struct node *kid;
};

static long node_size(struct node *n) {
    return 1 + (n->kid ? n->kid->size(n->kid) : 0);
}

int main(int argc, char **argv) {
    long depth = argc > 1 ? atol(argv[1]) : 10;
    struct node *top = NULL;
    for (long i = 0; i < depth; i++) {
        struct node *n = malloc(sizeof *n);
        if (!n)
            return 1;
        n->size = node_size;
        n->kid = top;
        top = n;
    }
    printf("%ld\n", top->size(top));
    return 0;
}
