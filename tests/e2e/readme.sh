#!/usr/bin/env bash
# readme.sh - the README's complete examples work verbatim.
#
# usage: readme.sh TOOL RUNTIME_DIR RUNTIME_LIB README WORK_DIR
#
# Each C block of README that follows a line `<!-- example: NAME [ARGS] -->`
# is a whole program. It checks that each one:
#  - builds as it is, without the tool (gcc -std=c99 -Wall -Wextra -Werror,
#    linked with the runtime);
#  - is rewritten by the tool, and the rewritten file builds the same way;
#  - rewritten, run with ARGS under a 64 KiB stack, exits 0 and prints the
#    line the README says it prints: the text in backquotes after
#    "prints" in the paragraph after the block (when there is one), or,
#    for fib, the original's output.
set -euo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

expect_args 5 "TOOL RUNTIME_DIR RUNTIME_LIB README WORK_DIR" "$@"
tool=$(absolute "$1") runtime=$(cd "$2" && pwd) lib=$(absolute "$3") readme=$(absolute "$4") work=$5
work=$(fresh_dir "$work")
cd "$work"

# Split the README: NAME.c, NAME.args and NAME.says for each example.
awk '
    /^<!-- example: / { split($0, w, " "); name = w[3]; args = "";
                        for (i = 4; w[i] != "-->"; i++) args = args " " w[i];
                        print args > (name ".args"); want = 1; next }
    want && /^```c$/ { inside = 1; want = 0; next }
    inside && /^```$/ { inside = 0; after = 1; next }
    inside { print > (name ".c"); next }
    after && /prints `/ { line = $0; sub(/.*prints `/, "", line); sub(/`.*/, "", line);
                          print line > (name ".says"); after = 0; next }
    after && /^$/ { next }
    after && /^(#|<!--)/ { after = 0 }
' "$readme"
examples=(*.c)
[ "${#examples[@]}" -ge 3 ] || fail "found ${#examples[@]} examples in the README, expected at least 3"

for source in "${examples[@]}"; do
    name=${source%.c}
    read -r -a args <"$name.args" || args=()
    build() { # OUTPUT SOURCE
        "$gcc" -O2 -std=c99 "${strict[@]}" ${sanitize[@]+"${sanitize[@]}"} -I "$runtime" "$2" \
            "$lib" -pthread -o "$1" 2>"$1.log"
    }
    build "$name.original" "$source" || { fail "$name: does not build without the tool: $(head -c 400 "$name.original.log")"; continue; }
    "$tool" "$source" -o "$name.rewritten.c" 2>"$name.tool.log" ||
        { fail "$name: the tool failed: $(head -c 400 "$name.tool.log")"; continue; }
    build "$name.rewritten" "$name.rewritten.c" ||
        { fail "$name: the rewritten file does not build: $(head -c 400 "$name.rewritten.log")"; continue; }
    run_with_stack "$small_stack" "$name.run" "./$name.rewritten" ${args[@]+"${args[@]}"}
    status=$(cat "$name.run.status")
    [ "$status" -eq 0 ] || { fail "$name: the rewritten program: $(describe "$status")"; continue; }
    if [ -f "$name.says" ]; then
        expected=$(cat "$name.says")
    else
        run_with_stack unlimited "$name.native" "./$name.original" ${args[@]+"${args[@]}"}
        expected=$(cat "$name.native.stdout")
    fi
    [ "$(cat "$name.run.stdout")" = "$expected" ] ||
        fail "$name: printed '$(head -c 300 "$name.run.stdout")', the README says '$expected'"
    echo "readme: $name: $(cat "$name.run.stdout")"
done
finish readme "$work"
