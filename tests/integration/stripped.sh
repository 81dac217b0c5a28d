#!/bin/bash
# stripped: the work target linked with -s (no symbol table).  Functions
# are then found from the unwind tables and named BINARY+0xSTART, one row
# per function: the two most sampled rows are work_a's and work_b's, at
# 75 % and 25 % (+- 8 points), and no row is named work_a.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf
require_python

start_target work_stripped 30
rr_run batch -b -p "$TARGET_PID" -d 1 -n 3 --format csv -o work.csv
expect_rc 0
csvq dump work.csv
csvq check work.csv || fail "work.csv is not a valid snapshot"

# The rows of the stripped binary, most sampled first: FUNCTION<TAB>SELF_PCT.
python3 - work.csv >rows.txt <<'PY'
import csv, os, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], newline=""))
        if r["event"] == "cpu-clock" and os.path.basename(r["binary"]) == "work_stripped"]
rows.sort(key=lambda r: int(r["samples"]), reverse=True)
for r in rows:
    print("%s\t%s" % (r["function"], r["self_pct"].rstrip("%")))
PY
show rows.txt
n=$(wc -l <rows.txt)
[ "$n" -ge 2 ] || fail "$n rows for the stripped binary, expected work_a's and work_b's"
[ "$n" -le 10 ] || fail "$n rows for the stripped binary: one row per address, not per function?"
if grep -Eq $'^work_[ab]\t' rows.txt; then
	fail "a stripped binary has rows named work_a or work_b: symbols came from somewhere"
fi
IFS=$'\t' read -r f1 p1 <<<"$(sed -n 1p rows.txt)"
IFS=$'\t' read -r f2 p2 <<<"$(sed -n 2p rows.txt)"
for f in "$f1" "$f2"; do
	[[ $f =~ (^|/)work_stripped\+0x[0-9a-fA-F]+$ ]] ||
		fail "row '$f' is not named work_stripped+0xSTART"
done
[ "$f1" != "$f2" ] || fail "the two hottest rows have the same name"
awk -v a="$p1" -v b="$p2" 'BEGIN { exit !(a >= 67 && a <= 83 && b >= 17 && b <= 33) }' ||
	fail "the two hottest functions have $p1 % and $p2 %, expected 75 and 25 (+- 8)"
