#!/bin/bash
# callgraph-event: call graphs with a hardware event (-e cycles).  Where
# the machine has no PMU, cycles falls back to cpu-clock with a notice on
# stderr naming cpu-clock, and -g still works; where it has one, cycles is
# sampled with its stacks.  Either way the call tree of callgraph_fp is the
# construction's (cycles follow time in its loops, whose cost per
# iteration is the same everywhere): -g fp in the csv (total_pct,
# self_pct), -g dwarf in the folded stacks, within +-8 points (see
# callgraph-lib.sh).
# Fails where rrstat-top has no call graphs (no --max-stack in --help).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=callgraph-lib.sh
. "$TESTS_SRCDIR/integration/callgraph-lib.sh"
require_callgraph
require_perf
require_python

start_target callgraph_fp 60
pmu=$(have_pmu)
if [ "$pmu" = 0 ]; then
	note "this machine has a PMU: cycles is sampled"
else
	note "no PMU here: cycles falls back to cpu-clock"
fi
for m in fp dwarf; do
	case $m in fp) fmt=csv ;; *) fmt=folded ;; esac
	cg_run "cycles-$m" -b -p "$TARGET_PID" -e cycles -g "$m" \
	    --format "$fmt" -o "cycles-$m.$fmt"
	expect_rc 0
	cg_header_is "cycles-$m" "$m(,? .*)?"
	if [ "$pmu" != 0 ]; then
		grep -q 'cpu-clock' "cycles-$m.err" ||
			fail "-e cycles -g $m without a PMU: no notice on stderr naming cpu-clock"
	fi
	cgcheck c "$fmt" "cycles-$m.$fmt" --binary callgraph_fp --event '*' ||
		{ show "cycles-$m.$fmt"; fail "-e cycles -g $m: not the call tree of the construction (above)"; }
done
