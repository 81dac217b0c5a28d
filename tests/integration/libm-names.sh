#!/bin/bash
# libm-names: functions in a shared library whose symbol table was stripped
# (libm.so.6 keeps only .dynsym) get their names from its separate debug
# info under /usr/lib/debug (the .build-id path; Debian's libc6-dbg).  The
# hottest libm row of libm_work is named from it: neither [unknown] nor
# BINARY+0xSTART.  Skipped where that debug file is not installed.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf
require_python

start_target libm_work 30
libm=$(awk '$6 ~ /\/libm[.-][^\/]*$/ { print $6; exit }' "/proc/$TARGET_PID/maps")
[ -n "$libm" ] || fail "libm_work has no libm mapped"
command -v readelf >/dev/null 2>&1 || skip "readelf is needed to find libm's build-id"
id=$(readelf -n "$libm" 2>/dev/null | awk '/Build ID:/ { print $3; exit }')
[ -n "$id" ] || skip "$libm has no build-id"
debug=/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug
[ -f "$debug" ] || skip "no separate debug info for $libm ($debug; install libc6-dbg)"
note "libm: $libm, separate debug info: $debug"

rr_run names -b -p "$TARGET_PID" --duration 2 --format csv -o names.csv
expect_rc 0
csvq dump names.csv
csvq check names.csv || fail "names.csv is not a valid snapshot"
fn=$(python3 - names.csv <<'PY'
import csv, os, re, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], newline=""))
        if r["event"] == "cpu-clock" and re.match(r"libm[.-]", os.path.basename(r["binary"]))]
rows.sort(key=lambda r: int(r["samples"]), reverse=True)
print(rows[0]["function"] if rows else "")
PY
)
note "hottest function in libm: $fn"
[ -n "$fn" ] || fail "no rows in libm"
[ "$fn" != "[unknown]" ] ||
	fail "the hottest libm row is [unknown]: libm has .eh_frame and debug info in $debug, so its functions have bounds"
[[ ! $fn =~ \+0x[0-9a-fA-F]+$ ]] ||
	fail "the hottest libm row is $fn: expected its name from $debug"
[[ $fn =~ ^[A-Za-z_] ]] || fail "the hottest libm row is named '$fn'"
