#!/usr/bin/env bash
# golden.sh - compares the tool's output for tests/e2e/golden/NAME.c with
# NAME.expected.c, so that any change to the generated code shows as a diff.
#
# usage: golden.sh [--update] [--tool TOOL] [NAME...]
#
# NAMEs default to every golden input (golden/*.c but *.expected.c); TOOL to
# build/tool/unrecurse. The tool runs from inside the golden directory on the
# bare file name, so the #line directives it writes do not depend on where the
# repository is. Each input is rewritten twice, and both outputs must be the
# same bytes (the output is deterministic). An input's line
#     unrecurse-args: OPTIONS
# gives the tool's options (e.g. --heap-only).
#
# --update writes the outputs to NAME.expected.c instead of comparing: use it
# when a change to the generated code is intended, and review the diff
# (git diff tests/e2e/golden) before committing it.
set -euo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
golden=$here/golden
tool=$here/../../build/tool/unrecurse
update=0
names=()
while [ $# -gt 0 ]; do
    case $1 in
        --update) update=1 ;;
        --tool)
            [ $# -ge 2 ] || { echo "golden.sh: --tool needs a path" >&2; exit 2; }
            tool=$2
            shift ;;
        -h | --help)
            sed -n '2,/^set /{/^set /d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
            exit 0 ;;
        -*) echo "golden.sh: unknown option $1" >&2; exit 2 ;;
        *) names+=("${1%.c}") ;;
    esac
    shift
done

tool=$(absolute "$tool")
[ -x "$tool" ] || { echo "golden.sh: no tool at $tool (build it first)" >&2; exit 2; }

if [ "${#names[@]}" -eq 0 ]; then
    for f in "$golden"/*.c; do
        case $f in *.expected.c) continue ;; esac
        [ -e "$f" ] && names+=("$(basename "$f" .c)")
    done
fi

make_work_dir golden

failures=0
for name in "${names[@]}"; do
    input=$name.c
    expected=$golden/$name.expected.c
    if [ ! -e "$golden/$input" ]; then
        echo "FAIL $name: no $golden/$input"
        failures=$((failures + 1))
        continue
    fi
    ok=1
    read -r -a tool_args <<<"$(grep -m1 -o 'unrecurse-args:.*' "$golden/$input" | sed 's/^unrecurse-args://' || true)"
    for run in 1 2; do
        rc=0
        (cd "$golden" && exec "$tool" ${tool_args[@]+"${tool_args[@]}"} "$input" -o "$work/$name.$run.c") \
            2>"$work/$name.stderr" || rc=$?
        if [ "$rc" -ne 0 ]; then
            echo "FAIL $name: $tool $input exited with status $rc:"
            sed 's/^/  | /' "$work/$name.stderr"
            ok=0
            break
        fi
    done
    if [ "$ok" -eq 1 ] && ! cmp -s "$work/$name.1.c" "$work/$name.2.c"; then
        echo "FAIL $name: two runs of the tool gave different output:"
        diff -u "$work/$name.1.c" "$work/$name.2.c" | head -n 40 | sed 's/^/  /'
        ok=0
    fi
    if [ "$ok" -eq 0 ]; then
        failures=$((failures + 1))
        continue
    fi
    if [ "$update" -eq 1 ]; then
        if cmp -s "$work/$name.1.c" "$expected"; then
            echo "unchanged $name.expected.c"
        else
            cp "$work/$name.1.c" "$expected"
            echo "updated $name.expected.c"
        fi
    elif [ ! -e "$expected" ]; then
        echo "FAIL $name: no $name.expected.c (create it with: $0 --update $name)"
        failures=$((failures + 1))
    elif cmp -s "$expected" "$work/$name.1.c"; then
        echo "ok $name"
    else
        echo "FAIL $name: the output differs from $name.expected.c (--- expected, +++ now):"
        diff -u --label "$name.expected.c" --label "$name.c rewritten now" \
            "$expected" "$work/$name.1.c" | head -n 200
        echo "If the change is intended: $0 --update $name"
        failures=$((failures + 1))
    fi
done

[ "$failures" -eq 0 ] || exit 1
