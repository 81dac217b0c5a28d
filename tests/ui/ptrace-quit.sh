#!/bin/bash
# ptrace-quit: the screen with the ptrace sampler.  Where the kernel
# refuses perf events (rrstat-top under noperf), the header says
# "sampler: ptrace" and carries the notice that perf is refused; the work
# profile shows (work_a on top); q, Ctrl-C and SIGHUP each quit with
# status 0, and the target is left untraced and running.  So with
# --sampler ptrace.  A wait-time screen on wait_read (60 % blocked in
# read) has a WAIT column, and the C library's read row says read in it.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ui-lib.sh
. "$TESTS_SRCDIR/ui/ui-lib.sh"
# shellcheck source=../integration/ptrace-lib.sh
. "$TESTS_SRCDIR/integration/ptrace-lib.sh"
require_ptrace

noperf=0
if "$TARGETS/noperf" true 2>/dev/null; then
	require_noperf
	noperf=1
else
	note "no seccomp filters here: the screen where perf is refused not tried"
fi

start_target work 120
if [ "$noperf" = 1 ]; then
	for how in q C-c HUP; do
		RRSTAT_TOP=$TARGETS/noperf ui_start "$RR_REAL" -p "$TARGET_PID"
		ui_wait 'LIVE' 15
		ui_wait 'sampler: ptrace' 5
		ui_wait 'perf events are refused' 5
		ui_wait_top work_a 3 10
		note "quit with $how"
		case $how in
		HUP) kill -HUP "$UI_PID" ;;
		*) ui_keys "$how" ;;
		esac
		ui_wait_exit
		assert_untraced "$TARGET_PID"
		assert_progress "$TARGET_PID"
	done
fi

ui_start --sampler ptrace -p "$TARGET_PID"
ui_wait 'LIVE' 15
ui_wait 'sampler: ptrace' 5
ui_wait_top work_a 3 10
ui_screen | grep -q 'perf events are refused' && ui_fail "--sampler ptrace: the header says perf is refused, yet it was not tried"
ui_keys q
ui_wait_exit
assert_untraced "$TARGET_PID"
assert_progress "$TARGET_PID"
stop_target "$TARGET_PID"

# wait_read_row: the table has a WAIT column and a row of the C library's
# read (binary libc, function named read, __libc_read ...) that says read
# besides its name.
wait_read_row() {
	ui_screen | awk '
		/SAMPLES/ && /FUNCTION/ { head = 1; wait = / WAIT( |$)/; next }
		head && NF == 0 { exit }
		head {
			lib = 0; n = 0; m = 0
			for (i = 1; i <= NF; i++) {
				w = $i; gsub(/[^A-Za-z0-9_.]/, "", w)
				if (w ~ /^libc[.-]/) lib = 1
				if (w == "read") n++
				else if (w ~ /read/) m++
			}
			if (lib && (n >= 2 || (n >= 1 && m >= 1))) found = 1
		}
		END { exit !(wait && found) }'
}

start_target wait_read 120
ui_start --sampler ptrace -e wait-time -p "$TARGET_PID"
ui_wait 'LIVE' 15
ui_wait 'event: wait-time' 5
ui_wait 'SAMPLES.*FUNCTION' 5
i=0
until wait_read_row; do
	i=$((i + 1))
	[ "$i" -lt 150 ] || ui_fail "no WAIT column with read on the C library's read row within 15 s"
	sleep 0.1
done
ui_wait ' burn( |$)' 10
ui_screen | sed -n '1,12s/^/    |/p'
ui_keys q
ui_wait_exit
assert_untraced "$TARGET_PID"
