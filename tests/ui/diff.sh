#!/bin/bash
# diff: D before any baseline says how to get one; after a freeze, D
# shows each function's share in the frozen table and since, with the
# change; b groups, / filters, d zooms by binary, w writes the diff, Esc
# and D go back to the table; unfreezing closes a diff that had only the
# freeze. With --baseline, D diffs against the file, live, and marks a
# change beyond noise with "!".
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ui-lib.sh
. "$TESTS_SRCDIR/ui/ui-lib.sh"
require_perf

start_target work 60
ui_start --no-kernel -p "$TARGET_PID"
ui_wait_top work_a 3 10
ui_keys D
ui_wait 'no baseline: freeze \(space\) first' 3
ui_keys Space
ui_wait FROZEN 3
ui_keys D
ui_wait 'diff against: the frozen table' 3
ui_wait 'BASE% +NOW% +DELTA +STATE +BINARY +FUNCTION' 3
ui_wait_top work_a 3 10
ui_wait_top work_b 3 10
# Grouped: a subtotal row for work.
ui_keys b
ui_wait ' work +\[subtotal\]' 3
ui_keys b
ui_wait_not '\[subtotal\]' 3
# Filtered down to work_b.
ui_keys / && ui_keys -l work_b && ui_keys Enter
ui_wait 'filter: work_b' 3
[ "$(ui_functions | sort -u | tr '\n' ' ')" = "work_b " ] || ui_fail "the filter did not apply to the diff: $(ui_functions | tr '\n' ' ')"
ui_keys Escape
ui_wait_not 'filter:' 3
# Zoomed into work's binary, then out.
ui_keys Home && ui_keys d
ui_wait 'zoom: work' 3
ui_keys d
ui_wait_not 'zoom:' 3
# Written as text.
cd "$tmp" || fail "cd $tmp"
ui_keys w
ui_wait 'snapshot written to .*-diff\.txt' 5
f=$(ls "$tmp"/*-diff.txt 2>/dev/null | head -1)
[ -n "$f" ] && grep -q '^baseline: the frozen table' "$f" && grep -Eq ' work +work_a$' "$f" ||
    ui_fail "the diff snapshot is wrong: $(cat "$f" 2>/dev/null)"
# D goes back to the table; unfreezing closes the diff.
ui_keys D
ui_wait_not 'diff against' 3
ui_wait 'SELF% +TOTAL%' 3
ui_keys D
ui_wait 'diff against' 3
ui_keys Space
ui_wait_not 'diff against' 5
ui_wait LIVE 3
ui_keys q
ui_wait_exit

# Against a file whose shares are the other way round: live, with "!".
cat >"$tmp/base.json" <<'JSON'
{"target":"pid 1 (work)","call_graph":"none","events":[{"name":"cpu-clock","samples":2000,"functions":[
 {"binary":"work","function":"work_a","samples":500,"self_pct":25.00,"total_pct":25.00},
 {"binary":"work","function":"work_b","samples":1500,"self_pct":75.00,"total_pct":75.00}]}]}
JSON
ui_start --size 80x24 --no-kernel -p "$TARGET_PID" --baseline "$tmp/base.json"
ui_wait_top work_a 3 10
ui_keys D
ui_wait "diff against: $tmp/base.json" 3
ui_wait '25\.00% +[0-9.]+% +\+[0-9]+\.[0-9]+! +work +work_a' 10
ui_wait '75\.00% +[0-9.]+% +-[0-9]+\.[0-9]+! +work +work_b' 10
ui_wait LIVE 3
ui_keys Escape
ui_wait_not 'diff against' 3
ui_keys q
ui_wait_exit
echo ok
