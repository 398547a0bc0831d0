#!/usr/bin/env bash
# output_files.sh - where the tool writes, and what it never destroys.
#
# usage: output_files.sh TOOL WORK_DIR
#
# Everything happens in WORK_DIR (recreated); no system file is touched.
# It checks that:
#  - -o to a FIFO writes into the FIFO (a reader gets the output) and leaves
#    it a FIFO; -o to a character device node (made with mknod in WORK_DIR,
#    a copy of /dev/null's, when mknod is allowed) leaves it a device; -o to
#    a terminal (script(1)'s pseudo-terminal) writes to it;
#  - -o to a symbolic link writes the file it names: the link stays a link,
#    the file keeps its permissions;
#  - -o naming the input (by its name, through a symbolic link, or a hard
#    link) is refused with exit status 2 and the input is unchanged;
#  - -i rewrites the input in place, without #line directives; -i with -o,
#    or with standard input, is refused;
#  - a write that fails midway (the file-size limit, as on a full disk)
#    exits 2 and leaves the existing target as it was, and no temporary
#    file behind;
#  - "-" as INPUT reads standard input: the same output as from the file.
set -euo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

expect_args 2 "TOOL WORK_DIR" "$@"
tool=$(absolute "$1") work=$2
work=$(fresh_dir "$work")
cd "$work"

printf 'int walk(int n) { return n ? walk(n - 1) + 1 : 0; }\n' >walk.c
cp walk.c original.c
"$tool" --all walk.c -o expected.c
"$tool" --all --no-line walk.c -o expected-no-line.c
grep -q 'walk__frame' expected.c || fail "the reference output does not look rewritten"
cmp -s walk.c original.c || fail "writing expected.c changed the input"

# A FIFO: written into, still a FIFO.
mkfifo pipe
cat pipe >from-pipe &
reader=$!
rc=0
timeout 60 "$tool" --all walk.c -o pipe || rc=$?
wait "$reader" || true
[ "$rc" -eq 0 ] || fail "-o FIFO: exit status $rc"
[ -p pipe ] || fail "-o FIFO: the FIFO was replaced"
cmp -s from-pipe expected.c || fail "-o FIFO: the reader did not get the output"

# A character device node like /dev/null's, if this user may make one.
if mknod null c 1 3 2>/dev/null; then
    rc=0
    "$tool" --all walk.c -o null || rc=$?
    [ "$rc" -eq 0 ] || fail "-o device: exit status $rc"
    [ -c null ] || fail "-o device: the device node was replaced by a regular file"
    echo "output: a character device node stays one"
else
    echo "output: mknod not permitted here; the device case is covered by the FIFO only"
fi

# A terminal (a pseudo-terminal from script(1)): written to, as it is. Were
# the tool to replace it, it would have to make a file in /dev/pts, which
# devpts does not allow: this cannot harm the machine.
rc=0
script -qec "\"$tool\" --all walk.c -o \"\$(tty)\"" typescript </dev/null >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 0 ] || fail "-o terminal: exit status $rc"
# The typescript, less script's first and last lines, is what the tool wrote.
tr -d '\r' <typescript | sed '1d;/^Script done on /d' | sed '${/^$/d;}' >from-terminal
cmp -s from-terminal expected.c || fail "-o terminal: the terminal did not get the output"

# A symbolic link: the file it names is replaced, with its permissions.
echo old >target.c
chmod 640 target.c
ln -s target.c link.c
rc=0
"$tool" --all walk.c -o link.c || rc=$?
[ "$rc" -eq 0 ] || fail "-o symlink: exit status $rc"
[ -L link.c ] || fail "-o symlink: the link was replaced by a regular file"
cmp -s target.c expected.c || fail "-o symlink: the file it names was not written"
[ "$(stat -c %a target.c)" = 640 ] || fail "-o symlink: the file's mode is $(stat -c %a target.c), not 640"

# The input itself, under three names: refused, the input unchanged.
ln -s walk.c walk-link.c
ln walk.c walk-hard.c
for name in walk.c walk-link.c walk-hard.c; do
    rc=0
    "$tool" --all walk.c -o "$name" 2>stderr || rc=$?
    [ "$rc" -eq 2 ] || fail "-o $name (the input): exit status $rc, expected 2"
    grep -qF "unrecurse: error: '-o $name' is the input file" stderr ||
        fail "-o $name (the input): no error message: $(head -c 300 stderr)"
    cmp -s walk.c original.c || fail "-o $name (the input): the input was changed"
done

# In place.
cp walk.c inplace.c
rc=0
"$tool" --all -i inplace.c || rc=$?
[ "$rc" -eq 0 ] || fail "-i: exit status $rc"
# (the file name in the output is the input's)
sed 's/"inplace\.c"/"walk.c"/' inplace.c | cmp -s - expected-no-line.c ||
    fail "-i: the file is not the output without #line"
for args in "-i walk.c -o other.c" "-i -"; do
    rc=0
    # shellcheck disable=SC2086 # ARGS is a list
    "$tool" --all $args </dev/null 2>stderr || rc=$?
    [ "$rc" -eq 2 ] || fail "$args: exit status $rc, expected 2"
    grep -q '^unrecurse: error: -i ' stderr || fail "$args: no error message"
done
cmp -s walk.c original.c || fail "-i refused: the input was changed"
[ ! -e other.c ] || fail "-i -o: other.c was written"

# A write that fails midway: the old target stays. The output is a few
# KiB; a 1 KiB file-size limit stops it.
echo "previous contents" >kept.c
cp kept.c kept-before.c
rc=0
(ulimit -f 1 && exec "$tool" --all walk.c -o kept.c) 2>stderr || rc=$?
[ "$rc" -eq 2 ] || fail "full disk: exit status $rc, expected 2"
grep -q "unrecurse: error: cannot write 'kept.c'" stderr || fail "full disk: no error message: $(head -c 300 stderr)"
cmp -s kept.c kept-before.c || fail "full disk: the existing target was changed"
left=$(find . -name '*.unrecurse-*' -printf '%f ')
[ -z "$left" ] || fail "full disk: temporary files left: $left"

# Standard input.
rc=0
"$tool" --all --no-line - <walk.c >from-stdin.c || rc=$?
[ "$rc" -eq 0 ] || fail "stdin: exit status $rc"
sed 's/"<stdin>"/"walk.c"/' from-stdin.c | cmp -s - expected-no-line.c ||
    fail "stdin: not the output of the file"

finish output
