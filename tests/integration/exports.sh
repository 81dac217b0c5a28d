#!/bin/bash
# exports: each snapshot format, written with -o, from the same target.
#   text    key: value header (target, event, sampler, window, samples, lost,
#           time), a blank line, then the table with every row
#   json    one object: target, events[] with name, samples, lost and
#           functions[] (binary, function, samples, self_pct, total_pct,
#           address, lines[])
#   csv     RFC 4180, the contract's columns, sane values
#   folded  'frame;frame COUNT' lines
# Without --format, -o FILE.json and FILE.csv write the format their
# extension names.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf
require_python

start_target work 30
pid=$TARGET_PID
for fmt in text json csv folded; do
	rr_run "$fmt" -b -p "$pid" -d 0.5 -n 3 --format "$fmt" -o "snap.$fmt"
	expect_rc 0
	[ -f "snap.$fmt" ] || fail "--format $fmt: no snap.$fmt"
	[ ! -L "snap.$fmt" ] || fail "--format $fmt: snap.$fmt is a symbolic link"
done

show snap.text
python3 - snap.text "$pid" <<'PY' || fail "snap.text does not follow the text format"
import re, sys
path, pid = sys.argv[1], sys.argv[2]
lines = open(path).read().split("\n")
if "" not in lines:
    sys.exit("no blank line after the header")
blank = lines.index("")
head = {}
for l in lines[:blank]:
    m = re.match(r"([a-z][a-z _-]*):\s?(.*)$", l)
    if not m:
        sys.exit("header line %r is not 'key: value'" % l)
    head[m.group(1)] = m.group(2)
missing = [k for k in ("target", "event", "sampler", "window", "samples", "lost", "time")
           if k not in head]
if missing:
    sys.exit("header lacks " + ", ".join(missing))
for k in ("samples", "lost"):
    if not re.match(r"\s*[0-9]", head[k]):
        sys.exit("%s: %r does not start with a count" % (k, head[k]))
if pid not in head["target"]:
    sys.exit("target: %r does not name pid %s" % (head["target"], pid))
if "cpu-clock" not in head["event"]:
    sys.exit("event: %r does not name cpu-clock" % head["event"])
table = [l for l in lines[blank + 1:] if l.strip()]
for fn in ("work_a", "work_b"):
    if not any(re.search(r"(^|\s)%s(\s|$)" % fn, l) for l in table):
        sys.exit("no table row for " + fn)
PY

show snap.json
python3 - snap.json <<'PY' || fail "snap.json does not follow the json format"
import json, re, sys
d = json.load(open(sys.argv[1]))
def num(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)
def count(x):
    return isinstance(x, int) and not isinstance(x, bool) and x >= 0
if not isinstance(d, dict) or "target" not in d or not isinstance(d.get("events"), list):
    sys.exit("not an object with target and events[]")
if not d["events"]:
    sys.exit("events[] is empty")
for e in d["events"]:
    if not isinstance(e.get("name"), str) or not count(e.get("samples")) \
            or not count(e.get("lost")) or not isinstance(e.get("functions"), list):
        sys.exit("event %r lacks name, samples, lost or functions[]" % {k: e.get(k) for k in ("name", "samples", "lost")})
    total = 0.0
    for f in e["functions"]:
        for k in ("binary", "function"):
            if not isinstance(f.get(k), str) or not f[k]:
                sys.exit("%s: a function has no %s" % (e["name"], k))
        if not count(f.get("samples")) or not num(f.get("self_pct")):
            sys.exit("%s: %s: samples or self_pct is not a number" % (e["name"], f["function"]))
        if f.get("total_pct") is not None and not num(f["total_pct"]):
            sys.exit("%s: %s: total_pct is not a number" % (e["name"], f["function"]))
        if "address" not in f or not (f["address"] is None or isinstance(f["address"], str)
                                      and re.fullmatch(r"(0x[0-9a-fA-F]+)?", f["address"])):
            sys.exit("%s: %s: address %r" % (e["name"], f["function"], f.get("address")))
        if not isinstance(f.get("lines"), list):
            sys.exit("%s: %s: no lines[]" % (e["name"], f["function"]))
        for l in f["lines"]:
            if not isinstance(l, dict) or not {"file", "line", "samples"} <= set(l):
                sys.exit("%s: %s: a line lacks file, line or samples" % (e["name"], f["function"]))
        total += f["self_pct"]
    if e["functions"] and abs(total - 100) > 3:
        sys.exit("%s: self_pct adds up to %.2f" % (e["name"], total))
cpu = [e for e in d["events"] if e["name"] == "cpu-clock"]
if len(cpu) != 1:
    sys.exit("not one cpu-clock event")
pct = sum(f["self_pct"] for f in cpu[0]["functions"] if f["function"] == "work_a")
if abs(pct - 75) > 8:
    sys.exit("work_a has %.2f %% of cpu-clock, expected 75 +- 8" % pct)
PY

csvq dump snap.csv
check_work_profile snap.csv

show snap.folded
python3 - snap.folded <<'PY' || fail "snap.folded does not follow the folded format"
import re, sys
total, hot = 0, 0
for n, l in enumerate(open(sys.argv[1]).read().splitlines(), 1):
    if not l:
        continue
    m = re.fullmatch(r"(.+) ([0-9]+)", l)
    if not m:
        sys.exit("line %d: %r is not 'frame;frame COUNT'" % (n, l))
    frames = m.group(1).split(";")
    if any(not f for f in frames):
        sys.exit("line %d: an empty frame" % n)
    total += int(m.group(2))
    if "work_a" in frames:
        hot += int(m.group(2))
if total == 0 or hot == 0:
    sys.exit("no samples, or none in work_a")
PY

# -o alone: the extension names the format.
rr_run ext-json -b -p "$pid" -d 0.3 -n 1 -o ext.json
expect_rc 0
python3 -c 'import json, sys; json.load(open(sys.argv[1]))' ext.json ||
	{ show ext.json; fail "-o ext.json without --format wrote no json"; }
rr_run ext-csv -b -p "$pid" -d 0.3 -n 1 -o ext.csv
expect_rc 0
head -n 1 ext.csv | grep -q '^event,binary,function,samples,' ||
	{ show ext.csv; fail "-o ext.csv without --format wrote no csv"; }
