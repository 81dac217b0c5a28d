#!/bin/bash
# zoom and group, on libm_work (most samples in libm.so.6, the rest in
# libm_work): d zooms into the selected row's binary (only its
# functions; the header says so), d again zooms out; b puts a subtotal
# row above each binary's functions, b again takes them away.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ui-lib.sh
. "$TESTS_SRCDIR/ui/ui-lib.sh"
require_perf

start_target libm_work 60
ui_start -p "$TARGET_PID"
ui_wait ' libm\.so\.6 ' 10
ui_wait ' libm_work ' 10
# Freeze while the top row (selected) is in libm.so.6, so that no refresh
# changes the top row before d.
i=0
while :; do
	ui_keys Space
	ui_wait 'FROZEN' 3
	[ "$(ui_binaries | head -n 1)" != libm.so.6 ] || break
	i=$((i + 1))
	[ "$i" -lt 20 ] || ui_fail "the top row is not in libm.so.6"
	ui_keys Space
	ui_wait 'LIVE' 3
	sleep 0.5
done
ui_keys Home d
ui_wait 'zoom: libm\.so\.6' 3
i=0
while [ "$(ui_binaries | sort -u | tr '\n' ' ')" != "libm.so.6 " ]; do
	i=$((i + 1))
	[ "$i" -lt 30 ] || ui_fail "zoomed into libm.so.6, rows of $(ui_binaries | sort -u | tr '\n' ' ')"
	sleep 0.1
done
ui_keys d
ui_wait_not 'zoom: ' 3
ui_wait ' libm_work ' 3
ui_keys Z
ui_wait 'LIVE' 3

ui_keys b
ui_wait 'group: by binary' 3
ui_wait ' libm\.so\.6 +\[subtotal: [0-9]+ functions?\]' 3
ui_wait ' libm_work +\[subtotal: [0-9]+ functions?\]' 3
# The subtotal rows' SELF% add up to about 100.
total=$(ui_table | awk '/\[subtotal:/ { sub(/%/, "", $1); t += $1 } END { printf "%d", t + 0.5 }')
if [ "$total" -lt 98 ] || [ "$total" -gt 101 ]; then
	ui_fail "the subtotals add up to $total %"
fi
ui_keys b
ui_wait_not 'subtotal|group: ' 3
ui_keys q
ui_wait_exit
