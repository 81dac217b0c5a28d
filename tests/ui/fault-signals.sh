#!/bin/bash
# fault-signals: the screen with each sampler (perf, ptrace) ended by a
# fault, with -o FILE.  A crash (the test hook RRSTAT_TOP_TEST_CRASH=segv:
# SIGSEGV after the first refresh) gives the terminal back (same modes,
# echo and icanon on, typed text echoes), says so in one line and leaves
# no snapshot; SIGTERM and Ctrl-C (SIGINT) quit with status 0, the
# terminal as it was and the snapshot whole; the terminal closed (tmux
# kill-session: SIGHUP) ends it with the snapshot whole; SIGKILL cannot
# give the terminal back (the shell behind it finds the screen's modes:
# no echo, no icanon) and leaves no snapshot.  Every time the target
# (work) is left untraced, not stopped, and running.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ui-lib.sh
. "$TESTS_SRCDIR/ui/ui-lib.sh"
# shellcheck source=../integration/ptrace-lib.sh
. "$TESTS_SRCDIR/integration/ptrace-lib.sh"
require_perf
require_ptrace
require_python

# modes_usable: stty -a in the pane shows echo and icanon on.
modes_usable() {
	ui_keys 'stty -a | tr " " "\n" | grep -xE -- "-?(echo|icanon)" | tr "\n" " "; echo' Enter
	ui_wait '^(-?echo|-?icanon) (-?echo|-?icanon) *$' 5
	if ui_screen | grep -Eq '^(.* )?-(echo|icanon)( |$)'; then
		ui_fail "echo or icanon is off in the terminal after rrstat-top"
	fi
}

# snapshot_whole: snap/s.csv is a whole snapshot, alone in its directory.
snapshot_whole() {
	local i=0
	while ! grep -q 'snapshot written to snap/s\.csv' "$tmp/ui.err" 2>/dev/null; do
		i=$((i + 1))
		[ "$i" -lt 100 ] || { show "$tmp/ui.err"; fail "$1: no snapshot said to be written"; }
		sleep 0.1
	done
	csvq check snap/s.csv || fail "$1: snap/s.csv is not a whole snapshot"
	[ "$(ls -A snap)" = s.csv ] || fail "$1: other files beside the snapshot: $(ls -A snap)"
}

# gone: rrstat-top's process has ended (within 10 s).
gone() {
	local i=0
	while kill -0 "$UI_PID" 2>/dev/null; do
		i=$((i + 1))
		[ "$i" -lt 100 ] || fail "$1: rrstat-top still runs 10 s after the terminal closed"
		sleep 0.1
	done
}

start_target work 120
work=$TARGET_PID
for sampler in perf ptrace; do
	for how in SEGV TERM C-c HUP KILL; do
		note "$sampler: $how"
		rm -rf snap
		mkdir snap
		if [ "$how" = SEGV ]; then
			ui_start --env RRSTAT_TOP_TEST_CRASH=segv \
			    --env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0" \
			    -d 0.5 --sampler "$sampler" -p "$work" -o snap/s.csv --format csv
		else
			ui_start -d 0.5 --sampler "$sampler" -p "$work" -o snap/s.csv --format csv
			ui_wait 'LIVE' 10
			ui_wait_top work_a 3 10
		fi
		case $how in
		SEGV)
			ui_wait_exit 139
			modes_usable
			grep -q 'crashed (SIGSEGV).*left running and untraced' "$tmp/ui.err" ||
				{ show "$tmp/ui.err"; fail "$sampler $how: no line says that rrstat-top crashed"; }
			[ -z "$(ls -A snap)" ] || fail "$sampler $how: files left: $(ls -A snap)" ;;
		TERM|C-c)
			if [ "$how" = TERM ]; then kill -TERM "$UI_PID"; else ui_keys C-c; fi
			ui_wait_exit 0
			modes_usable
			snapshot_whole "$sampler $how" ;;
		HUP)
			ui_tmux kill-session -t ui
			gone "$sampler $how"
			snapshot_whole "$sampler $how"
			grep -q 'ended by SIGHUP' "$tmp/ui.err" ||
				{ show "$tmp/ui.err"; fail "$sampler $how: no line says that SIGHUP ended it"; } ;;
		KILL)
			kill -KILL "$UI_PID"
			# The screen's modes stay (no newline translation
			# either): the lines come out as a staircase.
			ui_wait 'EXIT=137' 10
			note "after SIGKILL the shell finds: $(ui_screen | grep -o 'STTY=[a-z]*')"
			[ -z "$(ls -A snap)" ] || fail "$sampler $how: files left: $(ls -A snap)" ;;
		esac
		assert_untraced "$work"
	done
	assert_progress "$work"
done
