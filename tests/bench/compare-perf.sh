#!/bin/bash
# Attach perf record and rrstat-top to the same busy process at the same
# time and print both top-N tables side by side. Prints figures only.
# Usage: compare-perf.sh [SECONDS] [PROGRAM...]   (programs: xz gzip bzip2 python3 sqlite3)
set -u
rr=${RRSTAT_TOP:-$(dirname "$0")/../../src/rrstat-top}
secs=${1:-5}
shift || true
progs=${*:-xz gzip bzip2 python3 sqlite3}
top=${TOPN:-8}
if ! command -v perf >/dev/null 2>&1; then
	echo "compare-perf: perf is not installed (Debian package linux-perf)"
	exit 0
fi
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
head -c 64M /dev/urandom > "$tmp/rand"
for i in 1 2 3 4 5 6 7 8; do base64 "$tmp/rand" | head -c 8M; done > "$tmp/text"

# Start one workload in the background; its pid goes to $pid.
start() {
	case $1 in
	xz) xz -9 -T1 -c "$tmp/text" > /dev/null & ;;
	gzip) sh -c 'while :; do gzip -9 -c "$0" > /dev/null; done' "$tmp/text" & ;;
	bzip2) sh -c 'while :; do bzip2 -9 -c "$0" > /dev/null; done' "$tmp/text" & ;;
	python3) python3 -c '
import hashlib, json
d = {"k%d" % i: list(range(i % 50)) for i in range(20000)}
while True:
    s = json.dumps(d); json.loads(s); hashlib.sha256(s.encode()).hexdigest()
' & ;;
	sqlite3) sh -c 'sqlite3 :memory: "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 200000000) SELECT count(*), sum(x*x % 7) FROM c;" > /dev/null' & ;;
	*) echo "compare-perf: unknown program $1"; return 1 ;;
	esac
	pid=$!
	sleep 0.5
	# gzip/bzip2/sqlite3 run under sh: profile the worker, not the shell.
	child=$(pgrep -P "$pid" | head -1)
	if [ -n "$child" ]; then
		pid=$child
	fi
	return 0
}

for p in $progs; do
	start "$p" || continue
	perf record -q -F 999 -p "$pid" -o "$tmp/perf.data" -- sleep "$secs" >/dev/null 2>&1 &
	perfpid=$!
	rm -f "$tmp/rr.csv"
	"$rr" -b -F 999 -p "$pid" --duration "$secs" -d "$secs" --format csv -o "$tmp/rr.csv" >/dev/null 2>"$tmp/rr.err"
	wait "$perfpid"
	kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
	pkill -P "$pid" 2>/dev/null
	perf report -i "$tmp/perf.data" --stdio --sort dso,sym --percent-limit 0 2>/dev/null |
	    awk '/^ *[0-9.]+%/ { pct=$1; sub("%","",pct); dso=$2; $1=""; $2=""; $3=""; sub(/^ +/,""); printf "%.2f\t%s\t%s\n", pct, dso, $0 }' |
	    sed 's/\t\[kernel.kallsyms\]\t/\t[kernel]\t/' | head -n "$top" > "$tmp/perf.top"
	python3 - "$tmp/rr.csv" "$top" > "$tmp/rr.top" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["event"] == "cpu-clock"]
rows.sort(key=lambda r: -float(r["self_pct"]))
for r in rows[:int(sys.argv[2])]:
    print("%.2f\t%s\t%s" % (float(r["self_pct"]), r["binary"], r["function"]))
PY
	unk_perf=$(perf report -i "$tmp/perf.data" --stdio --sort sym --percent-limit 0 2>/dev/null | awk '/^ *[0-9.]+%/ && ($3 ~ /^0x/ || $3 == "[unknown]") { s += $1 } END { printf "%.2f", s }')
	unk_rr=$(python3 -c '
import csv, sys
print("%.2f" % sum(float(r["self_pct"]) for r in csv.DictReader(open(sys.argv[1])) if r["event"] == "cpu-clock" and r["function"] == "[unknown]"))' "$tmp/rr.csv")
	echo "== $p (pid $pid, $secs s, -F 999): perf record | rrstat-top"
	paste "$tmp/perf.top" "$tmp/rr.top" | awk -F'\t' '{ printf "  %6s%%  %-14.14s %-28.28s | %6s%%  %-14.14s %s\n", $1, $2, $3, $4, $5, $6 }'
	echo "  unnamed samples: perf ${unk_perf}% | rrstat-top ${unk_rr}%"
	# Every function perf names in its top N: is rrstat-top's name the same?
	python3 - "$tmp/perf.top" "$tmp/rr.csv" <<'PY'
import csv, sys
rr = {r["function"] for r in csv.DictReader(open(sys.argv[2])) if r["event"] == "cpu-clock"}
named = [l.rstrip("\n").split("\t")[2] for l in open(sys.argv[1])]
named = [n for n in named if n and not n.startswith("0x") and n != "[unknown]"]
missing = [n for n in named if n not in rr]
print("  perf-named functions in its top list: %d, named the same by rrstat-top: %d%s"
      % (len(named), len(named) - len(missing), (" (differ: " + ", ".join(missing) + ")") if missing else ""))
PY
done
