#!/bin/bash
# event: TAB steps through the supported events within one refresh; one
# not sampled yet (page-faults here) starts when first shown and the
# header says since when; on the faults target page-faults land in
# fault_pages.  Shift-TAB, e and E step too.  Events given with -e are
# sampled from the start: no "since".
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ui-lib.sh
. "$TESTS_SRCDIR/ui/ui-lib.sh"
require_perf

# The event the header shows.
ui_event() {
	ui_screen | sed -n 's/^event: \([a-z-]*\).*/\1/p'
}

start_target faults 60
ui_start -p "$TARGET_PID"
ui_wait '^event: cpu-clock  ' 10
seen=cpu-clock
for i in 1 2 3 4 5 6 7 8; do
	before=$(ui_event)
	ui_keys Tab
	ui_wait "^event: " 5
	n=0
	while [ "$(ui_event)" = "$before" ]; do
		n=$((n + 1))
		[ "$n" -lt 20 ] || ui_fail "TAB did not change the event within 2 s"
		sleep 0.1
	done
	seen="$seen $(ui_event)"
	[ "$(ui_event)" != page-faults ] || break
done
note "events seen: $seen"
[ "$(ui_event)" = page-faults ] || ui_fail "TAB never reached page-faults ($seen)"
ui_wait '^event: page-faults \(since [0-9]{2}:[0-9]{2}:[0-9]{2}\)' 2
ui_wait_top fault_pages 3 10
# Back and forth: Shift-TAB, then e, E.
ui_keys BTab
ui_wait_not '^event: page-faults' 3
prev=$(ui_event)
ui_keys e
ui_wait '^event: page-faults \(since' 3
ui_keys E
ui_wait "^event: $prev " 3
ui_keys Tab
ui_wait '^event: page-faults \(since' 3
# Its history is kept: the rows are there at once.
ui_wait_top fault_pages 3 2
ui_keys q
ui_wait_exit

# Named with -e: sampled from the start, no "since".
ui_start -p "$TARGET_PID" -e page-faults,cpu-clock
ui_wait '^event: page-faults  ' 10
ui_wait_top fault_pages 3 10
ui_keys Tab
ui_wait '^event: cpu-clock  ' 3
ui_keys q
ui_wait_exit
