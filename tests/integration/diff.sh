#!/bin/bash
# diff: --baseline FILE diffs the live profile against a json snapshot.
# Batch mode prints the diff table (BASE%, NOW%, DELTA with "!" beyond
# sampling noise, new/gone); -o csv and json carry base_pct, now_pct,
# delta_pp, significant and state; a snapshot written by -o json loads
# as a baseline; a bad file is a usage error on one line.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf
require_python

start_target work 60
wait_threads "$TARGET_PID" 1

# The target runs work_a 75 % and work_b 25 %; the baseline says the
# other way round, and had a function that is gone now.
cat >"$tmp/base.json" <<'JSON'
{"target":"pid 1 (work), 1 thread","sampler":"perf","call_graph":"none",
 "window":"cumulative","time":"2026-12-01T10:00:00+00:00","events":[
 {"name":"cpu-clock","samples":2000,"lost":0,"functions":[
  {"binary":"work","function":"work_a","samples":500,"self_pct":25.00,"total_pct":25.00,"address":null},
  {"binary":"work","function":"work_b","samples":1300,"self_pct":65.00,"total_pct":65.00,"address":null},
  {"binary":"work","function":"old_hot","samples":200,"self_pct":10.00,"total_pct":10.00,"address":null}]}]}
JSON

rr_run text -b -n 2 -d 1 --no-kernel -p "$TARGET_PID" --baseline "$tmp/base.json"
expect_rc 0
show "$tmp/text.out"
grep -q "^baseline: $tmp/base.json (pid 1 (work), 1 thread, 2026-12-01T10:00:00+00:00, 2000 samples)" "$tmp/text.out" ||
    fail "the batch diff does not name its baseline"
grep -Eq '^ *BASE% +NOW% +DELTA +STATE +BASE +NOW +BINARY +FUNCTION' "$tmp/text.out" ||
    fail "the batch diff has no diff table"
# work_a: 25 % -> about 75 %: +50 points, beyond noise; work_b -40.
last=$(awk '/^baseline:/ { n++ } n == 2' "$tmp/text.out")
awk '$NF == "work_a" { d = $3; sub(/!$/, "", d); if (d + 0 < 40 || $3 !~ /!$/) exit 1; f = 1 } END { exit !f }' <<<"$last" ||
    fail "work_a should be about +50 points, marked !"
awk '$NF == "work_b" { d = $3; sub(/!$/, "", d); if (d + 0 > -30 || $3 !~ /!$/) exit 1; f = 1 } END { exit !f }' <<<"$last" ||
    fail "work_b should be about -40 points, marked !"
grep -Eq -- '-10\.00! +gone +200 +0 +work +old_hot$' <<<"$last" ||
    fail "old_hot should be gone, -10 points"
# Sorted by the size of the change: work_a first.
[ "$(awk 'f && NF { print $NF; exit } /BASE%/ { f = 1 }' <<<"$last")" = work_a ] ||
    fail "the largest change should come first"

# csv and json snapshots of the diff.
rr_run csv -b -n 1 -d 1 --no-kernel -p "$TARGET_PID" --baseline "$tmp/base.json" --format csv -o "$tmp/d.csv"
expect_rc 0
python3 - "$tmp/d.csv" <<'PY' || fail "the csv diff is wrong (above)"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
need = {"event", "binary", "function", "base_pct", "now_pct", "delta_pp", "significant", "state"}
assert need <= set(rows[0]), rows[0].keys()
by = {r["function"]: r for r in rows}
a = by["work_a"]
assert float(a["base_pct"]) == 25.0 and float(a["delta_pp"]) > 40 and a["significant"] == "1", a
assert abs(float(a["now_pct"]) - float(a["base_pct"]) - float(a["delta_pp"])) < 0.02, a
assert by["old_hot"]["state"] == "gone" and float(by["old_hot"]["now_pct"]) == 0, by["old_hot"]
print("csv ok:", len(rows), "rows")
PY
rr_run json -b -n 1 -d 1 --no-kernel -p "$TARGET_PID" --baseline "$tmp/base.json" --format json -o "$tmp/d.json"
expect_rc 0
python3 - "$tmp/d.json" "$tmp/base.json" <<'PY' || fail "the json diff is wrong (above)"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["baseline"]["path"] == sys.argv[2], d["baseline"]
ev = d["events"][0]
assert ev["name"] == "cpu-clock" and ev["base_samples"] == 2000 and ev["now_samples"] > 0, ev
by = {f["function"]: f for f in ev["functions"]}
assert by["work_a"]["significant"] is True and by["work_a"]["delta_pp"] > 40, by["work_a"]
assert by["old_hot"]["state"] == "gone", by["old_hot"]
print("json ok")
PY

# A snapshot written by -o json loads as a baseline: the same process
# a moment later, so no row of the target itself is new or gone.
rr_run snap -b -n 1 -d 1 --no-kernel -p "$TARGET_PID" --format json -o "$tmp/snap.json"
expect_rc 0
rr_run again -b -n 1 -d 1 --no-kernel -p "$TARGET_PID" --baseline "$tmp/snap.json"
expect_rc 0
grep -Eq ' work +work_a$' "$tmp/again.out" || fail "a written snapshot did not diff"
grep -E ' work +work_[ab]$' "$tmp/again.out" | grep -Eq ' (new|gone) ' &&
    fail "work_a/work_b cannot be new or gone against a snapshot of the same process"

# With call graphs, TOTAL% changes too: a -g snapshot against -g now.
stop_target "$TARGET_PID"
start_target callgraph_fp 60
rr_run cgsnap -b -n 1 -d 1 -g fp --no-kernel -p "$TARGET_PID" --format json -o "$tmp/cg.json"
expect_rc 0
rr_run cgdiff -b -n 1 -d 1 -g fp --no-kernel -p "$TARGET_PID" --baseline "$tmp/cg.json" --format csv -o "$tmp/cg.csv"
expect_rc 0
python3 - "$tmp/cg.csv" <<'PY' || fail "the call-graph diff lacks TOTAL changes (above)"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
by = {r["function"]: r for r in rows}
# main holds every stack: about 100 % TOTAL on both sides.
m = by["main"]
assert float(m["base_total_pct"]) > 90 and float(m["now_total_pct"]) > 90, m
assert m["significant_total"] in ("0", "1") and m["delta_total_pp"] != "", m
print("call-graph csv ok")
PY
grep -q 'TOTAL-DELTA' "$tmp/cgdiff.out" || fail "the batch diff with -g has no TOTAL-DELTA column"

# Bad baselines: one line, exit 2.
printf '{"events": [1, 2' >"$tmp/bad.json"
echo '{"a": 1}' >"$tmp/foreign.json"
echo '{"events":[{"name":"page-faults","samples":1,"functions":[]}]}' >"$tmp/other.json"
for f in "$tmp/missing.json:No such file" "$tmp/bad.json:line 1, column 17" \
    "$tmp/foreign.json:not an rrstat-top json snapshot" \
    "$tmp/other.json:has none of the events asked for" "$tmp:not a regular file"; do
	rr_run bad -b -n 1 -p "$TARGET_PID" --baseline "${f%%:*}"
	expect_rc 2
	expect_one_line_stderr
	grep -q -- "${f#*:}" "$tmp/bad.err" || { show "$tmp/bad.err"; fail "--baseline ${f%%:*}: expected '${f#*:}'"; }
done
echo ok
