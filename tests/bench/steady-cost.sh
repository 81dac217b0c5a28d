#!/bin/bash
# Steady-state cost of the live screen beside perf top's: both watch the
# same target at the same -F (1000) and event (cpu-clock) at the same
# time, each in its own tmux window. For each run: CPU from
# /proc/PID/task/*/schedstat between 5 s and SECS s (default 20), as a
# share of one core, and wake-ups per second (voluntary and involuntary
# context switches of all threads); the median of RUNS runs (default 3),
# which tool starts first alternating. Targets: (a) one busy thread
# (work), (b) 64 blocked threads beside one busy thread (many_threads
# 64; THREADS=N: that many, and (a) left out). Then (c) start-up, each
# tool alone: time from start to the first full screen (rrstat-top:
# header, table header, footer; perf top: its "Samples:" line) and to
# the first rows of the target's functions, by polling tmux capture-pane
# every 10 ms (resolution about that).
# Figures only: nothing here passes or fails.
# Usage: steady-cost.sh [SECS]     environment: RUNS, THREADS, RRSTAT_TOP, TARGETS
set -u
here=$(cd "$(dirname "$0")" && pwd)
rr=${RRSTAT_TOP:-$here/../../src/rrstat-top}
targets=${TARGETS:-$here/../targets}
secs=${1:-20}
runs=${RUNS:-3}
nthreads=${THREADS:-64}
case $secs$runs$nthreads in
*[!0-9]*) echo "steady-cost: SECS, RUNS and THREADS are whole numbers"; exit 2 ;;
esac
[ "$secs" -gt 6 ] || { echo "steady-cost: SECS is more than 6"; exit 2; }
[ "$runs" -ge 1 ] || runs=1
for tool in tmux perf; do
	command -v $tool >/dev/null 2>&1 || { echo "steady-cost: $tool is not installed"; exit 0; }
done
for t in work many_threads; do
	[ -x "$targets/$t" ] || { echo "steady-cost: build the targets first (make check builds them)"; exit 0; }
done
dir=$(mktemp -d)
sock=$dir/tmux.sock
target=
trap 'tmux -S "$sock" kill-server 2>/dev/null; [ -n "$target" ] && kill $target 2>/dev/null; rm -rf "$dir"' EXIT

# CPU nanoseconds and context switches of every thread of pid $1.
probe() {
	local ns=0 cs=0 a b c d
	for d in /proc/"$1"/task/*; do
		read -r a b c <"$d/schedstat" 2>/dev/null && ns=$((ns + a))
		while read -r a b; do
			case $a in *ctxt_switches:) cs=$((cs + b)) ;; esac
		done <"$d/status" 2>/dev/null
	done
	echo "$ns $cs"
}

# The median of the numbers on stdin.
median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# The pid of the process in tmux window $1.
panepid() {
	tmux -S "$sock" list-panes -t "$1" -F '#{pane_pid}' 2>/dev/null
}

# One steady run on target command "$1", rrstat-top first where $2 is 0:
# appends "rrcpu perfcpu rrwake perfwake" to $dir/steady.
steady_run() {
	local rp pp r1 p1 r2 p2 span
	$1 >/dev/null 2>&1 &
	target=$!
	sleep 0.5
	tmux -S "$sock" -f /dev/null new-session -d -x 160 -y 50 -n idle "exec sleep $((secs + 30))"
	if [ "$2" = 0 ]; then
		tmux -S "$sock" new-window -d -n rr "exec env XDG_CONFIG_HOME=/nonexistent $rr -F 1000 -p $target"
		tmux -S "$sock" new-window -d -n perf "exec perf top -F 1000 -e cpu-clock -p $target"
	else
		tmux -S "$sock" new-window -d -n perf "exec perf top -F 1000 -e cpu-clock -p $target"
		tmux -S "$sock" new-window -d -n rr "exec env XDG_CONFIG_HOME=/nonexistent $rr -F 1000 -p $target"
	fi
	sleep 1
	rp=$(panepid rr)
	pp=$(panepid perf)
	sleep 4
	read -r r1 rw1 <<<"$(probe "$rp")"
	read -r p1 pw1 <<<"$(probe "$pp")"
	sleep $((secs - 5))
	read -r r2 rw2 <<<"$(probe "$rp")"
	read -r p2 pw2 <<<"$(probe "$pp")"
	span=$((secs - 5))
	awk -v a=$((r2 - r1)) -v b=$((p2 - p1)) -v c=$((rw2 - rw1)) -v d=$((pw2 - pw1)) -v s=$span \
	    'BEGIN { printf "%.4f %.4f %.1f %.1f\n", a / s / 1e7, b / s / 1e7, c / s, d / s }' >>"$dir/steady"
	tmux -S "$sock" kill-server 2>/dev/null
	kill $target 2>/dev/null
	wait $target 2>/dev/null
	target=
}

# The steady figures of target command "$2", described by "$1".
steady() {
	: >"$dir/steady"
	for i in $(seq 1 "$runs"); do
		steady_run "$2" $((i % 2))
	done
	local rc pc rw pw
	rc=$(awk '{ print $1 }' "$dir/steady" | median)
	pc=$(awk '{ print $2 }' "$dir/steady" | median)
	rw=$(awk '{ print $3 }' "$dir/steady" | median)
	pw=$(awk '{ print $4 }' "$dir/steady" | median)
	echo "steady state, 5 to $secs s, -F 1000 cpu-clock, $1 (median of $runs runs):"
	printf '  %-11s %8.3f %% of a core %8.1f wake-ups/s\n' rrstat-top "$rc" "$rw" "perf top" "$pc" "$pw"
	awk '{ if ($2 > 0) print $1 / $2 }' "$dir/steady" | median |
	    awk -v r="$rw" -v p="$pw" '{ printf "  ratio       %8.3f x CPU   (median of the runs'"'"' ratios; goal: at most 0.33)  %.2f x wake-ups\n", $1, (p > 0 ? r / p : 0) }'
	# Each run's figures: a one-off in the window (a symbol table read,
	# perf top's own) shows here, not in the medians.
	awk '{ printf "%s %.3f/%.3f", (NR == 1 ? "  runs (% rrstat-top/perf top):" : ","), $1, $2 } END { print "" }' "$dir/steady"
}

# Milliseconds since the epoch.
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# One start-up run of tool $1 (rr or perf): appends "full rows" in ms
# (- where not seen within 10 s) to $dir/start-$1.
start_run() {
	local t0 t full=- rows=- screen cmd
	"$targets/work" 30 >/dev/null 2>&1 &
	target=$!
	sleep 0.5
	if [ "$1" = rr ]; then
		cmd="env XDG_CONFIG_HOME=/nonexistent $rr -F 1000 -p $target"
	else
		cmd="perf top -F 1000 -e cpu-clock -p $target"
	fi
	tmux -S "$sock" -f /dev/null new-session -d -x 160 -y 50 -n idle "exec sleep 60"
	t0=$(now_ms)
	tmux -S "$sock" new-window -d -n tool "exec $cmd"
	while :; do
		t=$(now_ms)
		[ $((t - t0)) -gt 10000 ] && break
		screen=$(tmux -S "$sock" capture-pane -p -t tool 2>/dev/null)
		if [ "$full" = - ]; then
			if [ "$1" = rr ]; then
				case $screen in *"pid $target"*SELF%*"q Quit"*) full=$((t - t0)) ;; esac
			else
				case $screen in *Samples:*) full=$((t - t0)) ;; esac
			fi
		fi
		case $screen in *work_[ab]*) rows=$((t - t0)); [ "$full" = - ] && full=$rows; break ;; esac
		sleep 0.01
	done
	echo "$full $rows" >>"$dir/start-$1"
	tmux -S "$sock" kill-server 2>/dev/null
	kill $target 2>/dev/null
	wait $target 2>/dev/null
	target=
}

[ -n "${THREADS:-}" ] || steady "one busy thread (work)" "$targets/work $((secs + 20))"
steady "$nthreads blocked threads and one busy (many_threads $nthreads)" "$targets/many_threads $nthreads $((secs + 20))"

: >"$dir/start-rr"
: >"$dir/start-perf"
for i in $(seq 1 "$runs"); do
	start_run rr
	start_run perf
done
echo "start-up, each alone on one busy thread (median of $runs runs, 10 ms polling):"
for tool in rr perf; do
	f=$(awk '$1 != "-" { print $1 }' "$dir/start-$tool" | median)
	r=$(awk '$2 != "-" { print $2 }' "$dir/start-$tool" | median)
	[ $tool = rr ] && name=rrstat-top || name="perf top"
	printf '  %-11s first full screen %6s ms   first rows %6s ms\n' "$name" "$f" "$r"
done
echo "  (goal for rrstat-top: a full screen under 150 ms, rows within one refresh)"
