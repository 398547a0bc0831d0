/* nest.h - the parser's interface; NEST_WEIGHT is what a bracket adds. */
#ifndef NEST_H
#define NEST_H

#define NEST_WEIGHT 3

long nest_depth(const char **p);

#endif
