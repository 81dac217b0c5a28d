#!/bin/bash
# dlopen: a library loaded after the attach is named (its mapping comes
# from an MMAP record).  dlopen_late sleeps 1.5 s, then dlopens
# libdlhot.so and runs its dl_hot: dl_hot, in binary libdlhot.so, has
# more than 50 % of cpu-clock (all of it, by construction).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf
require_python
lib=$TARGETS/libdlhot.so
[ -f "$lib" ] || fail "no $lib (make check builds it)"

start_target dlopen_late "$lib" 30 1.5
! grep -q libdlhot "/proc/$TARGET_PID/maps" || fail "libdlhot.so is loaded before the attach"
rr_run dl -b -p "$TARGET_PID" -d 1 --duration 4 --format csv -o dl.csv
expect_rc 0
grep -q libdlhot "/proc/$TARGET_PID/maps" || fail "dlopen_late did not load libdlhot.so"
csvq dump dl.csv
csvq check dl.csv || fail "dl.csv is not a valid snapshot"
assert_pct_above dl.csv cpu-clock dl_hot 50
top=$(csvq top dl.csv cpu-clock)
[ "$top" = "dl_hot	libdlhot.so" ] || fail "the top row is '$top', expected dl_hot in libdlhot.so"
stop_target "$TARGET_PID"
