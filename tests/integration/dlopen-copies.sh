#!/bin/bash
# dlopen-copies: copies of one library under fresh paths, each loaded,
# run, unloaded and deleted before its samples are resolved (dlcopy), are
# one binary named by its symbols: the perf sampler's MMAP2 records carry
# the build-id, and the copies whose files are gone are found by it.  One
# copy, keep.so, stays, and runs alone for 2 s from before the attach:
# its file gives the binary its symbols before the first of the other
# copies is resolved.  dl_hot has more than 60 % of cpu-clock; the
# copies' rows are in at most 2 binaries (one where a copy was read from
# /proc at attach), not one per copy, and at most 5 % of the samples in
# them are [unknown].
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf
require_python
lib=$TARGETS/libdlhot.so
[ -f "$lib" ] || fail "no $lib (make check builds it)"
python3 - "$lib" <<'PY' || skip "$lib has no build-id note"
import sys
sys.exit(0 if b"GNU\0" in open(sys.argv[1], "rb").read() else 1)
PY

mkdir "$tmp/copies"
start_target dlcopy "$lib" "$tmp/copies" 30 20 30 2000
i=0
until grep -q "/keep.so" "/proc/$TARGET_PID/maps"; do
	i=$((i + 1))
	[ "$i" -lt 100 ] || fail "dlcopy did not load keep.so"
	sleep 0.05
done
rr_run copies -b -p "$TARGET_PID" -d 0.25 --duration 4 --format csv -o copies.csv
expect_rc 0
csvq dump copies.csv
csvq check copies.csv || fail "copies.csv is not a valid snapshot"
# The binaries of the copies, and the share of [unknown] in them.
read -r nbin unknown < <(python3 - copies.csv <<'PY'
import csv, os, re, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], newline=""))
        if r["event"] == "cpu-clock" and
        re.fullmatch(r"(keep|copy-[0-9]+)\.so", os.path.basename(r["binary"]))]
print(len({r["binary"] for r in rows}),
      "%.2f" % sum(float(r["self_pct"].rstrip("%")) for r in rows if r["function"] == "[unknown]"))
PY
)
note "binaries of the copies: $nbin; [unknown] in them: $unknown %"
[ "$nbin" -ge 1 ] && [ "$nbin" -le 2 ] ||
	fail "the copies' samples are in $nbin binaries, expected 1 or 2"
awk -v u="$unknown" 'BEGIN { exit !(u <= 5) }' ||
	fail "$unknown % of the samples are [unknown] in the copies, expected 5 % at most"
assert_pct_above copies.csv cpu-clock dl_hot 60
stop_target "$TARGET_PID"
