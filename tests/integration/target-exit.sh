#!/bin/bash
# target-exit: the target (work, 2 s) exits in the middle of the session
# (--duration 6): exit status 0, stdout or stderr says so, and the csv
# snapshot is written, with work_a in it.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf
require_python

start_target work 2
rr_run gone -b -p "$TARGET_PID" --duration 6 --format csv -o gone.csv
expect_rc 0
expect_target_exit_noted
csvq dump gone.csv
csvq check gone.csv || fail "gone.csv is not a valid snapshot"
n=$(csvq match gone.csv cpu-clock '^work_a$')
[ -n "$n" ] || fail "no work_a row in the snapshot of the exited target"
