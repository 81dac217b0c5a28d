#!/bin/bash
# callgraph-dwarf: -g dwarf (user stack copied with each sample, unwound
# from the unwind tables) with the perf sampler, attached with -p, on the
# three builds of callgraph: _fp, _nofp (-O2 -fomit-frame-pointer: only
# .eh_frame can walk it) and _stripped (a copy of _nofp without any
# symbol: its frames are named BINARY+0xSTART, and the test names them from
# _nofp's symbol table, at the same addresses), each calling through its
# libcg (with, and without frame pointers).  Each has the call tree of the
# construction in its csv (total_pct, self_pct), folded (the stacks, root
# first) and text table ('call graph: dwarf'), as callgraph-fp.sh checks it
# for -g fp, within +-8 points (see callgraph-lib.sh).
# Fails where rrstat-top has no call graphs (no --max-stack in --help).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=callgraph-lib.sh
. "$TESTS_SRCDIR/integration/callgraph-lib.sh"
require_callgraph
require_perf
require_python

for build in fp nofp stripped; do
	start_target "callgraph_$build" 60
	cg_profile "dwarf-$build" c "callgraph_$build" dwarf
	stop_target "$TARGET_PID"
done
