#!/bin/bash
# jit-node: JavaScript functions are named from the perf map that
# node --perf-basic-prof writes (/tmp/perf-PID.map).  A script spends its
# time in hotLoop: a row of binary perf-PID.map whose function names
# hotLoop has more than 30 % of cpu-clock.  Skipped without node.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf
require_python
node=$(command -v node || command -v nodejs || true)
[ -n "$node" ] || skip "node is not installed"

# node leaves its map behind: remove it however the test ends.
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

cat >hot.js <<'JS'
function hotLoop(n) {
	let s = 0;
	for (let i = 0; i < n; i++)
		s = (s + i * i) % 1000003;
	return s;
}
let total = 0;
for (;;)
	total += hotLoop(1e6);
JS
start_target "$node" --perf-basic-prof hot.js
map=/tmp/perf-$TARGET_PID.map
i=0
until grep -q hotLoop "$map" 2>/dev/null; do
	kill -0 "$TARGET_PID" 2>/dev/null || fail "node exited: $(cat "$tmp/target-$TARGET_PID.out")"
	i=$((i + 1))
	[ "$i" -lt 100 ] || skip "node --perf-basic-prof wrote no hotLoop line in $map within 10 s"
	sleep 0.1
done
rr_run node -b -p "$TARGET_PID" -d 1 --duration 4 --format csv -o node.csv
expect_rc 0
csvq dump node.csv
csvq check node.csv || fail "node.csv is not a valid snapshot"
best=$(python3 - node.csv "perf-$TARGET_PID.map" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], newline=""))
        if r["event"] == "cpu-clock" and r["binary"] == sys.argv[2]
        and "hotLoop" in r["function"]]
print("%.2f" % max([float(r["self_pct"].rstrip("%")) for r in rows] or [0]))
PY
)
note "hotLoop: $best % in perf-$TARGET_PID.map (expected > 30)"
awk -v b="$best" 'BEGIN { exit !(b > 30) }' ||
	fail "no hotLoop row of perf-$TARGET_PID.map has more than 30 % (best $best %)"
stop_target "$TARGET_PID"
