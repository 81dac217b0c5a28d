#!/bin/bash
# batch-nopie: as batch-work, with the work target built as a fixed-address
# executable (-fno-pie -no-pie).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf
require_python

start_target work_nopie 30
rr_run batch -b -p "$TARGET_PID" -d 1 -n 3 --format csv -o work.csv
expect_rc 0
csvq dump work.csv
check_work_profile work.csv
