#!/bin/bash
# demo: rrstat-top --demo with three events; each event has its own top
# function: demo_compute (or a libm function) for cpu-clock, demo_faults
# for page-faults, and the pipe ping-pong for context-switches (demo_switch,
# or the kernel's scheduler where switches are shown in [kernel]).  The demo
# is gone when rrstat-top exits.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf
require_python
[ -x "$RRSTAT_DEMO" ] || fail "no demo workload at $RRSTAT_DEMO"

rr_run demo -b --demo --duration 4 -e cpu-clock,page-faults,context-switches \
    --format csv -o demo.csv
expect_rc 0
csvq dump demo.csv
csvq check demo.csv || fail "demo.csv is not a valid snapshot"
events=$(csvq events demo.csv)
for ev in cpu-clock page-faults context-switches; do
	grep -qx -- "$ev" <<<"$events" || fail "no rows for event $ev"
done

IFS=$'\t' read -r cpu_fn cpu_bin <<<"$(csvq top demo.csv cpu-clock)"
IFS=$'\t' read -r pf_fn pf_bin <<<"$(csvq top demo.csv page-faults)"
IFS=$'\t' read -r cs_fn cs_bin <<<"$(csvq top demo.csv context-switches)"
note "top of cpu-clock: $cpu_fn ($cpu_bin)"
note "top of page-faults: $pf_fn ($pf_bin)"
note "top of context-switches: $cs_fn ($cs_bin)"

case $cpu_fn in
demo_compute) ;;
*) [[ $(basename "$cpu_bin") =~ ^libm[.-] ]] ||
	fail "cpu-clock: top function $cpu_fn ($cpu_bin), expected demo_compute or one in libm" ;;
esac
[ "$pf_fn" = demo_faults ] ||
	fail "page-faults: top function $pf_fn ($pf_bin), expected demo_faults"
case $cs_fn in
demo_switch) ;;
*) [ "$cs_bin" = "[kernel]" ] ||
	fail "context-switches: top function $cs_fn ($cs_bin), expected demo_switch" ;;
esac
if [ "$cpu_fn/$cpu_bin" = "$pf_fn/$pf_bin" ] || [ "$cpu_fn/$cpu_bin" = "$cs_fn/$cs_bin" ] ||
    [ "$pf_fn/$pf_bin" = "$cs_fn/$cs_bin" ]; then
	fail "two events have the same top function"
fi
