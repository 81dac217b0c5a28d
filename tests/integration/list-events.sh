#!/bin/bash
# list-events: --list-events names all eight events, each with supported
# or unsupported (reason); cpu-clock is supported, and cpu-cycles is
# supported exactly where the machine has a PMU for it.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf

rr_run list --list-events
expect_rc 0
show list.out

# status NAME: supported, unsupported or missing, from the line naming NAME.
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

for ev in cpu-cycles instructions cache-misses task-clock cpu-clock \
    wait-time context-switches page-faults; do
	s=$(status "$ev")
	note "$ev: $s"
	case $s in
	supported|unsupported) ;;
	missing) fail "--list-events does not name $ev" ;;
	unsupported-without-reason) fail "$ev: unsupported, with no (reason)" ;;
	*) fail "$ev: neither supported nor unsupported" ;;
	esac
done

[ "$(status cpu-clock)" = supported ] || fail "cpu-clock is not supported, yet perf_event_open works"
for ev in task-clock page-faults context-switches; do
	[ "$(status "$ev")" = supported ] || fail "$ev is not supported, yet software events work"
done
if [ "$(have_pmu)" = 0 ]; then
	[ "$(status cpu-cycles)" = supported ] ||
		fail "cpu-cycles is unsupported, yet this machine has a PMU for it"
else
	[ "$(status cpu-cycles)" = unsupported ] ||
		fail "cpu-cycles is supported, yet this machine has no PMU for it"
fi
