#!/bin/bash
# locale and colour: in LC_ALL=C every glyph on the screen is ASCII (sort
# arrow, bars, ellipsis); in a UTF-8 locale the screen uses its glyphs.
# Colours are used where the terminal has them, and never with
# --no-color or NO_COLOR.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ui-lib.sh
. "$TESTS_SRCDIR/ui/ui-lib.sh"
require_perf

colors='\[(3[0-7]|4[0-7]|38;|48;|9[0-7]|10[0-7])'

start_target work 60
ui_start --env LC_ALL=C -p "$TARGET_PID"
ui_wait_top work_a 1 10
ui_wait ' #+ ' 3
ui_wait 'vSELF%' 3
if ui_screen | LC_ALL=C grep -q '[^ -~]'; then
	ui_fail "bytes outside ASCII on the screen in LC_ALL=C"
fi
ui_screen_attrs | grep -Eq "$colors" || ui_fail "no colours on a colour terminal"
ui_keys q
ui_wait_exit

utf8=$(locale -a 2>/dev/null | grep -Eix 'c\.utf-?8|en_US\.utf-?8' | head -n 1 || true)
if [ -n "$utf8" ]; then
	ui_start --env LC_ALL="$utf8" -p "$TARGET_PID"
	ui_wait_top work_a 1 10
	ui_wait '▼SELF%' 3
	ui_wait '█' 3
	ui_keys q
	ui_wait_exit
else
	note "no UTF-8 locale here: the UTF-8 half is not run"
fi

ui_start -p "$TARGET_PID" --no-color
ui_wait_top work_a 1 10
if ui_screen_attrs | grep -Eq "$colors"; then
	ui_fail "colours with --no-color"
fi
ui_keys q
ui_wait_exit

ui_start --env NO_COLOR=1 -p "$TARGET_PID"
ui_wait_top work_a 1 10
if ui_screen_attrs | grep -Eq "$colors"; then
	ui_fail "colours with NO_COLOR set"
fi
ui_keys q
ui_wait_exit
