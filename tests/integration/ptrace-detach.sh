#!/bin/bash
# ptrace-detach: however rrstat-top --sampler ptrace -p ends, every thread
# of its target is left untraced (TracerPid 0) and running (State neither
# t nor T), and the target goes on getting CPU time.  For SIGINT, SIGTERM,
# SIGHUP (exit status 0) and SIGKILL, each sent once a table is out and
# 0.7 s more (about a second of sampling), and for the normal ends (-n,
# --duration); on threads (threads that come and go), switches (three
# threads blocked in read most of the time) and wait_read under
# -e wait-time (blocked in read 60 % of the time, sampled whether running
# or not).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ptrace-lib.sh
. "$TESTS_SRCDIR/integration/ptrace-lib.sh"
require_ptrace

# wait_table NAME: until the background run NAME has printed a table
# (it samples: how many samples it has is not this test's business).
wait_table() {
	local i=0
	until grep -q '^samples: *[0-9]' "$tmp/$1.out" 2>/dev/null; do
		if ! kill -0 "$RR_PID" 2>/dev/null; then
			rr_finish
			show "$tmp/$1.out"
			show "$tmp/$1.err"
			fail "$1: rrstat-top ended (exit $rc) before it printed a table"
		fi
		i=$((i + 1))
		[ "$i" -lt 150 ] || { show "$tmp/$1.out"; fail "$1: no table within 15 s"; }
		sleep 0.1
	done
}

for spec in threads switches "wait_read -e wait-time"; do
	read -r prog events <<<"$spec"
	# shellcheck disable=SC2086
	set -- $events
	start_target "$prog" 120
	[ "$prog" != switches ] || wait_threads "$TARGET_PID" 3
	for sig in INT TERM HUP KILL; do
		name=$prog-$sig
		rr_start "$name" -b --sampler ptrace -p "$TARGET_PID" -d 0.5 "$@"
		wait_traced "$TARGET_PID"
		wait_table "$name"
		sleep 0.7
		note "SIG$sig to rrstat-top ($RR_PID) after $(grep -c '^samples:' "$tmp/$name.out") tables"
		kill -"$sig" "$RR_PID"
		rr_finish
		if [ "$sig" = KILL ]; then
			[ "$rc" = 137 ] || fail "$name: exit status $rc after SIGKILL, expected 137"
		else
			expect_rc 0
		fi
		assert_untraced "$TARGET_PID"
		assert_progress "$TARGET_PID"
	done
	rr_run "$prog-n" -b --sampler ptrace -p "$TARGET_PID" -d 0.5 -n 2 "$@"
	expect_rc 0
	n=$(grep -c '^samples:' "$prog-n.out" || true)
	[ "$n" -ge 2 ] || { show "$prog-n.out"; fail "$prog-n: $n tables, expected 2"; }
	assert_untraced "$TARGET_PID"
	assert_progress "$TARGET_PID"
	rr_run "$prog-duration" -b --sampler ptrace -p "$TARGET_PID" --duration 1.5 "$@"
	expect_rc 0
	assert_untraced "$TARGET_PID"
	assert_progress "$TARGET_PID"
	stop_target "$TARGET_PID"
done
