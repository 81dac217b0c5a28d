#!/bin/bash
# wait-time-refused: -e wait-time is not implemented yet; it is refused
# with exit status 2 and one line on stderr that names it.  (This test goes
# when wait-time arrives.)
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf

start_target work 30
rr_run wait -b -p "$TARGET_PID" -e wait-time -n 1
expect_rc 2
expect_one_line_stderr
grep -q 'wait-time' wait.err || fail "the message does not name wait-time"
