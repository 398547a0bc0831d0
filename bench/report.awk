# report.awk - the table and the targets, from run.sh's results.tsv.
#
# Input lines (tab-separated), one per run:
#   subject variant kind size round call_ns wall_ns maxrss_kib depth stack_bytes
#   hwm_kib anon_kib cpu_ns
# maxrss is what the launcher saw (ru_maxrss); hwm is the process's own peak
# RSS (VmHWM) and anon that less its file-backed pages (see bench.h).
# kind: full (timed, several rounds), half (size / 2, several rounds),
# input and input_half (the input alone, at size and size / 2, several
# rounds), stack
# (native, stack measured directly), frame (in the stack_bytes column: for
# native, gcc -fstack-usage of the recursive function; for rewritten, sizeof
# its heap frame). Subject "tool" holds the tool-speed runs.
#
# Variables from run.sh: subjects, variants (space-separated), memory_kinds
# and functions ("subject=value ..."), tool_note.
# Plain POSIX awk (mawk is Debian's default): no asort, no gensub.

function median(list,    a, n, i, j, t) {
    n = split(list, a, " ")
    if (n == 0)
        return -1
    for (i = 2; i <= n; i++) {
        t = a[i] + 0
        for (j = i - 1; j >= 1 && a[j] + 0 > t; j--)
            a[j + 1] = a[j]
        a[j + 1] = t
    }
    return n % 2 ? a[(n + 1) / 2] + 0 : (a[n / 2] + a[n / 2 + 1]) / 2
}

function minimum(list,    a, n, i, m) {
    n = split(list, a, " ")
    m = a[1] + 0
    for (i = 2; i <= n; i++)
        if (a[i] + 0 < m)
            m = a[i] + 0
    return m
}

function maximum(list,    a, n, i, m) {
    n = split(list, a, " ")
    m = a[1] + 0
    for (i = 2; i <= n; i++)
        if (a[i] + 0 > m)
            m = a[i] + 0
    return m
}

function ms(ns) {
    return ns / 1e6
}

# "1.5x" style ratio, or "-" when either side is missing.
function ratio(a, b) {
    return (a > 0 && b > 0) ? sprintf("%.2f", a / b) : "-"
}

# Median CPU time of variant A of subject S over that of variant B.
function cpu_ratio(s, a, b,    cb) {
    cb = median(cpu[s, b])
    return cb > 0 ? median(cpu[s, a]) / cb : 0
}

# When the wall-time ratio W and the CPU-time ratio C fall on different
# sides of LIMIT (a busy machine), says so.
function disagree(w, c, limit) {
    return ((w <= limit) != (c <= limit)) ? sprintf(", %s by CPU time: the machine was busy", c <= limit ? "met" : "not met") : ""
}

# A frame size recorded by run.sh, or "?".
function frame_of(s, v) {
    return ((s, v) in frame) ? frame[s, v] : "?"
}

# The CPU time of variant V of subject S within LIMIT times native's (a
# LIMIT of 0: the ratio is reported, no target).
function cpu_target(s, v, limit,    c, w) {
    if (!((s, v) in ran) || !((s, "native") in ran)) {
        printf "  [not run] %s %s\n", s, v
        return
    }
    c = cpu_ratio(s, v, "native")
    w = median(call[s, v]) / median(call[s, "native"])
    if (limit == 0)
        printf "  [report]  %s %s: %.2fx native (wall time: %.2fx)\n", s, v, c, w
    else
        printf "  %s %s %s: %.2fx native, target <= %.1fx (wall time: %.2fx)\n", verdict(c <= limit), s, v,
               c, limit, w
}

function verdict(ok) {
    return ok ? "[met]    " : "[not met]"
}

# Heap or stack bytes per recursion level of variant V of subject S, from
# the peak RSS at N and N/2 less the input's growth; "" if not measured.
function per_level(s, v,    dr, dd) {
    if (kind_of[s] != "deep" || !((s, v) in anon_half) || !(s in in_full) || !((s, v) in depth_half))
        return ""
    dr = (median(anon[s, v]) - median(anon_half[s, v])) - (median(in_full[s]) - median(in_half[s]))
    dd = depth_full[s, v] - depth_half[s, v]
    return dd > 0 ? dr * 1024 / dd : ""
}

BEGIN {
    ns = split(subjects, subject, " ")
    nv = split(variants, variant, " ")
    n = split(memory_kinds, a, " ")
    for (i = 1; i <= n; i++) {
        split(a[i], kv, "=")
        kind_of[kv[1]] = kv[2]
    }
    n = split(functions, a, " ")
    for (i = 1; i <= n; i++) {
        split(a[i], kv, "=")
        fn[kv[1]] = kv[2]
    }
}

{
    s = $1; v = $2; kind = $3
    if (kind == "full") {
        call[s, v] = call[s, v] " " $6
        cpu[s, v] = cpu[s, v] " " $13
        wall[s, v] = wall[s, v] " " $7
        rss[s, v] = rss[s, v] " " $11
        anon[s, v] = anon[s, v] " " $12
        depth_full[s, v] = $9
        size_of[s] = $4
        ran[s, v] = 1
    } else if (kind == "half") {
        anon_half[s, v] = anon_half[s, v] " " $12
        depth_half[s, v] = $9
    } else if (kind == "input") {
        in_full[s] = in_full[s] " " $12
    } else if (kind == "input_half") {
        in_half[s] = in_half[s] " " $12
    } else if (kind == "stack") {
        stack_used[s] = $10
        stack_depth[s] = $9
    } else if (kind == "frame") {
        frame[s, v] = $10
    }
}

END {
    printf "%-12s %-10s %-9s %9s %17s %8s %6s %6s %10s %9s %10s\n", "subject", "N", "variant",
           "time ms", "min-max ms", "cpu ms", "/nat", "/hand", "process ms", "peak MiB", "B/level"
    for (i = 1; i <= ns; i++) {
        s = subject[i]
        tn = median(call[s, "native"])
        th = median(call[s, "hand"])
        for (j = 1; j <= nv; j++) {
            v = variant[j]
            if (!((s, v) in ran)) {
                printf "%-12s %-10s %-9s %9s\n", s, size_of[s], v, "not built"
                continue
            }
            t = median(call[s, v])
            if (kind_of[s] == "deep") {
                b = per_level(s, v)
                bl = b == "" ? "-" : sprintf("%.1f", b)
            } else if (kind_of[s] == "const") {
                bl = ((s, v) in anon_half) ? sprintf("%+d KiB", median(anon[s, v]) - median(anon_half[s, v])) : "-"
            } else {
                bl = "n/a"
            }
            printf "%-12s %-10s %-9s %9.1f %8.1f-%-8.1f %8.1f %6s %6s %10.1f %9.1f %10s\n", s, size_of[s], v,
                   ms(t), ms(minimum(call[s, v])), ms(maximum(call[s, v])), ms(median(cpu[s, v])),
                   ratio(t, tn), ratio(t, th),
                   ms(median(wall[s, v])), median(rss[s, v]) / 1024, bl
        }
    }
    print ""
    print "time: wall-clock time of the top-level recursive call alone (median; min-max over the runs)."
    print "cpu: the CPU time of that call (median), which a busy machine inflates less."
    print "/nat, /hand: the time divided by native's, by hand-written's. process: the whole run,"
    print "input building and startup included. peak: the process's peak RSS (VmHWM; median)."
    print "B/level: heap or stack bytes per recursion level, (M(N) - M(N/2) - growth of the input"
    print "alone) / (depth at N - depth at N/2), where M is the peak RSS less file-backed pages."
    print "fib: n/a, 34 levels are too few to show. tail_loop: M(N) - M(N/2) instead (depth 1)."

    print ""
    print "Measured directly: the native stack the call used (stack painted before the call, deepest"
    print "overwritten word after it) per level; gcc -O2 -fstack-usage of the recursive function (its"
    print "machine frame, which covers several levels where gcc inlined the function into itself);"
    print "sizeof the rewritten function's heap frame, pushed once per active call:"
    printf "  %-12s %9s %12s %14s %16s %15s\n", "subject", "depth", "native stack", "native B/level",
           "gcc frame", "rewritten frame"
    for (i = 1; i <= ns; i++) {
        s = subject[i]
        if (!(s in stack_used))
            continue
        d = stack_depth[s]
        u = stack_used[s]
        printf "  %-12s %9d %10d B %14s %14s B %13s B\n", s, d, u,
               (u >= 0 && d > 0) ? sprintf("%.1f", u / d) : "-", fn[s] ": " frame_of(s, "native"),
               frame_of(s, "rewritten")
    }

    print ""
    print "Targets (see BENCHMARKS.md):"
    s = "fib"
    if ((s, "rewritten") in ran && (s, "hand") in ran) {
        t = median(call[s, "rewritten"]); th = median(call[s, "hand"])
        c = cpu_ratio(s, "rewritten", "hand")
        printf "  %s fib(%s): rewritten within 1.5x of hand-written: %.1f ms / %.1f ms = %.2fx (cpu time: %.2fx%s)\n",
               verdict(t <= 1.5 * th), size_of[s], ms(t), ms(th), t / th, c, disagree(t / th, c, 1.5)
    } else {
        print "  [not run] fib: rewritten within 1.5x of hand-written"
    }
    s = "list_sum"
    if ((s, "rewritten") in ran && (s, "native") in ran) {
        t = median(call[s, "rewritten"]); tn = median(call[s, "native"])
        c = cpu_ratio(s, "rewritten", "native")
        printf "  %s list_sum(%s nodes): rewritten within 1.5x of native: %.1f ms / %.1f ms = %.2fx (cpu time: %.2fx%s)\n",
               verdict(t <= 1.5 * tn), size_of[s], ms(t), ms(tn), t / tn, c, disagree(t / tn, c, 1.5)
    } else {
        print "  [not run] list_sum: rewritten within 1.5x of native"
    }
    print "  Memory: heap bytes per level of the rewritten code (B/level in the table, from peak RSS;"
    print "  sizeof its frame in parentheses) <= native stack bytes per level (measured directly):"
    for (i = 1; i <= ns; i++) {
        s = subject[i]
        if (kind_of[s] == "const" || !(s in stack_used) || stack_used[s] <= 0) {
            if (kind_of[s] != "const")
                printf "  [not run] %s\n", s
            continue
        }
        nl = stack_used[s] / stack_depth[s]
        b = per_level(s, "rewritten")
        if (b == "") {
            # Too shallow for RSS (fib): judge by the frame size.
            b = frame_of(s, "rewritten")
            if (b == "?") {
                printf "  [not run] %s\n", s
                continue
            }
            printf "  %s %s: rewritten %d B/level (its frame; too few levels for RSS), native %.1f B/level\n",
                   verdict(b + 0 <= nl), s, b, nl
            continue
        }
        printf "  %s %s: rewritten %.1f B/level (frame %s B), native %.1f B/level\n",
               verdict(b <= nl), s, b, frame_of(s, "rewritten"), nl
    }
    s = "tail_loop"
    if ((s, "rewritten") in ran && (s, "rewritten") in anon_half) {
        g = median(anon[s, "rewritten"]) - median(anon_half[s, "rewritten"])
        printf "  %s tail_loop(%s): rewritten in constant memory: peak RSS %.1f MiB at N, %+d KiB from N/2\n",
               verdict(g <= 64), size_of[s], median(rss[s, "rewritten"]) / 1024, g
    } else {
        print "  [not run] tail_loop: rewritten in constant memory"
    }
    print "  Native first (rewritten) and --heap-only (heap) against native, CPU time of the call:"
    cpu_target("fib", "rewritten", 1.2); cpu_target("fib", "heap", 2.0)
    cpu_target("ackermann", "rewritten", 1.2); cpu_target("ackermann", "heap", 1.5)
    cpu_target("list_sum", "rewritten", 1.0); cpu_target("list_sum", "heap", 1.0)
    cpu_target("tree_height", "rewritten", 1.0); cpu_target("tree_height", "heap", 1.0)
    cpu_target("parser", "rewritten", 1.0); cpu_target("parser", "heap", 1.0)
    cpu_target("mixed", "rewritten", 1.1); cpu_target("mixed", "heap", 0)
    if (("tool", "unrecurse") in ran) {
        tt = median(call["tool", "unrecurse"]); tc = median(call["tool", "clang"])
        printf "  %s tool: %d-line file: unrecurse %.0f ms, clang -fsyntax-only %.0f ms: %.0f ms beyond clang's parse (target: well under 1 s)\n",
               verdict(tt - tc < 1e9), size_of["tool"], ms(tt), ms(tc), ms(tt - tc)
        printf "            (min-max: unrecurse %.0f-%.0f ms, clang %.0f-%.0f ms; peak RSS: unrecurse %.1f MiB, clang %.1f MiB)\n",
               ms(minimum(call["tool", "unrecurse"])), ms(maximum(call["tool", "unrecurse"])),
               ms(minimum(call["tool", "clang"])), ms(maximum(call["tool", "clang"])),
               median(rss["tool", "unrecurse"]) / 1024, median(rss["tool", "clang"]) / 1024
        if (tool_note != "")
            printf "            note: %s\n", tool_note
    }
}
