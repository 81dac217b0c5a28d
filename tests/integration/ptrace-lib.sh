# shellcheck shell=bash disable=SC2016,SC2034,SC2154
# tests/integration/ptrace-lib.sh: sourced, after tests/setup.sh, by the
# tests of the ptrace sampler and of wait-time (tests/integration/ptrace-*.sh,
# wait-time.sh, tests/ui/ptrace-quit.sh).
#
#   require_ptrace        skip where this machine does not let a process
#                         trace a process that is not its child
#   require_noperf        skip where the noperf helper cannot refuse
#                         perf_event_open (no seccomp filters here)
#   rr_run_noperf NAME ARG...
#                         rr_run, with rrstat-top under noperf: the kernel
#                         refuses it perf events (EACCES)
#   rr_start NAME ARG...  rrstat-top ARG... in the background, as rr_run
#                         runs it; its pid in RR_PID
#   rr_finish             waits for it; then as rr_run: rc, the checks
#   thread_states PID     "TID STATE TRACERPID" for each thread
#   traced_by_rr PID      thread PID is traced by rrstat-top (RR_PID)
#   wait_traced PID [SECS]   until PID's main thread has a tracer
#   assert_untraced PID [T]  every thread of PID has no tracer and is not
#                         in a tracing stop (t), nor stopped (T) unless
#                         the second argument is T
#   assert_progress PID   PID's CPU time grows (it runs)
#   waitq COMMAND FILE ARG...   the csv snapshot's wait column (below)
#   start_tracer TID      the tracer helper seizes thread TID; its pid in
#                         tracer (once TracerPid shows it, within 10 s)

# The rrstat-top under test (rr_run_noperf runs it through noperf).
RR_REAL=$RRSTAT_TOP

# Before the cleanup of setup.sh (and of ui-lib.sh): end the rrstat-top
# runs first, so that their targets are untraced, then send SIGCONT to the
# targets: a stopped target would not act on the cleanup's SIGTERM (nor
# would one stopped while traced, after its tracer goes), and the
# cleanup's wait would hang.
ptrace_cleanup() {
	local g p i left
	set +e
	for g in "${bg_groups[@]}"; do
		kill -TERM -- "-$g" 2>/dev/null
	done
	i=0
	while [ "$i" -lt 30 ]; do
		left=
		for g in "${bg_groups[@]}"; do
			[ -z "$(procs_in_group "$g")" ] || left=1
		done
		[ -n "$left" ] || break
		sleep 0.1
		i=$((i + 1))
	done
	for g in "${bg_groups[@]}"; do
		kill -KILL -- "-$g" 2>/dev/null
	done
	for p in "${bg_pids[@]}"; do
		kill -CONT "$p" 2>/dev/null
	done
}
eval "ptrace_prev_trap=($(trap -p EXIT))"
# shellcheck disable=SC2016
trap 'ptrace_status=$?; [ "$BASHPID" = "$$" ] || exit "$ptrace_status"; ptrace_cleanup; (exit "$ptrace_status"); eval "${ptrace_prev_trap[2]:-cleanup}"' EXIT

require_ptrace() {
	local scope=
	[ -x "$RRSTAT_TOP" ] || fail "no rrstat-top at $RRSTAT_TOP (build it first)"
	[ -x "$TARGETS/tracer" ] || fail "no $TARGETS/tracer (make check builds it)"
	[ -r /proc/sys/kernel/yama/ptrace_scope ] && scope=$(cat /proc/sys/kernel/yama/ptrace_scope)
	# start_target waits for the exec: a SIGTERM that reaches the forked
	# shell before it has exec'd sleep runs this script's own traps
	# there (exit, cleanup: $tmp removed under the test's feet).
	start_target "$(command -v sleep)" 30
	if ! "$TARGETS/tracer" -c "$TARGET_PID" 2>"$tmp/ptrace-probe.err"; then
		skip "ptrace refused (uid $(id -u)${scope:+, yama ptrace_scope $scope}): $(head -n 1 "$tmp/ptrace-probe.err")"
	fi
	stop_target "$TARGET_PID"
	TARGET_PID=
}

require_noperf() {
	local rc=0
	[ -x "$TARGETS/noperf" ] || fail "no $TARGETS/noperf (make check builds it)"
	"$TARGETS/noperf" "$TARGETS/perf_probe" 2>"$tmp/noperf-probe.err" || rc=$?
	case $rc in
	77) skip "cannot refuse perf_event_open here: $(head -n 1 "$tmp/noperf-probe.err")" ;;
	0) fail "perf_probe under noperf could open perf events: the seccomp filter does not work" ;;
	1) grep -q 'Permission denied' "$tmp/noperf-probe.err" ||
		fail "perf_probe under noperf: $(head -n 1 "$tmp/noperf-probe.err"), expected Permission denied" ;;
	*) fail "noperf perf_probe: exit $rc: $(head -n 1 "$tmp/noperf-probe.err")" ;;
	esac
}

# rr_run_noperf NAME ARG...: rr_run NAME ARG... with perf_event_open refused.
rr_run_noperf() {
	local name=$1
	shift
	note "under noperf (perf_event_open fails with EACCES):"
	RRSTAT_TOP=$TARGETS/noperf rr_run "$name" "$RR_REAL" "$@"
}

# rr_start NAME ARG...: starts rrstat-top ARG... in the background, stdout
# in $tmp/NAME.out, stderr in $tmp/NAME.err; RR_PID is rrstat-top's pid
# (signal it), rr_bg the timeout(1) that leads its process group.  With
# RR_NOPERF=1, under noperf.
rr_start() {
	local name=$1 i=0 cmd=("$RR_REAL")
	shift
	[ "${RR_NOPERF:-0}" = 1 ] && cmd=("$TARGETS/noperf" "$RR_REAL")
	rr_name=$name
	echo "+ rrstat-top $* &${RR_NOPERF:+ (under noperf)}"
	rm -f "$tmp/$name.pid"
	rr_t0=$(date +%s.%N)
	RRSTAT_TEST_RUN=$tmp/$name timeout -k 5 "$RR_TIMEOUT" \
	    sh -c 'echo $$ >"$0"; exec "$@"' "$tmp/$name.pid" "${cmd[@]}" "$@" \
	    </dev/null >"$tmp/$name.out" 2>"$tmp/$name.err" &
	rr_bg=$!
	bg_groups+=("$rr_bg")
	while [ ! -s "$tmp/$name.pid" ]; do
		i=$((i + 1))
		[ "$i" -lt 100 ] || fail "rrstat-top did not start within 10 s"
		sleep 0.1
	done
	RR_PID=$(cat "$tmp/$name.pid")
}

# rr_finish: waits for the rrstat-top of the last rr_start; sets rc and
# rr_elapsed, and checks what rr_run checks (no hang, no sanitizer report,
# nothing left running behind it).  A status above 128 is left to the
# caller (rc), since the test may have killed it.
rr_finish() {
	local name=$rr_name left i t1
	rc=0
	wait "$rr_bg" || rc=$?
	t1=$(date +%s.%N)
	rr_elapsed=$(awk -v a="$rr_t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
	echo "  exit $rc after ${rr_elapsed} s"
	sed -n '1,5s/^/  stderr: /p' "$tmp/$name.err"
	i=0
	while left=$( (procs_in_group "$rr_bg"; procs_tagged "$tmp/$name") | sort -u)
	    [ -n "$left" ] && [ "$i" -lt 30 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if [ -n "$left" ]; then
		kill -KILL -- "-$rr_bg" 2>/dev/null || true
		for i in $left; do
			kill -KILL "$i" 2>/dev/null || true
		done
	fi
	bg_groups=()
	if grep -Eq 'ERROR: (Address|Leak|Memory|Thread)Sanitizer|runtime error:|Sanitizer:DEADLYSIGNAL' "$tmp/$name.err"; then
		cat "$tmp/$name.err" >&2
		fail "rrstat-top: sanitizer report (above)"
	fi
	case $rc in
	124) fail "$name: rrstat-top still running after ${RR_TIMEOUT} s" ;;
	125|126|127) fail "$name: could not run $RR_REAL (timeout exit $rc)" ;;
	esac
	if [ -n "$left" ]; then
		fail "$name: rrstat-top left processes running after it exited: $(tr "\n" " " <<<"$left")"
	fi
}

# thread_states PID: one line per thread, "TID STATE TRACERPID".
thread_states() {
	local s tid st tr
	for s in /proc/"$1"/task/*/status; do
		st=$(awk '$1 == "State:" { print $2 }' "$s" 2>/dev/null) || continue
		tr=$(awk '$1 == "TracerPid:" { print $2 }' "$s" 2>/dev/null) || continue
		[ -n "$st" ] || continue
		tid=${s%/status}
		echo "${tid##*/} $st $tr"
	done
}

# start_tracer TID: another tracer (the tracer helper) holds thread TID;
# its pid in tracer.
start_tracer() {
	local i=0
	start_target tracer "$1"
	tracer=$TARGET_PID
	until [ "$(tracer_of "$1")" = "$tracer" ]; do
		i=$((i + 1))
		[ "$i" -lt 100 ] || fail "the tracer helper did not seize $1 within 10 s"
		sleep 0.1
	done
}

# The TracerPid of thread (or process) PID, empty when it is gone.
tracer_of() {
	awk '$1 == "TracerPid:" { print $2 }' "/proc/$1/status" 2>/dev/null || true
}

# traced_by_rr PID: thread PID's tracer is a thread of rrstat-top (RR_PID);
# TracerPid names the tracing thread, which may be any of its threads.
traced_by_rr() {
	local t
	t=$(tracer_of "$1")
	[ -n "$t" ] && [ "$t" != 0 ] && [ -d "/proc/$RR_PID/task/$t" ]
}

# wait_traced PID [SECS]: until PID's main thread has a tracer (the
# ptrace sampler has seized it); default limit 15 s.
wait_traced() {
	local pid=$1 limit=${2:-15} i=0 t
	while :; do
		t=$(tracer_of "$pid")
		[ -n "$t" ] || fail "process $pid is gone while waiting for a tracer"
		[ "$t" = 0 ] || return 0
		i=$((i + 1))
		[ "$i" -lt $((limit * 10)) ] || fail "process $pid has no tracer after $limit s"
		sleep 0.1
	done
}

# assert_untraced PID [T]: within 3 s, every thread of PID has TracerPid
# 0 and a State other than t (tracing stop) and, unless the second
# argument is T (the target stopped itself), other than T.
assert_untraced() {
	local pid=$1 allow=${2:-} i=0 bad
	kill -0 "$pid" 2>/dev/null || fail "process $pid is gone"
	while :; do
		bad=$(thread_states "$pid" | awk -v allow="$allow" \
		    '$3 != 0 || $2 == "t" || ($2 == "T" && allow != "T")')
		[ -n "$bad" ] || break
		i=$((i + 1))
		if [ "$i" -ge 30 ]; then
			echo "--- threads of $pid (tid state tracer)"
			thread_states "$pid" | sed 's/^/    /'
			fail "process $pid: threads still traced or stopped after its profiler ended: $(tr '\n' ';' <<<"$bad")"
		fi
		sleep 0.1
	done
	note "process $pid: $(thread_count "$pid") threads, none traced, none stopped"
}

# proc_ticks PID: user + system CPU time of process PID, in clock ticks.
proc_ticks() {
	local line f
	{ read -r line <"/proc/$1/stat"; } 2>/dev/null || { echo -1; return; }
	read -r -a f <<<"${line##*) }"
	echo $((f[11] + f[12]))
}

# assert_progress PID: process PID gets CPU time (within 10 s: the
# machine may be busy).
assert_progress() {
	local pid=$1 a b i=0
	a=$(proc_ticks "$pid")
	[ "$a" -ge 0 ] || fail "process $pid is gone"
	while :; do
		sleep 0.2
		b=$(proc_ticks "$pid")
		[ "$b" -ge 0 ] || fail "process $pid is gone"
		[ "$b" -le "$a" ] || break
		i=$((i + 1))
		[ "$i" -lt 50 ] || fail "process $pid does not run: no CPU time in 10 s (state: $(thread_states "$pid" | tr '\n' ';'))"
	done
	note "process $pid runs ($((b - a)) ticks of CPU time)"
}

# The wait column of a csv snapshot, in python3: waitq COMMAND FILE ARG...
#   column FILE               exit 0 if the header has a wait column
#   pct FILE EVENT SYSCALL    sum of self_pct of the rows whose wait names
#                             SYSCALL
#   rows FILE EVENT SYSCALL   those rows, "FUNCTION<TAB>BINARY<TAB>WAIT"
#   dump FILE EVENT           the 12 most sampled rows with their wait
# A wait cell may name several system calls (any separator but letters,
# digits and _).
_waitq_py='
import csv, os, re, sys

def num(s):
    s = (s or "").strip().rstrip("%").strip()
    return float(s) if s else 0.0

cmd, path = sys.argv[1], sys.argv[2]
args = sys.argv[3:]
with open(path, newline="") as f:
    table = list(csv.reader(f, strict=True))
head = [h.strip() for h in table[0]] if table else []
rows = [dict(zip(head, t)) for t in table[1:] if t]

def names(cell):
    return [w for w in re.split(r"[^A-Za-z0-9_]+", cell or "") if w and not w.isdigit()]

def pick(ev, sc):
    return [r for r in rows if (ev == "*" or r.get("event") == ev) and sc in names(r.get("wait"))]

if cmd == "column":
    sys.exit(0 if "wait" in head else 1)
if "wait" not in head:
    sys.exit("%s: no wait column in the header %s" % (path, ",".join(head)))
if cmd == "pct":
    ev, sc = args
    print("%.2f" % sum(num(r["self_pct"]) for r in pick(ev, sc)))
elif cmd == "rows":
    ev, sc = args
    for r in pick(ev, sc):
        print("%s\t%s\t%s" % (r["function"], r["binary"], r["wait"]))
elif cmd == "dump":
    ev, = args
    sel = [r for r in rows if ev == "*" or r.get("event") == ev]
    sel.sort(key=lambda r: num(r.get("samples")), reverse=True)
    for r in sel[:12]:
        print("    %-12s %7s %7s%%  %-20s %-24s wait=%s" % (r["event"], r["samples"], r["self_pct"],
              os.path.basename(r["binary"]), r["function"], r["wait"]))
else:
    sys.exit("waitq: unknown command " + cmd)
'
waitq() {
	[ -f "$2" ] || fail "no snapshot $2"
	python3 -c "$_waitq_py" "$@"
}
