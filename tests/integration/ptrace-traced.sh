#!/bin/bash
# ptrace-traced: a target that another tracer already holds (the tracer
# helper, PTRACE_SEIZE) cannot be sampled with ptrace: exit status 1 and
# one line on stderr that says it is traced and names the tracer's pid,
# with --sampler ptrace, and with --sampler auto where perf is refused.
# The target is left as it was: the other tracer still holds the thread
# it held, no other thread is traced, none is stopped, and it runs.  On
# work (one thread, held) and on switches (three threads, only the last
# one held, so that rrstat-top may have seized others before it finds out).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ptrace-lib.sh
. "$TESTS_SRCDIR/integration/ptrace-lib.sh"
require_ptrace

# as_before PID TID TRACER: TID is held by TRACER, every other thread of
# PID by no one, and no thread is stopped; PID runs.
as_before() {
	local bad
	bad=$(thread_states "$1" | awk -v tid="$2" -v tr="$3" \
	    '($1 == tid && $3 != tr) || ($1 != tid && $3 != 0) || $2 == "t" || $2 == "T"')
	if [ -n "$bad" ]; then
		echo "--- threads of $1 (tid state tracer)"
		thread_states "$1" | sed 's/^/    /'
		fail "the target is not left as it was (thread $2 held by $3, the rest untraced, none stopped): $(tr '\n' ';' <<<"$bad")"
	fi
	assert_progress "$1"
}

# expect_traced_message TRACER: the last run failed as it should.
expect_traced_message() {
	expect_rc 1
	expect_one_line_stderr
	grep -qi 'traced' "$tmp/$rr_name.err" || fail "$rr_name: the message does not say 'traced': $(cat "$tmp/$rr_name.err")"
	grep -Eq "(^|[^0-9])$1([^0-9]|\$)" "$tmp/$rr_name.err" ||
		fail "$rr_name: the message does not name the tracer's pid $1: $(cat "$tmp/$rr_name.err")"
}

noperf=0
if "$TARGETS/noperf" true 2>/dev/null; then
	noperf=1
fi

for prog in work switches; do
	start_target "$prog" 120
	pid=$TARGET_PID
	held=$pid
	if [ "$prog" = switches ]; then
		wait_threads "$pid" 3
		held=$(thread_states "$pid" | sort -n | tail -n 1 | cut -d ' ' -f 1)
	fi
	start_tracer "$held"
	note "thread $held of $prog ($pid) is traced by $tracer"
	rr_run "$prog-ptrace" -b --sampler ptrace -p "$pid" -n 1
	expect_traced_message "$tracer"
	as_before "$pid" "$held" "$tracer"
	if [ "$noperf" = 1 ]; then
		rr_run_noperf "$prog-auto" -b -p "$pid" -n 1
		expect_traced_message "$tracer"
		as_before "$pid" "$held" "$tracer"
	else
		note "no seccomp filters here: --sampler auto under refused perf not tried"
	fi
	stop_target "$tracer"
	stop_target "$pid"
done
