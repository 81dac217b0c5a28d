#!/bin/bash
# ptrace-threads: the ptrace sampler (--sampler ptrace) follows threads,
# forks and execs.  threads (-p), whose threads each live 20 to 50 ms:
# the threads created after the attach are sampled, short_lived has more
# than 80 % of cpu-clock.  churn_exec (-p) churns threads in churn_work
# until the test sends it SIGUSR1, then execs itself while two threads
# run, and the new image spins in after_exec_work: the process is still
# traced after the exec, churn_work and after_exec_work each have more
# than 10 % and together more than 80 %.  A shell started as a command
# (--) that forks and execs work in the child: work_a 75 %, work_b 25 %
# (+- 10 points).  Every target is left untraced and running.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ptrace-lib.sh
. "$TESTS_SRCDIR/integration/ptrace-lib.sh"
require_ptrace
require_python

start_target threads 60
rr_run threads -b --sampler ptrace -p "$TARGET_PID" --duration 3 --format csv -o threads.csv
expect_rc 0
grep -Eq '^sampler: ptrace$' threads.out || { show threads.out; fail "the text output has no 'sampler: ptrace' line"; }
csvq dump threads.csv
csvq check threads.csv || fail "threads.csv is not a valid snapshot"
assert_pct_above threads.csv cpu-clock short_lived 80
assert_untraced "$TARGET_PID"
assert_progress "$TARGET_PID"
stop_target "$TARGET_PID"

# churn_exec: exec on SIGUSR1 only (EXEC_AFTER 0), once sampled a while.
start_target churn_exec 60 0
rr_start exec -b --sampler ptrace -p "$TARGET_PID" -d 0.5 --format csv -o exec.csv
wait_traced "$TARGET_PID"
sleep 1.5
grep -qz -- '--after-exec' "/proc/$TARGET_PID/cmdline" && fail "churn_exec exec'd before it was asked to"
kill -0 "$RR_PID" 2>/dev/null || { rr_finish; show exec.err; fail "rrstat-top ended before the exec"; }
kill -USR1 "$TARGET_PID"
i=0
until grep -qz -- '--after-exec' "/proc/$TARGET_PID/cmdline" 2>/dev/null; do
	kill -0 "$TARGET_PID" 2>/dev/null || fail "churn_exec is gone (SIGUSR1 under the tracer killed it?)"
	i=$((i + 1))
	[ "$i" -lt 100 ] || fail "churn_exec did not exec within 10 s of SIGUSR1 (under the ptrace sampler)"
	sleep 0.1
done
note "churn_exec exec'd; $(thread_count "$TARGET_PID") thread(s) now"
sleep 0.3
traced_by_rr "$TARGET_PID" ||
	fail "after the exec churn_exec's tracer is '$(tracer_of "$TARGET_PID")', not a thread of rrstat-top ($RR_PID): the exec was not followed"
sleep 2
kill -INT "$RR_PID"
rr_finish
expect_rc 0
csvq dump exec.csv
csvq check exec.csv || fail "exec.csv is not a valid snapshot"
assert_pct_above exec.csv cpu-clock churn_work 10
assert_pct_above exec.csv cpu-clock after_exec_work 10
both=$(awk -v a="$(csv_pct exec.csv cpu-clock churn_work)" -v b="$(csv_pct exec.csv cpu-clock after_exec_work)" \
    'BEGIN { printf "%.2f", a + b }')
note "churn_work + after_exec_work: $both %"
awk -v s="$both" 'BEGIN { exit !(s > 80) }' ||
	fail "churn_work and after_exec_work have $both % together, expected more than 80 (samples after the exec not named from the new image?)"
assert_untraced "$TARGET_PID"
assert_progress "$TARGET_PID"
stop_target "$TARGET_PID"

# A command that forks, the child execs work: the child is followed.
work=$(target_path work)
rr_run fork -b --sampler ptrace -d 1 --duration 30 --format csv -o fork.csv -- /bin/sh -c "\"$work\" 3 & wait"
expect_rc 0
expect_target_exit_noted
csvq dump fork.csv
csvq check fork.csv || fail "fork.csv is not a valid snapshot"
assert_pct fork.csv cpu-clock work_a 75 10
assert_pct fork.csv cpu-clock work_b 25 10
