#!/bin/bash
# bad-input: wrong options and targets.  Each gets its exit status (1 for
# a runtime failure, 2 for a usage error) and one line on stderr naming the
# cause; none crashes or hangs (10 s limit).  --help and --version exit 0.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf
RR_TIMEOUT=10

start_target work 30
pid=$TARGET_PID

# bad NAME WANT WORD ARG...: rrstat-top ARG... exits with status WANT and
# one line on stderr, which contains WORD (unless WORD is empty).
bad() {
	local name=$1 want=$2 word=$3
	shift 3
	rr_run "$name" "$@"
	expect_rc "$want"
	expect_one_line_stderr
	if [ -n "$word" ] && ! grep -qF -- "$word" "$name.err"; then
		fail "$name: the message does not name '$word'"
	fi
}

bad nopid 1 999999999 -b -n 1 -p 999999999
bad nocommand 1 /nonexistent/command -b -n 1 --duration 2 -- /nonexistent/command
bad event 2 bogus -b -n 1 -p "$pid" -e bogus
bad event2 2 bogus -b -n 1 -p "$pid" -e cpu-clock,bogus
bad format 2 xml -b -n 1 -p "$pid" --format xml -o x.xml
[ ! -e x.xml ] || fail "--format xml created x.xml"
bad freq0 2 '' -b -n 1 -p "$pid" -F 0
bad freqneg 2 '' -b -n 1 -p "$pid" -F -5
bad delay0 2 '' -b -n 1 -p "$pid" -d 0
bad iter 2 abc -b -n abc -p "$pid"
bad notarget 2 '' -b -n 1
bad pidabc 2 abc -b -n 1 -p abc
bad option 2 bogus-option -b -n 1 -p "$pid" --bogus-option
bad sort 2 nope -b -n 1 -p "$pid" --sort nope

rr_run help --help
expect_rc 0
grep -q -- '--pid' help.out || fail "--help does not describe --pid"
rr_run version --version
expect_rc 0
grep -Eq '[0-9]+\.[0-9]+' version.out || fail "--version prints no version"
kill -0 "$pid" 2>/dev/null || fail "the target died along the way"
