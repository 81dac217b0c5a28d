#!/bin/bash
# help: h, ? and F1 open the help screen, which lists every binding (it
# is generated from the key table); any key closes it, q and Esc
# included, without quitting; F10 quits.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ui-lib.sh
. "$TESTS_SRCDIR/ui/ui-lib.sh"
require_perf

start_target work 60
ui_start -p "$TARGET_PID"
ui_wait 'SAMPLES.*FUNCTION' 10
for open in h '?' F1; do
	ui_keys "$open"
	ui_wait 'rrstat-top keys' 5
	s=$(ui_screen)
	for rx in '^ h \? F1 ' '^ q F10 ' '^ TAB e ' '^ Shift-TAB E ' '^ Space Z ' \
	    '^ Up Down PgUp PgDn Home End ' '^ Enter ' '^ Esc Backspace ' '^ < ' \
	    '^ > F6 ' '^ r ' '^ / F4 ' '^ d ' '^ b ' '^ z ' '^ c ' '^ w P '; do
		grep -Eq -- "$rx" <<<"$s" || ui_fail "the help screen lacks /$rx/"
	done
	grep -q 'SAMPLES' <<<"$s" && ui_fail "the table shows through the help screen"
	case $open in
	h) ui_keys q ;;
	'?') ui_keys Escape ;;
	*) ui_keys x ;;
	esac
	ui_wait 'SAMPLES.*FUNCTION' 5
	ui_wait_not 'rrstat-top keys' 5
done
ui_wait LIVE
ui_keys F10
ui_wait_exit
