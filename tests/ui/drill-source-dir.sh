#!/bin/bash
# drill-source-dir: the line view shows source text found under
# --source-dir when the file is gone from its DWARF path. The hotline
# target is built from a copy of its source in a temporary directory,
# which is then removed: without --source-dir the line view has no text;
# with --source-dir DIR (DIR holding the file under the tail of its old
# path) the HOT_LINE text is back.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ui-lib.sh
. "$TESTS_SRCDIR/ui/ui-lib.sh"
require_perf
command -v "${CC:-cc}" >/dev/null 2>&1 || skip "no C compiler"

hot=$(grep -n 'HOT_LINE \*/' "$TESTS_SRCDIR/targets/hotline.c" | cut -d : -f 1)
mkdir -p "$tmp/build/proj/src" "$tmp/moved/proj/src"
cp "$TESTS_SRCDIR/targets/hotline.c" "$tmp/build/proj/src/hotline.c"
(cd "$tmp/build" && "${CC:-cc}" -O1 -g -o "$tmp/hotline" proj/src/hotline.c) ||
	skip "cannot build the hotline copy"
mv "$tmp/build/proj/src/hotline.c" "$tmp/moved/proj/src/hotline.c"
rm -rf "$tmp/build"

start_target "$tmp/hotline" 60
ui_start --no-color -p "$TARGET_PID"
ui_wait_top hotline_loop 1 10
ui_keys l
ui_wait 'hotline_loop  in hotline  source lines' 5
sleep 1
if ui_screen | grep -q "HOT_LINE"; then
	ui_fail "source text shown although the file is gone"
fi
ui_keys Escape
ui_keys q
ui_wait_exit

ui_start --no-color -p "$TARGET_PID" --source-dir "$tmp/moved"
ui_wait_top hotline_loop 1 10
ui_keys l
ui_wait 'hotline_loop  in hotline  source lines' 5
ui_wait "hotline\\.c:$hot +.*HOT_LINE" 5
ui_keys q
ui_wait_exit
