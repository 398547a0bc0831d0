/*
 * launch.c - run one benchmark process and report its wall time and peak
 * memory.
 *
 *   launch STACK OUT ERR PROGRAM [ARGS...]
 *
 * Sets the stack limit (RLIMIT_STACK) to STACK KiB, or to "unlimited", or
 * leaves it as it is for "-"; runs PROGRAM with its standard output in the
 * file OUT and its standard error in the file ERR; waits for it; and prints
 * one line on standard output:
 *
 *   WALL_NS MAXRSS_KIB STATUS
 *
 * WALL_NS is the wall-clock time from fork to exit in nanoseconds,
 * MAXRSS_KIB the child's peak resident set size (ru_maxrss from wait4), and
 * STATUS its exit status, or 128 + the signal number if a signal killed it
 * (so 139 is a segmentation fault, as in the shell). Doing this in C rather
 * than with /usr/bin/time gives nanosecond timing, needs no extra package,
 * and sets the stack limit without a shell in between.
 *
 * Exit status: 0 if the line was printed (whatever the child's status), 2
 * on a usage or system error.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The stack limit to run the child with. */
struct stack_limit {
    int keep;    /* "-": leave the limit alone */
    rlim_t bytes; /* otherwise the soft limit, RLIM_INFINITY for "unlimited" */
};

static int fail(const char *what, const char *arg)
{
    fprintf(stderr, "launch: %s%s%s: %s\n", what, arg ? " " : "", arg ? arg : "",
            strerror(errno));
    return 2;
}

/* Parses STACK; returns 0 on success. */
static int parse_stack(const char *text, struct stack_limit *limit)
{
    char *end;
    unsigned long long kib;

    limit->keep = strcmp(text, "-") == 0;
    limit->bytes = RLIM_INFINITY;
    if (limit->keep || strcmp(text, "unlimited") == 0)
        return 0;
    errno = 0;
    kib = strtoull(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || kib == 0 || kib > (1ULL << 40))
        return -1;
    limit->bytes = (rlim_t)(kib * 1024);
    return 0;
}

/* In the child, before exec: report and exit with 127, as the shell does. */
static _Noreturn void child_fail(const char *what, const char *arg)
{
    fail(what, arg);
    _exit(127);
}

/* In the child: redirect, set the stack limit, exec. */
static _Noreturn void run_child(const struct stack_limit *stack, const char *out,
                                const char *err, char **argv)
{
    struct rlimit rl;
    int fd;

    fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
        child_fail("cannot open", out);
    close(fd);
    fd = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || dup2(fd, STDERR_FILENO) < 0)
        child_fail("cannot open", err);
    close(fd);
    if (!stack->keep) {
        if (getrlimit(RLIMIT_STACK, &rl) != 0)
            child_fail("getrlimit", NULL);
        rl.rlim_cur = stack->bytes;
        /* Raising the hard limit needs privileges; if we lack them,
         * setrlimit fails and says so. */
        if (rl.rlim_max != RLIM_INFINITY &&
            (stack->bytes == RLIM_INFINITY || stack->bytes > rl.rlim_max))
            rl.rlim_max = stack->bytes;
        if (setrlimit(RLIMIT_STACK, &rl) != 0)
            child_fail("setrlimit", NULL);
    }
    execvp(argv[0], argv);
    child_fail("cannot run", argv[0]);
}

int main(int argc, char **argv)
{
    struct timespec start, end;
    struct stack_limit stack;
    struct rusage usage;
    pid_t pid;
    int status;
    long long ns;

    if (argc < 5 || parse_stack(argv[1], &stack) != 0) {
        fprintf(stderr, "usage: launch STACK_KIB|unlimited|- OUT ERR PROGRAM [ARGS...]\n");
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &start);
    pid = fork();
    if (pid < 0)
        return fail("fork", NULL);
    if (pid == 0)
        run_child(&stack, argv[2], argv[3], argv + 4);
    while (wait4(pid, &status, 0, &usage) < 0) {
        if (errno != EINTR)
            return fail("wait4", NULL);
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    ns = (long long)(end.tv_sec - start.tv_sec) * 1000000000LL + (end.tv_nsec - start.tv_nsec);
    printf("%lld %ld %d\n", ns, usage.ru_maxrss,
           WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    return 0;
}
