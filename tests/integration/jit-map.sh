#!/bin/bash
# jit-map: JIT code is named from /tmp/perf-PID.map.  jit_fake emits two
# copies of a loop into anonymous executable memory and names them in its
# perf map as it emits them: jit_warm_loop, run for the first 1.5 s (the
# map names only it when the session first reads it), then jit_hot_loop,
# appended, run until the end.  jit_hot_loop has more than 25 % of
# cpu-clock and jit_warm_loop a share too, both in binary perf-PID.map
# (the map was read again when it grew; its malformed line is skipped).
# Without a map (nomap), the same code is binary [anon], [unknown].
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf
require_python
[ "$(uname -m)" = x86_64 ] || skip "jit_fake emits x86-64 code only"

# jit_fake removes its map when it ends, unless killed: then, this does.
map=
# Removes the map, then ends as setup.sh's cleanup does (status kept).
end_test() {
	local status=$?
	set +e
	[ -z "$map" ] || rm -f "$map"
	(exit "$status")
	cleanup
}
trap end_test EXIT

# row_pct FILE BINARY FUNCTION: self_pct of that row (0.00 if absent).
row_pct() {
	python3 - "$@" <<'PY'
import csv, sys
path, binary, function = sys.argv[1:4]
print("%.2f" % sum(float(r["self_pct"].rstrip("%"))
                   for r in csv.DictReader(open(path, newline=""))
                   if r["event"] == "cpu-clock" and r["binary"] == binary
                   and r["function"] == function))
PY
}

# expect_row FILE BINARY FUNCTION MIN: that row has more than MIN %.
expect_row() {
	local got
	got=$(row_pct "$1" "$2" "$3")
	note "$2 $3: $got % (expected > $4)"
	if ! awk -v g="$got" -v m="$4" 'BEGIN { exit !(g > m) }'; then
		csvq dump "$1" cpu-clock || true
		fail "$1: $2 $3 has $got % of cpu-clock, expected more than $4"
	fi
}

start_target jit_fake 30 1.5
map=/tmp/perf-$TARGET_PID.map
[ -f "$map" ] || fail "jit_fake wrote no $map"
rr_run jit -b -p "$TARGET_PID" -d 1 --duration 5 --format csv -o jit.csv
expect_rc 0
csvq dump jit.csv
csvq check jit.csv || fail "jit.csv is not a valid snapshot"
# About 70 % by construction (3.5 s of 5), but the phases are timed in
# wall-clock seconds while cpu-clock counts on-CPU time, so a loaded
# machine can shift it; more than 25 % still proves the map was re-read
# when it grew.
expect_row jit.csv "perf-$TARGET_PID.map" jit_hot_loop 25
expect_row jit.csv "perf-$TARGET_PID.map" jit_warm_loop 5
stop_target "$TARGET_PID"
[ ! -e "$map" ] || fail "jit_fake left $map behind"

start_target jit_fake 30 0 nomap
[ ! -e "/tmp/perf-$TARGET_PID.map" ] || skip "a stale /tmp/perf-$TARGET_PID.map is in the way"
rr_run nomap -b -p "$TARGET_PID" -d 1 -n 2 --format csv -o nomap.csv
expect_rc 0
csvq dump nomap.csv
csvq check nomap.csv || fail "nomap.csv is not a valid snapshot"
expect_row nomap.csv "[anon]" "[unknown]" 50
[ -z "$(csvq match nomap.csv cpu-clock '^jit_')" ] ||
	fail "nomap.csv names JIT code without a perf map"
stop_target "$TARGET_PID"
