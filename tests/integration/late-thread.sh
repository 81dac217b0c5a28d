#!/bin/bash
# late-thread: attach to late_thread while it has one (sleeping) thread;
# the thread it starts 1.5 s later is profiled too: late_hot has more
# than 50 % of cpu-clock samples (all of them, by construction).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf
require_python

start_target late_thread 8 1.5
n=$(thread_count "$TARGET_PID")
[ "$n" = 1 ] || fail "late_thread has $n threads before the attach, expected 1"
rr_run late -b -p "$TARGET_PID" --duration 3.5 --format csv -o late.csv
expect_rc 0
n=$(thread_count "$TARGET_PID")
[ "$n" = 2 ] || fail "late_thread has $n threads after the session, expected 2"
csvq dump late.csv
csvq check late.csv || fail "late.csv is not a valid snapshot"
assert_pct_above late.csv cpu-clock late_hot 50
