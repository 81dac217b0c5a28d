#!/bin/bash
# columns: --columns in batch mode prints one table with a share column
# per event (cpu-clock, page-faults, context-switches) keyed by function;
# -o csv carries the same columns; where cycles and instructions fall
# back (no PMU here), the IPC column says so instead of numbers; where
# the PMU exists, IPC has numbers.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf
require_python

start_target faults 60
wait_threads "$TARGET_PID" 1
rr_run cols -b -n 2 -d 1 --columns -e cpu-clock,page-faults,context-switches \
    -p "$TARGET_PID" --format csv -o "$tmp/c.csv"
expect_rc 0
show "$tmp/cols.out"
grep -q '^events: cpu-clock,page-faults,context-switches$' "$tmp/cols.out" ||
    fail "the columns table does not name its events"
grep -Eq '^ +cpu-clock +page-faults +context-switches +BINARY +FUNCTION$' "$tmp/cols.out" ||
    fail "no columns table on stdout"
[ "$(grep -c '^events:' "$tmp/cols.out")" = 2 ] || fail "expected one columns table per refresh"
python3 - "$tmp/c.csv" <<'PY' || fail "the columns csv is wrong (above)"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
cols = ["binary", "function", "cpu-clock_pct", "cpu-clock_samples",
        "page-faults_pct", "page-faults_samples",
        "context-switches_pct", "context-switches_samples"]
assert list(rows[0].keys()) == cols, list(rows[0].keys())
for ev in ("cpu-clock", "page-faults"):
    total = sum(float(r[ev + "_pct"]) for r in rows)
    assert 99 <= total <= 101, (ev, total)
    assert any(int(r[ev + "_samples"]) > 0 for r in rows), ev
# One row per function: no (binary, function) twice.
keys = [(r["binary"], r["function"]) for r in rows]
assert len(keys) == len(set(keys)), "a function on two rows"
print("csv ok:", len(rows), "rows")
PY

# IPC: numbers with a PMU, else why not.
rr_run ipc -b -n 1 -d 1 --columns -e cycles,instructions -p "$TARGET_PID"
expect_rc 0
if [ "$(have_pmu)" = 0 ]; then
	grep -Eq ' IPC ' "$tmp/ipc.out" && ! grep -q 'no PMU' "$tmp/ipc.out" ||
	    fail "with a PMU, IPC should have numbers"
else
	grep -q '^IPC: no numbers: its hardware events fell back to cpu-clock (no PMU)$' "$tmp/ipc.out" ||
	    fail "without a PMU, the IPC column should say why it has no numbers"
	grep -Eq 'no PMU +[^ ]+ +[^ ]+$' "$tmp/ipc.out" || fail "the IPC cells should say 'no PMU'"
fi
echo ok
