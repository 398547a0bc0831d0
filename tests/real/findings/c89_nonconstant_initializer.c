/* rewritten output is not C90: a cycle's run function initializes its `struct ..._cycle__nested` with the parameters (`= {entry, args, result}`), so `gcc -std=c89 -pedantic -Werror` fails with "initializer element is not computable at load time" -- cJSON cJSON.c parse_value/parse_array/parse_object, print_value/print_array/print_object; cJSON_Utils.c generate_merge_patch/cJSONUtils_GenerateMergePatch */
/* The input is C90 and compiles cleanly with the library's own flags:
     gcc -c -std=c89 -pedantic -Wall -Wextra -Werror FILE.c
   Run: unrecurse --all FILE.c -o out.c -- -std=c89
        gcc -c -std=c89 -pedantic -Wall -Wextra -Werror -I runtime out.c  -> error
   (besides the mixed declarations of c89_declaration_after_statement.c) */
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
