#!/bin/bash
# json-lines: the json snapshot carries, per function, its samples per
# source line (libdw, read only when the snapshot is written): work_a's
# lines are lines of work.c inside work_a's body, hottest first, and add
# up to work_a's samples; [kernel] rows have none. And the hotline
# target's hottest line is the one marked HOT_LINE in its source.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf
require_python

start_target work 30
rr_run json -b -p "$TARGET_PID" -d 1 -n 2 --format json -o lines.json
expect_rc 0
python3 - lines.json "$TESTS_SRCDIR/targets/work.c" <<'PY' || fail "json lines are wrong (above)"
import json, re, sys
doc = json.load(open(sys.argv[1]))
src = open(sys.argv[2]).read().split("\n")
# work_a's body: from its definition line to the next line with a lone "}".
start = next(i for i, l in enumerate(src, 1) if re.match(r"^work_a\s*\(", l))
end = next(i for i, l in enumerate(src, 1) if i > start and l.startswith("}"))
ev = next(e for e in doc["events"] if e["name"] == "cpu-clock")
fa = next(f for f in ev["functions"] if f["function"] == "work_a")
lines = fa["lines"]
print("work_a body: lines %d-%d; lines: %s" % (start, end, lines))
assert lines, "work_a has no lines"
assert all(l["file"].endswith("work.c") for l in lines), "lines outside work.c"
assert all(start <= l["line"] <= end for l in lines), "lines outside work_a"
assert [l["samples"] for l in lines] == sorted((l["samples"] for l in lines), reverse=True), "not hottest first"
assert sum(l["samples"] for l in lines) == fa["samples"], "line samples do not add up"
for f in ev["functions"]:
    if f["binary"] == "[kernel]":
        assert f["lines"] == [], "a kernel row has lines"
PY

hot=$(grep -n 'HOT_LINE \*/' "$TESTS_SRCDIR/targets/hotline.c" | cut -d : -f 1)
[ -n "$hot" ] || fail "no HOT_LINE marker in hotline.c"
start_target hotline 30
rr_run hotline -b -p "$TARGET_PID" -d 1 -n 2 --format json -o hot.json
expect_rc 0
python3 - hot.json "$hot" <<'PY' || fail "hotline's hottest line in the json is not HOT_LINE (above)"
import json, sys
doc = json.load(open(sys.argv[1]))
ev = next(e for e in doc["events"] if e["name"] == "cpu-clock")
f = next(f for f in ev["functions"] if f["function"] == "hotline_loop")
print("hotline_loop lines:", f["lines"][:4])
assert f["lines"] and f["lines"][0]["file"].endswith("hotline.c")
assert f["lines"][0]["line"] == int(sys.argv[2]), "hottest line %d" % f["lines"][0]["line"]
PY
