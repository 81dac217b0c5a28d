#!/bin/bash
# freeze: space freezes the table (identical across two captures 2 s
# apart) while sampling goes on (the header says FROZEN and how many
# samples arrived since); Z unfreezes (LIVE, the table moves again).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ui-lib.sh
. "$TESTS_SRCDIR/ui/ui-lib.sh"
require_perf

start_target work 60
ui_start -p "$TARGET_PID"
ui_wait_top work_a 1 10
ui_keys Space
ui_wait 'FROZEN, [0-9]+ samples? since' 3
ui_wait_not 'LIVE' 3
a=$(ui_table)
sleep 2
b=$(ui_table)
[ "$a" = "$b" ] || ui_fail "the frozen table changed: $(diff <(echo "$a") <(echo "$b"))"
ui_wait 'FROZEN, [1-9][0-9]* samples since' 3
ui_keys Z
ui_wait 'LIVE' 3
ui_wait_not 'FROZEN' 3
i=0
while [ "$(ui_table)" = "$a" ]; do
	i=$((i + 1))
	[ "$i" -lt 50 ] || ui_fail "the table did not move after Z"
	sleep 0.1
done
ui_keys q
ui_wait_exit
