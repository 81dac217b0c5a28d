#!/bin/bash
# wait-time: the wall-clock event on both samplers (--sampler ptrace, and
# --sampler perf where perf events are allowed; that half is skipped with
# a note elsewhere).  wait_read spends, by construction, 60 % of its wall
# time blocked in read on a pipe and 40 % spinning in burn, in one thread.
# With -e wait-time the rows whose csv wait column says read (the C
# library's read, where the blocked samples land) have 60 % and burn 40 %
# (+- 10 points); the text table has a WAIT column that says read on the
# read row; the json names {"syscall":"read"} in that function's wait
# list.  With -e cpu-clock the same read row has less than 5 % and burn
# more than 85 %.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ptrace-lib.sh
. "$TESTS_SRCDIR/integration/ptrace-lib.sh"
require_ptrace
require_python

# assert_between WHAT GOT WANT TOL
assert_between() {
	note "$1: $2 % (expected $3 +- $4)"
	awk -v g="$2" -v w="$3" -v t="$4" 'BEGIN { d = g - w; exit !(d <= t && -d <= t) }' ||
		fail "$1 has $2 %, expected $3 +- $4"
}

# check_text_wait OUT FUNCTION...: the last table in OUT (batch stdout)
# has a WAIT column, and the row of each FUNCTION says read besides its
# name.
check_text_wait() {
	python3 - "$@" <<'PY' || { show "$1"; fail "$1: the text table has no WAIT column saying read on the read row (above)"; }
import re, sys
out, fns = sys.argv[1], sys.argv[2:]
lines = open(out).read().split("\n")
heads = [i for i, l in enumerate(lines) if "SELF%" in l and "FUNCTION" in l]
assert heads, "no table"
h = heads[-1]
print("header:", lines[h].strip())
assert "WAIT" in lines[h].split(), "no WAIT column"
rows = []
for l in lines[h + 1:]:
    if not l.strip():
        break
    rows.append(l.split())
ok = 0
for fn in fns:
    for f in rows:
        if fn in f:
            rest = f[:f.index(fn)] + f[f.index(fn) + 1:]
            words = [w for x in rest for w in re.split(r"[^A-Za-z0-9_]+", x)]
            print("row:", " ".join(f))
            assert "read" in words, "the row of %s does not say read" % fn
            ok += 1
            break
assert ok, "no row for %s" % ", ".join(fns)
PY
}

# check_json_wait FILE: the json's wait-time functions with a read wait
# have 60 +- 10 % together, each wait entry is well formed, burn has none.
check_json_wait() {
	python3 - "$1" <<'PY' || fail "$1: the json wait lists are wrong (above)"
import json, sys
doc = json.load(open(sys.argv[1]))
ev = next(e for e in doc["events"] if e["name"] == "wait-time")
tot = 0.0
for f in ev["functions"]:
    w = f.get("wait", [])
    assert isinstance(w, list), "wait of %s is not a list" % f["function"]
    for x in w:
        assert isinstance(x.get("syscall"), str) and x["syscall"], "wait entry without a syscall: %r" % x
        assert isinstance(x.get("samples"), int) and x["samples"] > 0, "wait entry samples: %r" % x
        assert isinstance(x.get("pct"), (int, float)) and 0 <= x["pct"] <= 100.0001, "wait entry pct: %r" % x
    if any(x["syscall"] == "read" for x in w):
        print("read wait in %s (%s): self_pct %s, wait %s" % (f["function"], f["binary"], f["self_pct"], w))
        tot += float(f["self_pct"])
    if f["function"] == "burn":
        assert not any(x["syscall"] == "read" for x in w), "burn has a read wait: %r" % w
print("functions waiting in read: %.2f %%" % tot)
assert abs(tot - 60) <= 10, "functions waiting in read have %.2f %%, expected 60 +- 10" % tot
PY
}

start_target wait_read 300

samplers=ptrace
if "$TARGETS/perf_probe" 2>"$tmp/probe.err"; then
	samplers="ptrace perf"
else
	note "SKIP the perf half: perf_event_open refused here: $(head -n 1 "$tmp/probe.err")"
fi

for s in $samplers; do
	note "--sampler $s"
	rr_run "$s-wait" -b --sampler "$s" -p "$TARGET_PID" -e wait-time -d 1 -n 3 --format csv -o "$s-wait.csv"
	expect_rc 0
	waitq column "$s-wait.csv" || { show "$s-wait.csv"; fail "$s-wait.csv has no wait column"; }
	waitq dump "$s-wait.csv" wait-time
	csvq check "$s-wait.csv" || fail "$s-wait.csv is not a valid snapshot"
	assert_between "wait-time ($s): the rows waiting in read" "$(waitq pct "$s-wait.csv" wait-time read)" 60 10
	assert_pct "$s-wait.csv" wait-time burn 40 10
	rows=$(waitq rows "$s-wait.csv" wait-time read)
	printf '%s\n' "$rows" | sed 's/^/    read row: /'
	fns=()
	while IFS=$'\t' read -r fn bin _; do
		case $(basename "$bin") in
		libc[.-]*) ;;
		*) fail "wait-time ($s): a read wait in $fn of $bin, not in the C library's read" ;;
		esac
		[[ $fn =~ read ]] || fail "wait-time ($s): a read wait in $fn of $bin, not in the C library's read"
		fns+=("$fn")
	done <<<"$rows"
	check_text_wait "$s-wait.out" "${fns[@]}"

	rr_run "$s-cpu" -b --sampler "$s" -p "$TARGET_PID" -e cpu-clock -d 1 -n 3 --format csv -o "$s-cpu.csv"
	expect_rc 0
	csvq dump "$s-cpu.csv"
	csvq check "$s-cpu.csv" || fail "$s-cpu.csv is not a valid snapshot"
	for fn in "${fns[@]}"; do
		got=$(csv_pct "$s-cpu.csv" cpu-clock "$fn")
		note "cpu-clock ($s): $fn $got % (expected < 5)"
		awk -v g="$got" 'BEGIN { exit !(g < 5) }' || fail "cpu-clock ($s): $fn has $got %, expected less than 5"
	done
	assert_pct_above "$s-cpu.csv" cpu-clock burn 85

	rr_run "$s-json" -b --sampler "$s" -p "$TARGET_PID" -e wait-time -d 1 -n 3 --format json -o "$s-wait.json"
	expect_rc 0
	check_json_wait "$s-wait.json"
	assert_untraced "$TARGET_PID"
done
