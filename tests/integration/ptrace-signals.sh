#!/bin/bash
# ptrace-signals: under the ptrace sampler signals reach the target
# unchanged and stops behave as without a tracer.  sigself (two threads)
# sends itself 200 SIGUSR1 and 200 queued SIGRTMIN (with values), counts
# what its handlers get, then stops itself with SIGSTOP until the test
# sends SIGCONT, and writes it all down.  Run alone and with rrstat-top
# --sampler ptrace -p attached, it writes the same (every signal
# delivered, with its value and sender); while stopped under the profiler
# every thread stays stopped (State t, as /proc shows a group-stopped
# thread whose tracer listens: PTRACE_LISTEN, the tracer does not resume
# it) until SIGCONT resumes it (its SIGCONT handler runs); sig_busy has
# most of the samples; after the profiler ends the target is untraced and
# runs. Then the profiler is attached once more, the target stopped, and
# the profiler ended while it is stopped: every thread is left in State T
# (stopped, as without a tracer), untraced, and SIGCONT resumes it.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ptrace-lib.sh
. "$TESTS_SRCDIR/integration/ptrace-lib.sh"
require_ptrace
require_python

# wait_line FILE LINE PID: until FILE has LINE, while PID lives (20 s).
wait_line() {
	local i=0
	until grep -qx -- "$2" "$1" 2>/dev/null; do
		kill -0 "$3" 2>/dev/null || { show "$1"; fail "sigself ($3) is gone before writing '$2'"; }
		i=$((i + 1))
		[ "$i" -lt 200 ] || { show "$1"; fail "sigself ($3) did not write '$2' within 20 s"; }
		sleep 0.1
	done
}

# all_stopped PID: every thread of PID is stopped, in State T or t.
all_stopped() {
	[ -z "$(thread_states "$1" | awk '$2 != "T" && $2 != "t"')" ]
}

# wait_stopped PID: until every thread of PID is stopped, five looks in a
# row (a sampler's interrupt stops threads for a moment too; 10 s); then
# each must be in State T (stopped), as without a tracer, not t (tracing
# stop: the tracer holding it).  That is checked last (see t_stop), so
# that the rest of the test still runs.
wait_stopped() {
	local i=0 seen=0
	while [ "$seen" -lt 5 ]; do
		if all_stopped "$1"; then
			seen=$((seen + 1))
		else
			seen=0
		fi
		i=$((i + 1))
		if [ "$i" -ge 100 ]; then
			echo "--- threads of $1 (tid state tracer)"
			thread_states "$1" | sed 's/^/    /'
			fail "after SIGSTOP the threads of $1 are not all stopped within 10 s"
		fi
		sleep 0.1
	done
	# Under the profiler t is the listening tracer's group-stop.
	if [ -z "${RR_PID:-}" ] &&
	    thread_states "$1" | awk '$2 != "T" { bad = 1 } END { exit !bad }'; then
		t_stop="while stopped by SIGSTOP under the profiler the threads are not all in State T: $(thread_states "$1" | tr '\n' ';') (t is a tracing stop: the tracer holds them; without a tracer they are T)"
		note "$t_stop"
	fi
}
t_stop=

# run_sigself OUT: the whole exchange with a sigself started as TARGET_PID
# writing OUT; with a profiler when RR_PID is set.
run_sigself() {
	local out=$1 i
	touch "$out.go"
	wait_line "$out" stopping "$TARGET_PID"
	wait_stopped "$TARGET_PID"
	note "sigself stopped: $(thread_states "$TARGET_PID" | tr '\n' ';')"
	for i in 1 2 3 4 5; do
		sleep 0.2
		all_stopped "$TARGET_PID" || {
			thread_states "$TARGET_PID" | sed 's/^/    /'
			fail "sigself's stop did not last: a thread ran again before SIGCONT"
		}
	done
	if [ -n "${RR_PID:-}" ]; then
		kill -0 "$RR_PID" 2>/dev/null || { rr_finish; show "$tmp/$rr_name.err"; fail "rrstat-top ended while its target was stopped"; }
	fi
	kill -CONT "$TARGET_PID"
	wait_line "$out" "done" "$TARGET_PID"
	assert_progress "$TARGET_PID"
	show "$out"
}

# Alone.
RR_PID=
start_target sigself "$tmp/plain.txt" 120
run_sigself "$tmp/plain.txt"
grep -qx 'usr1 sent 200 got 200' plain.txt || fail "sigself alone did not count 200 SIGUSR1: the target is broken"
grep -qx 'rt sent 200 got 200 sum 20100 info-ok 200' plain.txt || fail "sigself alone did not count 200 SIGRTMIN: the target is broken"
grep -qx 'cont 1' plain.txt || fail "sigself alone did not see SIGCONT: the target is broken"
stop_target "$TARGET_PID"

# With the ptrace sampler attached.
start_target sigself "$tmp/traced.txt" 120
rr_start sig -b --sampler ptrace -p "$TARGET_PID" -d 0.5 --format csv -o sig.csv
wait_traced "$TARGET_PID"
sleep 1
run_sigself "$tmp/traced.txt"
traced_by_rr "$TARGET_PID" ||
	fail "after SIGCONT sigself's tracer is '$(tracer_of "$TARGET_PID")', not a thread of rrstat-top ($RR_PID)"
sleep 0.5
kill -INT "$RR_PID"
rr_finish
expect_rc 0
if ! diff plain.txt traced.txt; then
	fail "sigself saw other signals under the ptrace sampler than alone (diff above)"
fi
csvq dump sig.csv
csvq check sig.csv || fail "sig.csv is not a valid snapshot"
assert_pct_above sig.csv cpu-clock sig_busy 50
assert_untraced "$TARGET_PID"
assert_progress "$TARGET_PID"
[ -z "$t_stop" ] || fail "$t_stop"

# Ended while the target is stopped: left stopped (T), untraced.
rr_start sig2 -b --sampler ptrace -p "$TARGET_PID" -d 0.5
wait_traced "$TARGET_PID"
sleep 0.5
kill -STOP "$TARGET_PID"
i=0
until all_stopped "$TARGET_PID"; do
	i=$((i + 1))
	[ "$i" -lt 100 ] || fail "sigself did not stop on SIGSTOP under the profiler"
	sleep 0.1
done
sleep 0.3
kill -INT "$RR_PID"
rr_finish
expect_rc 0
sleep 0.3
states=$(thread_states "$TARGET_PID" | tr '\n' ';')
note "after the profiler ended on a stopped target: $states"
thread_states "$TARGET_PID" | awk '$2 != "T" { bad = 1 } END { exit !bad }' &&
	fail "the profiler ended on a stopped target, which is not left plainly stopped (T) in every thread: $states"
assert_untraced "$TARGET_PID" T
kill -CONT "$TARGET_PID"
assert_progress "$TARGET_PID"
