#!/bin/bash
# debug-dir: a copy of work split into a stripped binary and a debug file
# that only --debug-dir DIR can find (DIR/.build-id/xx/rest.debug, no
# debuglink). With it, work_a and work_b are named from the debug file at
# 75 % and 25 % (+- 8); without it, the same run has no work_a row.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf
require_python
command -v objcopy >/dev/null 2>&1 || skip "objcopy is not installed"

bin=$tmp/split_work
cp "$(target_path work)" "$bin"
objcopy --only-keep-debug "$bin" "$bin.debug"
strip -s "$bin"
id=$(readelf -n "$bin" | sed -n 's/.*Build ID: *\([0-9a-f]*\).*/\1/p' | head -1)
[ -n "$id" ] || skip "the work target has no build-id note"
mkdir -p "$tmp/dbg/.build-id/${id:0:2}"
mv "$bin.debug" "$tmp/dbg/.build-id/${id:0:2}/${id:2}.debug"

start_target "$bin" 30
rr_run with -b -p "$TARGET_PID" -d 1 -n 3 --debug-dir "$tmp/dbg" --format csv -o with.csv
expect_rc 0
check_work_profile with.csv

rr_run without -b -p "$TARGET_PID" -d 1 -n 2 --format csv -o without.csv
expect_rc 0
got=$(csv_pct without.csv cpu-clock work_a)
[ "$got" = 0.00 ] || fail "without --debug-dir work_a still has $got %: where did its name come from?"

rr_run missing -b -p "$TARGET_PID" -n 1 --debug-dir "$tmp/no-such-dir"
expect_rc 2
