#!/bin/bash
# columns: m shows one share column per sampled event, keyed by
# function, sorted by the event shown; > and < step the sort through the
# events and the names; / filters; w writes it; m or Esc goes back.
# --columns opens in it; without a PMU the IPC column says "no PMU".
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ui-lib.sh
. "$TESTS_SRCDIR/ui/ui-lib.sh"
require_perf

# The rows of the columns view: the lines under the title row.
cols_rows() {
	ui_screen | awk '/BINARY +FUNCTION/ { f = 1; next } f && !NF { exit } f' | head -n "$1"
}

start_target work 60
ui_start --no-kernel -e cpu-clock,page-faults -p "$TARGET_PID"
ui_wait_top work_a 3 10
ui_keys m
ui_wait '^cpu-clock +page-f.* +BINARY +FUNCTION' 3
ui_wait 'sort: cpu-clock' 3
cols_rows 1 | grep -Eq '%.*%.* work +work_a$' || ui_fail "work_a should lead the columns by cpu-clock: $(cols_rows 3)"
ui_keys '>'
ui_wait 'sort: page-faults' 3
ui_keys '>'
ui_wait 'sort: function' 3
ui_keys '>'
ui_wait 'sort: binary' 3
ui_keys '<' && ui_keys '<' && ui_keys '<'
ui_wait 'sort: cpu-clock' 3
ui_keys / && ui_keys -l work_b && ui_keys Enter
ui_wait 'filter: work_b' 3
[ "$(cols_rows 5 | awk '{ print $NF }' | sort -u)" = work_b ] || ui_fail "the filter did not apply to the columns"
ui_keys Escape
ui_wait_not 'filter:' 3
cd "$tmp" || fail "cd $tmp"
ui_keys w
ui_wait 'snapshot written to .*-columns\.txt' 5
f=$(ls "$tmp"/*-columns.txt | head -1)
grep -Eq '^ +cpu-clock +page-faults +BINARY +FUNCTION$' "$f" || ui_fail "the columns snapshot is wrong: $(cat "$f")"
ui_keys Enter
ui_wait 'not in the columns view \(m goes back' 3
ui_keys m
ui_wait 'SELF% +TOTAL%' 3
ui_keys q
ui_wait_exit

ui_start --size 80x24 --no-kernel --columns -e cpu-clock,cycles,instructions -p "$TARGET_PID"
ui_wait 'IPC +BINARY +FUNCTION' 10
if [ "$(have_pmu)" != 0 ]; then
	ui_wait 'no PMU +work +work_a' 10
fi
ui_keys m
ui_wait 'SELF% +TOTAL%' 3
ui_keys q
ui_wait_exit
echo ok
