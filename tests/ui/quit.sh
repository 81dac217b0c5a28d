#!/bin/bash
# quit: q, F10, Ctrl-C, SIGTERM and SIGHUP each end rrstat-top with
# status 0 and leave the terminal usable: same modes, the screen restored,
# and the shell behind it echoes and answers.  So do -n and --duration.
# A fatal signal (SIGABRT, SIGSEGV) restores the terminal too, then
# takes its course.  A terminal type that cannot be used is refused with
# one line and status 1.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ui-lib.sh
. "$TESTS_SRCDIR/ui/ui-lib.sh"
require_perf

start_target work 60
for how in q F10 C-c TERM HUP; do
	ui_start -p "$TARGET_PID"
	ui_wait 'LIVE' 10
	ui_wait_top work_a 3 10
	note "quit with $how"
	case $how in
	TERM|HUP) kill -"$how" "$UI_PID" ;;
	*) ui_keys "$how" ;;
	esac
	ui_wait_exit
done

note "-n 3 -d 0.3"
ui_start -p "$TARGET_PID" -n 3 -d 0.3
ui_wait_exit 0 10
note "--duration 1.5"
ui_start -p "$TARGET_PID" --duration 1.5
ui_wait 'LIVE' 10
ui_wait_exit 0 10

# Fatal signals: the terminal first, then the signal's own action.
note "SIGABRT"
ui_start -p "$TARGET_PID"
ui_wait 'LIVE' 10
kill -ABRT "$UI_PID"
ui_wait_exit 134
note "SIGSEGV"
ui_start -p "$TARGET_PID"
ui_wait 'LIVE' 10
kill -SEGV "$UI_PID"
UI_SANITIZER_REPORT=1 ui_wait_exit '1|139'

# A terminal the screen cannot use: one line naming the cause, status 1,
# the terminal untouched.
for term in dumb no-such-terminal; do
	note "TERM=$term"
	ui_start --env TERM="$term" -p "$TARGET_PID"
	ui_wait_exit 1
	[ "$(grep -c . "$tmp/ui.err")" = 1 ] || { show "$tmp/ui.err"; fail "TERM=$term: not one line on stderr"; }
	grep -q "$term" "$tmp/ui.err" || { show "$tmp/ui.err"; fail "TERM=$term: the message does not name the terminal"; }
done
