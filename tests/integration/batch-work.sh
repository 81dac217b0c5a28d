#!/bin/bash
# batch-work: attach to the work target (-p) in batch mode; the csv snapshot
# has work_a at 75 % and work_b at 25 % of cpu-clock (+- 8 points), and
# stdout has a table for each of the -n 3 refreshes.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf
require_python

start_target work 30
wait_threads "$TARGET_PID" 1
rr_run batch -b -p "$TARGET_PID" -d 1 -n 3 --format csv -o work.csv
expect_rc 0
csvq dump work.csv
check_work_profile work.csv

n=$(grep -c 'work_a' batch.out || true)
if [ "$n" -lt 3 ]; then
	show batch.out
	fail "stdout has $n lines naming work_a, expected a table for each of 3 refreshes"
fi
