/* Golden test: ackermann, with --heap-only (the state machine alone).
 * unrecurse-args: --heap-only
 * A call before a return statement: once the return is done, nothing of
 * this activation is read again, so n, read by the statements after the
 * `if`, is not kept across the calls: the frame holds m alone. */
#include <unrecurse.h>

UNRECURSE long ack(long m, long n)
{
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}
