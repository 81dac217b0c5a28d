#!/bin/bash
# ptrace-exec: a process that execs again and again is named after every
# exec.  A shell script counts to 20000, sleeps 0.1 s and re-execs itself
# (exec sh "$0"): each exec maps the shell and libc at new addresses.
# Profiled with -b -n 4 by the ptrace sampler (and by perf where perf
# events are allowed), more than 60 % of cpu-clock is in the shell or in
# libc, and less than 10 % in [unknown] rows (code in no known mapping,
# or named after the image before the exec).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ptrace-lib.sh
. "$TESTS_SRCDIR/integration/ptrace-lib.sh"
require_ptrace
require_python

shell=$(command -v sh)
shell_bin=$(basename "$(readlink -f "$shell")")
cat >reexec.sh <<'EOF'
i=0
while [ $i -lt 20000 ]; do i=$((i+1)); done
sleep 0.1
exec sh "$0"
EOF

# check_named NAME SAMPLER: the snapshot NAME.csv names what the shell ran.
check_named() {
	local named unknown
	csvq dump "$1.csv"
	csvq check "$1.csv" || fail "$1.csv is not a valid snapshot"
	named=$(csvq binpct "$1.csv" cpu-clock "^(${shell_bin//./\\.}|libc[.-].*)\$")
	unknown=$(csvq pct "$1.csv" cpu-clock '[unknown]')
	note "$2: ${named} % in $shell_bin or libc, ${unknown} % [unknown]"
	awk -v u="$unknown" 'BEGIN { exit !(u < 10) }' ||
		fail "$2: ${unknown} % of cpu-clock is [unknown] after the execs, expected less than 10 %"
	awk -v n="$named" 'BEGIN { exit !(n > 60) }' ||
		fail "$2: ${named} % of cpu-clock in $shell_bin or libc, expected more than 60 %"
}

start_target "$shell" reexec.sh
rr_run pt -b -n 4 --sampler ptrace -p "$TARGET_PID" --format csv -o pt.csv
expect_rc 0
check_named pt ptrace
assert_untraced "$TARGET_PID"

if "$TARGETS/perf_probe" 2>/dev/null; then
	rr_run pf -b -n 4 --sampler perf -p "$TARGET_PID" --format csv -o pf.csv
	expect_rc 0
	check_named pf perf
else
	note "perf events refused here: the perf sampler is not compared"
fi
stop_target "$TARGET_PID"
