#!/bin/bash
# writes: the screen sleeps between refreshes and writes each one to the
# terminal at once. On one busy thread at -F 1000, from 2.5 s to 6.5 s
# (four refreshes at -d 1): fewer than 20 write(2) calls in all (one to
# the terminal and one to the sampler's eventfd a refresh; ncurses 6.4
# left to itself writes at every cursor move, some 25 a refresh) and
# fewer than 30 voluntary context switches (some 15; a 100 ms poll of
# the sampler thread alone made 40). Counts, not times: load adds none.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ui-lib.sh
. "$TESTS_SRCDIR/ui/ui-lib.sh"
require_perf

# write(2) calls and voluntary context switches of pid $1, all threads.
counts() {
	echo "$(awk '/^syscw:/ { print $2 }' "/proc/$1/io") $(voluntary_switches "$1")"
}

start_target work 30
ui_start -F 1000 -p "$TARGET_PID"
ui_wait 'LIVE' 10
sleep 2.5
read -r w1 c1 <<<"$(counts "$UI_PID")"
sleep 4
read -r w2 c2 <<<"$(counts "$UI_PID")"
ui_wait_top work_a 3 10
note "from 2.5 s to 6.5 s: $((w2 - w1)) writes, $((c2 - c1)) voluntary context switches"
[ $((w2 - w1)) -lt 20 ] || ui_fail "$((w2 - w1)) writes in four refreshes: a refresh is not written at once"
[ $((c2 - c1)) -lt 30 ] || ui_fail "$((c2 - c1)) wake-ups in four refreshes: the screen does not sleep between them"
ui_keys q
ui_wait_exit
