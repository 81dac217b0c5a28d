#!/bin/bash
# w and P write a snapshot now and the status line names the file:
# without -o, rrstat-top-PID-DATE-TIME.txt in the current directory, text;
# with -o, that file in --format (never overwritten: q then writes the
# final snapshot under a numbered name); with -o FILE.pb.gz, pprof; with
# --format csv,pprof, both files of the same counts; with --format json
# and no -o, the default name with .json.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ui-lib.sh
. "$TESTS_SRCDIR/ui/ui-lib.sh"
require_perf
require_python

start_target work 60
ui_start -p "$TARGET_PID"
ui_wait_top work_a 1 10
ui_keys w
ui_wait "snapshot written to rrstat-top-$TARGET_PID-[0-9]{8}-[0-9]{6}\\.txt" 5
snap1=$(ui_screen | sed -n 's/.*snapshot written to \([^ ]*\).*/\1/p' | head -n 1)
[ -f "$tmp/$snap1" ] || ui_fail "no $snap1 in the current directory"
show "$tmp/$snap1"
grep -q '^target: pid '"$TARGET_PID"' (work)' "$tmp/$snap1" || fail "$snap1 has no target line"
grep -Eq ' work +work_a$' "$tmp/$snap1" || fail "$snap1 has no work_a row"
ui_keys P
i=0
while snap2=$(ui_screen | sed -n 's/.*snapshot written to \([^ ]*\).*/\1/p' | head -n 1)
    [ "$snap2" = "$snap1" ]; do
	i=$((i + 1))
	[ "$i" -lt 30 ] || ui_fail "P wrote no second snapshot"
	sleep 0.1
done
[ -f "$tmp/$snap2" ] || ui_fail "no $snap2 in the current directory"
ui_keys q
ui_wait_exit

ui_start -p "$TARGET_PID" -o snap.csv --format csv
ui_wait_top work_a 1 10
ui_keys w
ui_wait 'snapshot written to snap\.csv' 5
csvq check snap.csv || fail "snap.csv is not a valid snapshot"
[ -n "$(csvq match snap.csv cpu-clock '^work_a$')" ] || fail "no work_a in snap.csv"
ui_keys q
ui_wait_exit
grep -q 'snapshot written to snap-1\.csv' "$tmp/ui.err" || { show "$tmp/ui.err"; fail "q did not write snap-1.csv"; }
csvq check snap-1.csv || fail "snap-1.csv is not a valid snapshot"
[ -n "$(csvq match snap-1.csv cpu-clock '^work_a$')" ] || fail "no work_a in snap-1.csv"

# -o FILE.pb.gz: w writes a pprof profile; --format csv,pprof: w writes
# both files, of the same counts.
dec=$TESTS_SRCDIR/integration/pprofdec.py
ui_start -p "$TARGET_PID" -o prof.pb.gz
ui_wait_top work_a 1 10
ui_keys w
ui_wait 'snapshot written to prof\.pb\.gz' 5
python3 "$dec" prof.pb.gz --dump >prof.dump || fail "w with -o prof.pb.gz wrote no pprof profile"
grep -q '^function [0-9]* work_a ' prof.dump || { show prof.dump; fail "prof.pb.gz has no work_a"; }
ui_keys q
ui_wait_exit

ui_start -p "$TARGET_PID" -o both.csv --format csv,pprof
ui_wait_top work_a 1 10
ui_keys w
ui_wait 'snapshot written to both\.csv, both\.pb\.gz' 5
python3 "$dec" both.pb.gz --csv both.csv --binary work ||
    fail "w: both.pb.gz does not agree with both.csv (above)"
ui_keys q
ui_wait_exit

ui_start -p "$TARGET_PID" --format json
ui_wait_top work_a 1 10
ui_keys w
ui_wait "snapshot written to rrstat-top-$TARGET_PID-[0-9]{8}-[0-9]{6}\\.json" 5
snap3=$(ui_screen | sed -n 's/.*snapshot written to \([^ ]*\).*/\1/p' | head -n 1)
python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$tmp/$snap3" ||
    { show "$tmp/$snap3"; fail "w with --format json wrote no json to $snap3"; }
ui_keys q
ui_wait_exit
