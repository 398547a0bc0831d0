/* rejected: "recursive call to 'visit' in a statement the rewrite cannot place it in front of; move the call into a statement of its own" -- one macro expanding to a declaration and then a `for` (json-c's json_object_object_foreach: `char *key = NULL; struct json_object *val = NULL; for (...)`), the recursive call in the user-written loop body: json-c json_visit.c _json_c_visit */
/* The call is in a plain statement of the loop body. The same macro without
   the leading declaration (`for (e = (tr)->head; e; e = e->next)`, e
   declared by the user) is accepted. Run: unrecurse --all FILE.c */
#include <stdio.h>

struct tree;
struct ent {
    struct ent *next;
    struct tree *t;
};
struct tree {
    struct ent *head;
};

#define foreach(tr, e) struct ent *e; for (e = (tr)->head; e; e = e->next)

static int visit(struct tree *t) {
    int s = 1;
    foreach(t, e) {
        s += visit(e->t);
    }
    return s;
}

int main(void) {
    struct tree leaf = {0};
    struct ent e = {0, &leaf};
    struct tree root = {&e};
    printf("%d\n", visit(&root)); /* 2 */
    return 0;
}
