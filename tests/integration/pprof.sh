#!/bin/bash
# pprof: --format csv,pprof writes the csv and the pprof snapshot of the
# same counts (FILE.csv, then FILE.pb.gz beside it), without and with call
# graphs (-g fp), with two events, and -o FILE.pb.gz alone is pprof.
# Each profile is
#   - decoded field by field by pprofdec.py (gzip, its own wire-format
#     reader): string table, ids, sample types and units, build-ids,
#     time and duration within the run, and per function the samples and
#     shares of the csv;
#   - loaded by the real client, go tool pprof -top, whose top functions
#     and totals must be the csv's (samples; with -g, cum % = total_pct).
# Only the go tool pprof part is skipped, with its reason, where go is
# not installed (Debian package golang-go); CI installs it.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf
require_python
dec=$TESTS_SRCDIR/integration/pprofdec.py

# The GNU build-id of an ELF file, in hex ("" where readelf cannot say).
build_id() {
	readelf -n "$1" 2>/dev/null | sed -n 's/^ *Build ID: *//p' | head -n 1
}

# profile NAME TARGET SOURCE [ARG...]: rrstat-top -b -p $TARGET_PID ARG...
# --format csv,pprof -o NAME.csv, both files checked by pprofdec.py.
profile() {
	local name=$1 target=$2 src=$3 t0 t1
	shift 3
	t0=$(date +%s%N)
	rr_run "$name" -b -p "$TARGET_PID" -d 0.5 -n 4 "$@" \
	    --format csv,pprof -o "$name.csv"
	t1=$(date +%s%N)
	expect_rc 0
	[ -f "$name.csv" ] || fail "$name: no $name.csv"
	[ -f "$name.pb.gz" ] || fail "$name: no $name.pb.gz beside $name.csv"
	grep -q "$name.csv, $name.pb.gz" "$name.err" ||
	    fail "$name: stderr does not name both files: $(cat "$name.err")"
	show "$name.csv"
	python3 "$dec" "$name.pb.gz" --csv "$name.csv" --binary "$target" \
	    --build-id "$(build_id "$TARGETS/$target")" --source "$src" \
	    --start "$t0" --end "$t1" "${pp_flags[@]}" ||
	    fail "$name.pb.gz does not agree with $name.csv (above)"
}

start_target work 60
pp_flags=()
profile flat work work.c
# Two events: two sample types each; the shown one (-e's first) the default.
pp_flags=(--default cpu-clock)
profile two work work.c -e cpu-clock,task-clock
stop_target "$TARGET_PID"

start_target callgraph_fp 60
pp_flags=(--stacks)
profile cg callgraph_fp callgraph.c -g fp
stop_target "$TARGET_PID"

# -o FILE.pb.gz alone is pprof; a second one goes beside it, not over it.
start_target work 60
for i in 1 2; do
	rr_run "only$i" -b -p "$TARGET_PID" -d 0.3 -n 1 -o only.pb.gz
	expect_rc 0
done
[ -f only.pb.gz ] && [ -f only-1.pb.gz ] ||
    fail "-o only.pb.gz twice: expected only.pb.gz and only-1.pb.gz, have: $(ls)"
python3 "$dec" only-1.pb.gz --dump >only.dump ||
    fail "-o only.pb.gz did not write a pprof profile"
show only.dump

if ! command -v go >/dev/null 2>&1; then
	skip "go is not installed (Debian package golang-go): the profiles were decoded and agree with the csv, but go tool pprof was not run"
fi
# Offline, and nothing written outside $tmp.
export HOME=$tmp GOCACHE=$tmp/gocache GOPATH=$tmp/gopath GOTOOLCHAIN=local \
    GOPROXY=off GOFLAGS= GOENV=off

# top NAME INDEX: go tool pprof -top of NAME.pb.gz by sample type INDEX,
# inlined frames attributed to the function they were inlined into (as
# the csv counts them), into NAME-INDEX.top.
top() {
	echo "+ go tool pprof -top -nodecount=8 -noinlines -sample_index=$2 $1.pb.gz"
	go tool pprof -top -nodecount=8 -noinlines -sample_index="$2" \
	    "$1.pb.gz" >"$1-$2.top" 2>"$1-$2.top.err" ||
	    fail "go tool pprof cannot load $1.pb.gz: $(cat "$1-$2.top.err")"
	show "$1-$2.top"
}

# compare NAME [--total]: the top functions of go tool pprof (flat in
# samples) and its total are the csv's; with --total, its cum % by
# weight is the csv's total_pct (and its flat % the csv's self_pct).
compare() {
	python3 - "$@" <<'PY' || fail "go tool pprof -top of $1.pb.gz differs from $1.csv (above)"
import csv, re, sys
name, total = sys.argv[1], "--total" in sys.argv[2:]
rows = [r for r in csv.DictReader(open(name + ".csv", newline=""))
        if r["event"] == "cpu-clock"]
want, self_pct, total_pct = {}, {}, {}
for r in rows:
    fn = r["function"]
    if fn == "[unknown]" and r["binary"] != "[anon]":
        fn = "[%s]" % r["binary"]
    want[fn] = want.get(fn, 0) + int(r["samples"])
    self_pct[fn] = float(r["self_pct"])
    total_pct[fn] = float(r["total_pct"])

def table(path):
    text = open(path).read()
    m = re.search(r"of (\d+) total", text)
    out, on = [], False
    for line in text.split("\n"):
        if re.match(r"\s*flat\s+flat%", line):
            on = True
            continue
        f = line.split(None, 5)
        if on and len(f) == 6:
            out.append((f[5], f[0], float(f[1].rstrip("%")),
                        float(f[4].rstrip("%"))))
    return (int(m.group(1)) if m else None), out

n, counts = table(name + "-cpu-clock-samples.top")
if n != sum(want.values()):
    sys.exit("total: go tool pprof says %s samples, the csv %d" %
             (n, sum(want.values())))
if len(counts) < 2:
    sys.exit("go tool pprof shows %d functions" % len(counts))
for fn, flat, _, _ in counts:
    if int(flat) != want.get(fn, 0):
        sys.exit("%s: %s samples in go tool pprof, %d in the csv" %
                 (fn, flat, want.get(fn, 0)))
hot = sorted(want, key=lambda k: -want[k])[:2]
if set(hot) != set(c[0] for c in counts[:2]):
    sys.exit("hottest two: %s in go tool pprof, %s in the csv" %
             ([c[0] for c in counts[:2]], hot))
_, shares = table(name + "-cpu-clock.top")
for fn, _, flat_pct, cum_pct in shares:
    if abs(flat_pct - self_pct.get(fn, 0)) > 0.015:
        sys.exit("%s: flat %.2f %% in go tool pprof, self_pct %.2f in the csv"
                 % (fn, flat_pct, self_pct.get(fn, 0)))
    if total and abs(cum_pct - total_pct.get(fn, 0)) > 0.015:
        sys.exit("%s: cum %.2f %% in go tool pprof, total_pct %.2f in the csv"
                 % (fn, cum_pct, total_pct.get(fn, 0)))
print("# %s: go tool pprof's top %d and total %d are the csv's" %
      (name, len(counts), n))
PY
}

for name in flat cg; do
	top "$name" cpu-clock-samples
	top "$name" cpu-clock
done
compare flat
compare cg --total
grep -q '^Type: cpu-clock$' <(go tool pprof -top -nodecount=1 flat.pb.gz 2>/dev/null) ||
    fail "go tool pprof's default sample type is not cpu-clock"
