#!/bin/bash
# callgraph-cxx: C++ frames in call graphs, on callgraph_cxx (tests/targets/
# callgraph_cxx.cc): main calls cg::Worker<int>::run(unsigned long) (60 %,
# all in void cg::spin<int>(unsigned long)) and cg::Worker<long>::run
# (40 %: 20 % itself, 20 % in cg::spin<long>).  Names demangled as the
# table shows them, in the csv and in the folded stacks (no _Z name left),
# shares within +-8 points (see callgraph-lib.sh): -g fp on _fp and
# -g dwarf on _nofp and _stripped with the perf sampler (the ptrace
# sampler's run is in callgraph-ptrace-nofp.sh).
# Fails where rrstat-top has no call graphs (no --max-stack in --help).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=callgraph-lib.sh
. "$TESTS_SRCDIR/integration/callgraph-lib.sh"
require_callgraph
require_perf
require_python
[ -x "$TARGETS/callgraph_cxx_fp" ] || skip "callgraph_cxx_fp is not built (no C++ compiler?)"

start_target callgraph_cxx_fp 60
cg_profile cxx-fp cxx callgraph_cxx_fp fp
stop_target "$TARGET_PID"
for build in nofp stripped; do
	start_target "callgraph_cxx_$build" 60
	cg_profile "cxx-dwarf-$build" cxx "callgraph_cxx_$build" dwarf
	stop_target "$TARGET_PID"
done
