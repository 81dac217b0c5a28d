#!/bin/bash
# ptrace-hw: the ptrace sampler has no hardware counters.  --sampler
# ptrace -e cycles (cpu-cycles, instructions, cache-misses, also beside
# cpu-clock) exits with status 1 and one line naming the event and why,
# and leaves the target untraced; the events it has (cpu-clock,
# task-clock, page-faults, context-switches) work together: the work
# profile in cpu-clock and task-clock (+- 10 points).  Where perf is
# refused (noperf), --list-events says cpu-clock, task-clock, wait-time,
# page-faults and context-switches are supported and the hardware events
# unsupported (with a reason).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ptrace-lib.sh
. "$TESTS_SRCDIR/integration/ptrace-lib.sh"
require_ptrace
require_python

start_target work 120
for ev in cycles cpu-cycles instructions cache-misses cpu-clock,cache-misses; do
	name=hw-${ev//,/-}
	rr_run "$name" -b --sampler ptrace -p "$TARGET_PID" -e "$ev" -n 1
	expect_rc 1
	expect_one_line_stderr
	hw=${ev#cpu-clock,}
	hw=${hw#cpu-}
	grep -q -- "$hw" "$name.err" || fail "-e $ev: the message does not name $hw: $(cat "$name.err")"
	grep -Eqi 'ptrace|hardware|counter|PMU' "$name.err" ||
		fail "-e $ev: the message does not say why (ptrace, hardware counters): $(cat "$name.err")"
	assert_untraced "$TARGET_PID"
done

rr_run sw -b --sampler ptrace -p "$TARGET_PID" -e cpu-clock,task-clock,page-faults,context-switches \
    -d 1 -n 3 --format csv -o sw.csv
expect_rc 0
csvq dump sw.csv
csvq check sw.csv || fail "sw.csv is not a valid snapshot"
for ev in cpu-clock task-clock; do
	assert_pct sw.csv "$ev" work_a 75 10
	assert_pct sw.csv "$ev" work_b 25 10
done
assert_untraced "$TARGET_PID"

if ! "$TARGETS/noperf" true 2>/dev/null; then
	note "no seccomp filters here: --list-events where perf is refused not tried"
	exit 0
fi
require_noperf
rr_run_noperf list --list-events
expect_rc 0
show list.out
# status NAME: supported, unsupported (with a reason) or other, from the
# line naming NAME.
status() {
	local line
	line=$(grep -E "^[[:space:]]*$1([[:space:]]|\$)" list.out | head -n 1)
	if [ -z "$line" ]; then
		echo missing
	elif [[ $line =~ [^a-z]unsupported[[:space:]]*\((.*[^[:space:]].*)\) ]]; then
		echo unsupported
	elif [[ $line =~ unsupported ]]; then
		echo unsupported-without-reason
	elif [[ $line =~ (^|[^a-z])supported ]]; then
		echo supported
	else
		echo neither
	fi
}
for ev in cpu-clock task-clock wait-time page-faults context-switches; do
	s=$(status "$ev")
	note "$ev: $s"
	[ "$s" = supported ] || fail "--list-events where perf is refused: $ev is $s, expected supported (the ptrace sampler has it)"
done
for ev in cpu-cycles instructions cache-misses; do
	s=$(status "$ev")
	note "$ev: $s"
	[ "$s" = unsupported ] || fail "--list-events where perf is refused: $ev is $s, expected unsupported (reason)"
done
