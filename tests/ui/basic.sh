#!/bin/bash
# basic: the screen on the work target (work_a 75 %, work_b 25 %): the
# header names the target, its thread, the event, the sampler, samples,
# lost samples, the window and LIVE; work_a is the top row within 3 s of
# the screen coming up, above work_b; the footer has the key hints; q
# quits with status 0 and gives the terminal back.  On the switches
# target the header counts its three threads.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ui-lib.sh
. "$TESTS_SRCDIR/ui/ui-lib.sh"
require_perf

start_target work 60
ui_start -p "$TARGET_PID"
ui_wait 'SAMPLES.*FUNCTION' 10
ui_wait_top work_a 1 "${UI_HOT_SECS:-3}"
ui_wait_top work_b 3 5
s=$(ui_screen)
for rx in "pid $TARGET_PID \\(work\\), 1 thread" 'sampler: perf' \
    'event: cpu-clock' 'rate: [0-9]+/s' 'samples: [0-9]+' 'lost: [0-9]+' \
    'window: cumulative' 'sort: self' 'LIVE' 'SELF%' 'TOTAL%' 'BINARY' \
    '^h Help .*q Quit$'; do
	grep -Eq -- "$rx" <<<"$s" || ui_fail "no /$rx/ on the screen"
done
# The rows: SELF% TOTAL% SAMPLES BINARY FUNCTION, work_a above work_b.
row=$(ui_table | grep -m1 ' work_a$')
grep -Eq '^ *[0-9]+\.[0-9]{2}% .* [0-9]+\.[0-9]{2}% +[0-9]+ +work +work_a$' <<<"$row" ||
	ui_fail "work_a's row is not SELF% TOTAL% SAMPLES BINARY FUNCTION: $row"
[ "$(ui_functions | grep -m2 -E '^work_(a|b)$' | tr '\n' ' ')" = "work_a work_b " ] ||
	ui_fail "work_a is not above work_b"
ui_keys q
ui_wait_exit

# The thread count: switches runs three threads.
start_target switches 60
wait_threads "$TARGET_PID" 3
ui_start -p "$TARGET_PID"
ui_wait "^pid $TARGET_PID \\(switches\\), 3 threads " 10
ui_keys q
ui_wait_exit
