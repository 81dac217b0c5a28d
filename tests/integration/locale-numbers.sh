#!/bin/bash
# locale-numbers: in a German locale (decimal comma) numbers still use a
# decimal point: -d 0.5 and --window 2.5 are accepted, the csv snapshot's
# percentages are 12.34, not 12,34; the batch output keeps its English
# words (as scripts read it); the messages are German meanwhile.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=../i18n-lib.sh
. "$TESTS_SRCDIR/i18n-lib.sh"
require_de_locale
de_catalog
[ -x "$RRSTAT_DEMO" ] || fail "no demo workload at $RRSTAT_DEMO"

export LANG=$DE LANGUAGE=
unset LC_ALL
rr_run de -b --demo -d 0.5 -n 3 --window 2.5 --format csv -o de.csv
expect_rc 0
grep -q '^window: last 2.5 s$' de.out || {
	show de.out
	fail "the batch header does not say 'window: last 2.5 s'"
}
head -n 1 de.csv | grep -q '^event,binary,function,samples,self_pct,total_pct,' ||
	fail "de.csv has no csv header"
# Every row's self_pct and total_pct: digits, a point, two digits.
bad=$(awk -F, 'NR > 1 && !($5 ~ /^[0-9]+\.[0-9][0-9]$/ && $6 ~ /^[0-9]+\.[0-9][0-9]$/)' de.csv |
    grep -v '"' || true)
if [ -n "$bad" ] || [ "$(wc -l <de.csv)" -lt 2 ]; then
	show de.csv
	fail "percentages without a decimal point in de.csv: $bad"
fi
rr_run de-bad -b --demo -d 0,5 -n 1
expect_rc 2
grep -q "^rrstat-top: -d braucht eine Anzahl Sekunden über 0, nicht »0,5«$" de-bad.err || {
	show de-bad.err
	fail "no German message for -d 0,5"
}
