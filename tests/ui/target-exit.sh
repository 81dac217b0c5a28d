#!/bin/bash
# target-exit: the target (work, 3 s) exits in the middle of the session:
# the header says so, its last data stays on screen (also in the rolling
# window), and q exits with status 0 and writes -o FILE with work_a.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ui-lib.sh
. "$TESTS_SRCDIR/ui/ui-lib.sh"
require_perf
require_python

start_target work 3
ui_start -p "$TARGET_PID" -o gone.csv --format csv
ui_wait_top work_a 1 10
ui_wait "pid $TARGET_PID \\(work\\), exited" 10
ui_wait 'exited: its last data stays on screen' 3
ui_wait_top work_a 1 3
# The samples read after the exit come with the next refresh; from then
# on nothing changes.
i=0
while before=$(ui_table); sleep 1.2; [ "$(ui_table)" != "$before" ]; do
	i=$((i + 1))
	[ "$i" -lt 5 ] || ui_fail "the table still changes after the target exited"
done
ui_keys c
ui_wait 'window: last 10 s' 3
sleep 2
ui_wait_top work_a 1 3
ui_keys c
ui_wait 'window: cumulative' 3
[ "$(ui_table)" = "$before" ] || ui_fail "the data changed after the target exited"
ui_keys q
ui_wait_exit
grep -q 'snapshot written to gone\.csv' "$tmp/ui.err" || { show "$tmp/ui.err"; fail "no gone.csv written on q"; }
csvq check gone.csv || fail "gone.csv is not a valid snapshot"
[ -n "$(csvq match gone.csv cpu-clock '^work_a$')" ] || fail "no work_a in gone.csv"
