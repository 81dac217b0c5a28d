#!/bin/bash
# threads: the header counts the target's threads as they come: late_thread
# runs one thread, then starts a second, busy one after 3 s; the header
# goes from "1 thread" to "2 threads" and late_hot, which only the late
# thread runs, comes to the top.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ui-lib.sh
. "$TESTS_SRCDIR/ui/ui-lib.sh"
require_perf

start_target late_thread 60 3
ui_start -p "$TARGET_PID"
ui_wait "^pid $TARGET_PID \\(late_thread\\), 1 thread " 10
ui_wait "^pid $TARGET_PID \\(late_thread\\), 2 threads " 10
ui_wait_top late_hot 1 10
ui_keys q
ui_wait_exit
