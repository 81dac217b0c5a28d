# tests/setup.sh: sourced by every integration test (tests/integration/*.sh).
#
# Gives the test: set -eu, LC_ALL=C, a private temporary directory $tmp
# (also the current directory), removed on exit together with every
# process the test started; and the helpers below.  Exit status follows
# automake: 0 pass, 1 fail, 77 skip.
#
# The environment (set by make check, see AM_TESTS_ENVIRONMENT):
#   RRSTAT_TOP    the rrstat-top binary under test
#   RRSTAT_DEMO   the demo workload
#   TARGETS       build directory of tests/targets (work, libm_work, ...)
#   TESTS_SRCDIR  source directory of tests/ (where this file is)
# Outside make check they default to an in-tree build.  KEEP_TMP=1 keeps
# the temporary directory of a failed test; RR_TIMEOUT (default 60) is the
# limit for one run of rrstat-top.

set -eu
export LC_ALL=C
# No test reaches a debuginfod server but one it started itself.
unset DEBUGINFOD_URLS

if [ -z "${BASH_VERSION:-}" ]; then
	echo "tests/setup.sh needs bash" >&2
	exit 99
fi

: "${TESTS_SRCDIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}"
: "${RRSTAT_TOP:=$TESTS_SRCDIR/../src/rrstat-top}"
: "${RRSTAT_DEMO:=$TESTS_SRCDIR/../src/rrstat-demo}"
: "${TARGETS:=$TESTS_SRCDIR/targets}"
: "${RR_TIMEOUT:=60}"
export TESTS_SRCDIR RRSTAT_TOP RRSTAT_DEMO TARGETS

test_name=$(basename "$0" .sh)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rrstat-$test_name.XXXXXX")
# The settings file of whoever runs the tests is not the tests' own: each
# test starts with none (tests of the file write theirs here).
export XDG_CONFIG_HOME="$tmp/config"
bg_pids=()	# targets started by start_target
bg_groups=()	# process groups of rrstat-top runs (timeout's group)

# Ends every process this test started, then removes $tmp.
cleanup() {
	local status=$? p
	set +e
	# A child forked for a command runs this shell's traps if a signal
	# reaches it before its exec: only the test's own shell cleans up.
	[ "$BASHPID" = "$$" ] || exit "$status"
	for p in "${bg_groups[@]}"; do
		kill -TERM -- "-$p" 2>/dev/null
	done
	for p in "${bg_pids[@]}"; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in "${bg_pids[@]}"; do
		wait "$p" 2>/dev/null
	done
	cd /
	if [ "$status" -ne 0 ] && [ "$status" -ne 77 ] && [ -n "${KEEP_TMP:-}" ]; then
		echo "# kept $tmp" >&2
	else
		rm -rf "$tmp"
	fi
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
cd "$tmp"

# Fails the test with MSG.
fail() {
	echo "FAIL: $test_name: $*" >&2
	exit 1
}

# Skips the test with MSG.
skip() {
	echo "SKIP: $test_name: $*" >&2
	exit 77
}

# A line in the test's log.
note() {
	echo "# $*"
}

# Prints FILE into the log, indented, at most 40 lines.
show() {
	if [ -f "$1" ]; then
		echo "--- $1"
		sed -n '1,40s/^/    /p' "$1"
	else
		echo "--- $1 (missing)"
	fi
}

# Checks that rrstat-top is built and that this machine lets it sample
# other processes with perf_event_open; skips the test where it does not.
require_perf() {
	local paranoid
	[ -x "$RRSTAT_TOP" ] || fail "no rrstat-top at $RRSTAT_TOP (build it first)"
	[ -x "$TARGETS/perf_probe" ] || fail "no $TARGETS/perf_probe (make check builds it)"
	if [ ! -r /proc/sys/kernel/perf_event_paranoid ]; then
		skip "this kernel has no perf_event_open (/proc/sys/kernel/perf_event_paranoid is missing)"
	fi
	paranoid=$(cat /proc/sys/kernel/perf_event_paranoid)
	if ! "$TARGETS/perf_probe" 2>"$tmp/probe.err"; then
		skip "perf_event_open refused (uid $(id -u), perf_event_paranoid $paranoid): $(head -n 1 "$tmp/probe.err")"
	fi
}

# Checks that python3 (used to parse the snapshots) is there.
require_python() {
	command -v python3 >/dev/null 2>&1 || skip "python3 is needed to parse snapshots"
}

# Prints 0 if this machine has a hardware PMU for cpu-cycles, else 1.
have_pmu() {
	if "$TARGETS/perf_probe" cycles 2>/dev/null; then
		echo 0
	else
		echo 1
	fi
}

# The path of target program NAME (a name in $TARGETS, or a path).
target_path() {
	local path=$1
	case $path in
	*/*) ;;
	*) path=$TARGETS/$path ;;
	esac
	[ -x "$path" ] || fail "target $path is not built"
	echo "$path"
}

# start_target PROG [ARG...]: starts a target in the background, waits
# until it has exec'd, and leaves its pid in TARGET_PID.  Its output goes
# to $tmp/target-PID.out.  The target is killed when the test ends.
start_target() {
	local path real i=0
	path=$(target_path "$1")
	shift
	real=$(readlink -f "$path")
	"$path" "$@" </dev/null >"$tmp/target.out" 2>&1 &
	TARGET_PID=$!
	bg_pids+=("$TARGET_PID")
	while [ "$(readlink "/proc/$TARGET_PID/exe" 2>/dev/null || true)" != "$real" ]; do
		kill -0 "$TARGET_PID" 2>/dev/null || fail "target $path exited at once: $(cat "$tmp/target.out")"
		i=$((i + 1))
		[ "$i" -lt 200 ] || fail "target $path did not start within 10 s"
		sleep 0.05
	done
	mv "$tmp/target.out" "$tmp/target-$TARGET_PID.out"
	note "started $path $* as pid $TARGET_PID"
}

# split_debug PROG DEST DEBUG: copies target PROG to DEST stripped of
# every symbol, its debug info to the file DEBUG; leaves its build-id in
# BUILD_ID (fails where it has none).
split_debug() {
	cp "$(target_path "$1")" "$2"
	BUILD_ID=$(readelf -n "$2" | sed -n 's/.*Build ID: *\([0-9a-f]*\).*/\1/p' | head -1)
	[ -n "$BUILD_ID" ] || fail "$1 has no build-id note (link it with --build-id)"
	objcopy --only-keep-debug "$2" "$3"
	strip -s "$2"
	if readelf -S "$2" | grep -q '\.symtab'; then
		fail "strip left a .symtab in $2"
	fi
}

# start_silent_server: a TCP server on 127.0.0.1 that accepts and never
# answers (ended with the test); its port in SILENT_PORT.
start_silent_server() {
	python3 -c '
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
print(s.getsockname()[1], flush=True)
held = []
while True:
    held.append(s.accept()[0])
' >"$tmp/silent.port" &
	bg_pids+=("$!")
	for _ in $(seq 200); do
		[ -s "$tmp/silent.port" ] && break
		sleep 0.05
	done
	SILENT_PORT=$(cat "$tmp/silent.port")
	[ -n "$SILENT_PORT" ] || fail "the silent server did not start"
}

# Ends a target started by start_target.
stop_target() {
	local p keep=()
	kill -TERM "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
	for p in "${bg_pids[@]}"; do
		[ "$p" = "$1" ] || keep+=("$p")
	done
	bg_pids=("${keep[@]}")
}

# The number of threads of process PID (0 once it is gone).
thread_count() {
	local n=0 t
	for t in /proc/"$1"/task/*; do
		[ -e "$t" ] && n=$((n + 1))
	done
	echo "$n"
}

# The voluntary context switches of every thread of process PID: how
# often it went to sleep (a count load does not change).
voluntary_switches() {
	local n=0 d k v
	for d in /proc/"$1"/task/*; do
		while read -r k v; do
			[ "$k" = voluntary_ctxt_switches: ] && n=$((n + v))
		done <"$d/status" 2>/dev/null || true
	done
	echo "$n"
}

# wait_threads PID N [SECS]: waits until process PID has at least N
# threads (default limit 10 s).
wait_threads() {
	local pid=$1 want=$2 limit=${3:-10} i=0 n
	while :; do
		kill -0 "$pid" 2>/dev/null || fail "process $pid exited while waiting for $want threads"
		n=$(thread_count "$pid")
		[ "$n" -lt "$want" ] || return 0
		i=$((i + 1))
		[ "$i" -lt $((limit * 20)) ] || fail "process $pid has $n threads, not $want, after ${limit} s"
		sleep 0.05
	done
}

# The pids of the processes in process group PGID.
procs_in_group() {
	local s line f
	for s in /proc/[0-9]*/stat; do
		{ read -r line <"$s"; } 2>/dev/null || continue
		read -r -a f <<<"${line##*) }"
		if [ "${f[2]}" = "$1" ]; then
			s=${s#/proc/}
			echo "${s%/stat}"
		fi
	done
}

# The pids of the processes whose environment holds RRSTAT_TEST_RUN=TAG
# (those that an rr_run started, wherever they moved to).
procs_tagged() {
	local e p
	grep -lzxF "RRSTAT_TEST_RUN=$1" /proc/[0-9]*/environ 2>/dev/null |
	while read -r e; do
		p=${e#/proc/}
		echo "${p%/environ}"
	done
}

# rr ARG...: runs rrstat-top under a time limit ($RR_TIMEOUT seconds).
rr() {
	timeout -k 5 "$RR_TIMEOUT" "$RRSTAT_TOP" "$@"
}

# rr_run NAME ARG...: runs rrstat-top ARG... (through rr) with stdin from
# /dev/null, stdout in $tmp/NAME.out, stderr in $tmp/NAME.err.  Sets rc
# (its exit status) and rr_elapsed (seconds).  Fails the test on a hang,
# a crash, a sanitizer report, or processes left running behind it (a
# spawned command or the demo: found by process group, and by the
# RRSTAT_TEST_RUN variable that rr_run puts in rrstat-top's environment).
rr_run() {
	local name=$1 t0 t1 pid left i
	shift
	rr_name=$name
	echo "+ rrstat-top $*"
	t0=$(date +%s.%N)
	# Not through rr: $! must be timeout(1) itself, which leads a
	# process group of its own (rrstat-top and anything it starts).
	RRSTAT_TEST_RUN=$tmp/$name timeout -k 5 "$RR_TIMEOUT" "$RRSTAT_TOP" "$@" \
	    </dev/null >"$tmp/$name.out" 2>"$tmp/$name.err" &
	pid=$!
	bg_groups+=("$pid")
	rc=0
	wait "$pid" || rc=$?
	t1=$(date +%s.%N)
	rr_elapsed=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
	echo "  exit $rc after ${rr_elapsed} s"
	sed -n '1,5s/^/  stderr: /p' "$tmp/$name.err"
	i=0
	while left=$( (procs_in_group "$pid"; procs_tagged "$tmp/$name") | sort -u)
	    [ -n "$left" ] && [ "$i" -lt 30 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if [ -n "$left" ]; then
		kill -KILL -- "-$pid" 2>/dev/null || true
		for i in $left; do
			kill -KILL "$i" 2>/dev/null || true
		done
	fi
	bg_groups=()
	if grep -Eq 'ERROR: (Address|Leak|Memory|Thread)Sanitizer|WARNING: ThreadSanitizer|runtime error:|Sanitizer:DEADLYSIGNAL' "$tmp/$name.err"; then
		cat "$tmp/$name.err" >&2
		fail "rrstat-top $*: sanitizer report (above)"
	fi
	case $rc in
	124|137) fail "rrstat-top $*: still running after ${RR_TIMEOUT} s" ;;
	125|126|127) fail "rrstat-top $*: could not run $RRSTAT_TOP (timeout exit $rc)" ;;
	esac
	[ "$rc" -lt 128 ] || fail "rrstat-top $*: killed by signal $((rc - 128))"
	if [ -n "$left" ]; then
		fail "rrstat-top $*: left processes running after it exited: $(tr "\n" " " <<<"$left")"
	fi
}

# expect_rc WANT: the last rr_run exited with status WANT.
expect_rc() {
	if [ "$rc" != "$1" ]; then
		show "$tmp/$rr_name.out"
		show "$tmp/$rr_name.err"
		fail "$rr_name: exit status $rc, expected $1"
	fi
}

# expect_one_line_stderr: the last rr_run wrote exactly one line on stderr.
expect_one_line_stderr() {
	local n
	n=$(grep -c . "$tmp/$rr_name.err" || true)
	if [ "$n" != 1 ]; then
		show "$tmp/$rr_name.err"
		fail "$rr_name: $n lines on stderr, expected one line naming the cause"
	fi
}

# expect_target_exit_noted: the last rr_run said, on stdout or stderr,
# that its target exited.
expect_target_exit_noted() {
	if ! cat "$tmp/$rr_name.out" "$tmp/$rr_name.err" |
	    grep -Eiq '(exited|terminated|is gone|has ended)'; then
		show "$tmp/$rr_name.out"
		show "$tmp/$rr_name.err"
		fail "$rr_name: nothing on stdout or stderr says that the target exited"
	fi
}

# The snapshot queries, in python3: csvq COMMAND FILE ARG...
#   check FILE                 RFC 4180 csv with the contract's columns
#   pct FILE EVENT FUNCTION    sum of self_pct of FUNCTION's rows
#   binpct FILE EVENT REGEX    sum of self_pct of the rows whose binary's
#                              base name matches REGEX
#   top FILE EVENT             FUNCTION<TAB>BINARY of the most sampled row
#   events FILE                the events, one per line
#   rows FILE EVENT            number of rows
#   match FILE EVENT REGEX     the functions that REGEX matches (re.search)
#   dump FILE [EVENT]          the 15 most sampled rows of each event, to read
# EVENT '*' is every event.
_csvq_py='
import csv, os, re, sys

def num(s):
    s = (s or "").strip().rstrip("%").strip()
    return float(s) if s else 0.0

def load(path):
    with open(path, newline="") as f:
        r = csv.reader(f, strict=True)
        table = list(r)
    if not table:
        sys.exit("%s: empty" % path)
    head = [h.strip() for h in table[0]]
    rows = []
    for n, t in enumerate(table[1:], 2):
        if t == []:
            continue
        if len(t) != len(head):
            sys.exit("%s:%d: %d fields, the header has %d" % (path, n, len(t), len(head)))
        rows.append(dict(zip(head, t)))
    return head, rows

def pick(rows, ev):
    return [r for r in rows if ev == "*" or r.get("event") == ev]

def bysamples(rows):
    return sorted(rows, key=lambda r: (num(r.get("samples")), num(r.get("self_pct"))), reverse=True)

cmd, path = sys.argv[1], sys.argv[2]
args = sys.argv[3:]
head, rows = load(path)
need = ["event", "binary", "function", "samples", "self_pct", "total_pct", "address"]
missing = [c for c in need if c not in head]
if missing:
    sys.exit("%s: header %s lacks %s" % (path, ",".join(head), ",".join(missing)))

if cmd == "check":
    seen = set()
    for n, r in enumerate(rows, 2):
        where = "%s:%d" % (path, n)
        if not r["event"] or not r["binary"] or not r["function"]:
            sys.exit("%s: empty event, binary or function" % where)
        if not re.fullmatch(r"[0-9]+", r["samples"].strip()):
            sys.exit("%s: samples %r is not a count" % (where, r["samples"]))
        for col in ("self_pct", "total_pct"):
            v = r[col].strip()
            if col == "total_pct" and v == "":
                continue
            try:
                x = float(v.rstrip("%"))
            except ValueError:
                sys.exit("%s: %s %r is not a number" % (where, col, v))
            if not 0 <= x <= 100.0001:
                sys.exit("%s: %s %r is out of 0..100" % (where, col, v))
        a = r["address"].strip()
        if a and not re.fullmatch(r"0x[0-9a-fA-F]+", a):
            sys.exit("%s: address %r is neither empty nor 0x..." % (where, a))
        key = (r["event"], r["binary"], r["function"])
        if key in seen:
            sys.exit("%s: a second row for %r" % (where, key))
        seen.add(key)
    for ev in sorted({r["event"] for r in rows}):
        total = sum(num(r["self_pct"]) for r in pick(rows, ev))
        if abs(total - 100) > 3:
            sys.exit("%s: self_pct of event %s adds up to %.2f, not 100" % (path, ev, total))
    if not rows:
        sys.exit("%s: no rows" % path)
elif cmd == "pct":
    ev, fn = args
    print("%.2f" % sum(num(r["self_pct"]) for r in pick(rows, ev) if r["function"] == fn))
elif cmd == "binpct":
    ev, rx = args
    print("%.2f" % sum(num(r["self_pct"]) for r in pick(rows, ev)
                       if re.search(rx, os.path.basename(r["binary"]))))
elif cmd == "top":
    ev, = args
    top = bysamples(pick(rows, ev))
    if not top:
        sys.exit("%s: no rows for event %s" % (path, ev))
    print("%s\t%s" % (top[0]["function"], top[0]["binary"]))
elif cmd == "events":
    out = []
    for r in rows:
        if r["event"] not in out:
            out.append(r["event"])
    print("\n".join(out))
elif cmd == "rows":
    ev, = args
    print(len(pick(rows, ev)))
elif cmd == "match":
    ev, rx = args
    for r in pick(rows, ev):
        if re.search(rx, r["function"]):
            print(r["function"])
elif cmd == "dump":
    evs = args or ["*"]
    for ev in evs:
        for r in bysamples(pick(rows, ev))[:15]:
            print("    %-18s %7s %7s%%  %-24s %s" % (r["event"], r["samples"], r["self_pct"],
                                              os.path.basename(r["binary"]), r["function"]))
else:
    sys.exit("csvq: unknown command " + cmd)
'
csvq() {
	[ -f "$2" ] || fail "no snapshot $2"
	python3 -c "$_csvq_py" "$@"
}

# csv_pct FILE EVENT FUNCTION: FUNCTION's self_pct for EVENT (0.00 if absent).
csv_pct() {
	csvq pct "$@"
}

# csv_top FILE EVENT: the most sampled function for EVENT.
csv_top() {
	csvq top "$@" | cut -f 1
}

# assert_pct FILE EVENT FUNCTION WANT [TOL]: FUNCTION's self_pct for EVENT
# is WANT, give or take TOL percentage points (default 8).
assert_pct() {
	local file=$1 ev=$2 fn=$3 want=$4 tol=${5:-8} got
	got=$(csv_pct "$file" "$ev" "$fn") || fail "cannot read $file"
	note "$ev: $fn $got % (expected $want +- $tol)"
	if ! awk -v g="$got" -v w="$want" -v t="$tol" 'BEGIN { d = g - w; exit !(d <= t && -d <= t) }'; then
		csvq dump "$file" "$ev" || true
		fail "$ev: $fn has $got % of the samples, expected $want +- $tol"
	fi
}

# assert_pct_above FILE EVENT FUNCTION MIN: FUNCTION's self_pct > MIN.
assert_pct_above() {
	local file=$1 ev=$2 fn=$3 min=$4 got
	got=$(csv_pct "$file" "$ev" "$fn") || fail "cannot read $file"
	note "$ev: $fn $got % (expected > $min)"
	if ! awk -v g="$got" -v m="$min" 'BEGIN { exit !(g > m) }'; then
		csvq dump "$file" "$ev" || true
		fail "$ev: $fn has $got % of the samples, expected more than $min"
	fi
}

# check_work_profile FILE [EVENT]: the work target's profile by
# construction, work_a 75 %, work_b 25 % (default event cpu-clock).
check_work_profile() {
	csvq check "$1" || fail "$1 is not a valid snapshot"
	assert_pct "$1" "${2:-cpu-clock}" work_a 75
	assert_pct "$1" "${2:-cpu-clock}" work_b 25
}
