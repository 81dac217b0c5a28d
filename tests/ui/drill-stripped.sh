#!/bin/bash
# drill-stripped: a function of a stripped binary (work_stripped+0x...,
# its bounds from the unwind tables) still shows its instructions, and
# says why there are no source lines; a function of libm drills into
# lines read from its separate debug info (skipped where libm has none).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ui-lib.sh
. "$TESTS_SRCDIR/ui/ui-lib.sh"
require_perf

start_target work_stripped 60
ui_start --no-color -p "$TARGET_PID"
i=0
until ui_top_functions 1 | grep -Eq '^work_stripped\+0x[0-9a-f]+ $'; do
	i=$((i + 1))
	[ "$i" -lt 100 ] || ui_fail "no work_stripped+0x... row on top after 10 s"
	sleep 0.1
done
ui_keys Enter
ui_wait 'work_stripped\+0x[0-9a-f]+  in work_stripped  addresses' 5
ui_wait '%.* 0x[0-9a-f]+ +(add|mov|lea|cmp|j|inc|sub|xor)[a-z]* ' 5
ui_wait 'source lines unavailable: ' 5
ui_keys l
ui_wait 'work_stripped\+0x[0-9a-f]+  in work_stripped  source lines' 5
ui_wait 'source lines unavailable: ' 3
ui_keys q
ui_wait_exit
stop_target "$TARGET_PID"

# libm, with its separate debug file (libc6-dbg).
start_target libm_work 60
libm=$(awk '$6 ~ /\/libm\.so/ { print $6; exit }' "/proc/$TARGET_PID/maps")
[ -n "$libm" ] || fail "libm_work maps no libm"
id=$(readelf -n "$libm" 2>/dev/null | sed -n 's/.*Build ID: *\([0-9a-f]*\).*/\1/p')
if [ -z "$id" ] || [ ! -f "/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug" ]; then
	skip "no separate debug file for $libm (install libc6-dbg)"
fi
ui_start --no-color -p "$TARGET_PID"
ui_wait 'libm\.so\.6 +__sin' 10
ui_keys / _ _ s i n Enter
ui_wait 'filter: __sin' 3
ui_wait_top '__sin[a-z0-9_]*' 1 5
ui_keys Enter
ui_wait '__sin[a-z0-9_]*  in libm\.so\.6  addresses' 5
ui_wait '%.* 0x[0-9a-f]+ +[a-z]+.* [a-z_0-9]+\.c:[0-9]+' 10
ui_screen | grep -q 'source lines unavailable' && ui_fail "libm's lines are unavailable"
ui_keys l
ui_wait '__sin[a-z0-9_]*  in libm\.so\.6  source lines' 5
ui_wait '[a-z_0-9]+\.c:[0-9]+' 5
ui_keys q
ui_wait_exit
