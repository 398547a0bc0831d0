#!/usr/bin/env bash
# replay.sh - replays fuzzer inputs through the real unrecurse tool and
# checks its contract on each.
#
# usage: replay.sh TOOL RUNTIME_INCLUDE_DIR RUNTIME_LIB DIR...
#
# Every regular file in each DIR (any name: libFuzzer names its inputs by
# their hash) is copied into a work directory as in.c and rewritten with
# `TOOL --all in.c -o out.c` (stdin /dev/null, $REPLAY_TIMEOUT seconds).
# Then, by the tool's exit status:
#   0   out.c exists and compiles: gcc -w -c with RUNTIME_INCLUDE_DIR (clang
#       -w when gcc rejects the original too: the tool accepts what libclang
#       accepts). When the original has a main, compiles and links natively
#       (gcc -w, -lm), the rewritten file must link with RUNTIME_LIB, and
#       both programs run (no arguments, stdin /dev/null, $REPLAY_TIMEOUT
#       seconds and 4 GiB of address space each): when the original ends by
#       itself, the rewritten one must give the same standard output and
#       exit status (an original that crashes or runs out of time has no
#       behaviour to compare with);
#       two excuses, for what fuzzing makes of valid programs: when the
#       programs differ, the original is run again built with ASan and
#       UBSan, and if they report undefined behaviour there is nothing to
#       compare with; when the rewritten file does not link, and every
#       undefined reference is to a name the original uses too, the original
#       calls a function nothing defines and linked only because the
#       compiler dropped the dead call (C11 6.9p5: undefined behaviour);
#   1   standard error holds a located diagnostic, "FILE:LINE:COL: error:",
#       and there is no out.c;
#   else a failure: a usage or I/O error (2), a crash, or a hang.
# With either status the tool must leave no temporary file beside out.c.
# One line per input (ok or FAIL, and what was checked), then the counts;
# exit status 1 if any input failed.
#
# Environment: CC_GCC, CC_CLANG (the compilers, default gcc and clang),
# REPLAY_TIMEOUT (seconds per tool run and program run, default 10),
# REPLAY_KEEP (a directory: each failing input's work files are kept in
# REPLAY_KEEP/NAME/, with REASON; default: nothing kept), REPLAY_SHARD=I/N
# (a fixed subset: the inputs at positions I, I+N, I+2N... of the sorted
# list, from 0; default all).
set -euo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

if [ $# -lt 4 ]; then
    echo "usage: $0 TOOL RUNTIME_INCLUDE_DIR RUNTIME_LIB DIR..." >&2
    exit 2
fi
tool=$(absolute "$1") include=$(absolute "$2") lib=$(absolute "$3")
shift 3
run_timeout=${REPLAY_TIMEOUT:-10}
# 4 GiB of address space per run; none in a sanitized build tree, where the
# tool and the programs are built with AddressSanitizer, whose shadow
# memory alone maps terabytes (it checks memory use itself).
run_memory=$((4 * 1024 * 1024))
[ "${#sanitize[@]}" -eq 0 ] || run_memory=
keep=${REPLAY_KEEP:-}
shard=${REPLAY_SHARD:-0/1}
if ! [[ $shard =~ ^([0-9]+)/([1-9][0-9]*)$ ]] || [ "${BASH_REMATCH[1]}" -ge "${BASH_REMATCH[2]}" ]; then
    echo "replay: REPLAY_SHARD must be I/N with 0 <= I < N, not '$shard'" >&2
    exit 2
fi
shard_index=${BASH_REMATCH[1]} shard_count=${BASH_REMATCH[2]}
for f in "$tool" "$lib"; do
    [ -e "$f" ] || { echo "replay: $f does not exist (is the project built?)" >&2; exit 2; }
done
if [ -n "$keep" ]; then
    rm -rf "$keep"
    mkdir -p "$keep"
fi

make_work_dir replay
rewritten=0 compared=0 rejected=0 failed=0

# compiles LOG COMPILER ARGS...: does COMPILER ARGS... succeed (within the
# time limit)? Its messages go to LOG.
compiles() {
    local log=$1
    shift
    timeout 60 "$@" >"$log" 2>&1
}

# undefined_behaviour W CC: runs W/in.c built by CC with ASan and UBSan; if
# they report undefined behaviour, echoes their first report's line.
undefined_behaviour() {
    local w=$1 cc=$2
    compiles "$w/sanitized.log" "$cc" -w -g -fsanitize=address,undefined -I "$include" \
        "$w/in.c" -lm -o "$w/sanitized" || return 1
    # No address-space limit: ASan reserves terabytes for its shadow.
    run_memory='' run_with_stack default "$w/sanitized" "$w/sanitized" </dev/null
    grep -a -m1 -E 'runtime error:|ERROR: AddressSanitizer' "$w/sanitized.stderr" |
        sed 's|^.*/in\.c:|in.c:|' | head -c 200 | grep .
}

# check_rewritten W: the checks of exit status 0 on work directory W; echoes
# what was checked, returns 1 (after echoing why) on a failure.
check_rewritten() {
    local w=$1 cc=$gcc
    [ -f "$w/out.c" ] || { echo "exit status 0 but no out.c"; return 1; }
    if ! compiles "$w/out.log" "$gcc" -w -I "$include" -c "$w/out.c" -o "$w/out.o"; then
        if compiles "$w/in.log" "$gcc" -w -I "$include" -c "$w/in.c" -o "$w/in.o"; then
            echo "out.c does not compile with gcc (the original does): $(grep -a -m1 'error' "$w/out.log")"
            return 1
        fi
        cc=$clang
        if ! compiles "$w/out.log" "$clang" -w -I "$include" -c "$w/out.c" -o "$w/out.o"; then
            if compiles "$w/in.log" "$clang" -w -I "$include" -c "$w/in.c" -o "$w/in.o"; then
                echo "out.c does not compile with clang (the original does, and neither with gcc): $(grep -a -m1 'error' "$w/out.log")"
                return 1
            fi
            echo "rewritten; no compiler takes the original, nor out.c"
            return 0
        fi
    fi
    if ! grep -aqw main "$w/in.c" ||
        ! compiles "$w/in.log" "$cc" -w -I "$include" "$w/in.c" "$lib" -pthread -lm -o "$w/original"; then
        echo "rewritten; out.c compiles ($cc); no program to run"
        return 0
    fi
    if ! compiles "$w/link.log" "$cc" -w ${sanitize[@]+"${sanitize[@]}"} "$w/out.o" "$lib" -pthread -lm \
        -o "$w/rewritten"; then
        local name missing=() theirs=1
        mapfile -t missing < <(sed -n "s/.*undefined reference to \`\([^']*\)'.*/\1/p" "$w/link.log" | sort -u)
        for name in ${missing[@]+"${missing[@]}"}; do
            grep -qw -- "$name" "$w/in.c" || theirs=0
        done
        if [ "${#missing[@]}" -gt 0 ] && [ "$theirs" -eq 1 ]; then
            echo "rewritten; out.c compiles ($cc); not linked: it calls ${missing[*]}, which the original uses too and nothing defines (the original links only because the compiler dropped the call): not compared"
            return 0
        fi
        echo "the original links, the rewritten file does not: $(grep -a -m1 'error\|undefined' "$w/link.log")"
        return 1
    fi
    run_with_stack default "$w/original" "$w/original" </dev/null
    local rc_o rc_r
    rc_o=$(cat "$w/original.status")
    if abnormal "$rc_o"; then
        echo "rewritten; out.c compiles and links ($cc); the original was $(describe "$rc_o"): not compared"
        return 0
    fi
    compared=$((compared + 1))
    run_with_stack default "$w/rewritten" "$w/rewritten" </dev/null
    rc_r=$(cat "$w/rewritten.status")
    if ! same_run "$w/original" "$w/rewritten"; then
        local differ ub
        differ="the original gave $(describe "$rc_o") and $(wc -c <"$w/original.stdout") bytes of output, the rewritten $(describe "$rc_r") and $(wc -c <"$w/rewritten.stdout") bytes"
        if ub=$(undefined_behaviour "$w" "$cc"); then
            compared=$((compared - 1))
            echo "rewritten; out.c compiles and links ($cc); the programs differ ($differ), but the original has undefined behaviour ($ub): not compared"
            return 0
        fi
        echo "the programs differ: $differ"
        return 1
    fi
    echo "rewritten; out.c compiles and links ($cc); both ran: same output ($(wc -c <"$w/original.stdout") bytes) and $(describe "$rc_o")"
}

# check W: one input, in W/in.c; echoes what was checked, returns 1 on a
# failure.
check() {
    local w=$1 rc
    run_with_stack default "$w/tool" "$tool" --all "$w/in.c" -o "$w/out.c" </dev/null
    rc=$(cat "$w/tool.status")
    if compgen -G "$w/out.c.unrecurse-*" >/dev/null; then
        echo "the tool left a temporary file: $(basename "$(compgen -G "$w/out.c.unrecurse-*" | head -n1)")"
        return 1
    fi
    case $rc in
        0)
            rewritten=$((rewritten + 1))
            check_rewritten "$w"
            ;;
        1)
            rejected=$((rejected + 1))
            if [ -e "$w/out.c" ]; then
                echo "exit status 1 but out.c was written"
                return 1
            fi
            if ! located_error "$w/tool.stderr"; then
                echo "exit status 1 without a located 'FILE:LINE:COL: error:' diagnostic: $(head -c 200 "$w/tool.stderr")"
                return 1
            fi
            echo "rejected: $(grep -aEm1 ':[0-9]+:[0-9]+: error: ' "$w/tool.stderr" | sed 's|^.*/in\.c:|in.c:|' | head -c 160)"
            ;;
        *)
            echo "the tool was $(describe "$rc"): $(grep -a -m1 . "$w/tool.stderr" | head -c 200)"
            return 1
            ;;
    esac
}

position=0
for dir in "$@"; do
    [ -d "$dir" ] || { echo "replay: $dir is not a directory" >&2; exit 2; }
    while IFS= read -r -d '' input; do
        position=$((position + 1))
        [ $(((position - 1) % shard_count)) -eq "$shard_index" ] || continue
        name=$(basename "$input")
        w=$work/case
        rm -rf "$w"
        mkdir "$w"
        cp "$input" "$w/in.c"
        # Not in a $(...) subshell: check counts into this shell's variables.
        if check "$w" >"$work/verdict"; then
            echo "ok   $name: $(cat "$work/verdict")"
        else
            verdict=$(cat "$work/verdict")
            echo "FAIL $name: $verdict"
            failed=$((failed + 1))
            if [ -n "$keep" ]; then
                cp -r "$w" "$keep/$name"
                echo "$verdict" >"$keep/$name/REASON"
            fi
        fi
    done < <(find "$dir" -maxdepth 1 -type f -print0 | sort -z)
done
echo "replay: $rewritten rewritten ($compared run and compared), $rejected rejected, $failed failed (of $position inputs, shard $shard)"
[ "$failed" -eq 0 ]
