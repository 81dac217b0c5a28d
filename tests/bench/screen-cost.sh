#!/bin/bash
# The live screen's cost beside perf top's: both watch the same busy
# thread at -F 1000 at the same time, each in its own tmux window, for
# SECS seconds (default 20), start-up included, without call graphs or
# with them (MODE fp or dwarf: rrstat-top -g MODE beside perf top -g or
# --call-graph dwarf). Prints CPU time (utime + stime from /proc/PID/stat)
# and peak RSS (VmHWM) of each. Figures only.
# Usage: screen-cost.sh [SECS [MODE]]
set -u
here=$(cd "$(dirname "$0")" && pwd)
rr=${RRSTAT_TOP:-$here/../../src/rrstat-top}
work=${TARGETS:-$here/../targets}/work
secs=${1:-20}
mode=${2:-none}
case $mode in
none) rrg= perfg= ;;
fp) rrg="-g fp" perfg="-g" ;;
dwarf) rrg="-g dwarf" perfg="--call-graph dwarf" ;;
*) echo "screen-cost: MODE is none, fp or dwarf"; exit 2 ;;
esac
for tool in tmux perf; do
	command -v $tool >/dev/null 2>&1 || { echo "screen-cost: $tool is not installed"; exit 0; }
done
[ -x "$work" ] || { echo "screen-cost: build the targets first (make check builds them)"; exit 0; }
dir=$(mktemp -d)
sock=$dir/tmux.sock
"$work" $((secs + 15)) >/dev/null 2>&1 &
target=$!
trap 'tmux -S "$sock" kill-server 2>/dev/null; kill $target 2>/dev/null; rm -rf "$dir"' EXIT
sleep 0.5
tmux -S "$sock" -f /dev/null new-session -d -x 160 -y 50 -n rr \
    "exec $rr $rrg -F 1000 -p $target"
tmux -S "$sock" new-window -d -n perf "exec perf top $perfg -F 1000 -p $target"
sleep 1
rrpid=$(tmux -S "$sock" list-panes -t rr -F '#{pane_pid}')
perfpid=$(tmux -S "$sock" list-panes -t perf -F '#{pane_pid}')
sleep "$((secs - 1))"

# CPU seconds (all threads) and peak RSS in MB of pid $1.
cost() {
	local tck stat
	tck=$(getconf CLK_TCK)
	stat=$(sed 's/.*) //' "/proc/$1/stat")
	awk -v t="$tck" '{ printf "%.2f", ($12 + $13) / t }' <<<"$stat"
	printf ' '
	awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"
}
read -r rcpu rrss <<<"$(cost "$rrpid")"
read -r pcpu prss <<<"$(cost "$perfpid")"
echo "screen cost over $secs s at -F 1000 on one busy thread, call graphs: $mode:"
printf '  %-12s %8s s CPU  %8s MB peak RSS\n' rrstat-top "$rcpu" "$rrss" "perf top" "$pcpu" "$prss"
awk -v a="$rcpu" -v b="$pcpu" -v c="$rrss" -v d="$prss" \
    'BEGIN { if (b > 0 && d > 0) printf "  ratio        %8.2f x CPU %8.2f x memory (budget: at most 0.5 x both)\n", a / b, c / d }'
