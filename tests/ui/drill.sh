#!/bin/bash
# drill: Enter on a function opens its drill-down: one row per sampled
# address with its instruction and source line (hotline.c:N); l shows the
# source lines, the hottest being the line marked HOT_LINE in
# tests/targets/hotline.c, with its text; H selects the hottest row; the
# drill-down keeps working across a resize to 80x24 and back; w writes it
# to a file that has the hot line; Esc goes back to the table on the same
# function.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ui-lib.sh
. "$TESTS_SRCDIR/ui/ui-lib.sh"
require_perf

# The selected row (reverse video with --no-color), its text.
ui_selected_row() {
	ui_screen_attrs | awk '
		match($0, /\033\[([0-9]*;)*7(;[0-9]*)*m/) {
			gsub(/\033\[[0-9;]*m/, "")
			print
			exit
		}'
}

hot=$(grep -n 'HOT_LINE \*/' "$TESTS_SRCDIR/targets/hotline.c" | cut -d : -f 1)
[ -n "$hot" ] || fail "no HOT_LINE marker in hotline.c"
note "HOT_LINE is line $hot"

start_target hotline 60
ui_start --no-color -p "$TARGET_PID"
ui_wait_top hotline_loop 1 10
ui_keys Enter
ui_wait 'hotline_loop  in hotline  addresses' 5
ui_wait 'Esc: back to the table' 3
# Address rows: share, samples, offset, instruction, source line.
ui_wait "%.* 0x[0-9a-f]+ +[a-z]+[a-z0-9]* .* hotline\\.c:$hot( |\$)" 5
# H: the hottest address; its row has the largest share.
ui_keys H
sleep 0.3
row=$(ui_selected_row)
note "hottest address: $row"
[[ $row =~ 0x[0-9a-f]+ ]] || ui_fail "H selected no address row"

# The line view: the hottest line is the HOT_LINE line, with its text.
ui_keys l
ui_wait 'hotline_loop  in hotline  source lines' 5
ui_wait "hotline\\.c:$hot +.*HOT_LINE" 5
sleep 2
ui_keys H
i=0
until row=$(ui_selected_row); [[ $row == *"hotline.c:$hot "*"HOT_LINE"* ]]; do
	i=$((i + 1))
	[ "$i" -lt 30 ] || ui_fail "H selected \"$row\", not line $hot (HOT_LINE)"
	sleep 0.1
done
# Its share is the largest of the view.
best=$(ui_screen | awk '/hotline\.c:[0-9]+/ && $1 ~ /%$/ { p = $1; sub(/%/, "", p); if (p + 0 > max) { max = p + 0; line = $0 } } END { print line }')
[[ $best == *"hotline.c:$hot "* ]] || ui_fail "the hottest line is \"$best\", not $hot"

# A resize inside the drill-down, and back.
ui_tmux resize-window -t ui -x 80 -y 24
ui_wait 'hotline_loop  in hotline' 5
ui_wait "hotline\\.c:$hot" 5
ui_screen | grep -q 'terminal too small' && ui_fail "80x24 is too small for the drill-down"
ui_tmux resize-window -t ui -x 120 -y 40
ui_wait "hotline\\.c:$hot +.*HOT_LINE" 5

# w: the line view in a file, named in the status line.
ui_keys w
ui_wait "drill-down written to rrstat-top-$TARGET_PID-[0-9]{8}-[0-9]{6}-drill\\.txt" 5
snap=$(ui_screen | sed -n 's/.*drill-down written to \([^ ]*\).*/\1/p' | head -n 1)
[ -f "$tmp/$snap" ] || ui_fail "no $snap in the current directory"
show "$tmp/$snap"
grep -q "hotline\\.c:$hot .*HOT_LINE" "$tmp/$snap" || fail "$snap lacks the hot line"
grep -q '^function: hotline_loop$' "$tmp/$snap" || fail "$snap does not name the function"

# Back to the address view, then Esc: the table, on the same function.
ui_keys l
ui_wait 'hotline_loop  in hotline  addresses' 5
ui_keys Escape
ui_wait 'SAMPLES.*FUNCTION' 3
ui_wait_not 'Esc: back to the table' 3
row=$(ui_selected_row)
[[ $row == *hotline_loop* ]] || ui_fail "back on the table, the selection is \"$row\""
# Backspace goes back too.
ui_keys Enter
ui_wait 'hotline_loop  in hotline  addresses' 5
ui_keys BSpace
ui_wait 'SAMPLES.*FUNCTION' 3
ui_wait_not 'Esc: back to the table' 3
row=$(ui_selected_row)
[[ $row == *hotline_loop* ]] || ui_fail "after Backspace, the selection is \"$row\""
# Space freezes the drill-down too.
ui_keys Enter
ui_wait 'hotline_loop  in hotline  addresses' 5
ui_keys Space
ui_wait 'FROZEN' 3
ui_wait 'hotline_loop  in hotline  addresses' 3
ui_keys q
ui_wait_exit
