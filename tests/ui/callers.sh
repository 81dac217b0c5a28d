#!/bin/bash
# callers: the caller/callee view (cg.md, "What users see": key C on the
# selected function shows its callers above it and its callees below it,
# each with its share of the function's total; Enter on a caller or callee
# re-centres on it; Backspace/Esc go back; live, freezable; w writes it).
# On callgraph_fp with -g fp, sorted by total:
#   - C on outer: main among the callers (100 % of outer's total), left
#     and right among the callees (60 % and 40 %), in that order on the
#     screen: callers, then outer, then callees
#   - Enter on left re-centres: outer above left (100 %), burn below it
#     (100 %); Backspace goes back to outer's view, Esc back to the table,
#     with the selection still on outer
#   - Space freezes the view (FROZEN), Z makes it live again
#   - w writes the view to a file, named on the status line, that names
#     outer and its callers and callees
# Shares within +-10 points: a few seconds of samples on a loaded machine,
# of outer's half of them only (several hundred samples at the least: a
# share's standard deviation is under 3 points); a view of the wrong
# function or with callers and callees mixed up is off by 40 points or
# more.  The labels of the screen are matched loosely (CV_* below), to
# be adjusted to the screen once it exists.
# Fails where rrstat-top has no call graphs (no --max-stack in --help).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ui-lib.sh
. "$TESTS_SRCDIR/ui/ui-lib.sh"
# shellcheck source=../integration/callgraph-lib.sh
. "$TESTS_SRCDIR/integration/callgraph-lib.sh"
require_callgraph
require_perf
require_python

# The view's labels: something on the screen once C has opened the view
# (the footer of the table may say it too: the view itself is told by its
# contents, cv_check), and the status line after w (the file's name in
# group 1 of a sed -E regex).
CV_VIEW='[Cc]all(er|ee)s'
CV_WRITTEN='.*written to ([^ ]+).*'

# The selected row: the first line in reverse video (--no-color) below
# the header's lines that has a share and is neither the column titles nor
# the header (LIVE, FROZEN), above the status and key lines; its text.
ui_selected_row() {
	local h
	h=$(ui_tmux display -p -t ui '#{pane_height}')
	ui_screen_attrs | awk -v last=$((h - 2)) '
		NR > 2 && NR <= last && match($0, /\033\[([0-9]*;)*7(;[0-9]*)*m/) {
			gsub(/\033\[[0-9;]*m/, "")
			if ($0 ~ /[0-9]%/ && $0 !~ /FUNCTION|FROZEN|LIVE/) {
				print
				exit
			}
		}'
}

# cv_check CENTRE CALLERS CALLEES: the screen is the view of CENTRE, each
# of CALLERS ("NAME:SHARE ...") on a line above CENTRE's, each of CALLEES
# on a line below it, each line with its SHARE (%, +-10) of CENTRE's total.
# Quiet unless it fails; its report in $tmp/cv-check.txt.
cv_check() {
	ui_screen >"$tmp/cv-screen.txt"
	python3 - "$tmp/cv-screen.txt" "$@" >"$tmp/cv-check.txt" 2>&1 <<'PY'
import re, sys
lines = open(sys.argv[1]).read().split("\n")
centre, callers, callees = sys.argv[2], sys.argv[3].split(), sys.argv[4].split()

def word_lines(name):
    rx = re.compile(r"(^|[\s;])%s(\s|$|\()" % re.escape(name))
    return [i for i, l in enumerate(lines) if rx.search(l)]

def pcts(i):
    return [float(x) for x in re.findall(r"([0-9]+(?:\.[0-9]+)?) ?%", lines[i])]

def entry(spec, side, ci):
    name, want = spec.rsplit(":", 1)
    want = float(want)
    cand = [i for i in word_lines(name) if (i < ci if side == "caller" else i > ci) and pcts(i)]
    if not cand:
        sys.exit("no %s line for %s %s %s (with a share)" % (side, name,
                 "above" if side == "caller" else "below", centre))
    i = cand[0] if side == "callee" else cand[-1]
    got = pcts(i)
    print("%s %s: %r -> %s" % (side, name, lines[i].strip(), got))
    if not any(abs(g - want) <= 10 for g in got):
        sys.exit("%s %s has %s %%, expected %g +- 10 of %s's total" % (side, name, got, want, centre))
    return i

# The centre: a line naming CENTRE below every caller's and above every
# callee's line; try each candidate.
last = None
for ci in word_lines(centre):
    try:
        for s in callers:
            entry(s, "caller", ci)
        for s in callees:
            entry(s, "callee", ci)
    except SystemExit as e:
        last = e
        continue
    print("centre %s: line %d: %r" % (centre, ci + 1, lines[ci].strip()))
    sys.exit(0)
sys.exit("not the view of %s: %s" % (centre, last if last else "%s is not on the screen" % centre))
PY
}

# cv_wait CENTRE CALLERS CALLEES [SECS]: until cv_check holds (a refresh
# may be needed to fill the view), or fail.
cv_wait() {
	local i=0 limit=${4:-10}
	until cv_check "$1" "$2" "$3"; do
		i=$((i + 1))
		if [ "$i" -ge $((limit * 5)) ]; then
			cat "$tmp/cv-check.txt"
			ui_fail "the caller/callee view of $1 is not right after $limit s: $(tail -n 1 "$tmp/cv-check.txt")"
		fi
		sleep 0.2
	done
	sed 's/^/# /' "$tmp/cv-check.txt"
}

# select_row FUNCTION: moves the selection (Down, then Up) until the
# selected row names FUNCTION as a word, or fails.
select_row() {
	local fn=$1 i=0 key=Down row
	while :; do
		row=$(ui_selected_row)
		if [[ " $row " =~ [[:space:]]$fn([[:space:]]|\() ]]; then
			note "selected: $row"
			return 0
		fi
		i=$((i + 1))
		[ "$i" -ne 30 ] || key=Up
		[ "$i" -lt 70 ] || ui_fail "cannot select $fn (selected: '$row')"
		ui_keys "$key"
		sleep 0.1
	done
}

start_target callgraph_fp 120
ui_start --no-color -p "$TARGET_PID" -g fp -s total
ui_wait 'SAMPLES.*FUNCTION' 10
ui_wait_top outer 12 10
sleep 3	# samples enough for the shares
ui_keys Space
ui_wait 'FROZEN' 3
ui_keys Home
select_row outer

# C: outer's callers and callees.
ui_keys C
ui_wait "$CV_VIEW" 5
cv_wait outer main:100 "left:60 right:40"

# Live and frozen: Z makes it live, Space freezes it again, the view stays.
ui_keys Z
ui_wait 'LIVE' 3
sleep 1.5
cv_wait outer main:100 "left:60 right:40"
ui_keys Space
ui_wait 'FROZEN' 3

# Enter on left: the view of left, called by outer, calling burn.
select_row left
ui_keys Enter
cv_wait left outer:100 burn:100
# Backspace: back to outer's view.
ui_keys BSpace
cv_wait outer main:100 "left:60 right:40"

# w: the view in a file that names outer, main, left and right.
ui_keys w
ui_wait "$CV_WRITTEN" 5
snap=$(ui_screen | sed -En "s/$CV_WRITTEN/\\1/p" | head -n 1)
note "written: $snap"
[ -f "$tmp/$snap" ] || ui_fail "no file $snap in the current directory"
show "$tmp/$snap"
for fn in outer main left right; do
	grep -Eq "(^|[[:space:];])$fn([[:space:]]|\$|\\()" "$tmp/$snap" ||
		fail "$snap does not name $fn"
done
grep -Eq '[0-9]+(\.[0-9]+)? ?%' "$tmp/$snap" || fail "$snap has no shares"

# Esc: back to the table (it has rows for recurse and via_lib, which
# outer's view has not), the selection still on outer.
ui_keys Escape
ui_wait 'SAMPLES.*FUNCTION' 3
i=0
until ui_functions | grep -qx recurse && ui_functions | grep -qx via_lib; do
	i=$((i + 1))
	[ "$i" -lt 30 ] || ui_fail "Esc did not go back to the table (no rows for recurse and via_lib)"
	sleep 0.1
done
row=$(ui_selected_row)
[[ " $row " =~ [[:space:]]outer[[:space:]] ]] || ui_fail "back on the table, the selection is '$row', not outer"
ui_keys q
ui_wait_exit
