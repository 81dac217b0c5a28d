#!/bin/bash
# event-fallback: the hardware events (cpu-cycles, instructions,
# cache-misses).  Where the machine has no PMU, each falls back to cpu-clock:
# exit status 0, a notice on stderr that names cpu-clock, and the snapshot
# has the work profile.  Where it has one, each simply works.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf
require_python

start_target work 30
pmu=$(have_pmu)
for ev in cycles instructions cache-misses; do
	rr_run "$ev" -b -p "$TARGET_PID" -e "$ev" -d 0.5 -n 3 --format csv -o "$ev.csv"
	expect_rc 0
	csvq dump "$ev.csv"
	csvq check "$ev.csv" || fail "$ev.csv is not a valid snapshot"
	[ -n "$(csvq match "$ev.csv" '*' '^work_a$')" ] || fail "-e $ev: no work_a row"
	if [ "$pmu" != 0 ]; then
		grep -q 'cpu-clock' "$ev.err" ||
			fail "-e $ev without a PMU: no notice on stderr naming cpu-clock"
		n=$(csvq events "$ev.csv" | wc -l)
		[ "$n" = 1 ] || fail "-e $ev: the snapshot has $n events, expected one"
		assert_pct "$ev.csv" '*' work_a 75
	fi
done
