#!/bin/bash
# events: the software events land where the targets take them.  On the
# faults target, page-faults are in fault_pages (more than 80 %, nearly all
# by construction).  On the switches target, context-switches are sampled,
# and the top function is ping_pong, or the kernel's scheduler where
# switches are shown in [kernel].
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf
require_python

start_target faults 30
rr_run faults -b -p "$TARGET_PID" --duration 2 -e page-faults,cpu-clock --format csv -o faults.csv
expect_rc 0
csvq dump faults.csv
csvq check faults.csv || fail "faults.csv is not a valid snapshot"
assert_pct_above faults.csv page-faults fault_pages 80
[ "$(csvq rows faults.csv cpu-clock)" -gt 0 ] || fail "no cpu-clock rows beside page-faults"
stop_target "$TARGET_PID"

start_target switches 30
wait_threads "$TARGET_PID" 3
rr_run switches -b -p "$TARGET_PID" --duration 2 -e context-switches --format csv -o switches.csv
expect_rc 0
csvq dump switches.csv
csvq check switches.csv || fail "switches.csv is not a valid snapshot"
IFS=$'\t' read -r fn bin <<<"$(csvq top switches.csv context-switches)"
note "top of context-switches: $fn ($bin)"
[ "$fn" = ping_pong ] || [ "$bin" = "[kernel]" ] ||
	fail "context-switches: top function $fn ($bin), expected ping_pong"
