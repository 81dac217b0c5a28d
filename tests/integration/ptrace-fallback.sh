#!/bin/bash
# ptrace-fallback: where the kernel refuses perf events (rrstat-top runs
# under tests/targets/noperf, a seccomp filter that fails perf_event_open
# with EACCES), --sampler auto, the default, samples with ptrace and says
# so: one notice line on stderr ("rrstat-top: sampling with ptrace: perf
# events are refused here (...)") and "sampler: ptrace" in the text output.
# The profiles are those of construction (+- 10 points): work (-p) has
# work_a 75 %, work_b 25 %; threads (-p), whose threads come and go, has
# nearly all in short_lived (> 80 %); work started as a command (--) has
# work_a 75 %, work_b 25 %.  The targets are left untraced and running.
# --sampler perf is refused there with exit status 1 and one line; and
# --list-events still names every event.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ptrace-lib.sh
. "$TESTS_SRCDIR/integration/ptrace-lib.sh"
require_noperf
require_ptrace
require_python

# expect_notice: the last run said, on stderr, that it samples with ptrace
# because perf is refused, and its text output says "sampler: ptrace".
expect_notice() {
	if ! grep -Eq '^rrstat-top: sampling with ptrace: perf events are refused here \(.+\)' "$tmp/$rr_name.err"; then
		show "$tmp/$rr_name.err"
		fail "$rr_name: no notice on stderr that perf is refused and ptrace samples"
	fi
	n=$(grep -c 'perf events are refused' "$tmp/$rr_name.err" || true)
	[ "$n" = 1 ] || { show "$tmp/$rr_name.err"; fail "$rr_name: the notice is on stderr $n times, expected once"; }
	if ! grep -Eq '^sampler: ptrace$' "$tmp/$rr_name.out"; then
		show "$tmp/$rr_name.out"
		fail "$rr_name: the text output has no 'sampler: ptrace' line"
	fi
	if grep -Eq '^sampler: perf' "$tmp/$rr_name.out"; then
		fail "$rr_name: the text output says 'sampler: perf'"
	fi
}

start_target work 60
rr_run_noperf work -b -p "$TARGET_PID" -d 1 -n 3 --format csv -o work.csv
expect_rc 0
expect_notice
csvq dump work.csv
csvq check work.csv || fail "work.csv is not a valid snapshot"
assert_pct work.csv cpu-clock work_a 75 10
assert_pct work.csv cpu-clock work_b 25 10
n=$(grep -c 'work_a' work.out || true)
[ "$n" -ge 3 ] || { show work.out; fail "stdout has $n lines naming work_a, expected a table for each of 3 refreshes"; }
assert_untraced "$TARGET_PID"
assert_progress "$TARGET_PID"
stop_target "$TARGET_PID"

start_target threads 60
rr_run_noperf threads -b -p "$TARGET_PID" --duration 3 --format csv -o threads.csv
expect_rc 0
expect_notice
csvq dump threads.csv
csvq check threads.csv || fail "threads.csv is not a valid snapshot"
assert_pct_above threads.csv cpu-clock short_lived 80
assert_untraced "$TARGET_PID"
assert_progress "$TARGET_PID"
stop_target "$TARGET_PID"

# A command: held before exec until ptrace has it, then sampled to its end.
work=$(target_path work)
rr_run_noperf spawn -b -d 1 --duration 30 --format csv -o spawn.csv -- "$work" 3
expect_rc 0
expect_notice
expect_target_exit_noted
csvq dump spawn.csv
csvq check spawn.csv || fail "spawn.csv is not a valid snapshot"
assert_pct spawn.csv cpu-clock work_a 75 10
assert_pct spawn.csv cpu-clock work_b 25 10

# --sampler perf where perf is refused: one line, exit status 1.
start_target work 60
rr_run_noperf perf -b -p "$TARGET_PID" --sampler perf -n 1
expect_rc 1
expect_one_line_stderr
grep -Eqi 'perf' perf.err || fail "the message does not name perf events: $(cat perf.err)"
grep -Eqi 'permission|denied|refused|not permitted|EACCES|paranoid|CAP_PERFMON' perf.err ||
	fail "the message does not say that the kernel refuses: $(cat perf.err)"
assert_untraced "$TARGET_PID"

# --list-events still works: every event, supported or unsupported (reason).
rr_run_noperf list --list-events
expect_rc 0
show list.out
for ev in cpu-cycles instructions cache-misses task-clock cpu-clock \
    wait-time context-switches page-faults; do
	line=$(grep -E "^[[:space:]]*$ev([[:space:]]|\$)" list.out | head -n 1)
	[ -n "$line" ] || fail "--list-events does not name $ev under noperf"
	[[ $line =~ supported ]] || fail "--list-events: $ev is neither supported nor unsupported: $line"
done
