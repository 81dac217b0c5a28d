#!/bin/bash
# resize: at 80x24 the whole screen is there (header, table, key hints);
# below that one clear line says the terminal is too small; enlarged
# again, the table comes back.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ui-lib.sh
. "$TESTS_SRCDIR/ui/ui-lib.sh"
require_perf

start_target work 60
ui_start -p "$TARGET_PID"
ui_wait_top work_a 1 10

ui_tmux resize-window -t ui -x 80 -y 24
ui_wait "^pid $TARGET_PID \\(work\\)" 5
i=0
until [ "$(ui_tmux display -p -t ui '#{pane_width}x#{pane_height}')" = 80x24 ] &&
    [ "$(ui_screen | tail -n 1 | grep -c 'q Quit$')" = 1 ]; do
	i=$((i + 1))
	[ "$i" -lt 50 ] || ui_fail "no key hints on the last line at 80x24"
	sleep 0.1
done
ui_wait 'SAMPLES.*FUNCTION' 3
ui_wait_top work_a 1 3
ui_wait 'event: cpu-clock' 3
ui_wait 'window: cumulative' 3
ui_wait 'LIVE *$' 3
[ "$(ui_screen | wc -l)" -le 24 ] || ui_fail "more than 24 lines"
[ "$(ui_screen | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }')" -le 80 ] ||
	ui_fail "lines wider than 80 columns"

ui_tmux resize-window -t ui -x 40 -y 10
ui_wait '^terminal too small \(need 80x24\)' 5
ui_screen | grep -q 'SAMPLES' && ui_fail "the table is drawn into a 40x10 terminal"
[ "$(ui_screen | grep -c .)" = 1 ] || ui_fail "more than one line at 40x10"

ui_tmux resize-window -t ui -x 79 -y 40
ui_wait '^terminal too small' 5

ui_tmux resize-window -t ui -x 100 -y 30
ui_wait_not 'too small' 5
ui_wait 'SAMPLES.*FUNCTION' 5
ui_wait_top work_a 1 3
ui_keys q
ui_wait_exit
