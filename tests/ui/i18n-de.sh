#!/bin/bash
# i18n-de: the screen in German at 80x24 (LANG=de_DE.UTF-8, LANGUAGE
# unset): the header's labels, the column titles, the footer's hints
# (most of them still fit), the frozen badge, a status message and the
# help screen are translated, and no English label is left.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ui-lib.sh
. "$TESTS_SRCDIR/ui/ui-lib.sh"
# shellcheck source=../i18n-lib.sh
. "$TESTS_SRCDIR/i18n-lib.sh"
require_de_locale
de_catalog
[ -x "$RRSTAT_DEMO" ] || fail "no demo workload at $RRSTAT_DEMO"

envs=()
for e in $(de_env); do
	envs+=(--env "$e")
done
ui_start --size 80x24 "${envs[@]}" --demo
ui_wait 'Ereignis: cpu-clock'
ui_wait 'FUNKTION'
ui_show
screen=$(ui_screen)
for want in 'Sampler:' 'Rate:' 'Samples:' 'verloren:' 'Fenster: kumulativ' \
    'Sortierung:' 'LIVE' '▼EIGEN%' 'INKL%' 'MODUL'; do
	grep -qF -- "$want" <<<"$screen" || ui_fail "no '$want' on the German screen"
done
# One thread at first, then more: singular and plural are German.
grep -Eq '\(rrstat-demo\), [0-9]+ Threads?  Sampler:' <<<"$screen" ||
	ui_fail "no German thread count on the German screen"
# The footer: the last line, its hints in German; at 80 columns it keeps
# at least six of them, quit last.
footer=$(tail -n 1 <<<"$screen")
for want in 'h Hilfe' 'TAB Ereignis' 'Leertaste Einfrieren' '/ Filter' 'q Beenden'; do
	grep -qF -- "$want" <<<"$footer" || ui_fail "no '$want' in the footer: $footer"
done
[[ $footer == *'q Beenden' ]] || ui_fail "the footer does not end with 'q Beenden': $footer"
if grep -Eq 'event:|samples:|window:|sort:|SELF%|TOTAL%|BINARY|FUNCTION|Help|Quit|Freeze' <<<"$screen"; then
	ui_fail "English labels left on the German screen"
fi

ui_keys Space
ui_wait 'EINGEFROREN, seitdem [0-9]+ Samples?'
ui_keys z
ui_wait 'Zähler auf null gesetzt'
ui_keys h
# At 80x24 the key table does not fit: the help scrolls.
ui_wait 'Tasten von rrstat-top [0-9]+-[0-9]+ von [0-9]+ \(Auf/Ab blättern, jede andere Taste schließt\)'
ui_wait 'Umschalt-TAB E +vorheriges Ereignis'
ui_keys x
ui_wait_not 'Tasten von rrstat-top'
ui_keys q
ui_wait_exit
