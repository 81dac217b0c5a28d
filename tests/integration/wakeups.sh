#!/bin/bash
# wakeups: the profiler sleeps between refreshes. On one busy thread at
# -F 1000 without call graphs, rrstat-top -b -d 2 wakes fewer than 5
# times a second in all (voluntary context switches of all its threads,
# from 2.5 s to 6.5 s): its sampler thread waits for a perf ring to be a
# quarter full or for the refresh to flush it, not for a 100 ms poll
# (which alone made 10 a second). A count, not a time: load adds none.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf

start_target work 20
"$RRSTAT_TOP" -b -d 2 -F 1000 --duration 8 -p "$TARGET_PID" \
    </dev/null >"$tmp/wake.out" 2>"$tmp/wake.err" &
rr_pid=$!
bg_pids+=("$rr_pid")
sleep 2.5
a=$(voluntary_switches "$rr_pid")
sleep 4
b=$(voluntary_switches "$rr_pid")
rc=0
wait "$rr_pid" || rc=$?
[ "$rc" = 0 ] || { show "$tmp/wake.err"; fail "rrstat-top exited $rc"; }
read -r got lost <<<"$(awk '/^samples: /{s=$2} /^lost: /{l=$2} END {print s+0, l+0}' "$tmp/wake.out")"
note "wake-ups from 2.5 s to 6.5 s: $((b - a)); samples $got, lost $lost"
[ "$got" -gt 0 ] || { show "$tmp/wake.out"; fail "no samples"; }
[ "$lost" = 0 ] || fail "$lost samples lost"
[ $((b - a)) -lt 20 ] || fail "$((b - a)) wake-ups in 4 s: the profiler does not sleep between refreshes"
