#!/bin/bash
# spawn: rrstat-top -- COMMAND starts the work target itself.  The target
# exits after 3 s, well before --duration: rrstat-top ends then with exit
# status 0, says that the target exited, and writes the snapshot, which
# has the work profile (work_a 75 %, work_b 25 %, +- 8 points).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf
require_python

work=$(target_path work)
rr_run spawn -b -d 1 --duration 30 --format csv -o spawn.csv -- "$work" 3
expect_rc 0
awk -v e="$rr_elapsed" 'BEGIN { exit !(e < 20) }' ||
	fail "rrstat-top ran for $rr_elapsed s: it did not end when its command exited after 3 s"
expect_target_exit_noted
csvq dump spawn.csv
check_work_profile spawn.csv
