#!/bin/bash
# z zeroes the counts (work_a's SAMPLES start again from low); c switches
# between the cumulative count and the rolling window (the header says
# which); --window starts rolling.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ui-lib.sh
. "$TESTS_SRCDIR/ui/ui-lib.sh"
require_perf

start_target work 60
ui_start -p "$TARGET_PID" -d 0.5
ui_wait_top work_a 1 10
i=0
while n=$(ui_samples work_a); [ -z "$n" ] || [ "$n" -lt 2000 ]; do
	i=$((i + 1))
	[ "$i" -lt 100 ] || ui_fail "work_a has $n samples after 10 s"
	sleep 0.1
done
note "work_a: $n samples before z"
ui_keys z
ui_wait 'counts zeroed' 3
i=0
while m=$(ui_samples work_a); [ -z "$m" ] || [ "$m" -ge "$n" ]; do
	i=$((i + 1))
	[ "$i" -lt 30 ] || ui_fail "work_a has $m samples after z (before: $n)"
	sleep 0.1
done
note "work_a: $m samples after z"
[ "$m" -lt $((n / 2)) ] || ui_fail "work_a restarted at $m samples, not low (before: $n)"

ui_wait 'window: cumulative' 3
ui_keys c
ui_wait 'window: last 10 s' 3
ui_wait_top work_a 1 3
ui_keys c
ui_wait 'window: cumulative' 3
ui_keys q
ui_wait_exit

ui_start -p "$TARGET_PID" --window 5
ui_wait 'window: last 5 s' 10
ui_wait_top work_a 1 10
ui_keys c
ui_wait 'window: cumulative' 3
ui_keys q
ui_wait_exit
