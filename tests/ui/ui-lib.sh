# shellcheck shell=bash disable=SC2016,SC2154
# tests/ui/ui-lib.sh: sourced by the screen tests (tests/ui/*.sh) after
# tests/setup.sh.  Drives the real rrstat-top in a real terminal, the way
# tmux's own regress tests do: a private tmux server (-L), a detached
# session of a known size, send-keys, capture-pane, resize-window.
#
#   ui_start [--size WxH] [--env NAME=VALUE]... ARG...
#                       runs rrstat-top ARG... in the pane; its pid is in
#                       UI_PID, its stderr in $tmp/ui.err
#   ui_keys KEY...      tmux send-keys (key names: Tab, BTab, Space, F10,
#                       Escape, BSpace, Enter, Up, Down, NPage, C-c ...)
#   ui_screen           the pane's text
#   ui_wait REGEX [SECS]     until the pane matches (grep -E), or fail
#   ui_wait_not REGEX [SECS] until it no longer matches, or fail
#   ui_table            the table's rows (below the column titles)
#   ui_functions        the FUNCTION column of those rows
#   ui_wait_exit [STATUS [SECS]]
#                       rrstat-top has exited with STATUS (default 0) and
#                       left the terminal as it found it (modes restored,
#                       screen restored, the shell behind it answers)
# The server is killed when the test exits; without tmux the test skips.

command -v tmux >/dev/null 2>&1 || skip "tmux is needed for the screen tests"

ui_runs=0
ui_sock=rrstat-ui-$$-$ui_runs
UI_WAIT=${UI_WAIT:-15}
export UI_PID=
unset TMUX TMUX_PANE

ui_sock_path=

# Kills the private server (and so everything in its pane), and removes
# its socket, which tmux leaves behind.
ui_kill_server() {
	tmux -L "$ui_sock" kill-server >/dev/null 2>&1 || true
	if [ -n "$ui_sock_path" ]; then
		rm -f "$ui_sock_path"
		ui_sock_path=
	fi
}
# shellcheck disable=SC2154
trap 'ui_status=$?; [ "$BASHPID" = "$$" ] || exit "$ui_status"; ui_kill_server; (exit "$ui_status"); cleanup' EXIT

# tmux on the private server, always UTF-8 (capture-pane output).
ui_tmux() {
	tmux -u -L "$ui_sock" "$@"
}

# The pane's text.
ui_screen() {
	ui_tmux capture-pane -p -t ui
}

# The pane's text with attributes as escape sequences.
ui_screen_attrs() {
	ui_tmux capture-pane -p -e -t ui
}

# Prints the pane into the log.
ui_show() {
	echo "--- screen ($(ui_tmux display -p -t ui '#{pane_width}x#{pane_height}' 2>/dev/null))"
	ui_screen 2>/dev/null | sed 's/^/    |/'
	if [ -s "$tmp/ui.err" ]; then
		echo "--- stderr"
		sed -n '1,30s/^/    /p' "$tmp/ui.err"
	fi
}

# Fails the test with MSG, showing the screen first.
ui_fail() {
	ui_show
	fail "$@"
}

# Fails if rrstat-top's stderr has a sanitizer report.
ui_check_sanitizers() {
	if [ -f "$tmp/ui.err" ] &&
	    grep -Eq 'ERROR: (Address|Leak|Memory|Thread)Sanitizer|runtime error:|Sanitizer:DEADLYSIGNAL' "$tmp/ui.err"; then
		cat "$tmp/ui.err" >&2
		fail "sanitizer report from rrstat-top (above)"
	fi
}

# ui_start [--size WxH] [--env NAME=VALUE]... ARG...
ui_start() {
	local w=120 h=40 envs=() term=screen i=0
	while [ $# -gt 0 ]; do
		case $1 in
		--size) w=${2%x*}; h=${2#*x}; shift 2 ;;
		--env) envs+=("$2"); shift 2 ;;
		*) break ;;
		esac
	done
	if infocmp tmux-256color >/dev/null 2>&1; then
		term=tmux-256color
	fi
	cat >"$tmp/tmux.conf" <<-EOF
	set -g default-terminal $term
	set -g status off
	set -g escape-time 0
	set -g remain-on-exit off
	EOF
	# A fresh server each time: a killed one may take a moment to go.
	ui_kill_server
	ui_runs=$((ui_runs + 1))
	ui_sock=rrstat-ui-$$-$ui_runs
	rm -f "$tmp/ui.pid" "$tmp/ui.err"
	{
		echo 'ulimit -c 0'
		echo 'stty_before=$(stty -g)'
		printf 'env'
		printf ' %q' "${envs[@]}" RRSTAT_TEST_RUN="$tmp/ui" \
		    sh -c 'echo $$ >"$0"; exec "$@"' "$tmp/ui.pid" "$RRSTAT_TOP" "$@"
		printf ' 2>%q\n' "$tmp/ui.err"
		echo 'rc=$?'
		echo 'stty_after=$(stty -g)'
		echo 'if [ "$stty_before" = "$stty_after" ]; then echo STTY=same; else echo STTY=changed; fi'
		echo 'echo EXIT=$rc'
		# A shell behind it, to show that the terminal works.
		echo 'while IFS= read -r line; do eval "$line"; done'
	} >"$tmp/ui-run.sh"
	echo "+ rrstat-top $* (${w}x${h}${envs[*]:+, ${envs[*]}})"
	ui_tmux -f "$tmp/tmux.conf" new-session -d -s ui -x "$w" -y "$h" \
	    "exec bash --norc --noprofile $tmp/ui-run.sh" ||
	    fail "cannot start tmux"
	ui_sock_path=$(ui_tmux display -p '#{socket_path}' 2>/dev/null || true)
	while [ ! -s "$tmp/ui.pid" ]; do
		i=$((i + 1))
		[ "$i" -lt 100 ] || ui_fail "rrstat-top did not start within 10 s"
		sleep 0.1
	done
	UI_PID=$(cat "$tmp/ui.pid")
}

# ui_keys KEY...: send keys to the pane.
ui_keys() {
	ui_tmux send-keys -t ui "$@"
}

# ui_wait REGEX [SECS]: wait until the pane matches REGEX.
ui_wait() {
	local rx=$1 limit=${2:-$UI_WAIT} i=0
	while ! ui_screen | grep -Eq -- "$rx"; do
		i=$((i + 1))
		if [ "$i" -ge $((limit * 10)) ]; then
			ui_fail "the screen did not show /$rx/ within $limit s"
		fi
		sleep 0.1
	done
}

# ui_wait_not REGEX [SECS]: wait until the pane no longer matches REGEX.
ui_wait_not() {
	local rx=$1 limit=${2:-$UI_WAIT} i=0
	while ui_screen | grep -Eq -- "$rx"; do
		i=$((i + 1))
		if [ "$i" -ge $((limit * 10)) ]; then
			ui_fail "the screen still shows /$rx/ after $limit s"
		fi
		sleep 0.1
	done
}

# The rows of the table (or the diff view): the lines below the column titles, above the
# status line and the key hints (the last two lines).
ui_table() {
	local h
	h=$(ui_tmux display -p -t ui '#{pane_height}')
	ui_screen | awk -v last=$((h - 2)) '
		found && NR <= last && NF > 0 { print }
		(/SAMPLES/ || /DELTA/) && /FUNCTION/ { found = 1 }'
}

# The FUNCTION column of the table's rows.
ui_functions() {
	ui_table | awk '{ print $NF }'
}

# The BINARY column of the table's function rows (not grouped).
ui_binaries() {
	ui_table | awk '{ print $(NF - 1) }'
}

# ui_top_functions N: the first N functions of the table, one line.
ui_top_functions() {
	ui_functions | head -n "$1" | tr '\n' ' '
}

# ui_wait_top FUNCTION N [SECS]: wait until FUNCTION is in the first N rows.
ui_wait_top() {
	local fn=$1 n=$2 limit=${3:-$UI_WAIT} i=0
	while ! ui_functions | head -n "$n" | grep -qx -- "$fn"; do
		i=$((i + 1))
		if [ "$i" -ge $((limit * 10)) ]; then
			ui_fail "$fn is not in the first $n rows after $limit s"
		fi
		sleep 0.1
	done
}

# ui_samples FUNCTION: the SAMPLES of FUNCTION's first row (empty if none).
ui_samples() {
	ui_table | awk -v fn="$1" '$NF == fn { for (i = 1; i <= NF; i++) if ($i ~ /%$/) p = i; print $(p + 1); exit }'
}

# ui_wait_exit [STATUS [SECS]]: rrstat-top exited with STATUS (a regex,
# default 0), and the terminal is as it was: same stty modes, the
# alternate screen left (no table on it), and the shell behind it echoes
# and answers a command.  Its stderr has no sanitizer report, unless
# UI_SANITIZER_REPORT=1 (a sanitizer reports a fatal signal on its own).
ui_wait_exit() {
	local want=${1:-0} limit=${2:-$UI_WAIT}
	ui_wait '^EXIT=[0-9]+' "$limit"
	[ "${UI_SANITIZER_REPORT:-0}" = 1 ] || ui_check_sanitizers
	ui_screen | grep -Eq "^EXIT=($want)\$" || ui_fail "rrstat-top did not exit with status $want"
	ui_screen | grep -q '^STTY=same$' || ui_fail "rrstat-top left the terminal modes changed"
	if ui_screen | grep -Eq 'SAMPLES|FUNCTION|LIVE|FROZEN'; then
		ui_fail "the table is still on the screen after rrstat-top exited"
	fi
	ui_keys 'echo "o""k"' Enter
	ui_wait '^ok$' 5
	ui_screen | grep -q '^echo "o""k"$' || ui_fail "the terminal does not echo after rrstat-top exited"
}
