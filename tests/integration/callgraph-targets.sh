#!/bin/bash
# callgraph-targets: the call graph targets are what their comments say,
# as perf itself measures them (perf record -g, --call-graph dwarf; its
# stacks turned into rrstat-top's formats by perf2rr.py), checked by the
# same cgcheck.py as rrstat-top's snapshots: callgraph_fp with -g (frame
# pointers) and dwarf, callgraph_nofp and callgraph_cxx_nofp with dwarf,
# callgraph_cxx_fp with -g.  When this fails, the targets (or the
# compiler that built them) are wrong, not rrstat-top; when it passes and
# a callgraph-*.sh test fails, rrstat-top is.  Runs whether or not
# rrstat-top has call graphs; skipped without perf (Debian: linux-perf),
# or where perf events are refused.  Tolerances as in callgraph-lib.sh.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=callgraph-lib.sh
. "$TESTS_SRCDIR/integration/callgraph-lib.sh"
require_perf
require_python
command -v perf >/dev/null 2>&1 || skip "perf is not installed"
perf version >perf-version.txt 2>&1 || skip "perf does not run here: $(head -n 1 perf-version.txt)"
note "$(head -n 1 perf-version.txt)"

# measure TREE TARGET MODE: 2 s of perf record on TARGET, checked.
measure() {
	local tree=$1 target=$2 mode=$3 cg=(-g) name=$2-$3 fmt
	[ "$mode" = dwarf ] && cg=(--call-graph dwarf)
	start_target "$target" 60
	echo "+ perf record -e cpu-clock ${cg[*]} -p $TARGET_PID -- sleep 2"
	if ! timeout -k 5 30 perf record -q -e cpu-clock -F 1000 "${cg[@]}" -p "$TARGET_PID" \
	    -o "$name.data" -- sleep 2 >"$name.record" 2>&1; then
		show "$name.record"
		skip "perf record does not work here"
	fi
	stop_target "$TARGET_PID"
	if ! timeout -k 5 60 perf script -i "$name.data" --no-demangle -F comm,tid,period,ip,sym,dso \
	    >"$name.script" 2>"$name.script.err"; then
		show "$name.script.err"
		skip "perf script does not work here"
	fi
	# A perf built without an unwinder (libdw, libunwind) records dwarf
	# stacks but shows only their leaves: that says nothing of the targets.
	python3 "$TESTS_SRCDIR/integration/perf2rr.py" folded <"$name.script" >"$name.folded"
	if [ "$mode" = dwarf ] && ! awk '{ n += $NF; s = $0; sub(/ [0-9]+$/, "", s); if (split(s, f, ";") >= 3) deep += $NF }
	    END { exit !(n > 0 && deep * 2 >= n) }' "$name.folded"; then
		note "SKIP $name: this perf does not unwind dwarf stacks (most have fewer than 3 frames)"
		return 0
	fi
	for fmt in folded csv; do
		python3 "$TESTS_SRCDIR/integration/perf2rr.py" "$fmt" <"$name.script" >"$name.$fmt" ||
			fail "perf2rr.py $fmt failed"
		cgcheck "$tree" "$fmt" "$name.$fmt" --binary "$target" ||
			{ show "$name.$fmt"; fail "$target as perf measures it with ${cg[*]}: not the construction's call tree (above)"; }
	done
}

measure c callgraph_fp fp
measure c callgraph_fp dwarf
measure c callgraph_nofp dwarf
measure cxx callgraph_cxx_fp fp
measure cxx callgraph_cxx_nofp dwarf
