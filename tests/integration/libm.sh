#!/bin/bash
# libm: the libm_work target spends most of its time inside libm: more
# than 50 % of cpu-clock samples are in binary libm.so.6 (about 90 % by
# construction).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf
require_python

start_target libm_work 30
rr_run libm -b -p "$TARGET_PID" --duration 3 --format csv -o libm.csv
expect_rc 0
csvq dump libm.csv
csvq check libm.csv || fail "libm.csv is not a valid snapshot"
got=$(csvq binpct libm.csv cpu-clock '^libm[.-]')
note "cpu-clock in libm: $got %"
awk -v g="$got" 'BEGIN { exit !(g > 50) }' ||
	fail "only $got % of cpu-clock samples are in libm, expected more than 50"
