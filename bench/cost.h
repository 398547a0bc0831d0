/*
 * cost.h - what bench/task_cost.c, bench/gen_cost.c and bench/cycle_cost.c
 * share: clocks, and the medians of rounds printed as a table of ratios.
 */
#ifndef UNRECURSE_BENCH_COST_H
#define UNRECURSE_BENCH_COST_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Seconds on CLOCK. */
static inline double clock_seconds(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline double now(void)
{
    return clock_seconds(CLOCK_MONOTONIC);
}

/* The process's CPU time: less inflated than wall time when other
 * processes compete for the CPUs. */
static inline double cpu_now(void)
{
    return clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
}

static inline int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts each of the VARIANTS rows of TIMES (ROUNDS seconds each) and
 * prints its median per UNIT (UNITS of them per run), in nanoseconds, and
 * as a ratio to the first variant's. */
static inline void print_medians(const char *const *names, double **times, int variants, int rounds,
                          double units, const char *unit)
{
    double base = 0;
    for (int v = 0; v < variants; v++) {
        qsort(times[v], (size_t)rounds, sizeof **times, by_value);
        double median = times[v][rounds / 2];
        if (v == 0)
            base = median;
        printf("%-26s %7.2f ns per %s  %5.2fx\n", names[v], median / units * 1e9, unit,
               median / base);
    }
}

#endif
