/* Graph test: a cycle of two functions, with calls that resume and tail
 * calls. The expected DOT is cycle.expected.dot.
 * unrecurse-graph: count_items */
#include <unrecurse.h>

struct item {
    int is_list;
    long value;
    struct item *first; /* of a list */
    struct item *next;
};

UNRECURSE static long count_list(const struct item *it, long acc);

UNRECURSE static long count_items(const struct item *it)
{
    if (!it)
        return 0;
    if (it->is_list)
        return count_list(it->first, 0) + count_items(it->next);
    return 1 + count_items(it->next);
}

UNRECURSE static long count_list(const struct item *it, long acc)
{
    if (!it)
        return acc;
    return count_list(it->next, acc + count_items(it->first ? it->first : it) % 7);
}
