#!/bin/bash
# sort: > and F6 step to the next sort column, < to the previous one, r
# reverses.  With the rows filtered down to work_a and work_b: self puts
# work_a (75 %) first, reversed work_b; function puts work_a first
# (a before b), reversed work_b; the header names the key.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ui-lib.sh
. "$TESTS_SRCDIR/ui/ui-lib.sh"
require_perf

# ui_order WANT HEADER: the rows are WANT (space separated) and the
# header says "sort: HEADER".
ui_order() {
	local i=0
	ui_wait "sort: $2( |\$)" 3
	while [ "$(ui_top_functions 5)" != "$1 " ]; do
		i=$((i + 1))
		[ "$i" -lt 30 ] || ui_fail "sort $2: rows $(ui_top_functions 5), expected $1"
		sleep 0.1
	done
}

start_target work 60
# --no-kernel: kernel functions such as queue_work_on match the filter too.
ui_start --no-kernel -p "$TARGET_PID"
ui_wait_top work_a 3 10
ui_wait_top work_b 3 10
ui_keys / && ui_keys -l work_ && ui_keys Enter
ui_wait 'filter: work_' 3
ui_order "work_a work_b" self
ui_keys r
ui_order "work_b work_a" "self, reversed"
ui_keys r
ui_order "work_a work_b" self
ui_keys '>'
ui_order "work_a work_b" total
ui_keys F6
ui_order "work_a work_b" samples
ui_keys '>'
ui_order "work_a work_b" function
ui_keys r
ui_order "work_b work_a" "function, reversed"
ui_keys '>'
ui_order "work_a work_b" binary
ui_keys '>'
ui_order "work_a work_b" self
ui_keys '<'
ui_wait 'sort: binary' 3
ui_keys '<'
ui_order "work_a work_b" function
# The title marks the sorted column.
ui_screen | grep -Eq 'FUNCTION(▲|\^)' || ui_fail "the FUNCTION title is not marked as sorted"
ui_keys q
ui_wait_exit
