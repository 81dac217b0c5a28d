#!/bin/bash
# plt: samples in a PLT stub are named NAME@plt after the function it jumps
# to (read from the relocations), lazy and BIND_NOW alike.  plt_work and
# plt_work_now call labs through its stub in a tight loop: each has a
# labs@plt row of its own binary with a few per cent of the samples, and
# no row is named _init (the symbol before .plt, which would otherwise
# swallow the stubs).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf
require_python

for t in plt_work plt_work_now; do
	start_target "$t" 30
	rr_run "$t" -b -p "$TARGET_PID" -d 1 -n 2 --format csv -o "$t.csv"
	expect_rc 0
	csvq dump "$t.csv"
	csvq check "$t.csv" || fail "$t.csv is not a valid snapshot"

	# labs@plt's self_pct in rows of the target's own binary.
	pct=$(python3 - "$t.csv" "$t" <<'PY'
import csv, os, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], newline=""))
        if r["event"] == "cpu-clock" and r["function"] == "labs@plt"
        and os.path.basename(r["binary"]) == sys.argv[2]]
print("%.2f" % sum(float(r["self_pct"].rstrip("%")) for r in rows))
PY
)
	note "$t: labs@plt $pct %"
	awk -v p="$pct" 'BEGIN { exit !(p >= 1) }' ||
		fail "$t: labs@plt has $pct % of cpu-clock in $t, expected a few per cent"
	init=$(csvq match "$t.csv" '*' '^_init$')
	[ -z "$init" ] || fail "$t: a row named _init took samples (the PLT stub's?)"
	stop_target "$TARGET_PID"
done
