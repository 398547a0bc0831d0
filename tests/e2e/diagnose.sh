#!/usr/bin/env bash
# diagnose.sh - checks that the tool rejects one input the way a compiler would.
#
# usage: diagnose.sh TOOL FILE.c
#
# FILE.c starts with one or more lines
#     // expect: LINE:COL: error: SUBSTRING
# and the tool, run from FILE.c's directory on its bare name, must:
#  - exit with status 1 (input rejected; 2 would be a usage or I/O error);
#  - print, for each expectation, a line "FILE.c:LINE:COL: error: ..." on
#    standard error that contains SUBSTRING;
#  - write nothing: no -o file, no leftover temporary file beside it;
#  - leave an existing -o target untouched, byte for byte.
set -euo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

if [ $# -ne 2 ]; then
    echo "usage: $0 TOOL FILE.c" >&2
    exit 2
fi
tool=$1 input=$2

tool=$(absolute "$tool")
dir=$(cd "$(dirname "$input")" && pwd)
base=$(basename "$input")
failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

mapfile -t expects < <(sed -n '/^\/\/ expect: /!q; s|^// expect: ||p' "$input")
if [ "${#expects[@]}" -eq 0 ]; then
    echo "FAIL: $input does not start with a '// expect: LINE:COL: error: TEXT' line"
    exit 1
fi

make_work_dir diagnose
mkdir "$work/out"

# run OUTPUT: runs the tool on the input with -o OUTPUT; sets rc, leaves stderr.
run() {
    rc=0
    (cd "$dir" && exec "$tool" "$base" -o "$1") >"$work/stdout" 2>"$work/stderr" || rc=$?
}

echo "diagnose $base: $tool $base -o OUT"

# 1. No -o target beforehand: exit 1, the diagnostics, no file.
run "$work/out/$base"
echo "  the tool exited with status $rc and said:"
sed 's/^/  | /' "$work/stderr"
[ "$rc" -eq 1 ] || fail "exit status $rc, expected 1 (input rejected)"

for expect in "${expects[@]}"; do
    location=${expect%%: error: *}
    text=${expect#*: error: }
    prefix="$base:$location: error: "
    found=0
    while IFS= read -r line; do
        before=${line%%"$prefix"*}
        [ "$before" != "$line" ] || continue # prefix not in this line
        [ -z "$before" ] || [ "${before%/}" != "$before" ] || continue
        case ${line#*"$prefix"} in
            *"$text"*) found=1 ;;
        esac
    done <"$work/stderr"
    if [ "$found" -eq 1 ]; then
        echo "  found: $prefix...$text..."
    else
        fail "no diagnostic '$prefix...$text...' on standard error"
    fi
done

left=$(find "$work/out" -mindepth 1 -printf '%f ')
[ -z "$left" ] || fail "files were written although the input was rejected: $left"

# 2. An existing -o target must be left alone.
rm -rf "$work/out"
mkdir "$work/out"
target=$work/out/existing.c
printf '/* written before the tool ran */\nint untouched;\n' >"$target"
cp "$target" "$work/existing.orig"
run "$target"
before=$failures
[ "$rc" -eq 1 ] || fail "with an existing -o target: exit status $rc, expected 1"
cmp -s "$target" "$work/existing.orig" || fail "the existing -o target was modified"
left=$(find "$work/out" -mindepth 1 -printf '%f ')
[ "$left" = "existing.c " ] || fail "files beside the existing -o target afterwards: $left"
[ "$failures" -ne "$before" ] || echo "  an existing -o target was left untouched"

if [ "$failures" -gt 0 ]; then
    echo "diagnose $base: FAILED"
    exit 1
fi
echo "diagnose $base: passed"
