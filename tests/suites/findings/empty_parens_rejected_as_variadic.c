/* Fixed: the tool rewrites this correctly (empty_parens: tests/e2e/programs/no_prototype.c) or rejects it with a located error (knr: tests/e2e/diagnostics/call_argument_count.c). What it did before: */
/* rejected (exit status 1, located: not a contract violation, a false rejection with a wrong reason): "variadic function 'down' cannot be rewritten: its va_list lives on the native stack" -- a recursive function defined with empty parentheses, `int down() { ... down() ... }`, which has no parameters and no va_list; all 13 "variadic" rejections of gcc.c-torture/compile and gcc.dg/torture are of this form (e.g. compile/pr40570.c `int baz()`, dg-torture/pr69854.c `double fn1()`) */
/* A definition with an empty identifier list declares no prototype (libclang
   gives it a FunctionNoProto type), but the function takes no arguments: it
   can be rewritten as `int down(void)` would be. The program prints 5.
   Run: unrecurse --all FILE.c -o out.c */
#include <stdio.h>

static int n = 5;

int down()
{
    if (n-- <= 0)
        return 0;
    return 1 + down();
}

int main(void)
{
    printf("%d\n", down());
    return 0;
}
