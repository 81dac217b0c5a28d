#!/bin/sh
# The soak benchmark (make soak; not part of make check): rrstat-top in
# batch mode, without and with -g, on tests/bench/soak (threads, JIT code
# and a growing perf map, fresh libraries, execs) for SOAK_SECONDS (300)
# at SOAK_FREQ Hz (10000); every SOAK_EVERY seconds (5) each one's RSS
# (VmRSS) is printed, then its growth from the first tenth of the run to
# the end (the goal: under 10 %) and from the highest of the first tenth
# to the highest of the last, its budgets line and what the target did.
# Environment: RRSTAT_TOP, SOAK (the programs), SOAK_SECONDS, SOAK_FREQ,
# SOAK_EVERY, SOAK_LIBS (distinct libraries, 32), SOAK_EXEC (seconds
# between the target's execs, 30).
set -eu
LC_ALL=C
export LC_ALL
: "${RRSTAT_TOP:=src/rrstat-top}" "${SOAK:=tests/bench/soak}"
: "${SOAK_SECONDS:=300}" "${SOAK_FREQ:=10000}" "${SOAK_EVERY:=5}" "${SOAK_LIBS:=32}"
: "${SOAK_EXEC:=30}"

[ "$(uname -m)" = x86_64 ] || { echo "soak: x86-64 only: skipped"; exit 77; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/rrstat-soak.XXXXXX")
tpid='' p1='' p2=''
cleanup() {
	for p in $p1 $p2 $tpid; do kill "$p" 2>/dev/null || :; done
	wait 2>/dev/null || :
	[ -z "$tpid" ] || rm -f "/tmp/perf-$tpid.map"
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM

# Distinct libraries (each its own build-id): copied under new names by
# the target, each copy a binary never seen before.
i=0
while [ "$i" -lt "$SOAK_LIBS" ]; do
	cat >"$dir/soak-$i.c" <<EOF
#include <stdint.h>
const char soak_lib_id[] = "soak library $i";
uint64_t soak_lib_work(uint64_t n)
{
	volatile uint64_t x = $i;
	for (uint64_t k = 0; k < n; k++)
		x = x * $((i * 2 + 3)) + k;
	return x;
}
EOF
	gcc -O1 -g -shared -fPIC -Wl,--build-id -o "$dir/soak-$i.so" "$dir/soak-$i.c"
	i=$((i + 1))
done

# The target outlives the run (the loop below drifts); it is stopped at the end.
"$SOAK" $((SOAK_SECONDS + 120)) "$dir" "$SOAK_EXEC" >"$dir/target.out" 2>&1 &
tpid=$!
sleep 1
: >"$dir/plain.out"
: >"$dir/g.out"
"$RRSTAT_TOP" -b -d 1 -F "$SOAK_FREQ" -p "$tpid" >>"$dir/plain.out" 2>"$dir/plain.err" &
p1=$!
"$RRSTAT_TOP" -b -d 1 -g -F "$SOAK_FREQ" -p "$tpid" >>"$dir/g.out" 2>"$dir/g.err" &
p2=$!

rss() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0
}
echo "soak: $SOAK_SECONDS s at $SOAK_FREQ Hz; RSS in KB of rrstat-top -b and -b -g"
printf '%8s %10s %10s\n' seconds plain g
t=0
: >"$dir/series"
while [ "$t" -lt "$SOAK_SECONDS" ]; do
	sleep "$SOAK_EVERY"
	t=$((t + SOAK_EVERY))
	a=$(rss "$p1") b=$(rss "$p2")
	printf '%8d %10s %10s\n' "$t" "$a" "$b" | tee -a "$dir/series"
	# Keep the batch output small (appended to): only the latest report
	# matters.
	for f in plain g; do
		if [ "$(wc -c <"$dir/$f.out")" -gt 50000000 ]; then
			: >"$dir/$f.out"
		fi
	done
done
# What the last RSS is made of: anonymous memory (the heap, the rings'
# copies) and file pages mapped (the program, libraries, ELF and DWARF
# files read through mmap: page cache, given back under pressure).
for f in plain:$p1 g:$p2; do
	awk -v n="${f%%:*}" '/^RssAnon:/ { a = $2 } /^RssFile:/ { b = $2 }
	    END { printf "%s: RssAnon %d KB, RssFile %d KB\n", n, a, b }' \
	    "/proc/${f#*:}/status" 2>/dev/null || :
done
kill -INT "$p1" "$p2" 2>/dev/null || :
wait "$p1" "$p2" 2>/dev/null || :
p1='' p2=''
kill "$tpid" 2>/dev/null || :
wait "$tpid" 2>/dev/null || :

awk -v tenth=$((SOAK_SECONDS / 10)) '
	$1 <= tenth || n == 0 { a0 = $2; b0 = $3 }
	{ n++; a1 = $2; b1 = $3 }
	END {
		printf "growth from %d s to the end: plain %.1f %% (%d -> %d KB), -g %.1f %% (%d -> %d KB)\n",
		    tenth, (a1 - a0) * 100 / a0, a0, a1, (b1 - b0) * 100 / b0, b0, b1
	}' "$dir/series"
# RSS swings (big temporaries are mappings of their own): the highest in
# the first tenth against the highest in the last.
awk -v tenth=$((SOAK_SECONDS / 10)) -v last=$((SOAK_SECONDS - SOAK_SECONDS / 10)) '
	$1 <= tenth { if ($2 > a0) a0 = $2; if ($3 > b0) b0 = $3 }
	$1 > last { if ($2 > a1) a1 = $2; if ($3 > b1) b1 = $3 }
	END {
		if (a0 > 0 && b0 > 0)
			printf "peak of the first tenth to peak of the last: plain %.1f %% (%d -> %d KB), -g %.1f %% (%d -> %d KB)\n",
			    (a1 - a0) * 100 / a0, a0, a1, (b1 - b0) * 100 / b0, b0, b1
	}' "$dir/series"
for f in plain g; do
	echo "$f: the last report's budgets and samples:"
	grep -a '^budgets:' "$dir/$f.out" | tail -n 1 || :
	grep -a '^samples:' "$dir/$f.out" | tail -n 1 || :
	grep -v '^$' "$dir/$f.err" | tail -n 3 || :
done
cat "$dir/target.out"
