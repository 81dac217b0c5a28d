#!/bin/sh
# po/ in step with the code: every file that marks strings with _() or
# N_() is listed in po/POTFILES.in, every listed file exists, and xgettext
# finds the strings of the listed files.
set -eu
top=${TESTS_SRCDIR:?}/..
cd "$top"
status=0
for f in $(grep -l -E '(^|[^A-Za-z0-9_])N?_\("' src/*.c src/core/*.c src/ui/*.c 2>/dev/null); do
	if ! grep -qx "$f" po/POTFILES.in; then
		echo "po-check: $f marks strings but is not in po/POTFILES.in"
		status=1
	fi
done
while read -r f; do
	case $f in ''|'#'*) continue ;; esac
	if [ ! -f "$f" ]; then
		echo "po-check: po/POTFILES.in lists $f, which does not exist"
		status=1
	fi
done < po/POTFILES.in
if command -v xgettext >/dev/null 2>&1; then
	tmp=$(mktemp)
	trap 'rm -f "$tmp"' EXIT
	xgettext --keyword=_ --keyword=N_ --from-code=UTF-8 -o "$tmp" \
	    --files-from=po/POTFILES.in
	n=$(grep -c '^msgid "' "$tmp" || true)
	if [ "$n" -lt 50 ]; then
		echo "po-check: only $n strings found by xgettext"
		status=1
	fi
fi
exit $status
