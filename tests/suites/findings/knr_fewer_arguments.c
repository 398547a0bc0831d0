/* Fixed: the tool rewrites this correctly (empty_parens: tests/e2e/programs/no_prototype.c) or rejects it with a located error (knr: tests/e2e/diagnostics/call_argument_count.c). What it did before: */
/* unrecurse --all exits 0, but its output does not compile: "'depth__arg_n' undeclared" (and 'depth__arg_unused') -- a recursive call with fewer arguments than the parameters of a function that has no prototype (a K&R definition with an identifier list), from gcc.c-torture/compile/uuarg.c: `foo (a, b, c, d, e, f, g, h, i) { return foo () + i; }` */
/* The call depth() passes no arguments; gcc and clang accept it, since the
   definition gives no prototype (it would be undefined behaviour if it ran,
   and here it never does: the program is well defined and prints 10). The
   rewritten call assigns every parameter from an argument temporary,
   `n = depth__arg_n; unused = depth__arg_unused;`, but declares a temporary
   only for each argument written, none here. Also with a declaration list
   (`int g(n) int n; { ... g() ... }`) and after a separate `int g();`.
   Related, with more arguments than parameters (undefined behaviour when it
   runs, so not counted): in `int f(a, b) { ... f(1, b, printf("x\n")) ... }`
   the rewritten call drops the extra argument without evaluating it: the
   original prints x, the rewritten program does not.
   Run: unrecurse --all FILE.c -o out.c && gcc -I runtime out.c
   build/runtime/libunrecurse.a -pthread. */
#include <stdio.h>

int depth(n, unused)
{
    if (n < 0)
        return depth(); /* never runs */
    if (n == 0)
        return 0;
    return 1 + depth(n - 1, unused);
}

int main(void)
{
    printf("%d\n", depth(10, 0));
    return 0;
}
