#!/bin/bash
# many-threads: a process with 2,000 threads (many_threads 2000).  With
# perf and descriptors enough: profiled whole (status 0, "2001 threads"),
# and every thread followed: a burst of the same work in each of the
# 2,000 threads (SIGUSR1) gets many_burst a count of samples near its CPU
# time as /proc shows it (-F 10000: one sample per 0.1 ms; following half
# the threads would give half).  With ptrace: profiled (status 0, "2001
# threads"), the target untraced after.  Under a limit of 1024
# descriptors (ulimit -n, hard too): perf refuses with status 1 and one
# line naming the limit (RLIMIT_NOFILE, 1024) and no snapshot; ptrace
# profiles on (its /proc files are not kept open past half the limit)
# and does not take the target for exited.  Every time the target is
# left untraced, not stopped.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ptrace-lib.sh
. "$TESTS_SRCDIR/integration/ptrace-lib.sh"
require_perf
require_ptrace
require_python

# burst_ms PID: CPU time of every thread of PID but the main one, in ms.
burst_ms() {
	awk -v main="$1" 'FNR == 1 { n = split(FILENAME, p, "/"); if (p[n - 1] != main) t += $1 }
	    END { printf "%d\n", t / 1e6 }' /proc/"$1"/task/*/schedstat
}

# untraced_all PID: within 3 s no thread of PID is traced or stopped
# (assert_untraced, with one awk for the 2,001 threads).
untraced_all() {
	local i=0 bad
	while :; do
		bad=$(awk '$1 == "State:" { s = $2 } $1 == "TracerPid:" && ($2 != 0 || s == "t" || s == "T") { n++ }
		    END { print n + 0 }' /proc/"$1"/task/*/status 2>/dev/null)
		[ "$bad" != 0 ] || break
		i=$((i + 1))
		[ "$i" -lt 30 ] || fail "process $1: $bad threads still traced or stopped after its profiler ended"
		sleep 0.1
	done
	[ "$(thread_count "$1")" = 2001 ] || fail "process $1 has $(thread_count "$1") threads, not 2001"
	note "process $1: 2001 threads, none traced, none stopped"
}

start_target many_threads 2000 60
mt=$TARGET_PID
i=0
until grep -q '^started 2000$' "$tmp/target-$mt.out" 2>/dev/null; do
	i=$((i + 1))
	[ "$i" -lt 200 ] || fail "many_threads did not start its threads within 20 s"
	sleep 0.1
done

max=$(cat /proc/sys/kernel/perf_event_max_sample_rate 2>/dev/null || echo 0)
if [ "$max" -ge 10000 ]; then
	before=$(burst_ms "$mt")
	rr_start perf-burst -b -d 1 -F 10000 --sampler perf -p "$mt" --format csv -o perf-burst.csv
	until grep -q '^samples:' perf-burst.out 2>/dev/null; do sleep 0.1; done
	kill -USR1 "$mt"
	i=0
	until grep -q '^burst 1$' "$tmp/target-$mt.out"; do
		i=$((i + 1))
		[ "$i" -lt 200 ] || fail "the burst did not end within 20 s"
		sleep 0.1
	done
	ms=$(( $(burst_ms "$mt") - before ))
	kill -INT "$RR_PID"
	rr_finish
	expect_rc 0
	grep -q "^target: pid $mt (many_threads), 2001 threads\$" perf-burst.out ||
		{ show perf-burst.out; fail "perf: the header does not say 2001 threads"; }
	got=$(python3 -c 'import csv, sys
print(sum(int(r["samples"]) for r in csv.DictReader(open(sys.argv[1])) if r["function"] == "many_burst"))' perf-burst.csv)
	note "perf: many_burst $got samples for $ms ms of the 2000 threads' CPU time (expected about $((ms * 10)))"
	[ "$got" -ge $((ms * 10 * 65 / 100)) ] ||
		fail "perf: many_burst has $got samples, under 65 % of the $((ms * 10)) its CPU time asks for: threads not followed"
	untraced_all "$mt"
else
	note "perf_event_max_sample_rate is $max: the burst at -F 10000 not tried"
fi

rr_run ptrace-all -b -d 0.5 -n 2 --sampler ptrace -p "$mt"
expect_rc 0
grep -q "^target: pid $mt (many_threads), 2001 threads\$" ptrace-all.out ||
	{ show ptrace-all.out; fail "ptrace: the header does not say 2001 threads"; }
untraced_all "$mt"

for sampler in perf ptrace; do
	name=$sampler-1024
	(ulimit -n 1024; rr_run "$name" -b -d 0.5 -n 2 --sampler "$sampler" -p "$mt" \
	    --format csv -o "$name.csv"; echo "$rc" >"$name.rc") || true
	[ -s "$name.rc" ] || fail "$name: the run failed the test's checks (above)"
	rc=$(cat "$name.rc")
	rr_name=$name
	if [ "$sampler" = perf ]; then
		expect_rc 1
		expect_one_line_stderr
		grep -q 'limit of 1024 (RLIMIT_NOFILE)' "$name.err" ||
			fail "perf: the refusal does not name the limit: $(cat "$name.err")"
		[ ! -e "$name.csv" ] || fail "perf: a snapshot after the refusal"
	else
		expect_rc 0
		grep -q "^target: pid $mt (many_threads), 2001 threads\$" "$name.out" ||
			{ show "$name.out"; fail "ptrace under 1024 descriptors: the header does not say 2001 threads"; }
		csvq check "$name.csv" || fail "ptrace under 1024 descriptors: not a whole snapshot"
	fi
	untraced_all "$mt"
done
assert_progress "$mt"
