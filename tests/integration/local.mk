# Integration tests: the real rrstat-top against the targets in
# tests/targets (each script sources tests/setup.sh; 77 is a skip, where
# perf_event_open is refused, or ptrace for the ptrace-*.sh tests).
INTEGRATION_SH = \
	tests/integration/batch-work.sh \
	tests/integration/config.sh \
	tests/integration/diff.sh \
	tests/integration/columns.sh \
	tests/integration/batch-pie.sh \
	tests/integration/batch-nopie.sh \
	tests/integration/libm.sh \
	tests/integration/late-thread.sh \
	tests/integration/wakeups.sh \
	tests/integration/threads-churn.sh \
	tests/integration/cxx-demangle.sh \
	tests/integration/spawn.sh \
	tests/integration/target-exit.sh \
	tests/integration/events.sh \
	tests/integration/event-fallback.sh \
	tests/integration/demo.sh \
	tests/integration/list-events.sh \
	tests/integration/exports.sh \
	tests/integration/pprof.sh \
	tests/integration/no-overwrite.sh \
	tests/integration/bad-input.sh \
	tests/integration/bad-input-2.sh \
	tests/integration/stripped.sh \
	tests/integration/libm-names.sh \
	tests/integration/plt.sh \
	tests/integration/debug-dir.sh \
	tests/integration/debuginfod.sh \
	tests/integration/json-lines.sh \
	tests/integration/jit-map.sh \
	tests/integration/jit-node.sh \
	tests/integration/dlopen.sh \
	tests/integration/dlopen-copies.sh \
	tests/integration/rust-names.sh \
	tests/integration/mount-ns.sh \
	tests/integration/wait-time.sh \
	tests/integration/ptrace-fallback.sh \
	tests/integration/ptrace-threads.sh \
	tests/integration/ptrace-detach.sh \
	tests/integration/ptrace-signals.sh \
	tests/integration/ptrace-traced.sh \
	tests/integration/ptrace-hw.sh \
	tests/integration/callgraph-targets.sh \
	tests/integration/callgraph-fp.sh \
	tests/integration/callgraph-dwarf.sh \
	tests/integration/callgraph-cxx.sh \
	tests/integration/callgraph-ptrace.sh \
	tests/integration/callgraph-ptrace-nofp.sh \
	tests/integration/callgraph-options.sh \
	tests/integration/callgraph-event.sh \
	tests/integration/callgraph-wait.sh \
	tests/integration/fault-signals.sh \
	tests/integration/fault-limits.sh \
	tests/integration/fault-target.sh \
	tests/integration/many-threads.sh \
	tests/integration/ptrace-exec.sh \
	tests/integration/ptrace-stopped.sh \
	tests/integration/deleted-lib.sh \
	tests/integration/locale-numbers.sh
INTEGRATION_TESTS += $(INTEGRATION_SH)

EXTRA_DIST += $(INTEGRATION_SH)

# Helpers of the ptrace sampler and wait-time tests (sourced by them and
# by tests/ui/ptrace-quit.sh).
EXTRA_DIST += tests/integration/ptrace-lib.sh

# Helpers of the call graph tests: the checks of a snapshot against the
# targets' call trees (cgcheck.py), perf's profile in rrstat-top's formats
# (perf2rr.py, for callgraph-targets.sh), and the shell
# side (callgraph-lib.sh, also sourced by tests/ui/callers.sh).  The
# benchmark beside perf record -g is listed here too, with its helpers.
EXTRA_DIST += tests/integration/callgraph-lib.sh tests/integration/cgcheck.py \
	tests/integration/perf2rr.py tests/bench/compare-perf-g.sh

# The pprof test's decoder of profile.proto (gzip and the wire format,
# no protobuf library).
EXTRA_DIST += tests/integration/pprofdec.py
