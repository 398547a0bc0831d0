#!/usr/bin/env bash
# compdb.sh - `unrecurse -p DIR`: flags from a compilation database.
#
# usage: compdb.sh TOOL BUILD_DIR RUNTIME_DIR RUNTIME_LIB WORK_DIR TOOL_FLAGS
#
# 1. The project's own CMake database (BUILD_DIR/compile_commands.json):
#    `--all` on the tool's own tool/ir.c (a cycle of fourteen recursive
#    functions, which parses only with the database's flags) must rewrite
#    it into C that compiles (with TOOL_FLAGS, the tool's include paths).
# 2. Hand-written databases for compdb/src/walk.c, which parses only with
#    their flags (an -I relative to the database's directory, a -D): the
#    `arguments` and `command` forms, a relative `file`, many flags, the
#    input given relative or absolute from another directory. The output
#    must compile and run 10^6 deep under a 64 KiB stack, like the
#    original on an unlimited one (which must crash under 64 KiB).
# Without the database's flags, both inputs must be rejected (exit status
# 1). The errors of -p (no database, a malformed one, a file it does not
# list) are tested by tool_errors.sh. In a sanitized build tree the rewritten
# walk.c is built with the sanitizers ($sanitize, tests/lib.sh).
set -euo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

tool=$1 build=$2 runtime=$3 lib=$4 work=$5 tool_flags=$6
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rm -rf "$work"
mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

# rejected FILE ARGS...: the tool, on FILE with ARGS, must reject it (exit
# status 1, clang's errors) and write no FILE.
rejected() {
    local out=$1 rc=0
    shift
    "$tool" "$@" -o "$out" 2>"$out.stderr" || rc=$?
    [ "$rc" -eq 1 ] || fail "$tool $* -o $out: exit status $rc, expected 1: $(tail -n 3 "$out.stderr")"
    [ ! -e "$out" ] || fail "$out written although the input was rejected"
}

# 1. The project's database.
own=$here/../../tool/ir.c
rejected "$work/own-none.c" --all "$own"
"$tool" --all -p "$build" "$own" -o "$work/own.c" || fail "--all -p $build on tool/ir.c"
grep -q "walk_stmt__frame" "$work/own.c" || fail "ir.c's walk was not rewritten"
# shellcheck disable=SC2086 # TOOL_FLAGS is a list of flags
cc -std=c11 -fsyntax-only -Wall -Wextra -Werror -I"$runtime" $tool_flags "$work/own.c" ||
    fail "the rewritten ir.c does not compile"

# 2. Hand-written databases, in a copy of compdb/ (the database needs an
# absolute directory).
proj=$work/proj
cp -r "$here/compdb" "$proj"
many=""
for i in $(seq 1 30); do many="$many \"-DUNUSED_$i=$i\","; done
cat > "$proj/compile_commands.json" <<JSON
[
  {
    "directory": "$proj",
    "arguments": ["cc", "-Iinclude", $many "-DWALK_DEPTH_T=long", "-O2", "-MD", "-MF",
                  "walk.d", "-c", "src/walk.c", "-o", "walk.o"],
    "file": "src/walk.c"
  }
]
JSON
mkdir -p "$work/commanddb"
cat > "$work/commanddb/compile_commands.json" <<JSON
[
  {
    "directory": "$proj",
    "command": "cc -Iinclude -DWALK_DEPTH_T=long -Wall -Werror -o walk.o -c src/walk.c",
    "file": "src/walk.c"
  }
]
JSON
rejected "$work/none.c" --all "$proj/src/walk.c"
( cd "$proj" && "$tool" --all -p . src/walk.c -o "$work/relative.c" ) || fail "-p . src/walk.c"
( cd "$work" && "$tool" --all -p proj "$proj/src/walk.c" -o "$work/absolute.c" ) ||
    fail "-p proj with an absolute input"
( cd "$proj/include" && "$tool" --all -p ../ ../src/walk.c -o "$work/subdir.c" ) ||
    fail "-p from a subdirectory"
"$tool" --all -p "$work/commanddb" "$proj/src/walk.c" -o "$work/command.c" ||
    fail "the command form"
# The same output but for the input's path, which #line keeps as given.
same_but_path() {
    sed "s|\"$2\"|\"src/walk.c\"|g" "$work/$1.c" | cmp -s "$work/relative.c" - ||
        fail "$1.c differs from relative.c"
}
same_but_path absolute "$proj/src/walk.c"
same_but_path subdir "../src/walk.c"
same_but_path command "$proj/src/walk.c"
cc -O2 -Wall -Wextra -Werror ${sanitize[@]+"${sanitize[@]}"} -I"$proj/include" \
    -DWALK_DEPTH_T=long -I"$runtime" "$work/relative.c" "$lib" -o "$work/rewritten" ||
    fail "the output does not compile"
cc -O2 -I"$proj/include" -DWALK_DEPTH_T=long "$proj/src/walk.c" -o "$work/native"
[ "$("$work/rewritten" 1000)" = "$("$work/native" 1000)" ] || fail "rewritten walk differs"
deep=1000000
# The braces keep the shell's "Segmentation fault" notice quiet.
if { ( ulimit -s 64 && "$work/native" $deep ) >/dev/null 2>&1; } 2>/dev/null; then
    fail "the original survives $deep under 64 KiB: the deep run proves nothing"
fi
expected=$( ulimit -s unlimited && "$work/native" $deep )
got=$( ulimit -s 64 && "$work/rewritten" $deep ) || fail "rewritten crashed at $deep"
[ "$got" = "$expected" ] || fail "deep run: $got, expected $expected"
echo "compdb: all checks passed"
