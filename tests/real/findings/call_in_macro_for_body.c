/* rejected: "recursive call to 'walk' in a statement the rewrite cannot place it in front of; move the call into a statement of its own" -- a `for` produced by a macro (jansson's json_object_foreach), the recursive call in the user-written body: jansson value.c json_object_equal -> json_equal, do_object_update_recursive */
/* The call is in a plain statement of the loop body, written by the user;
   only the `for (...)` head comes from the macro. The same loop written out
   is accepted. Run: unrecurse --all FILE.c */
#include <stdio.h>

#define each_below(i, n) for (i = 0; i < (n); i++)

static int walk(int n) {
    int i, s = 1;
    each_below(i, n) {
        s += walk(i);
    }
    return s;
}

int main(void) {
    printf("%d\n", walk(10)); /* 1024 */
    return 0;
}
