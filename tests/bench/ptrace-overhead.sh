#!/bin/bash
# What a sampler costs the program it samples: spin_rate (one busy thread,
# tests/targets) counts its loop iterations per second of wall time for
# SECS seconds (default 2), alone, and as the command of rrstat-top -b
# (held before exec, so sampled from its first instruction to its end)
# with --sampler perf and --sampler ptrace, at -F 100 and -F 1000.  ROUNDS
# rounds (default 5), each running every configuration once, in turn, so
# that a change in the machine's load hits all of them alike.  Prints,
# per configuration, the median rate and the median slowdown against the
# run alone of the same round.  Figures only: nothing is asserted.
# Usage: ptrace-overhead.sh [ROUNDS [SECS]]
set -u
here=$(cd "$(dirname "$0")" && pwd)
rr=${RRSTAT_TOP:-$here/../../src/rrstat-top}
spin=${TARGETS:-$here/../targets}/spin_rate
rounds=${1:-5}
secs=${2:-2}
[ -x "$spin" ] || { echo "ptrace-overhead: build the targets first (make check builds them)"; exit 0; }
[ -x "$rr" ] || { echo "ptrace-overhead: build rrstat-top first"; exit 0; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

configs="none perf:100 ptrace:100 perf:1000 ptrace:1000"

# run CONFIG ROUND: one run; "ROUND RATE" appended to $dir/CONFIG.rates,
# or the reason it failed in $dir/CONFIG.failed.
run() {
	local c=$1 r=$2 f=$dir/${1/:/-}
	rm -f "$f.rate"
	if [ "$c" = none ]; then
		"$spin" "$secs" "$f.rate" </dev/null >/dev/null 2>"$f.err"
	else
		timeout -k 5 $((secs * 10 + 30)) "$rr" -b -d 1 --sampler "${c%:*}" -F "${c#*:}" \
		    -- "$spin" "$secs" "$f.rate" </dev/null >/dev/null 2>"$f.err"
	fi
	if [ -s "$f.rate" ]; then
		echo "$r $(cat "$f.rate")" >>"$f.rates"
	else
		echo "round $r: $(grep -v '^rrstat-top: .* exited$' "$f.err" | head -n 1)" >"$f.failed"
	fi
}

echo "sampler overhead on one busy thread (spin_rate): $rounds rounds of ${secs} s per configuration"
for r in $(seq 1 "$rounds"); do
	for c in $configs; do
		run "$c" "$r"
	done
	printf '.'
done
echo

# The median of the numbers on stdin.
median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

printf '  %-8s %6s %16s %10s %6s\n' sampler rate 'iterations/s' slowdown runs
for c in $configs; do
	f=$dir/${c/:/-}
	name=${c%:*}
	hz=${c#*:}
	[ "$c" = none ] && hz=-
	n=0
	[ -f "$f.rates" ] && n=$(wc -l <"$f.rates")
	if [ "$n" = 0 ]; then
		printf '  %-8s %6s %16s %10s %6s   %s\n' "$name" "$hz" - - 0 "failed: $(cut -c 1-90 "$f.failed" 2>/dev/null)"
		continue
	fi
	med=$(awk '{ print $2 }' "$f.rates" | median)
	if [ "$c" = none ]; then
		slow=-
	else
		# Slowdown per round against that round's run alone, then the median.
		slow=$(awk 'FNR == NR { alone[$1] = $2; next }
		    alone[$1] > 0 { printf "%.2f\n", 100 * (1 - $2 / alone[$1]) }' \
		    "$dir/none.rates" "$f.rates" 2>/dev/null | median)
		slow=${slow:+$(printf '%.1f %%' "$slow")}
	fi
	printf '  %-8s %6s %16.0f %10s %6s\n' "$name" "$hz" "$med" "${slow:--}" "$n"
done
