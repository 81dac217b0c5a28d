#!/bin/bash
# select: Up, Down, PgUp, PgDn, Home and End move the selection (reverse
# video, with --no-color); once moved it stays on the same function across
# refreshes; Home goes back to the top row; Enter says that the
# drill-down is not there yet.  On the demo workload (many rows).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ui-lib.sh
. "$TESTS_SRCDIR/ui/ui-lib.sh"
require_perf

# The selected row: its line in the table (from 1) and its function.
ui_selected() {
	local h
	h=$(ui_tmux display -p -t ui '#{pane_height}')
	ui_screen_attrs | awk -v last=$((h - 2)) '
		found && NR <= last { n++ }
		found && NR <= last && match($0, /\033\[([0-9]*;)*7(;[0-9]*)*m/) {
			gsub(/\033\[[0-9;]*m/, "")
			print n, $NF
			exit
		}
		/SAMPLES/ && /FUNCTION/ { found = 1 }'
}

# ui_wait_selected_line N: wait until the selection is on table line N.
ui_wait_selected_line() {
	local i=0
	until [ "$(ui_selected | cut -d ' ' -f 1)" = "$1" ]; do
		i=$((i + 1))
		[ "$i" -lt 30 ] || ui_fail "the selection is on line $(ui_selected), expected line $1"
		sleep 0.1
	done
}

ui_start --no-color --demo
ui_wait 'demo_compute' 10
i=0
# More rows than the screen has room for.
until [ "$(ui_screen | sed -n 's/.*  rows: \([0-9]*\).*/\1/p')" -gt 40 ]; do
	i=$((i + 1))
	[ "$i" -lt 150 ] || ui_fail "40 rows or fewer after 15 s"
	sleep 0.1
done
# Moving, on a frozen table (so that no refresh moves rows meanwhile).
ui_keys Space
ui_wait 'FROZEN' 3
ui_wait_selected_line 1
ui_keys Down Down Down Up
ui_wait_selected_line 3
ui_keys End
ui_wait_selected_line "$(ui_table | wc -l)"
ui_keys Home
ui_wait_selected_line 1
ui_keys Up
ui_wait_selected_line 1
ui_keys NPage
i=0
until [ "$(ui_selected | cut -d ' ' -f 1)" -gt 20 ]; do
	i=$((i + 1))
	[ "$i" -lt 30 ] || ui_fail "PgDn moved the selection to line $(ui_selected)"
	sleep 0.1
done
ui_keys PPage
ui_wait_selected_line 1
ui_keys Down Down
ui_wait_selected_line 3
fn=$(ui_selected | cut -d ' ' -f 2)
note "selected: $fn"
# Live again: three refreshes later it is still on the same function,
# wherever that is now.
ui_keys Z
ui_wait 'LIVE' 3
sleep 3
[ "$(ui_selected | cut -d ' ' -f 2)" = "$fn" ] ||
	ui_fail "the selection moved from $fn to $(ui_selected)"
ui_keys Enter
ui_wait 'Esc: back to the table' 3
ui_screen | grep -qF -- "$fn  in " || ui_fail "the drill-down is not of $fn"
ui_keys Escape
ui_wait 'SAMPLES.*FUNCTION' 3
[ "$(ui_selected | cut -d ' ' -f 2)" = "$fn" ] ||
	ui_fail "back from the drill-down, the selection is on $(ui_selected), not $fn"
ui_keys q
ui_wait_exit
