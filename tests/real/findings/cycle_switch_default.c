/* rewritten output fails -Wswitch-default -Werror: a cycle's run function dispatches on its entry and on where to resume with `switch` statements that have no `default`, "switch missing default case" -- cJSON cJSON.c parse_value/parse_array/parse_object, print_value/print_array/print_object; cJSON_Utils.c generate_merge_patch/cJSONUtils_GenerateMergePatch (cJSON builds with -Wswitch-default -Werror) */
/* The input compiles cleanly with the library's own flags:
     gcc -c -Wall -Wextra -Wswitch-default -Werror FILE.c
   Run: unrecurse --all FILE.c -o out.c
        gcc -c -Wall -Wextra -Wswitch-default -Werror -I runtime out.c  -> error */
#include <stddef.h>

struct node {
    struct node *kid;
};

static int odd(const struct node *n);
static int even(const struct node *n)
{
    return n->kid == NULL ? 0 : odd(n->kid) + 1;
}
static int odd(const struct node *n)
{
    return n->kid == NULL ? 1 : even(n->kid) + 1;
}

int depth(const struct node *n);
int depth(const struct node *n)
{
    return even(n);
}
