#!/bin/bash
# no-overwrite: a snapshot never overwrites a file and never follows a
# symbolic link; it takes the name with -N before the extension instead
# (snap.csv -> snap-1.csv -> snap-2.csv; snapfile -> snapfile-1).  An -o
# path in a directory that does not exist: exit status 1, one line on
# stderr, nothing created.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf
require_python

start_target work 30
pid=$TARGET_PID

# snap NAME FILE: a short session that writes a csv snapshot to FILE.
snap() {
	rr_run "$1" -b -p "$pid" -d 0.3 -n 2 --format csv -o "$2"
	expect_rc 0
}

# expect_new FILE: FILE is a new, valid snapshot, not a symbolic link.
expect_new() {
	if [ ! -f "$1" ] || [ -L "$1" ]; then
		ls -la
		fail "$1 was not written as a new regular file"
	fi
	csvq check "$1" || fail "$1 is not a valid snapshot"
}

echo "keep me" >snap.csv
snap first snap.csv
[ "$(cat snap.csv)" = "keep me" ] || fail "snap.csv was overwritten"
expect_new snap-1.csv
snap second snap.csv
[ "$(cat snap.csv)" = "keep me" ] || fail "snap.csv was overwritten"
expect_new snap-2.csv
[ "$(head -n 1 snap-1.csv)" = "$(head -n 1 snap-2.csv)" ] || fail "snap-1.csv was overwritten"

echo "keep me" >snapfile
snap noext snapfile
[ "$(cat snapfile)" = "keep me" ] || fail "snapfile was overwritten"
expect_new snapfile-1

echo "secret" >victim.txt
ln -s victim.txt link.csv
snap link link.csv
[ "$(cat victim.txt)" = "secret" ] || fail "the snapshot followed link.csv into victim.txt"
if [ ! -L link.csv ] || [ "$(readlink link.csv)" != victim.txt ]; then
	fail "link.csv was replaced"
fi
expect_new link-1.csv

ln -s "$tmp/nowhere.csv" dangling.csv
snap dangling dangling.csv
[ ! -e nowhere.csv ] || fail "the snapshot followed the dangling link dangling.csv"
[ -L dangling.csv ] || fail "dangling.csv was replaced"
expect_new dangling-1.csv

rr_run nodir -b -p "$pid" -d 0.3 -n 2 --format csv -o "$tmp/no/such/dir/out.csv"
expect_rc 1
expect_one_line_stderr
[ ! -e "$tmp/no" ] || fail "$tmp/no was created"
