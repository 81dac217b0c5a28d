#!/bin/bash
# drill-inline: in inline_hot's inline_caller, the addresses of the loop
# are in code inlined from inline_mix, and the drill-down says so.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ui-lib.sh
. "$TESTS_SRCDIR/ui/ui-lib.sh"
require_perf

start_target inline_hot 60
ui_start --no-color -p "$TARGET_PID"
ui_wait_top inline_caller 1 10
ui_keys Enter
ui_wait 'inline_caller  in inline_hot  addresses' 5
ui_wait '0x[0-9a-f]+ +[a-z]+.* inline_hot\.c:[0-9]+ +inlined from inline_mix' 5
ui_keys l
ui_wait 'inline_caller  in inline_hot  source lines' 5
ui_wait 'inline_hot\.c:[0-9]+ +.*\^= b \* 0x9e3779b97f4a7c15UL' 5
ui_keys q
ui_wait_exit
