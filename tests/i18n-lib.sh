# shellcheck shell=bash disable=SC2154
# tests/i18n-lib.sh: sourced by the tests of the German translation after
# tests/setup.sh (which sets LC_ALL=C).
#
#   require_de_locale   skip unless the locale de_DE.UTF-8 exists
#                       (data/install-deps.sh generates it); its name in DE
#   de_catalog          po/de.po compiled into $tmp/locale, the layout of
#                       an installed catalog; exports RRSTAT_TOP_LOCALEDIR
#   de_env              the environment of a German run, as NAME=VALUE
#                       words: LANG=$DE, LC_ALL and LANGUAGE empty (unset
#                       for setlocale and gettext), the catalog's directory

require_de_locale() {
	DE=$(locale -a 2>/dev/null | grep -Eix 'de_DE\.utf-?8' | head -n 1 || true)
	[ -n "$DE" ] || skip "no de_DE.UTF-8 locale here (data/install-deps.sh generates it)"
}

de_catalog() {
	command -v msgfmt >/dev/null 2>&1 || skip "msgfmt (gettext) is needed"
	mkdir -p "$tmp/locale/de/LC_MESSAGES"
	msgfmt -o "$tmp/locale/de/LC_MESSAGES/rrstat-top.mo" "$TESTS_SRCDIR/../po/de.po" ||
	    fail "msgfmt cannot compile po/de.po"
	export RRSTAT_TOP_LOCALEDIR=$tmp/locale
}

de_env() {
	echo "LANG=$DE LC_ALL= LANGUAGE= RRSTAT_TOP_LOCALEDIR=$RRSTAT_TOP_LOCALEDIR"
}
