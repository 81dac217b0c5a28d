#!/bin/bash
# fault-limits: rrstat-top short of resources, with each sampler (perf,
# ptrace), on work.  Out of file descriptors (ulimit -n 8, hard limit
# too): the profile is whole and honest (exit 0, work_a about 75 %, the
# target still running and "1 thread", not "exited").  Out of memory
# (ulimit -v, a few sizes below what it needs): either the run works, or
# it fails with status 1 and one line that says memory, or (out of memory
# part way, where xmalloc gives up) it says "out of memory" and aborts;
# no snapshot is left behind.  The output disk full (-o into a 16 KB
# tmpfs, filled): status 1, one line naming the file and "No space left
# on device", and no file (nor temporary file) left there.  Every time
# the target is left untraced, not stopped, and running.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ptrace-lib.sh
. "$TESTS_SRCDIR/integration/ptrace-lib.sh"
require_perf
require_ptrace
require_python

start_target work 120
work=$TARGET_PID

for sampler in perf ptrace; do
	name=$sampler-nofile
	(ulimit -n 8; rr_run "$name" -b -d 0.5 -n 2 --sampler "$sampler" -p "$work" \
	    --format csv -o "$name.csv"; echo "$rc" >"$name.rc") || true
	[ -s "$name.rc" ] || fail "$name: the run failed the test's checks (above)"
	rc=$(cat "$name.rc")
	rr_name=$name
	expect_rc 0
	grep -q "^target: pid $work (work), 1 thread\$" "$name.out" ||
		{ show "$name.out"; fail "$sampler under ulimit -n 8: the header does not say 1 thread"; }
	if cat "$name.out" "$name.err" | grep -q exited; then
		fail "$sampler under ulimit -n 8: the running target is said to have exited"
	fi
	check_work_profile "$name.csv"
	assert_untraced "$work"
done

# ulimit -v: with AddressSanitizer (its shadow memory) nothing runs.
if ldd "$RRSTAT_TOP" 2>/dev/null | grep -q 'libasan\|libtsan'; then
	note "a sanitizer build: ulimit -v not tried"
else
	# The address space the program needs to start at all (its shared
	# libraries: more with libdebuginfod's), then 8, 16 and 24 MB more.
	base=8000
	while [ "$base" -lt 400000 ] && ! (ulimit -v "$base"; "$RRSTAT_TOP" --version) >/dev/null 2>&1; do
		base=$((base + 4000))
	done
	note "rrstat-top starts within ulimit -v $base"
	for sampler in perf ptrace; do
		for kb in $((base + 8000)) $((base + 16000)) $((base + 24000)); do
			name=$sampler-mem-$kb
			rm -f mem.csv
			(ulimit -v "$kb"; rr_start "$name" -b -d 0.3 -n 2 --sampler "$sampler" -p "$work" \
			    --format csv -o mem.csv; rr_finish; echo "$rc" >"$name.rc") || true
			[ -s "$name.rc" ] || fail "$name: the run failed the test's checks (above)"
			rc=$(cat "$name.rc")
			case $rc in
			0) csvq check mem.csv || fail "$name: mem.csv is not a whole snapshot" ;;
			1)
				rr_name=$name
				expect_one_line_stderr
				grep -qi 'memory' "$name.err" || fail "$name: the message does not say memory: $(cat "$name.err")"
				[ ! -e mem.csv ] || fail "$name: a snapshot is left after the failure" ;;
			134)
				# Out of memory part way (xmalloc): said, then abort.
				grep -q '^rrstat-top: out of memory' "$name.err" ||
					{ show "$name.err"; fail "$name: aborted without saying out of memory"; }
				[ ! -e mem.csv ] || fail "$name: a snapshot is left after the abort" ;;
			127) note "$name: the loader cannot map the libraries: not rrstat-top's to say" ;;
			*) show "$name.err"; fail "$name: exit status $rc" ;;
			esac
			[ -z "$(ls -A | grep '^\.rrstat-top')" ] || fail "$name: a temporary file is left"
			assert_untraced "$work"
		done
	done
fi

# The disk full.
mkdir full
if ! mount -t tmpfs -o size=16k rrstat-full full 2>mount.err; then
	note "cannot mount a tmpfs ($(head -n 1 mount.err)): the disk-full case not tried"
else
	# Unmounted before the other cleanups (which remove $tmp).
	eval "full_prev_trap=($(trap -p EXIT))"
	# shellcheck disable=SC2016
	trap 'full_status=$?; [ "$BASHPID" = "$$" ] || exit "$full_status"; umount "$tmp/full" 2>/dev/null || true; (exit "$full_status"); eval "${full_prev_trap[2]}"' EXIT
	head -c 16384 /dev/zero >full/fill 2>/dev/null || true
	for sampler in perf ptrace; do
		rr_run "$sampler-full" -b -d 0.3 -n 2 --sampler "$sampler" -p "$work" \
		    --format json -o full/s.json
		expect_rc 1
		grep -q 'full/s\.json.*No space left on device' "$sampler-full.err" ||
			{ show "$sampler-full.err"; fail "$sampler: the message does not name the file and the full disk"; }
		[ "$(ls -A full)" = fill ] || fail "$sampler: files left on the full disk: $(ls -A full)"
		assert_untraced "$work"
	done
	umount full
fi
assert_progress "$work"
