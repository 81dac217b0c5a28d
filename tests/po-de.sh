#!/bin/bash
# po/de.po is complete and in step with the code: msgfmt --check accepts
# it and counts every message translated (none fuzzy, none untranslated);
# it holds exactly the messages xgettext finds in the sources now (a new
# or changed string, or a stale one, fails: make update-po, then
# translate; README, Translating); po/rrstat-top.pot, where present, holds
# the same; po/LINGUAS names de.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/setup.sh"
for t in msgfmt xgettext msgcmp msgattrib; do
	command -v "$t" >/dev/null 2>&1 || skip "$t (gettext) is needed"
done
top=$TESTS_SRCDIR/..
po=$top/po/de.po

grep -qx de "$top/po/LINGUAS" || fail "po/LINGUAS does not name de"
msgfmt --check --statistics -o "$tmp/de.mo" "$po" 2>"$tmp/stats" || {
	show "$tmp/stats"
	fail "msgfmt --check rejects po/de.po"
}
note "po/de.po: $(cat "$tmp/stats")"
grep -Eqx '[0-9]+ translated messages?\.' "$tmp/stats" ||
	fail "po/de.po has fuzzy or untranslated messages: $(cat "$tmp/stats")"

# The messages of the sources today, as po/Makevars extracts them.
opts=$(sed -n 's/^XGETTEXT_OPTIONS *= *//p' "$top/po/Makevars")
# shellcheck disable=SC2086
(cd "$top" && xgettext $opts --files-from=po/POTFILES.in -o "$tmp/now.pot") ||
	fail "xgettext cannot read the sources of po/POTFILES.in"
msgattrib --no-obsolete -o "$tmp/active.po" "$po"
# Every message of the sources is in de.po, and every one of de.po in
# the sources.
msgcmp --use-untranslated "$tmp/active.po" "$tmp/now.pot" 2>"$tmp/cmp" || {
	show "$tmp/cmp"
	fail "po/de.po lacks messages of the sources: make update-po, then translate them"
}
msgcmp --use-untranslated "$tmp/now.pot" "$tmp/active.po" 2>"$tmp/cmp" || {
	show "$tmp/cmp"
	fail "po/de.po has messages the sources no longer have: make update-po"
}
n=$(msgattrib --no-obsolete "$tmp/now.pot" | grep -c '^msgid ' || true)
note "$((n - 1)) messages in the sources, all translated"
if [ -f "$top/po/rrstat-top.pot" ]; then
	if ! msgcmp --use-untranslated "$top/po/rrstat-top.pot" "$tmp/now.pot" 2>"$tmp/cmp" ||
	    ! msgcmp --use-untranslated "$tmp/now.pot" "$top/po/rrstat-top.pot" 2>"$tmp/cmp"; then
		show "$tmp/cmp"
		fail "po/rrstat-top.pot is not in step with the sources: make update-po"
	fi
fi
