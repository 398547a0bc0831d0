#!/usr/bin/env bash
# compare_tools.sh - do two builds of the tool write the same output for
# the same generated programs? It says whether a long random run made with
# one build (run.sh) also stands for the other.
#
# usage: compare_tools.sh OLD_TOOL NEW_TOOL GEN FIRST_SEED LAST_SEED [IGNORE]
#
# For each seed, GEN SEED $GEN_OPTIONS writes the program; both tools
# rewrite it (default options), and NEW_TOOL's output, less the lines that
# match the grep -E pattern IGNORE (whole lines; none if not given), must
# equal OLD_TOOL's byte for byte. A program both tools reject counts
# apart; one only one of them rejects is a difference. Prints each
# difference and a last line
#     seeds FIRST-LAST: N same, M different, R rejected by both; I lines ignored in F files
# and exits 1 if M > 0.
#
# Example: the lines UNRECURSE__NOINLINE that a later tool writes before
# some members of cycles, over the --mutual seeds of a long run:
#     GEN_OPTIONS=--mutual tests/random/compare_tools.sh OLD/unrecurse \
#         build/tool/unrecurse build/tests/random/gen 830000 839999 '^UNRECURSE__NOINLINE$'
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

if [ $# -ne 5 ] && [ $# -ne 6 ]; then
    echo "usage: $0 OLD_TOOL NEW_TOOL GEN FIRST_SEED LAST_SEED [IGNORE]" >&2
    exit 2
fi
old=$1 new=$2 gen=$3 first=$4 last=$5 ignore=${6:-}
make_work_dir compare
read -r -a gen_options <<<"${GEN_OPTIONS:-}"
same=0 different=0 rejected=0 ignored=0 files=0
for ((seed = first; seed <= last; seed++)); do
    "$gen" "$seed" ${gen_options[@]+"${gen_options[@]}"} >"$work/p.c" ||
        { echo "seed $seed: $gen failed"; different=$((different + 1)); continue; }
    old_rc=0 new_rc=0
    "$old" "$work/p.c" -o "$work/old.c" 2>/dev/null || old_rc=$?
    "$new" "$work/p.c" -o "$work/new.c" 2>/dev/null || new_rc=$?
    if [ "$old_rc" -ne 0 ] && [ "$new_rc" -ne 0 ]; then
        rejected=$((rejected + 1))
        continue
    elif [ "$old_rc" -ne 0 ] || [ "$new_rc" -ne 0 ]; then
        echo "seed $seed: exit status $old_rc from the old tool, $new_rc from the new one"
        different=$((different + 1))
        continue
    fi
    if [ -n "$ignore" ]; then
        n=$(grep -Ec -- "$ignore" "$work/new.c")
        ignored=$((ignored + n))
        [ "$n" -gt 0 ] && files=$((files + 1))
        grep -Ev -- "$ignore" "$work/new.c" >"$work/new.kept.c"
    else
        cp "$work/new.c" "$work/new.kept.c"
    fi
    if cmp -s "$work/old.c" "$work/new.kept.c"; then
        same=$((same + 1))
    else
        echo "seed $seed: the outputs differ"
        different=$((different + 1))
    fi
done
echo "seeds $first-$last: $same same, $different different, $rejected rejected by both;" \
    "$ignored lines ignored in $files files"
[ "$different" -eq 0 ]
