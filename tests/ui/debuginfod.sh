#!/bin/bash
# debuginfod: on the screen, a stripped copy of work whose debug file is
# asked of a server that never answers: the table is drawn on time and the
# header says "debuginfod: fetching 1 file, N samples wait for their
# names"; q quits at once. Asked of an unreachable server (127.0.0.1:1):
# the status line says so, and the table keeps the local names
# (split_work+0x...).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ui-lib.sh
. "$TESTS_SRCDIR/ui/ui-lib.sh"
require_perf
if "$RRSTAT_TOP" --help | grep -q -- '--no-debuginfod *(not built in'; then
	skip "rrstat-top was built without libdebuginfod"
fi
command -v python3 >/dev/null 2>&1 || fail "python3 is needed for the silent server"
command -v objcopy >/dev/null 2>&1 || fail "objcopy is not installed"

split_debug work "$tmp/split_work" "$tmp/split_work.debug"
start_target "$tmp/split_work" 60
start_silent_server

ui_start --env DEBUGINFOD_URLS="http://127.0.0.1:$SILENT_PORT" \
    --env DEBUGINFOD_CACHE_PATH="$tmp/cache-silent" -d 0.5 -p "$TARGET_PID"
ui_wait 'LIVE' 5
ui_wait 'debuginfod: fetching 1 file, [0-9]+ samples? waits? for (its|their) names' 5
ui_keys q
ui_wait_exit 0 5

ui_start --env DEBUGINFOD_URLS="http://127.0.0.1:1" \
    --env DEBUGINFOD_CACHE_PATH="$tmp/cache-unreach" -d 0.5 -p "$TARGET_PID"
ui_wait 'debuginfod: no debug info for split_work' 5
ui_wait 'split_work\+0x[0-9a-f]+' 5
ui_wait_not 'debuginfod: fetching' 5
ui_keys q
ui_wait_exit
