#!/bin/bash
# debuginfod: a copy of work stripped of every symbol, its debug file
# served by a real debuginfod server (started here on a free port, on
# 127.0.0.1, and stopped on every exit path with the test's other
# processes).
#  - $DEBUGINFOD_URLS names the server: work_a and work_b are named from
#    the fetched file at 75 % and 25 % (+- 8), and no refresh ever shows
#    split_work+0x... (samples wait for the file, then are counted under
#    their real names); the time to the first refresh with a real name is
#    printed.
#  - --no-debuginfod, or no $DEBUGINFOD_URLS: nothing is fetched, no work_a.
#  - an unreachable server (127.0.0.1:1): the first refresh is on time, the
#    failure is said once, the local names stay.
#  - a server that accepts and never answers: the first refresh is on time
#    with a "debuginfod: fetching 1 file" header line; quitting does not
#    wait for the fetch, and the samples that waited are in the snapshot.
# Skips (77) only where rrstat-top was built without libdebuginfod.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
[ -x "$RRSTAT_TOP" ] || fail "no rrstat-top at $RRSTAT_TOP (build it first)"
if "$RRSTAT_TOP" --help | grep -q -- '--no-debuginfod *(not built in'; then
	skip "rrstat-top was built without libdebuginfod (configure found no libdebuginfod-dev, or ran --without-debuginfod)"
fi
command -v debuginfod >/dev/null 2>&1 ||
	fail "no debuginfod server to test against: install the Debian package debuginfod (data/install-deps.sh)"
command -v python3 >/dev/null 2>&1 || fail "python3 is needed to drive the server"
command -v objcopy >/dev/null 2>&1 || fail "objcopy is not installed"

# python3 URL [SECS]: exit 0 once URL answers 200, within SECS (default 20).
_poll_py='
import sys, time, urllib.request
url, limit = sys.argv[1], float(sys.argv[2])
end = time.monotonic() + limit
while time.monotonic() < end:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            if r.status == 200:
                sys.exit(0)
    except Exception:
        pass
    time.sleep(0.1)
sys.exit(1)
'
poll_url() {
	python3 -c "$_poll_py" "$1" "${2:-20}"
}

# timed NAME ARG...: runs rrstat-top ARG... (stdout in $tmp/NAME.out,
# stderr in $tmp/NAME.err) and sets rc, t_first (seconds from its start
# to its first refresh), t_name (to the first refresh with a work_a row,
# or "none") and t_end (to its exit).
_timed_py='
import re, subprocess, sys, time
out, err, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
name = re.compile(r"\swork_a$")
t0 = time.monotonic()
first = named = None
with open(out, "w") as o, open(err, "w") as e:
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=e, text=True, errors="replace")
    for line in p.stdout:
        t = time.monotonic() - t0
        o.write(line)
        if first is None and line.startswith("target:"):
            first = t
        if named is None and name.search(line.rstrip("\n")):
            named = t
    rc = p.wait()
fmt = lambda t: "none" if t is None else "%.3f" % t
print(rc, fmt(first), fmt(named), fmt(time.monotonic() - t0))
'
timed() {
	local name=$1 res
	shift
	echo "+ rrstat-top $*"
	res=$(python3 -c "$_timed_py" "$tmp/$name.out" "$tmp/$name.err" \
	    timeout -k 5 "$RR_TIMEOUT" "$RRSTAT_TOP" "$@")
	read -r rc t_first t_name t_end <<<"$res"
	rr_name=$name
	echo "  exit $rc; first refresh ${t_first} s, first work_a ${t_name} s, exit ${t_end} s"
	sed -n '1,5s/^/  stderr: /p' "$tmp/$name.err"
	if grep -Eq 'ERROR: (Address|Leak|Memory|Thread)Sanitizer|runtime error:' "$tmp/$name.err"; then
		cat "$tmp/$name.err" >&2
		fail "$name: sanitizer report (above)"
	fi
}

# before A B: seconds A is a number and A < B.
before() {
	[ "$1" != none ] && awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'
}

# The stripped binary and its debug file, in the directory served.
bin=$tmp/split_work
mkdir "$tmp/served"
split_debug work "$bin" "$tmp/served/split_work.debug"
id=$BUILD_ID

# The server, on the first free port of a few tried.
port=
for try in 1 2 3 4 5; do
	p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
	debuginfod -F "$tmp/served" -p "$p" -d "$tmp/db-$p.sqlite" \
	    >"$tmp/server-$p.log" 2>&1 &
	server=$!
	bg_pids+=("$server")
	if poll_url "http://127.0.0.1:$p/metrics" 20 && kill -0 "$server" 2>/dev/null; then
		port=$p
		break
	fi
	note "debuginfod on port $p did not answer (try $try): $(tail -n 2 "$tmp/server-$p.log" | tr '\n' ' ')"
	stop_target "$server"
done
[ -n "$port" ] || fail "debuginfod did not start on any of 5 ports"
note "debuginfod serving $tmp/served on 127.0.0.1:$port"
poll_url "http://127.0.0.1:$port/buildid/$id/debuginfo" 30 ||
	fail "debuginfod does not serve the debug file of $id: $(tail -n 3 "$tmp/server-$port.log")"

start_target "$bin" 60

# 1. Fetched: real names, never the local ones.
DEBUGINFOD_URLS=http://127.0.0.1:$port DEBUGINFOD_CACHE_PATH=$tmp/cache \
    timed with -b -p "$TARGET_PID" -d 0.2 -n 15 --format csv -o with.csv
expect_rc 0
check_work_profile with.csv
if grep -q 'split_work+0x' with.out; then
	grep -n 'split_work+0x' with.out | head -5
	fail "with: a refresh showed split_work's local names: its samples were counted before the debug file came"
fi
grep -q 'work_b$' with.out || fail "with: no refresh names work_b"
[ -f "$tmp/cache/$id/debuginfo" ] || fail "with: nothing in the client's cache for $id"
before "$t_name" 10 || fail "with: no refresh named work_a"
echo "time to first name: $t_name s (first refresh $t_first s, refresh every 0.2 s, local server)"

# 2. Turned off: --no-debuginfod, or no $DEBUGINFOD_URLS.
DEBUGINFOD_URLS=http://127.0.0.1:$port DEBUGINFOD_CACHE_PATH=$tmp/cache-off \
    rr_run off -b -p "$TARGET_PID" -d 0.2 -n 5 --no-debuginfod --format csv -o off.csv
expect_rc 0
[ "$(csv_pct off.csv cpu-clock work_a)" = 0.00 ] || fail "off: work_a named with --no-debuginfod"
grep -q 'split_work+0x' off.csv || fail "off: no split_work+0x rows"
[ ! -e "$tmp/cache-off" ] || fail "off: --no-debuginfod still asked (a client cache was made)"
DEBUGINFOD_CACHE_PATH=$tmp/cache-unset \
    rr_run unset -b -p "$TARGET_PID" -d 0.2 -n 5 --format csv -o unset.csv
expect_rc 0
[ "$(csv_pct unset.csv cpu-clock work_a)" = 0.00 ] || fail "unset: work_a named without \$DEBUGINFOD_URLS"
[ ! -e "$tmp/cache-unset" ] || fail "unset: asked without \$DEBUGINFOD_URLS"

# 3. Unreachable: on time, said once, local names.
DEBUGINFOD_URLS=http://127.0.0.1:1 DEBUGINFOD_CACHE_PATH=$tmp/cache-unreach \
    timed unreach -b -p "$TARGET_PID" -d 0.2 -n 8 --format csv -o unreach.csv
expect_rc 0
before "$t_first" 3 || fail "unreach: the first refresh came after $t_first s (-d 0.2)"
n=$(grep -c 'debuginfod: no debug info for split_work' unreach.err || true)
[ "$n" = 1 ] || { show unreach.err; fail "unreach: the failure was said $n times, not once"; }
[ "$(csv_pct unreach.csv cpu-clock work_a)" = 0.00 ] || fail "unreach: work_a named"
grep -q 'split_work+0x' unreach.csv || fail "unreach: no split_work+0x rows"
echo "unreachable server: first refresh after $t_first s"

# 4. A server that never answers: on time, a header line, a quick quit.
start_silent_server
DEBUGINFOD_URLS=http://127.0.0.1:$SILENT_PORT DEBUGINFOD_CACHE_PATH=$tmp/cache-silent \
    timed silent -b -p "$TARGET_PID" -d 0.2 -n 5 --format csv -o silent.csv
expect_rc 0
before "$t_first" 3 || fail "silent: the first refresh came after $t_first s (-d 0.2)"
grep -q '^debuginfod: fetching 1 file' silent.out ||
	{ show silent.out; fail "silent: no 'debuginfod: fetching 1 file' header line"; }
before "$t_end" 6 || fail "silent: quitting took until $t_end s: it waited for the fetch"
grep -q 'split_work+0x' silent.csv ||
	{ show silent.csv; fail "silent: the samples that waited for the fetch are not in the snapshot"; }
echo "silent server: first refresh after $t_first s, exit after $t_end s (5 refreshes of 0.2 s)"
