#!/bin/bash
# callgraph-ptrace-nofp: call graphs with the ptrace sampler, where the kernel
# refuses perf events (rrstat-top runs under tests/targets/noperf, and
# falls back to ptrace by itself): at each stop the registers and the
# stack's bytes are copied, and the session walks (fp) or unwinds (dwarf)
# them.  -g dwarf on the builds without frame pointers, callgraph_nofp,
# _stripped and callgraph_cxx_nofp (callgraph-ptrace.sh: callgraph_fp): the
# call tree of the construction in the csv, folded and text outputs, as
# callgraph-dwarf.sh and callgraph-cxx.sh check it for perf,
# within +-8 points (see callgraph-lib.sh); 'sampler: ptrace'; every target
# is left untraced and running.
# Fails where rrstat-top has no call graphs (no --max-stack in --help).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
# shellcheck source=ptrace-lib.sh
. "$TESTS_SRCDIR/integration/ptrace-lib.sh"
# shellcheck source=callgraph-lib.sh
. "$TESTS_SRCDIR/integration/callgraph-lib.sh"
require_callgraph
require_noperf
require_ptrace
require_python

cg_ptrace_profile c callgraph_nofp dwarf
cg_ptrace_profile c callgraph_stripped dwarf
cg_ptrace_profile cxx callgraph_cxx_nofp dwarf
