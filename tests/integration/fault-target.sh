#!/bin/bash
# fault-target: the target misbehaves, with each sampler (perf, ptrace).
# It exits mid-session (work 1 s, --duration 3): status 0, said, the
# snapshot written with work_a.  It execs (churn_exec, on SIGUSR1 once
# a table is out; SIGINT a second after the exec): it runs on,
# untraced, and the snapshot has after_exec_work.  Another tracer holds
# it (the tracer helper): ptrace refuses with one line naming the
# tracer's pid and command, perf profiles it (work_a), and the other
# tracer still holds it afterwards.  It is stopped (SIGSTOP) before the
# attach: no samples, status 0, and it is left stopped (State T, not
# continued by rrstat-top), untraced; SIGCONT then runs it.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ptrace-lib.sh
. "$TESTS_SRCDIR/integration/ptrace-lib.sh"
require_perf
require_ptrace
require_python

for sampler in perf ptrace; do
	note "$sampler: the target exits"
	start_target work 1
	rr_run "$sampler-exit" -b -d 0.3 --duration 3 --sampler "$sampler" -p "$TARGET_PID" \
	    --format csv -o "$sampler-exit.csv"
	expect_rc 0
	expect_target_exit_noted
	csvq check "$sampler-exit.csv" || fail "$sampler-exit.csv is not a whole snapshot"
	[ -n "$(csvq match "$sampler-exit.csv" cpu-clock '^work_a$')" ] || fail "$sampler: no work_a in the exited target's snapshot"

	note "$sampler: the target execs"
	start_target churn_exec 30 0
	rr_start "$sampler-exec" -b -d 0.3 --sampler "$sampler" -p "$TARGET_PID" \
	    --format csv -o "$sampler-exec.csv"
	until grep -q '^samples:' "$sampler-exec.out" 2>/dev/null; do
		kill -0 "$RR_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -USR1 "$TARGET_PID"
	i=0
	until grep -q -- --after-exec "/proc/$TARGET_PID/cmdline"; do
		i=$((i + 1))
		[ "$i" -lt 100 ] || fail "$sampler: churn_exec did not exec within 10 s of SIGUSR1"
		sleep 0.1
	done
	sleep 1
	kill -INT "$RR_PID"
	rr_finish
	expect_rc 0
	assert_untraced "$TARGET_PID"
	assert_progress "$TARGET_PID"
	[ -n "$(csvq match "$sampler-exec.csv" cpu-clock '^after_exec_work$')" ] ||
		{ csvq dump "$sampler-exec.csv"; fail "$sampler: no after_exec_work after the exec"; }
	stop_target "$TARGET_PID"

	note "$sampler: the target is stopped before the attach"
	start_target work 60
	work=$TARGET_PID
	kill -STOP "$work"
	rr_run "$sampler-stopped" -b -d 0.3 -n 2 --sampler "$sampler" -p "$work" \
	    --format csv -o "$sampler-stopped.csv"
	expect_rc 0
	grep -q '^samples: *0$' "$sampler-stopped.out" || { show "$sampler-stopped.out"; fail "$sampler: samples of a stopped target"; }
	[ -f "$sampler-stopped.csv" ] || fail "$sampler: no snapshot of the stopped target"
	assert_untraced "$work" T
	[ "$(thread_states "$work" | cut -d ' ' -f 2)" = T ] || fail "$sampler: the stopped target was not left stopped: $(thread_states "$work")"
	kill -CONT "$work"
	assert_untraced "$work"
	assert_progress "$work"

	note "$sampler: another tracer holds the target"
	start_tracer "$work"
	rr_run "$sampler-traced" -b -d 0.3 -n 2 --sampler "$sampler" -p "$work" \
	    --format csv -o "$sampler-traced.csv"
	if [ "$sampler" = ptrace ]; then
		expect_rc 1
		expect_one_line_stderr
		grep -Eq "traced by $tracer \\(tracer\\)" "$sampler-traced.err" ||
			fail "ptrace: the message does not name the tracer $tracer (tracer): $(cat "$sampler-traced.err")"
		[ ! -e "$sampler-traced.csv" ] || fail "ptrace: a snapshot after the refusal"
	else
		expect_rc 0
		check_work_profile "$sampler-traced.csv"
	fi
	[ "$(tracer_of "$work")" = "$tracer" ] || fail "$sampler: the other tracer no longer holds the target"
	stop_target "$tracer"
	assert_untraced "$work"
	assert_progress "$work"
	stop_target "$work"
done
