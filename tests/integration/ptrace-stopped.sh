#!/bin/bash
# ptrace-stopped: time the ptrace sampler could not sample is counted, not
# silently missing nor given to one sample.  rrstat-top -b --sampler
# ptrace on work (work_a 75 %, work_b 25 %) is stopped (SIGSTOP) for 5 s
# and continued: the batch output's last "lost:" line says "(N s not
# sampled)" with N between 4 and 9, the json snapshot's lost_time_s too,
# and the profile is still work's (+- 8 points: the CPU time of the gap
# is not put on the address of the next sample).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ptrace-lib.sh
. "$TESTS_SRCDIR/integration/ptrace-lib.sh"
require_ptrace
require_python

start_target work 60
rr_start gap -b --sampler ptrace -p "$TARGET_PID" -d 1 --duration 10 \
    --format json -o gap.json
wait_traced "$TARGET_PID"
sleep 2
kill -STOP "$RR_PID"
note "rrstat-top ($RR_PID) stopped for 5 s"
sleep 5
kill -CONT "$RR_PID"
rr_finish
[ "$rc" = 0 ] || { show gap.err; fail "exit status $rc, expected 0"; }
show gap.out
line=$(grep '^lost: ' gap.out | tail -n 1)
note "last: $line"
secs=$(sed -n 's/^lost: [0-9]* (\([0-9.]*\) s not sampled)$/\1/p' <<<"$line")
[ -n "$secs" ] || fail "the last lost line '$line' does not say how long was not sampled"
awk -v s="$secs" 'BEGIN { exit !(s >= 4 && s <= 9) }' ||
	fail "$secs s not sampled, expected about 5 s"
python3 - gap.json <<'EOF' || fail "gap.json: see above"
import json, sys
d = json.load(open(sys.argv[1]))
lost = d.get("lost_time_s")
if not isinstance(lost, (int, float)) or not 4 <= lost <= 9:
    sys.exit("lost_time_s is %r, expected about 5" % (lost,))
ev = [e for e in d["events"] if e["name"] == "cpu-clock"][0]
pct = {f["function"]: f["self_pct"] for f in ev["functions"]}
print("# lost_time_s %.3f; work_a %.2f %%, work_b %.2f %%" % (lost, pct.get("work_a", 0), pct.get("work_b", 0)))
for fn, want in (("work_a", 75), ("work_b", 25)):
    if abs(pct.get(fn, 0) - want) > 8:
        sys.exit("%s has %.2f %% of cpu-clock, expected %d +- 8" % (fn, pct.get(fn, 0), want))
EOF
assert_untraced "$TARGET_PID"
stop_target "$TARGET_PID"
