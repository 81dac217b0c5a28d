#!/bin/bash
# threads-churn: the threads target starts and joins threads all the
# time, each living 20 to 50 ms: the threads created after the attach are
# followed, and short_lived has more than 80 % of cpu-clock samples (nearly
# all, by construction).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf
require_python

start_target threads 30
rr_run churn -b -p "$TARGET_PID" --duration 3 --format csv -o churn.csv
expect_rc 0
csvq dump churn.csv
csvq check churn.csv || fail "churn.csv is not a valid snapshot"
assert_pct_above churn.csv cpu-clock short_lived 80
