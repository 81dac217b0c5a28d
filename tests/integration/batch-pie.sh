#!/bin/bash
# batch-pie: as batch-work, with the work target built as a position
# independent executable (-fPIE -pie).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf
require_python

start_target work_pie 30
rr_run batch -b -p "$TARGET_PID" -d 1 -n 3 --format csv -o work.csv
expect_rc 0
csvq dump work.csv
check_work_profile work.csv
