#!/bin/bash
# config: the settings file ($XDG_CONFIG_HOME/rrstat-top/rrstat-toprc)
# sets the event, sort and order, refresh and the rest under the command
# line; each bad line is reported with its line number and ignored, never
# fatal; a file that cannot be read is ignored with a notice; --no-config
# ignores it; without XDG_CONFIG_HOME it is read from ~/.config.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf

rc_file=$XDG_CONFIG_HOME/rrstat-top/rrstat-toprc
mkdir -p "$(dirname "$rc_file")"
cat >"$rc_file" <<'RC'
# settings for the test
event = task-clock
sort=function
reverse=yes
  this line is nonsense
freq=fast
colour=no
delay=0.3
RC

start_target work 60
wait_threads "$TARGET_PID" 1

# event: $1's first table's event line; order: the line numbers of work_a
# and work_b in it.
event_of() { sed -n 's/^event: //p' "$tmp/$1.out" | head -1; }
line_of() { grep -n " $2\$" "$tmp/$1.out" | head -1 | cut -d: -f1; }

rr_run rc -b -n 2 -p "$TARGET_PID"
expect_rc 0
[ "$(event_of rc)" = task-clock ] || { show "$tmp/rc.out"; fail "the file's event=task-clock was not used"; }
a=$(line_of rc work_a) b=$(line_of rc work_b)
[ -n "$a" ] && [ -n "$b" ] && [ "$b" -lt "$a" ] ||
    { show "$tmp/rc.out"; fail "sort=function reverse=yes: work_b should come before work_a"; }
for want in "rrstat-toprc:5: not a 'key=value' setting (ignored)" \
    "rrstat-toprc:6: freq: " "rrstat-toprc:7: unknown setting 'colour' (ignored)"; do
	grep -qF "$want" "$tmp/rc.err" || { show "$tmp/rc.err"; fail "stderr lacks '$want'"; }
done
[ "$(grep -c . "$tmp/rc.err")" = 3 ] || { show "$tmp/rc.err"; fail "expected exactly the 3 ignored lines on stderr"; }

# The command line wins over the file.
rr_run cli -b -n 1 -p "$TARGET_PID" -e cpu-clock -s self
expect_rc 0
[ "$(event_of cli)" = cpu-clock ] || { show "$tmp/cli.out"; fail "-e cpu-clock did not win over the file"; }
a=$(line_of cli work_a) b=$(line_of cli work_b)
[ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ] ||
    { show "$tmp/cli.out"; fail "-s self did not win over the file's sort and order"; }

# --no-config: the defaults, nothing said.
rr_run none -b -n 1 -p "$TARGET_PID" --no-config
expect_rc 0
[ "$(event_of none)" = cpu-clock ] || fail "--no-config still used the file"
[ ! -s "$tmp/none.err" ] || { show "$tmp/none.err"; fail "--no-config: stderr not empty"; }

# A file that cannot be read: one line, and the run goes on.
mv "$rc_file" "$tmp/rc.saved"
mkdir "$rc_file"
rr_run unreadable -b -n 1 -p "$TARGET_PID"
expect_rc 0
expect_one_line_stderr
grep -q 'settings file ignored: .*not a regular file' "$tmp/unreadable.err" ||
    { show "$tmp/unreadable.err"; fail "an unreadable settings file was not reported"; }
rmdir "$rc_file"

# Without XDG_CONFIG_HOME, ~/.config.
mkdir -p "$tmp/home/.config/rrstat-top"
echo 'event=task-clock' >"$tmp/home/.config/rrstat-top/rrstat-toprc"
XDG_CONFIG_HOME='' HOME=$tmp/home rr_run home -b -n 1 -p "$TARGET_PID"
expect_rc 0
[ "$(event_of home)" = task-clock ] || fail "~/.config/rrstat-top/rrstat-toprc was not read"
echo "ok"
