#!/bin/bash
# install: `make install DESTDIR=...` of this build puts in place the
# program, the demo workload, the man page, the German catalog (which
# the installed program reads: its --help in German) and the bash and
# zsh completions (the bash one under the command's name, and working
# once sourced); `make uninstall DESTDIR=...` takes every file away.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/setup.sh"
builddir=$(cd "$(dirname "$RRSTAT_TOP")/.." && pwd)
[ -f "$builddir/Makefile" ] || skip "no configured build tree at $builddir"
dest=$tmp/root

# Not make check's make: a make of its own, told nothing by the caller's.
inst() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
	    make -s -C "$builddir" "$1" DESTDIR="$dest" >"$tmp/$1.log" 2>&1 || {
		show "$tmp/$1.log"
		fail "make $1 DESTDIR=... failed"
	}
}
inst install
(cd "$dest" && find . -type f | sort) >files
show files

# installed PATTERN: the one installed file whose path matches PATTERN.
installed() {
	local f
	f=$(grep -E -- "$1" files || true)
	if [ -z "$f" ] || [ "$(wc -l <<<"$f")" != 1 ]; then
		fail "not one installed file matches $1: '$f'"
	fi
	echo "$dest/${f#./}"
}
bin=$(installed '/bin/rrstat-top$')
demo=$(installed '/libexec/rrstat-top/rrstat-demo$')
man=$(installed '/share/man/man1/rrstat-top\.1$')
mo=$(installed '/share/locale/de/LC_MESSAGES/rrstat-top\.mo$')
bash_comp=$(installed '/bash-completion/completions/rrstat-top$')
zsh_comp=$(installed '/zsh/site-functions/_rrstat-top$')
if [ ! -x "$bin" ] || [ ! -x "$demo" ]; then
	fail "the program or the demo is not executable"
fi
"$bin" --version | grep -q '^rrstat-top ' || fail "the installed program does not run"
grep -q '^\.TH RRSTAT-TOP 1' "$man" || fail "$man is not the man page"
cmp -s "$bash_comp" "$TESTS_SRCDIR/../completions/rrstat-top.bash" ||
	fail "$bash_comp is not completions/rrstat-top.bash"
cmp -s "$zsh_comp" "$TESTS_SRCDIR/../completions/_rrstat-top" ||
	fail "$zsh_comp is not completions/_rrstat-top"
# The catalog, read by the program where it was installed.
de=$(locale -a 2>/dev/null | grep -Eix 'de_DE\.utf-?8' | head -n 1 || true)
if [ -n "$de" ]; then
	LC_ALL='' LANGUAGE='' LANG=$de RRSTAT_TOP_LOCALEDIR=${mo%/de/LC_MESSAGES/*} "$bin" --help |
	    grep -q '^Aufruf: rrstat-top' || fail "the installed catalog does not translate --help"
else
	note "no de_DE.UTF-8 locale: the installed catalog is not read"
fi
# The bash completion, as bash-completion would load it.
(
	# shellcheck source=/dev/null
	. "$bash_comp"
	complete -p rrstat-top | grep -q -- '-F _rrstat_top' || exit 1
	COMP_WORDS=(rrstat-top --sort f)
	COMP_CWORD=2
	_rrstat_top
	[ "${COMPREPLY[*]}" = function ]
) || fail "the installed bash completion does not complete"

inst uninstall
left=$(cd "$dest" && find . -type f)
[ -z "$left" ] || fail "make uninstall left: $left"
