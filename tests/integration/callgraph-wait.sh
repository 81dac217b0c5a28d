#!/bin/bash
# callgraph-wait: -e wait-time -g dwarf on wait_read, which spends 60 % of
# its wall time blocked in read (called from wait_here) and 40 % spinning
# in burn, both called from main.  A blocked thread's stack is known only
# by its stack pointer and pc (/proc/PID/task/TID/syscall), from which the
# unwind tables of the C library's read reach wait_here; its folded stacks
# end in the system call's leaf [read].  With the ptrace sampler, and with
# perf where perf events are allowed (that half is skipped with a note
# elsewhere): the stacks that end in [read] have 60 +- 10 % of the samples
# and 90 % or more of them hold wait_here; those that hold burn have
# 40 +- 10 %, and 90 % or more of them hold main;burn (a running thread's
# stack is complete).  The tolerance is wait-time.sh's: a wall-clock
# sampler on a loaded machine sees the timer that ends each wait late, now
# and then.
# Fails where rrstat-top has no call graphs (no --max-stack in --help).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ptrace-lib.sh
. "$TESTS_SRCDIR/integration/ptrace-lib.sh"
# shellcheck source=callgraph-lib.sh
. "$TESTS_SRCDIR/integration/callgraph-lib.sh"
require_callgraph
require_ptrace
require_python

start_target wait_read 300
samplers=ptrace
if "$TARGETS/perf_probe" 2>"$tmp/probe.err"; then
	samplers="ptrace perf"
else
	note "SKIP the perf half: perf_event_open refused here: $(head -n 1 "$tmp/probe.err")"
fi
for s in $samplers; do
	rr_run "$s-wait" -b --sampler "$s" -p "$TARGET_PID" -e wait-time -g dwarf -d 0.5 -n 6 \
	    --format folded -o "$s-wait.folded"
	expect_rc 0
	cg_header_is "$s-wait" 'dwarf(,? .*)?'
	python3 - "$s-wait.folded" <<'PY' || { show "$s-wait.folded"; fail "wait-time -g dwarf ($s): the stacks are wrong (above)"; }
import re, sys
lines = []
for l in open(sys.argv[1]).read().splitlines():
    m = re.fullmatch(r"(.+) ([0-9]+)", l)
    assert m, "%r is not 'frame;frame COUNT'" % l
    lines.append((m.group(1).split(";"), int(m.group(2))))
n = sum(c for _, c in lines)
assert n >= 300, "only %d samples" % n
def share(sel):
    return 100.0 * sum(c for f, c in lines if sel(f)) / n
def within(sel, cond):
    k = sum(c for f, c in lines if sel(f))
    return 100.0 * sum(c for f, c in lines if sel(f) and cond(f)) / k if k else 0.0
def run(f, seq):
    return any(f[i:i + len(seq)] == seq for i in range(len(f)))
blocked = lambda f: f[-1] == "[read]"
busy = lambda f: "burn" in f
r, b = share(blocked), share(busy)
rw = within(blocked, lambda f: "wait_here" in f)
bm = within(busy, lambda f: run(f, ["main", "burn"]))
print("stacks ending in [read]: %.2f %% (expected 60 +- 10), %.1f %% of them hold wait_here" % (r, rw))
print("stacks holding burn: %.2f %% (expected 40 +- 10), %.1f %% of them hold main;burn" % (b, bm))
assert abs(r - 60) <= 10, "the stacks ending in [read] have %.2f %%, expected 60 +- 10" % r
assert abs(b - 40) <= 10, "the stacks holding burn have %.2f %%, expected 40 +- 10" % b
assert rw >= 90, "only %.1f %% of the blocked stacks reach wait_here" % rw
assert bm >= 90, "only %.1f %% of burn's stacks hold main;burn" % bm
PY
	assert_untraced "$TARGET_PID"
done
