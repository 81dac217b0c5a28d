#!/bin/bash
# filter: / opens the prompt; typing filters the rows as it goes;
# Backspace edits; Enter keeps the filter (the header shows it); Esc
# clears it; F4 opens the prompt too; Esc outside the prompt clears the
# filter; a filter that matches nothing says so.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ui-lib.sh
. "$TESTS_SRCDIR/ui/ui-lib.sh"
require_perf

# ui_only FN...: the table has exactly these functions (any order).
ui_only() {
	local want got i=0
	want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
	while got=$(ui_functions | sort | tr '\n' ' '); [ "$got" != "$want" ]; do
		i=$((i + 1))
		[ "$i" -lt 30 ] || ui_fail "rows: $got, expected $want"
		sleep 0.1
	done
}

start_target work 60
# User space only: a kernel function such as queue_work_on would match
# "work_" too, and these checks name the exact rows.
ui_start --no-kernel -p "$TARGET_PID"
ui_wait_top work_a 3 10
ui_wait_top work_b 3 10
ui_keys /
ui_wait '^Filter: ' 3
ui_keys -l work_b
ui_only work_b
ui_wait '^Filter: work_b' 3
ui_keys BSpace
ui_only work_a work_b
ui_keys -l a
ui_only work_a
ui_keys Enter
ui_wait_not '^Filter: ' 3
ui_wait 'filter: work_a' 3
ui_only work_a
# F4 opens the prompt on the filter there is; Ctrl-U empties it; the
# match ignores case; Esc in the prompt clears and closes.
ui_keys F4
ui_wait '^Filter: work_a' 3
ui_keys C-u
ui_keys -l WORK_B
ui_only work_b
ui_keys Escape
ui_wait_not 'Filter: |filter: ' 3
ui_wait_top work_a 5 3
# Esc outside the prompt backs out of the filter.
ui_keys / && ui_keys -l work_b && ui_keys Enter
ui_wait 'filter: work_b' 3
ui_only work_b
ui_keys Escape
ui_wait_not 'filter: ' 3
ui_wait_top work_a 5 3
# Nothing matches.
ui_keys / && ui_keys -l no-such-function && ui_keys Enter
ui_wait 'no row matches' 3
ui_keys BSpace
ui_wait_top work_a 5 3
ui_keys q
ui_wait_exit
