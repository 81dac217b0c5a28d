#!/bin/bash
# fault-signals: rrstat-top -b -o FILE ended by a signal, with each
# sampler (perf, ptrace): SIGTERM, SIGHUP and SIGINT end it with status 0,
# a line that names the signal and says the target is left running, and
# the snapshot written whole; SIGKILL and a crash (the test hook
# RRSTAT_TOP_TEST_CRASH=segv: SIGSEGV after the first refresh) leave no
# snapshot at all (no partial file, no temporary file), and the crash
# says so in one line.  Every time, the target (work) is left untraced,
# not stopped, and running.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ptrace-lib.sh
. "$TESTS_SRCDIR/integration/ptrace-lib.sh"
require_perf
require_ptrace
require_python

# wait_table NAME: until the background run NAME has printed a table.
wait_table() {
	local i=0
	until grep -q '^samples: *[0-9]' "$tmp/$1.out" 2>/dev/null; do
		kill -0 "$RR_PID" 2>/dev/null || break
		i=$((i + 1))
		[ "$i" -lt 150 ] || { show "$tmp/$1.out"; fail "$1: no table within 15 s"; }
		sleep 0.1
	done
}

# no_snapshot NAME: neither the snapshot nor a temporary file is left.
no_snapshot() {
	local left
	left=$(ls -A "$tmp/snap" 2>/dev/null)
	[ -z "$left" ] || fail "$1: files left behind in the snapshot's directory: $left"
}

start_target work 120
work=$TARGET_PID
for sampler in perf ptrace; do
	for sig in TERM HUP INT KILL SEGV; do
		name=$sampler-$sig
		rm -rf "$tmp/snap"
		mkdir "$tmp/snap"
		if [ "$sig" = SEGV ]; then
			# A sanitizer's own report of the crash is not wanted here.
			ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0 \
			    RRSTAT_TOP_TEST_CRASH=segv \
			    rr_start "$name" -b -d 0.3 --sampler "$sampler" -p "$work" -o snap/s.csv --format csv
		else
			rr_start "$name" -b -d 0.3 --sampler "$sampler" -p "$work" -o snap/s.csv --format csv
		fi
		wait_table "$name"
		[ "$sig" = SEGV ] || kill -"$sig" "$RR_PID"
		rr_finish
		case $sig in
		KILL)
			[ "$rc" = 137 ] || fail "$name: exit status $rc, expected 137"
			no_snapshot "$name" ;;
		SEGV)
			[ "$rc" = 139 ] || { show "$tmp/$name.err"; fail "$name: exit status $rc, expected 139 (SIGSEGV)"; }
			grep -q 'crashed (SIGSEGV).*left running and untraced' "$tmp/$name.err" ||
				{ show "$tmp/$name.err"; fail "$name: no line says that rrstat-top crashed"; }
			no_snapshot "$name" ;;
		*)
			expect_rc 0
			grep -q "ended by SIG$sig; pid $work (work) is left running, untraced" "$tmp/$name.err" ||
				{ show "$tmp/$name.err"; fail "$name: no line says that SIG$sig ended it"; }
			grep -q 'snapshot written to snap/s\.csv' "$tmp/$name.err" ||
				{ show "$tmp/$name.err"; fail "$name: the snapshot is not said to be written"; }
			csvq check snap/s.csv || fail "$name: snap/s.csv is not a whole snapshot"
			[ "$(ls -A snap)" = s.csv ] || fail "$name: other files beside the snapshot: $(ls -A snap)" ;;
		esac
		assert_untraced "$work"
	done
	assert_progress "$work"
done
