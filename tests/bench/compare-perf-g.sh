#!/bin/bash
# compare-perf-g: call graphs beside perf's.  For each program, attach at
# the same time, to the same process, for SECONDS:
#   perf record --call-graph dwarf          (and perf record -g for a
#   rrstat-top -b -g dwarf                   build with frame pointers,
#                                            beside rrstat-top -b -g fp)
#   perf top --stdio --call-graph dwarf     (for its CPU time and memory)
# then print the 10 functions with the largest children% in perf report
# --children, beside rrstat-top's total_pct for the same function and the
# difference in points; and the CPU time and peak RSS of each profiler.
# Prints figures only, asserts nothing (a benchmark).
#
# Usage: compare-perf-g.sh [SECONDS] [PROGRAM...]
#   SECONDS   default 5
#   PROGRAM   callgraph_fp, callgraph_nofp, callgraph_cxx_fp,
#             callgraph_cxx_nofp (tests/targets, built by make check),
#             python3 (a CPU-bound script), xz, sqlite3; default
#             callgraph_fp callgraph_nofp python3
# Environment: RRSTAT_TOP, TARGETS (as make check sets them), TOPN (10).
set -u
here=$(cd "$(dirname "$0")" && pwd)
rr=${RRSTAT_TOP:-$here/../../src/rrstat-top}
targets=${TARGETS:-$here/../targets}
secs=${1:-5}
shift || true
progs=${*:-callgraph_fp callgraph_nofp python3}
topn=${TOPN:-10}
export LC_ALL=C

if ! command -v perf >/dev/null 2>&1; then
	echo "compare-perf-g: perf is not installed (Debian package linux-perf)"
	exit 0
fi
rr_g=1
if ! "$rr" --help 2>&1 | grep -q -- '--max-stack'; then
	echo "compare-perf-g: $rr has no call graphs yet (its --help does not mention --max-stack): perf's figures only"
	rr_g=0
fi
tmp=$(mktemp -d)
pids=()
# Ends what this script started (by pid), and removes $tmp.
cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	exec 9>&- 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
# perf top reads keys from its stdin: a FIFO held open here, never written.
mkfifo "$tmp/keys"
exec 9<>"$tmp/keys"

# start PROGRAM: starts it in the background; its pid in $pid (the
# process to profile), $lead (the one started: a shell around xz), whether
# it has frame pointers in $fp (1 or 0).
start() {
	fp=0
	case $1 in
	callgraph_*)
		[ -x "$targets/$1" ] || { echo "compare-perf-g: no $targets/$1 (make check builds it)"; return 1; }
		"$targets/$1" 600 &
		case $1 in *_fp) fp=1 ;; esac
		;;
	python3)
		python3 -c '
import json
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
def churn(d):
    return json.loads(json.dumps(d))
d = {"k%d" % i: list(range(i % 40)) for i in range(3000)}
while True:
    fib(22)
    churn(d)
' &
		;;
	xz)
		head -c 32M /dev/urandom | base64 >"$tmp/text"
		sh -c 'while :; do xz -9 -T1 -c "$0" >/dev/null; done' "$tmp/text" &
		;;
	sqlite3)
		command -v sqlite3 >/dev/null 2>&1 || { echo "compare-perf-g: no sqlite3"; return 1; }
		sqlite3 :memory: "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 2000000000) SELECT count(*), sum(x*x % 7) FROM c;" >/dev/null &
		;;
	*)
		echo "compare-perf-g: unknown program $1"
		return 1
		;;
	esac
	pid=$!
	lead=$pid
	pids+=("$pid")
	sleep 0.5
	# xz runs under sh: profile the worker, not the shell.
	local child
	child=$(pgrep -P "$pid" | head -n 1)
	[ -z "$child" ] || pid=$child
	return 0
}

# usage PID...: CPU time (user + system, hundredths of a second) and peak
# RSS (kB) of each PID, sampled every 0.2 s while it runs (the last 0.2 s
# of a process may be missed), written to $tmp/usage.PID.
usage() {
	local p line f alive hwm
	while :; do
		alive=0
		for p in "$@"; do
			{ read -r line <"/proc/$p/stat"; } 2>/dev/null || continue
			alive=1
			read -r -a f <<<"${line##*) }"
			hwm=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$p/status" 2>/dev/null)
			# (an exiting process has no VmHWM any more: keep the last one)
			[ -n "$hwm" ] || continue
			echo "$(( (f[11] + f[12]) * 100 / $(getconf CLK_TCK) )) $hwm" >"$tmp/usage.$p"
		done
		[ "$alive" = 1 ] || break
		sleep 0.2
	done
}

# usage_of PID: "CPU_S RSS_MB" of the last sample of PID.
usage_of() {
	if [ -s "$tmp/usage.$1" ]; then
		awk '{ printf "%6.2f s CPU  %7.1f MB peak RSS", $1 / 100, $2 / 1024 }' "$tmp/usage.$1"
	else
		echo "(not measured)"
	fi
}

# perf_children DATA: "CHILDREN<TAB>SELF<TAB>BINARY<TAB>FUNCTION" of
# perf report --children, demangled with parameters (as rrstat-top names
# functions), most children first.
perf_children() {
	perf report -i "$1" --children --stdio --no-demangle --no-inline --sort dso,sym -g none \
	    --percent-limit 0 2>/dev/null |
	    awk '/^ *[0-9.]+% +[0-9.]+% / {
		c = $1; s = $2; sub(/%/, "", c); sub(/%/, "", s); dso = $3
		$1 = ""; $2 = ""; $3 = ""; $4 = ""; sub(/^ +/, "")
		if (dso ~ /^\[kernel/) dso = "[kernel]"
		printf "%s\t%s\t%s\t%s\n", c, s, dso, $0 }' |
	    python3 -c '
import subprocess, sys
rows = [l.rstrip("\n").split("\t") for l in sys.stdin if l.strip()]
names = [r[3] for r in rows]
try:
    out = subprocess.run(["c++filt"], input="\n".join(names) + "\n", capture_output=True,
                         text=True).stdout.split("\n")
except OSError:
    out = names
for r, n in zip(rows, out):
    print("\t".join(r[:3] + [n or r[3]]))
'
}

# side_by_side PERF_TSV RR_CSV TITLE: the top functions of perf beside
# rrstat-top's total_pct (and self_pct) for the same (binary, function).
side_by_side() {
	python3 - "$1" "$2" "$topn" "$3" <<'PY'
import csv, os, sys
perf, rrcsv, topn, title = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
rows = [l.rstrip("\n").split("\t") for l in open(perf) if l.strip()]
rr = {}
if os.path.exists(rrcsv) and os.path.getsize(rrcsv):
    for r in csv.DictReader(open(rrcsv, newline="")):
        if r.get("total_pct", "") != "":
            k = (os.path.basename(r["binary"]), r["function"])
            rr[k] = (float(r["total_pct"]), float(r["self_pct"]))
print("  %s" % title)
print("  %8s %8s | %8s %8s | %7s  %-20s %s" % ("children", "self", "total", "self", "diff", "binary", "function"))
print("  %8s %8s | %8s %8s |" % ("perf", "perf", "rrstat", "rrstat"))
for c, s, b, f in rows[:topn]:
    got = rr.get((b, f))
    if got is None:
        # perf's name without parameters, rrstat-top's with: match the prefix
        cand = [v for (rb, rf), v in rr.items() if rb == b and rf.split("(")[0].split(" ")[-1] == f.split("(")[0].split(" ")[-1]]
        got = cand[0] if len(cand) == 1 else None
    if got is None:
        print("  %7.2f%% %7.2f%% | %8s %8s | %7s  %-20.20s %s" % (float(c), float(s), "-", "-", "", b, f))
    else:
        print("  %7.2f%% %7.2f%% | %7.2f%% %7.2f%% | %+6.2f   %-20.20s %s"
              % (float(c), float(s), got[0], got[1], got[0] - float(c), b, f))
PY
}

# bg NAME COMMAND...: runs COMMAND in the background, stdout and stderr in
# $tmp/NAME.err; its pid in $bg_pid, also watched (usage) and ended on exit.
bg() {
	local name=$1
	shift
	"$@" >"$tmp/$name.err" 2>&1 &
	bg_pid=$!
	pids+=("$bg_pid")
	watch+=("$bg_pid")
}

for p in $progs; do
	start "$p" || continue
	echo "== $p (pid $pid, $secs s, -F 999)"
	watch=()
	rec_fp=
	rr_dwarf=
	rr_fp=
	rm -f "$tmp"/rr-*.csv
	bg rec-dwarf perf record -q -F 999 --call-graph dwarf -p "$pid" -o "$tmp/dwarf.data" -- sleep "$secs"
	rec_dwarf=$bg_pid
	if [ "$fp" = 1 ]; then
		bg rec-fp perf record -q -F 999 -g -p "$pid" -o "$tmp/fp.data" -- sleep "$secs"
		rec_fp=$bg_pid
	fi
	# (its output is the screen's text: only looked at for 'PerfTop:')
	perf top --stdio -F 999 --call-graph dwarf -d "$secs" -p "$pid" <&9 >"$tmp/top.out" 2>&1 &
	ptop=$!
	pids+=("$ptop")
	watch+=("$ptop")
	if [ "$rr_g" = 1 ]; then
		bg rr-dwarf "$rr" -b -F 999 -g dwarf -p "$pid" --duration "$secs" -d "$secs" \
		    --format csv -o "$tmp/rr-dwarf.csv"
		rr_dwarf=$bg_pid
		if [ "$fp" = 1 ]; then
			bg rr-fp "$rr" -b -F 999 -g fp -p "$pid" --duration "$secs" -d "$secs" \
			    --format csv -o "$tmp/rr-fp.csv"
			rr_fp=$bg_pid
		fi
	fi
	usage "${watch[@]}" &
	mon=$!
	sleep "$secs"
	sleep 0.5
	kill -INT "$ptop" 2>/dev/null
	for w in "${watch[@]}"; do
		wait "$w" 2>/dev/null
	done
	wait "$mon" 2>/dev/null
	kill "$lead" 2>/dev/null
	kill "$pid" 2>/dev/null
	wait "$lead" 2>/dev/null

	perf_children "$tmp/dwarf.data" >"$tmp/perf-dwarf.tsv"
	side_by_side "$tmp/perf-dwarf.tsv" "$tmp/rr-dwarf.csv" \
	    "perf record --call-graph dwarf | rrstat-top -g dwarf"
	if [ -n "$rec_fp" ]; then
		perf_children "$tmp/fp.data" >"$tmp/perf-fp.tsv"
		side_by_side "$tmp/perf-fp.tsv" "$tmp/rr-fp.csv" "perf record -g | rrstat-top -g fp"
	fi
	[ "$rr_g" = 1 ] && [ ! -s "$tmp/rr-dwarf.csv" ] &&
		echo "  rrstat-top -g dwarf wrote no snapshot: $(head -n 1 "$tmp/rr-dwarf.err")"
	echo "  profilers (CPU time over the $secs s, peak RSS):"
	echo "    perf record --call-graph dwarf  $(usage_of "$rec_dwarf")  (recording only; perf report is extra)"
	[ -z "$rec_fp" ] || echo "    perf record -g                  $(usage_of "$rec_fp")"
	if grep -q 'PerfTop:' "$tmp/top.out"; then
		echo "    perf top --call-graph dwarf     $(usage_of "$ptop")"
	else
		echo "    perf top --call-graph dwarf     did not run non-interactively here: $(head -n 1 "$tmp/top.out")"
	fi
	[ -z "$rr_dwarf" ] || echo "    rrstat-top -g dwarf             $(usage_of "$rr_dwarf")"
	[ -z "$rr_fp" ] || echo "    rrstat-top -g fp                $(usage_of "$rr_fp")"
	rm -f "$tmp"/usage.* "$tmp"/*.data
done
