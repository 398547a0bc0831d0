/* The two halves of a cycle that spans two files: each is annotated on its
 * declaration here, so each file's rewrite knows the other is rewritten. */
#ifndef PINGPONG_H
#define PINGPONG_H

#include <unrecurse.h>

UNRECURSE long ping(long n, long acc);
UNRECURSE long pong(long n, long acc);

#endif
