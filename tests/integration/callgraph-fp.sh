#!/bin/bash
# callgraph-fp: -g fp (frame pointers) with the perf sampler, on
# callgraph_fp (every function has a frame pointer), attached with -p.
# The call tree of the construction (tests/targets/callgraph.c), within
# +-8 points (see callgraph-lib.sh for the tolerances):
#   csv     total_pct and self_pct of main, outer, left, burn, right,
#           recurse, via_lib, lib_work (its binary libcg_fp.so) and
#           lib_callback; recurse's total 30 %, counted once per sample
#           although six frames of it are on each of its stacks
#   folded  root first: ...;main;outer;left;burn 30 %, main;outer;right
#           20 % (left 60 %, right 40 % of outer's samples), main and six
#           recurse frames 30 %, main;via_lib;lib_work 10 % and
#           main;via_lib;lib_work;lib_callback 10 %; nothing else
#   json    each function's callers and callees with their shares of its
#           total: outer called by main (100 %), calling left 60 % and
#           right 40 %; recurse calling recurse (100 %: its outermost
#           occurrence); lib_work [self] 50 %, lib_callback 50 %
#   text    'call graph: fp' in the header; with -s total the rows are in
#           decreasing order of TOTAL%
# Fails where rrstat-top has no call graphs (no --max-stack in --help).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=callgraph-lib.sh
. "$TESTS_SRCDIR/integration/callgraph-lib.sh"
require_callgraph
require_perf
require_python

start_target callgraph_fp 60
cg_profile fp c callgraph_fp fp

cg_run json -b -p "$TARGET_PID" -g fp -s total --format json -o fp.json
expect_rc 0
cg_header_is json 'fp(,? .*)?'
cgcheck c json fp.json --binary callgraph_fp ||
	fail "the json snapshot's callers and callees are not those of the construction (above)"
cgcheck c text json.out --binary callgraph_fp --sorted-total --header 'fp(,? .*)?' ||
	fail "with -s total, the text table is not in decreasing order of TOTAL% (above)"
