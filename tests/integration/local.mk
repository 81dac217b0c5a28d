# Integration tests: the real rrstat-top against the targets in
# tests/targets (each script sources tests/setup.sh; 77 is a skip, where
# perf_event_open is refused, or ptrace for the ptrace-*.sh tests).
INTEGRATION_SH = \
	tests/integration/batch-work.sh \
	tests/integration/batch-pie.sh \
	tests/integration/batch-nopie.sh \
	tests/integration/libm.sh \
	tests/integration/late-thread.sh \
	tests/integration/threads-churn.sh \
	tests/integration/cxx-demangle.sh \
	tests/integration/spawn.sh \
	tests/integration/target-exit.sh \
	tests/integration/events.sh \
	tests/integration/event-fallback.sh \
	tests/integration/demo.sh \
	tests/integration/list-events.sh \
	tests/integration/exports.sh \
	tests/integration/no-overwrite.sh \
	tests/integration/bad-input.sh \
	tests/integration/stripped.sh \
	tests/integration/libm-names.sh \
	tests/integration/plt.sh \
	tests/integration/debug-dir.sh \
	tests/integration/json-lines.sh \
	tests/integration/jit-map.sh \
	tests/integration/jit-node.sh \
	tests/integration/dlopen.sh \
	tests/integration/rust-names.sh \
	tests/integration/mount-ns.sh \
	tests/integration/wait-time.sh \
	tests/integration/ptrace-fallback.sh \
	tests/integration/ptrace-threads.sh \
	tests/integration/ptrace-detach.sh \
	tests/integration/ptrace-signals.sh \
	tests/integration/ptrace-traced.sh \
	tests/integration/ptrace-hw.sh
INTEGRATION_TESTS += $(INTEGRATION_SH)

EXTRA_DIST += $(INTEGRATION_SH)

# Helpers of the ptrace sampler and wait-time tests (sourced by them and
# by tests/ui/ptrace-quit.sh).
EXTRA_DIST += tests/integration/ptrace-lib.sh
