#!/bin/bash
# callers-off: without -g no call stacks are kept, so C (the caller/callee
# view) only says how to get them, in the status line, and the table
# stays; at 80x24 the footer still lists C and every other hint fits on
# one line; the help lists C.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ui-lib.sh
. "$TESTS_SRCDIR/ui/ui-lib.sh"
require_perf

start_target work 60
ui_start --size 80x24 -p "$TARGET_PID"
ui_wait 'SAMPLES.*FUNCTION' 10
ui_wait_top work_a 3 10
s=$(ui_screen)
last=$(tail -n 1 <<<"$s")
[[ $last == "h Help "*" C Callers "*"q Quit" ]] ||
	ui_fail "the footer at 80x24 is \"$last\", without C Callers"
[ "${#last}" -le 80 ] || ui_fail "the footer is ${#last} columns wide"
ui_keys C
ui_wait 'no call graph: start rrstat-top with -g' 5
ui_wait 'SAMPLES.*FUNCTION' 3
ui_screen | grep -q 'Esc: back to the table' && ui_fail "C opened a view without call stacks"
ui_screen | grep -q '^call graph:' && ui_fail "the header names a call graph without -g"
# The help lists C.
ui_keys h
ui_wait 'rrstat-top keys' 5
ui_screen | grep -Eq '^ C +callers and callees' || ui_fail "the help lacks C"
ui_keys x
ui_wait 'SAMPLES.*FUNCTION' 5
ui_keys q
ui_wait_exit
