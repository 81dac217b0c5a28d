#!/bin/bash
# bad-input-2: nonsense values of every option, -o at what is no file,
# targets that cannot be profiled, and the snapshot that must not be lost.
# Each refusal: its exit status (2 usage, 1 runtime), exactly one line on
# stderr naming the cause, and nothing written (no -o file, no FILE-1).
# What is accepted with a notice (-F above the kernel's most, an event
# named twice) says so in one line and still writes its snapshot.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf
require_python
RR_TIMEOUT=20

start_target work 60
pid=$TARGET_PID

# expect_word WORD: the last run's stderr contains WORD.
expect_word() {
	if ! grep -qF -- "$1" "$tmp/$rr_name.err"; then
		show "$tmp/$rr_name.err"
		fail "$rr_name: the message does not name '$1'"
	fi
}

# expect_nothing_written: no snapshot in $tmp from the last run.
expect_nothing_written() {
	local f
	for f in rr-out*; do
		[ -e "$f" ] && fail "$rr_name: wrote $f"
	done
	return 0
}

# bad NAME WANT WORD ARG...: rrstat-top -b -n 1 -o rr-out.csv ARG... exits
# with WANT, one line on stderr containing WORD, and writes nothing.
bad() {
	local name=$1 want=$2 word=$3
	shift 3
	rr_run "$name" -b -n 1 -d 0.2 --format csv -o rr-out.csv "$@"
	expect_rc "$want"
	expect_one_line_stderr
	[ -z "$word" ] || expect_word "$word"
	expect_nothing_written
}

# Numbers that are not plain whole numbers, and out of range.
for v in 1e3 10x '' -5 0 ' 10' 0x10 10000001; do
	bad "freq[$v]" 2 "-F needs a whole number" -p "$pid" -F "$v"
done
bad c-big 2 "-c needs a whole number" -p "$pid" -c 9223372036854775808
for v in nan inf -1 1e400 0.001; do
	bad "delay[$v]" 2 "-d " -p "$pid" -d "$v"
done
for v in -1 nan inf 1e400 x; do
	bad "window[$v]" 2 "--window needs" -p "$pid" --window "$v"
done
bad duration-nan 2 "--duration needs" -p "$pid" --duration nan
bad iter0 2 "-n needs" -p "$pid" -n 0
bad iterneg 2 "-n needs" -p "$pid" -n -3
bad maxstack-x 2 "--max-stack needs" -p "$pid" --max-stack x
bad stacksize-0 2 "--stack-size needs" -p "$pid" --stack-size 0
bad pid0 2 "-p needs" -p 0
bad pidneg 2 "-p needs" -p -1
bad pidbig 2 "99999999999" -p 99999999999
bad pid-empty 2 "'1,,2'" -p "1,,2"
bad pid-trail 2 "single commas" -p "$pid,"

# Events: an empty name is refused; a repeated one is merged, with a notice.
bad ev-trail 2 "empty event name" -p "$pid" -e 'cpu-clock,,'
bad ev-lead 2 "empty event name" -p "$pid" -e ',cpu-clock'
bad ev-empty 2 "empty event name" -p "$pid" -e ''
rr_run ev-twice -b -n 1 -d 0.3 --format csv -o twice.csv -p "$pid" -e cpu-clock,cpu-clock
expect_rc 0
expect_word "more than once"
[ "$(grep -c 'more than once' ev-twice.err)" = 1 ] || fail "ev-twice: not one notice"
[ "$(csvq events twice.csv)" = cpu-clock ] || fail "ev-twice: events $(csvq events twice.csv)"
# A window longer than the 3,600 refreshes kept: cut, said, and the
# header shows the window kept.
rr_run win-long -b -n 1 -d 0.1 --window 600 -p "$pid"
expect_rc 0
expect_word "the window is 360 s"
grep -qx 'window: last 360 s' "$tmp/win-long.out" ||
	{ show "$tmp/win-long.out"; fail "win-long: the header does not show the 360 s kept"; }
fifty=cpu-clock
for _ in $(seq 49); do fifty=$fifty,cpu-clock; done
rr_run ev-fifty -b -n 1 -d 0.3 --format csv -o fifty.csv -p "$pid" -e "$fifty"
expect_rc 0
[ "$(grep -c 'more than once' ev-fifty.err)" = 1 ] || fail "ev-fifty: not one notice"
[ "$(csvq events fifty.csv)" = cpu-clock ] || fail "ev-fifty: events $(csvq events fifty.csv)"

# A 100 KB argument is not echoed back in full.
big=$(head -c 102400 /dev/zero | tr '\0' x)
bad big-event 2 "unknown event" -p "$pid" -e "$big"
bad big-pid 2 "-p needs" -p "$big"
bad big-output 2 "too long" -p "$pid" -o "$big"
for f in big-event big-pid big-output; do
	[ "$(wc -c <"$f.err")" -lt 300 ] || fail "$f: $(wc -c <"$f.err") bytes on stderr"
done
# Nor a newline in one: still one line.
bad newline-sort 2 "unknown sort key" -p "$pid" -s $'a\nb'

# -o at a device, a directory, a link to one: a usage error up front.
mkdir adir
ln -s adir dirlink
bad out-full 2 "/dev/full: it is a device" -p "$pid" -o /dev/full
[ ! -e /dev/full-1 ] || fail "out-full: /dev/full-1 was created"
bad out-null 2 "/dev/null: it is a device" -p "$pid" -o /dev/null
[ ! -e /dev/null-1 ] || fail "out-null: /dev/null-1 was created"
bad out-dir 2 "adir: it is a directory" -p "$pid" -o adir
bad out-dirlink 2 "dirlink: it is a directory" -p "$pid" -o dirlink
[ -z "$(ls adir)" ] && [ ! -e adir-1 ] && [ ! -e dirlink-1 ] || fail "a snapshot went into adir"
# Checked before profiling starts: the refusal comes at once, well
# before the 5 s that -d 5 -n 1 would profile for.
rr_run out-early -b -n 1 -d 5 -p "$pid" -o adir
expect_rc 2
awk -v t="$rr_elapsed" 'BEGIN { exit !(t < 3) }' || fail "out-early: refused after $rr_elapsed s"

# Targets that cannot be profiled: a kernel thread, rrstat-top itself,
# and (as nobody) a process of root.  Exit 1 (could not attach).
kthread=
for s in /proc/[0-9]*/stat; do
	read -r line <"$s" 2>/dev/null || continue
	read -r -a f <<<"${line##*) }"
	if [ $(( f[6] & 0x00200000 )) -ne 0 ]; then
		s=${s#/proc/}
		kthread=${s%/stat}
		break
	fi
done
if [ -n "$kthread" ]; then
	for sampler in perf ptrace; do
		bad "kthread-$sampler" 1 "is a kernel thread: it has no user space" \
		    --sampler "$sampler" -p "$kthread"
	done
else
	note "no kernel thread visible: kernel-thread cases skipped"
fi
for sampler in perf ptrace; do
	name=self-$sampler
	rr_name=$name
	rc=0
	timeout -k 5 "$RR_TIMEOUT" bash -c 'exec "$0" -b -n 1 -d 0.2 -o rr-out.csv --sampler "$1" -p $$' \
	    "$RRSTAT_TOP" "$sampler" </dev/null >"$name.out" 2>"$name.err" || rc=$?
	echo "+ rrstat-top --sampler $sampler -p (its own pid): exit $rc"
	sed 's/^/  stderr: /' "$name.err"
	expect_rc 1
	expect_one_line_stderr
	expect_word "rrstat-top itself: a profiler cannot profile itself"
	expect_nothing_written
done
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 &&
    setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$RRSTAT_TOP"; then
	for sampler in perf ptrace; do
		name=nobody-$sampler
		rr_name=$name
		rc=0
		# Nobody has no settings file (the test's own is root's).
		(cd / && XDG_CONFIG_HOME=/nonexistent timeout -k 5 "$RR_TIMEOUT" \
		    setpriv --reuid=65534 --regid=65534 --clear-groups "$RRSTAT_TOP" -b -n 1 -d 0.2 --sampler "$sampler" -p 1) \
		    </dev/null >"$name.out" 2>"$name.err" || rc=$?
		echo "+ (as nobody) rrstat-top --sampler $sampler -p 1: exit $rc"
		sed 's/^/  stderr: /' "$name.err"
		expect_rc 1
		expect_one_line_stderr
		expect_word "no permission to profile process 1"
	done
else
	note "not root, or no setpriv, or nobody cannot run $RRSTAT_TOP: the no-rights case skipped"
fi

# -F above kernel.perf_event_max_sample_rate: the perf sampler samples at
# the kernel's most, and says so in one line.
max=$(cat /proc/sys/kernel/perf_event_max_sample_rate 2>/dev/null || echo 0)
if [ "$max" -gt 0 ] && [ "$max" -lt 1000000 ]; then
	rr_run freq-above -b -n 1 -d 0.5 --format csv -o above.csv --sampler perf --no-kernel -p "$pid" -F $((max + 1))
	expect_rc 0
	expect_word "is above kernel.perf_event_max_sample_rate: sampling at $max Hz"
	[ "$(grep -c -v 'snapshot written' freq-above.err)" = 1 ] || fail "freq-above: not one notice"
	csvq check above.csv || fail "freq-above: above.csv is not a valid snapshot"
else
	note "kernel.perf_event_max_sample_rate is '$max': the -F clamp case skipped"
fi

# A 255-byte name written twice: the second cut to fit NAME_MAX.
long=$(head -c 251 /dev/zero | tr '\0' a).csv
for i in 1 2; do
	rr_run "long$i" -b -n 1 -d 0.3 --format csv -o "$long" -p "$pid"
	expect_rc 0
	expect_one_line_stderr
done
want=$(head -c 249 /dev/zero | tr '\0' a)-1.csv
expect_word "snapshot written to $want"
csvq check "$want" || fail "long2: $want is not a valid snapshot"

# The -o directory removed during the run: the default name, here.
mkdir gone
(sleep 1.5; rmdir gone) &
remover=$!
rr_run gone -b -n 4 -d 0.5 --format csv -o gone/x.csv -p "$pid"
wait "$remover"
[ ! -e gone ] || fail "gone: the directory was not removed during the run"
expect_rc 0
expect_one_line_stderr
expect_word "snapshot written to rrstat-top-$pid-"
written=$(sed -n 's/^rrstat-top: snapshot written to //p' gone.err)
csvq check "$written" || fail "gone: $written is not a valid snapshot"

kill -0 "$pid" 2>/dev/null || fail "the target died along the way"
