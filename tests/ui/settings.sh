#!/bin/bash
# settings: S saves the screen's settings (event, rate, refresh, sort and
# order, window, grouping, colours, call graphs) to the settings file,
# atomically, keeping the file's own comments; the next start opens with
# them. A file that cannot be written is said in the status line and the
# screen goes on. The help screen scrolls where the key table does not
# fit (80x24): every entry can be reached.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ui-lib.sh
. "$TESTS_SRCDIR/ui/ui-lib.sh"
require_perf

rc_file=$XDG_CONFIG_HOME/rrstat-top/rrstat-toprc
start_target work 60
ui_start --no-kernel -p "$TARGET_PID"
ui_wait_top work_a 3 10
# self -> total -> samples -> function, reversed, grouped, rolling window.
ui_keys '>' && ui_wait 'sort: total' 3
ui_keys '>' && ui_wait 'sort: samples' 3
ui_keys '>' && ui_wait 'sort: function' 3
ui_keys r && ui_wait 'sort: function, reversed' 3
ui_keys b && ui_wait 'group: by binary' 3
ui_keys c && ui_wait 'window: last' 3
ui_keys S
ui_wait "settings saved to .*rrstat-toprc" 5
[ -f "$rc_file" ] || ui_fail "S did not write $rc_file"
cat "$rc_file"
for want in event=cpu-clock freq=1000 delay=1 sort=function reverse=yes \
    group=yes color=yes call-graph=none; do
	grep -qx "$want" "$rc_file" || ui_fail "$rc_file lacks $want"
done
grep -Eqx 'window=[0-9.]+' "$rc_file" && ! grep -qx 'window=0' "$rc_file" ||
    ui_fail "$rc_file lacks the rolling window's length"
ls -A "$(dirname "$rc_file")" | grep -qvx rrstat-toprc &&
    ui_fail "a temporary file was left beside $rc_file"
ui_keys q
ui_wait_exit

# The next start opens as saved; a comment of the user's stays when S
# writes again.
sed -i '1i # my own note' "$rc_file"
ui_start --no-kernel -p "$TARGET_PID"
ui_wait 'sort: function, reversed' 10
ui_wait 'group: by binary' 3
ui_wait 'window: last' 3
ui_keys r && ui_wait_not 'reversed' 3
ui_keys S
ui_wait "settings saved to" 5
grep -qx '# my own note' "$rc_file" || ui_fail "S dropped the user's comment"
grep -qx 'reverse=no' "$rc_file" || ui_fail "S did not update reverse"
[ "$(grep -c '^sort=' "$rc_file")" = 1 ] || ui_fail "a setting written twice"
ui_keys q
ui_wait_exit

# A settings file that cannot be written: said, and the screen goes on.
touch "$tmp/not-a-dir"
ui_start --size 80x24 --env XDG_CONFIG_HOME="$tmp/not-a-dir" --no-kernel -p "$TARGET_PID"
ui_wait_top work_a 3 10
ui_keys S
ui_wait 'settings not saved: cannot make' 5
ui_wait 'LIVE' 3

# The help screen at 80x24 scrolls to its last entries and back.
ui_keys h
ui_wait 'rrstat-top keys 1-[0-9]+ of [0-9]+ \(Up/Down scroll' 5
ui_screen | grep -q '^ q F10 ' && ui_fail "the help fits 80x24: this test needs a longer table"
ui_keys End
ui_wait '^ q F10 ' 3
ui_wait '^ S ' 3
ui_wait 'Columns: SELF' 3
ui_keys Home
ui_wait '^ h \? F1 ' 3
ui_keys x
ui_wait_not 'rrstat-top keys' 3
ui_wait 'SAMPLES.*FUNCTION' 3
ui_keys q
ui_wait_exit
echo ok
