/* header of header_inline_cycle.c: a static inline function that closes a recursion cycle (as jansson.h's json_decref does for json_delete). */
struct node {
    int refs;
    struct node *kid;
};
void node_delete(struct node *n);
static inline void node_decref(struct node *n) {
    if (n && --n->refs == 0)
        node_delete(n);
}
