/* rejected: "variable 'e_it' is declared by a macro and must be kept across a recursive call, but the rewrite cannot edit a macro's declaration; declare it outside the macro" -- a loop variable declared by a foreach macro with a token-pasted name (json-c's json_object_object_foreach: `struct lh_entry *entry##key`): json-c json_visit.c _json_c_visit (entrykey, entry_nextkey) */
/* With the name passed in whole (`for (struct ent *e = ...` with e a macro
   argument) it is accepted; only a name made by ## is refused.
   Run: unrecurse --all FILE.c */
#include <stdio.h>

struct tree;
struct ent {
    struct ent *next;
    struct tree *t;
};
struct tree {
    struct ent *head;
};

#define foreach(tr, x) for (struct ent *e_##x = (tr)->head; e_##x; e_##x = e_##x->next)

static int visit(struct tree *t) {
    int s = 1;
    foreach(t, it) {
        s += visit(e_it->t);
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
