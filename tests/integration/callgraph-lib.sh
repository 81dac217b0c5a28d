# shellcheck shell=bash disable=SC2154
# tests/integration/callgraph-lib.sh: sourced, after tests/setup.sh (and
# ptrace-lib.sh where the ptrace sampler is used), by the call graph tests
# (tests/integration/callgraph-*.sh, tests/ui/callers.sh).  The targets are
# tests/targets/callgraph_{fp,nofp,stripped} and callgraph_cxx_{...}, whose
# call trees are known by construction (the tables at the top of
# callgraph.c and callgraph_cxx.cc); tests/integration/cgcheck.py checks a
# snapshot against them.
#
#   require_callgraph     fail where this rrstat-top has no call graphs
#                         (its --help does not mention --max-stack): a
#                         build that lost them must not pass by skipping
#   cgcheck TREE FORMAT FILE [OPTION...]
#                         tests/integration/cgcheck.py (see its --help)
#   cg_names TARGET       the options that name a stripped target's frames:
#                         "--binary TARGET" and, for callgraph*_stripped,
#                         "--names FILE" (nm -C of its _nofp twin)
#   cg_profile NAME TREE TARGET MODE [ARG...]
#                         rrstat-top -b -p $TARGET_PID -g MODE ARG... twice
#                         (--format csv, then folded; $CG_RUN runs it:
#                         rr_run, or rr_run_noperf for the ptrace sampler),
#                         each checked by cgcheck, and the text tables on
#                         stdout: 'call graph: MODE', the shares
#   cg_ptrace_profile TREE TARGET MODE
#                         under ptrace (after ptrace-lib.sh): starts TARGET,
#                         cg_profile with rr_run_noperf, 'sampler: ptrace',
#                         the target left untraced and running, stops it
#   cg_header_is NAME REGEX   the last 'call graph:' line of $tmp/NAME.out
#                         matches REGEX (grep -E, anchored)
#
# How long and how loose: each run samples for -d 0.5 -n 5 (2.5 s; about
# 2500 samples of cpu-clock at the default 1000 Hz on an idle machine, and
# still several hundred on a loaded 2-core one: cpu-clock counts on-CPU time
# only, so a target that is descheduled gets fewer samples but the same
# shares).  Shares are checked within +-8 points, widened to four standard
# deviations where a share is of a few hundred samples (cgcheck.py); fewer
# than 300 samples fail as too few to judge, so a run that counts fewer
# than 400 (a target starved by a loaded machine, the sanitizer builds)
# is run again once, sampling three times as long (cg_run).  An unwinder that loses,
# adds or misplaces a frame moves a share by 10 to 60 points.

CG_RUN=${CG_RUN:-rr_run}
CG_SAMPLING=(-d 0.5 -n 5)
CG_SAMPLING_LONG=(-d 0.5 -n 15)

# cg_run NAME ARG... -o FILE: $CG_RUN NAME ARG... -o FILE with
# CG_SAMPLING; where its last refresh counted fewer than 400 samples,
# FILE removed and the run made again with CG_SAMPLING_LONG.
cg_run() {
	local name=$1 n a out="" prev=""
	shift
	for a in "$@"; do
		[ "$prev" = -o ] && out=$a
		prev=$a
	done
	"$CG_RUN" "$name" "$@" "${CG_SAMPLING[@]}"
	n=$(sed -n 's/^samples: \([0-9]*\)$/\1/p' "$tmp/$name.out" | tail -n 1)
	if [ "$rc" = 0 ] && [ -n "$out" ] && [ "${n:-0}" -lt 400 ]; then
		note "$name: ${n:-no} samples (the target starved): again, sampling three times as long"
		rm -f "$out"
		"$CG_RUN" "$name" "$@" "${CG_SAMPLING_LONG[@]}"
	fi
}

# Skips the test while rrstat-top has no call graphs.
require_callgraph() {
	[ -x "$RRSTAT_TOP" ] || fail "no rrstat-top at $RRSTAT_TOP (build it first)"
	if ! "$RRSTAT_TOP" --help 2>&1 | grep -q -- '--max-stack'; then
		fail "this rrstat-top has no call graphs (its --help does not mention --max-stack)"
	fi
}

cgcheck() {
	python3 "$TESTS_SRCDIR/integration/cgcheck.py" "$@"
}

# cg_names TARGET: cgcheck's options naming TARGET's frames, one a line.
cg_names() {
	local t=$1 twin
	echo --binary
	echo "$t"
	case $t in
	*_stripped)
		twin=$(target_path "${t%_stripped}_nofp")
		if [ ! -s "$tmp/$t.nm" ]; then
			command -v nm >/dev/null 2>&1 || skip "nm is needed to name the frames of $t"
			nm -C "$twin" >"$tmp/$t.nm" || fail "nm -C $twin failed"
		fi
		echo --names
		echo "$tmp/$t.nm"
		;;
	esac
}

# cg_header_is NAME REGEX: the last 'call graph:' line in $tmp/NAME.out.
cg_header_is() {
	local line
	line=$(grep -E '^call graph:' "$tmp/$1.out" | tail -n 1)
	if ! grep -Eq -- "^call graph: ($2)\$" <<<"$line"; then
		show "$tmp/$1.out"
		fail "$1: the text output's call graph line is '${line:-(none)}', expected /call graph: $2/"
	fi
	note "$1: $line"
}

# cg_profile NAME TREE TARGET MODE [ARG...]: see the top of this file.
cg_profile() {
	local name=$1 tree=$2 target=$3 mode=$4 names=() fmt
	shift 4
	mapfile -t names < <(cg_names "$target")
	for fmt in csv folded; do
		cg_run "$name-$fmt" -b -p "$TARGET_PID" -g "$mode" "$@" \
		    --format "$fmt" -o "$name.$fmt"
		expect_rc 0
		[ -f "$name.$fmt" ] || fail "$name: no $name.$fmt"
		cg_header_is "$name-$fmt" "$mode(,? .*)?"
		if grep -E '^call graph:' "$name-$fmt.out" | grep -q 'chosen'; then
			fail "$name: the call graph line says the mode was chosen, but -g $mode was given"
		fi
		if ! cgcheck "$tree" "$fmt" "$name.$fmt" "${names[@]}"; then
			show "$name.$fmt"
			fail "$name: the $fmt snapshot of -g $mode on $target is not the call tree of the construction (above)"
		fi
	done
	if ! cgcheck "$tree" text "$name-csv.out" "${names[@]}" --header "$mode(,? .*)?"; then
		fail "$name: the text table of -g $mode on $target is not the call tree of the construction (above)"
	fi
}

# cg_ptrace_profile TREE TARGET MODE: see the top of this file.
cg_ptrace_profile() {
	local tree=$1 target=$2 mode=$3 name
	name=ptrace-$mode-$target
	start_target "$target" 60
	CG_RUN=rr_run_noperf cg_profile "$name" "$tree" "$target" "$mode"
	if ! grep -Eq '^sampler: ptrace$' "$tmp/$name-csv.out"; then
		show "$tmp/$name-csv.out"
		fail "$name: the text output has no 'sampler: ptrace' line"
	fi
	assert_untraced "$TARGET_PID"
	assert_progress "$TARGET_PID"
	stop_target "$TARGET_PID"
}
