#!/bin/bash
# mount-ns: the work target's functions are named (work_a 75 %, work_b
# 25 %, +- 8 points) when its binary cannot be opened by its path:
#  1. deleted: a copy of work started, then removed (it is left only
#     behind /proc/PID/map_files and /proc/PID/exe);
#  2. in another mount namespace: copied onto a tmpfs mounted inside
#     `unshare --mount` and run there, so that it exists only in that
#     namespace (through /proc/PID/root); skipped where unshare is refused;
#  3. replaced: another program moved onto the copy's path after it
#     started; the names come from the file it runs, never the new one;
#  4. replaced while sampled: the same with rrstat-top starting the copy
#     (it learns the mapping before the path names another file).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf
require_python

work=$(target_path work)
other=$(target_path perf_probe)

# check_names FILE BINARY: FILE has the work profile, named in BINARY.
check_names() {
	local top
	csvq dump "$1"
	check_work_profile "$1"
	top=$(csvq top "$1" cpu-clock | cut -f 2)
	[ "$(basename "$top")" = "$2" ] || fail "$1: work_a is in '$top', expected $2"
}

# 1. Deleted after start.
cp "$work" "$tmp/work-deleted"
start_target "$tmp/work-deleted" 30
rm -f "$tmp/work-deleted"
rr_run deleted -b -p "$TARGET_PID" -d 1 -n 3 --format csv -o deleted.csv
expect_rc 0
stop_target "$TARGET_PID"
check_names deleted.csv work-deleted

# 2. Only in another mount namespace.
mkdir "$tmp/ns"
ns_flags=
for flags in "--mount" "--user --map-root-user --mount"; do
	# shellcheck disable=SC2086
	if unshare $flags --propagation private sh -c "mount -t tmpfs tmpfs '$tmp/ns'" \
	    2>/dev/null; then
		ns_flags=$flags
		break
	fi
done
if [ -z "$ns_flags" ]; then
	note "SKIP case 2: unshare --mount is refused here"
else
	note "unshare $ns_flags"
	# shellcheck disable=SC2086
	unshare $ns_flags --propagation private sh -c \
	    "mount -t tmpfs tmpfs '$tmp/ns' && cp '$work' '$tmp/ns/' && exec '$tmp/ns/work' 30" \
	    </dev/null >"$tmp/ns.out" 2>&1 &
	ns_pid=$!
	bg_pids+=("$ns_pid")
	i=0
	until [[ $(readlink "/proc/$ns_pid/exe" 2>/dev/null || true) == */ns/work ]]; do
		kill -0 "$ns_pid" 2>/dev/null || fail "the target in its mount namespace exited: $(cat "$tmp/ns.out")"
		i=$((i + 1))
		[ "$i" -lt 200 ] || fail "the target in its mount namespace did not start within 10 s"
		sleep 0.05
	done
	[ ! -e "$tmp/ns/work" ] || fail "$tmp/ns/work is visible outside the namespace"
	rr_run ns -b -p "$ns_pid" -d 1 -n 3 --format csv -o ns.csv
	expect_rc 0
	stop_target "$ns_pid"
	check_names ns.csv work
fi

# 3. Replaced after start (a running binary cannot be written: moved over).
cp "$work" "$tmp/work-swap"
start_target "$tmp/work-swap" 30
cp "$other" "$tmp/other"
mv -f "$tmp/other" "$tmp/work-swap"
rr_run replaced -b -p "$TARGET_PID" -d 1 -n 3 --format csv -o replaced.csv
expect_rc 0
stop_target "$TARGET_PID"
check_names replaced.csv work-swap

# 4. Replaced while rrstat-top samples it, before its first refresh.
cp "$work" "$tmp/work-swap2"
cp "$other" "$tmp/other2"
(
	i=0
	until [[ $(readlink /proc/[0-9]*/exe 2>/dev/null) == *"$tmp/work-swap2"* ]]; do
		i=$((i + 1))
		[ "$i" -lt 200 ] || exit 1
		sleep 0.02
	done
	mv -f "$tmp/other2" "$tmp/work-swap2"
) &
swap_pid=$!
rr_run replaced2 -b -d 1 --duration 3 --format csv -o replaced2.csv -- "$tmp/work-swap2" 4
expect_rc 0
wait "$swap_pid" || fail "the copy was not seen running: not replaced"
check_names replaced2.csv work-swap2
