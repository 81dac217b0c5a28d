# Target programs with a profile known by construction (see the comment at
# the top of each source).  Built by make check, never installed.  They
# take their own flags instead of AM_CFLAGS and AM_LDFLAGS: with or without
# --enable-sanitizers they are plain -O2 programs, so that their profile is
# the one their comments describe.
TARGET_C_FLAGS = -std=gnu11 -O2 -g -fno-omit-frame-pointer -Wall -Wextra
TARGET_CXX_FLAGS = -O2 -g -fno-omit-frame-pointer -Wall -Wextra
TARGET_LINK_FLAGS = -Wl,-O1

check_PROGRAMS += \
	tests/targets/work tests/targets/work_pie tests/targets/work_nopie \
	tests/targets/work_stripped tests/targets/libm_work \
	tests/targets/late_thread tests/targets/cxx_templates \
	tests/targets/faults tests/targets/switches tests/targets/threads \
	tests/targets/perf_probe tests/targets/plt_work tests/targets/plt_work_now

# work: work_a 75 %, work_b 25 %; built four ways.
tests_targets_work_SOURCES = tests/targets/work.c
tests_targets_work_CFLAGS = $(TARGET_C_FLAGS)
tests_targets_work_LDFLAGS = $(TARGET_LINK_FLAGS)
tests_targets_work_pie_SOURCES = tests/targets/work.c
tests_targets_work_pie_CFLAGS = $(TARGET_C_FLAGS) -fPIE
tests_targets_work_pie_LDFLAGS = $(TARGET_LINK_FLAGS) -pie
tests_targets_work_nopie_SOURCES = tests/targets/work.c
tests_targets_work_nopie_CFLAGS = $(TARGET_C_FLAGS) -fno-pie
tests_targets_work_nopie_LDFLAGS = $(TARGET_LINK_FLAGS) -no-pie
tests_targets_work_stripped_SOURCES = tests/targets/work.c
tests_targets_work_stripped_CFLAGS = $(TARGET_C_FLAGS)
tests_targets_work_stripped_LDFLAGS = $(TARGET_LINK_FLAGS) -s

# libm_work: about 90 % in libm.so.6.
tests_targets_libm_work_SOURCES = tests/targets/libm_work.c
tests_targets_libm_work_CFLAGS = $(TARGET_C_FLAGS) -fno-builtin
tests_targets_libm_work_LDFLAGS = $(TARGET_LINK_FLAGS)
tests_targets_libm_work_LDADD = -lm

# plt_work: labs called through its PLT stub, lazy and BIND_NOW.
tests_targets_plt_work_SOURCES = tests/targets/plt_work.c
tests_targets_plt_work_CFLAGS = $(TARGET_C_FLAGS) -fno-builtin
tests_targets_plt_work_LDFLAGS = $(TARGET_LINK_FLAGS) -Wl,-z,lazy
tests_targets_plt_work_now_SOURCES = tests/targets/plt_work.c
tests_targets_plt_work_now_CFLAGS = $(TARGET_C_FLAGS) -fno-builtin
tests_targets_plt_work_now_LDFLAGS = $(TARGET_LINK_FLAGS) -Wl,-z,now

# late_thread: its only busy thread (late_hot) starts after 1 s.
tests_targets_late_thread_SOURCES = tests/targets/late_thread.c
tests_targets_late_thread_CFLAGS = $(TARGET_C_FLAGS)
tests_targets_late_thread_LDFLAGS = $(TARGET_LINK_FLAGS)
tests_targets_late_thread_LDADD = $(PTHREAD_LIBS)

# cxx_templates: rrs::hot_template<double>(double) on top.
tests_targets_cxx_templates_SOURCES = tests/targets/cxx_templates.cc
tests_targets_cxx_templates_CXXFLAGS = $(TARGET_CXX_FLAGS)
tests_targets_cxx_templates_LDFLAGS = $(TARGET_LINK_FLAGS)

# faults: page faults in fault_pages.
tests_targets_faults_SOURCES = tests/targets/faults.c
tests_targets_faults_CFLAGS = $(TARGET_C_FLAGS)
tests_targets_faults_LDFLAGS = $(TARGET_LINK_FLAGS)

# switches: context switches in ping_pong (two threads).
tests_targets_switches_SOURCES = tests/targets/switches.c
tests_targets_switches_CFLAGS = $(TARGET_C_FLAGS)
tests_targets_switches_LDFLAGS = $(TARGET_LINK_FLAGS)
tests_targets_switches_LDADD = $(PTHREAD_LIBS)

# threads: short-lived threads, all busy in short_lived.
tests_targets_threads_SOURCES = tests/targets/threads.c
tests_targets_threads_CFLAGS = $(TARGET_C_FLAGS)
tests_targets_threads_LDFLAGS = $(TARGET_LINK_FLAGS)
tests_targets_threads_LDADD = $(PTHREAD_LIBS)

# many_threads: N threads blocked in a condition wait, the main thread
# busy in many_spin (a process with 2,000 threads).
check_PROGRAMS += tests/targets/many_threads
tests_targets_many_threads_SOURCES = tests/targets/many_threads.c
tests_targets_many_threads_CFLAGS = $(TARGET_C_FLAGS)
tests_targets_many_threads_LDFLAGS = $(TARGET_LINK_FLAGS)
tests_targets_many_threads_LDADD = $(PTHREAD_LIBS)

# perf_probe: may this machine sample with perf_event_open (tests skip
# when not), and does it have a PMU for cpu-cycles.
tests_targets_perf_probe_SOURCES = tests/targets/perf_probe.c
tests_targets_perf_probe_CFLAGS = $(TARGET_C_FLAGS)
tests_targets_perf_probe_LDFLAGS = $(TARGET_LINK_FLAGS)

# jit_fake: JIT code named in /tmp/perf-PID.map; jit_hot_loop on top.
check_PROGRAMS += tests/targets/jit_fake
tests_targets_jit_fake_SOURCES = tests/targets/jit_fake.c
tests_targets_jit_fake_CFLAGS = $(TARGET_C_FLAGS)
tests_targets_jit_fake_LDFLAGS = $(TARGET_LINK_FLAGS)

# dlopen_late: dlopens libdlhot.so after 1 s and runs its dl_hot.
check_PROGRAMS += tests/targets/dlopen_late tests/targets/libdlhot.so
tests_targets_dlopen_late_SOURCES = tests/targets/dlopen_late.c
tests_targets_dlopen_late_CFLAGS = $(TARGET_C_FLAGS)
tests_targets_dlopen_late_LDFLAGS = $(TARGET_LINK_FLAGS)
tests_targets_dlopen_late_LDADD = -ldl
tests_targets_libdlhot_so_SOURCES = tests/targets/libdlhot.c
tests_targets_libdlhot_so_CFLAGS = $(TARGET_C_FLAGS) -fPIC
tests_targets_libdlhot_so_LDFLAGS = $(TARGET_LINK_FLAGS) -shared

# dlcopy: copies of libdlhot.so under fresh names, each loaded, run in
# dl_hot and deleted in turn.
check_PROGRAMS += tests/targets/dlcopy
tests_targets_dlcopy_SOURCES = tests/targets/dlcopy.c
tests_targets_dlcopy_CFLAGS = $(TARGET_C_FLAGS)
tests_targets_dlcopy_LDFLAGS = $(TARGET_LINK_FLAGS)
tests_targets_dlcopy_LDADD = -ldl

# hotline: hotline_loop's time on the line marked HOT_LINE (-O1).
check_PROGRAMS += tests/targets/hotline
tests_targets_hotline_SOURCES = tests/targets/hotline.c
tests_targets_hotline_CFLAGS = -std=gnu11 -O1 -g -fno-omit-frame-pointer -Wall -Wextra
tests_targets_hotline_LDFLAGS = $(TARGET_LINK_FLAGS)

# inline_hot: inline_caller's loop runs the inlined inline_mix (-O2).
check_PROGRAMS += tests/targets/inline_hot
tests_targets_inline_hot_SOURCES = tests/targets/inline_hot.c
tests_targets_inline_hot_CFLAGS = $(TARGET_C_FLAGS)
tests_targets_inline_hot_LDFLAGS = $(TARGET_LINK_FLAGS)

# rust_hot: rust_hot::engine::hot_rust on top; compiled with rustc by
# tests/integration/rust-names.sh at test time (not here: rustc is optional).
EXTRA_DIST += tests/targets/rust_hot.rs

# wait_read: one thread, 60 % of its wall time blocked in read on a pipe
# (wait_here, woken by a timer), 40 % spinning in burn.
check_PROGRAMS += tests/targets/wait_read
tests_targets_wait_read_SOURCES = tests/targets/wait_read.c
tests_targets_wait_read_CFLAGS = $(TARGET_C_FLAGS)
tests_targets_wait_read_LDFLAGS = $(TARGET_LINK_FLAGS)

# churn_exec: short-lived threads in churn_work, then (on SIGUSR1 or after
# a delay) an exec of itself that runs after_exec_work.
check_PROGRAMS += tests/targets/churn_exec
tests_targets_churn_exec_SOURCES = tests/targets/churn_exec.c
tests_targets_churn_exec_CFLAGS = $(TARGET_C_FLAGS)
tests_targets_churn_exec_LDFLAGS = $(TARGET_LINK_FLAGS)
tests_targets_churn_exec_LDADD = $(PTHREAD_LIBS)

# sigself: signals sent to itself and a SIGSTOP, counted into a file.
check_PROGRAMS += tests/targets/sigself
tests_targets_sigself_SOURCES = tests/targets/sigself.c
tests_targets_sigself_CFLAGS = $(TARGET_C_FLAGS)
tests_targets_sigself_LDFLAGS = $(TARGET_LINK_FLAGS)
tests_targets_sigself_LDADD = $(PTHREAD_LIBS)

# noperf: runs a command under a seccomp filter that refuses
# perf_event_open (EACCES), where "the kernel refuses perf".
check_PROGRAMS += tests/targets/noperf
tests_targets_noperf_SOURCES = tests/targets/noperf.c
tests_targets_noperf_CFLAGS = $(TARGET_C_FLAGS)
tests_targets_noperf_LDFLAGS = $(TARGET_LINK_FLAGS)

# tracer: keeps a process traced (PTRACE_SEIZE) until killed.
check_PROGRAMS += tests/targets/tracer
tests_targets_tracer_SOURCES = tests/targets/tracer.c
tests_targets_tracer_CFLAGS = $(TARGET_C_FLAGS)
tests_targets_tracer_LDFLAGS = $(TARGET_LINK_FLAGS)

# spin_rate: one busy thread in spin_count; writes its iterations per
# second (the profiler overhead benchmark).
check_PROGRAMS += tests/targets/spin_rate
tests_targets_spin_rate_SOURCES = tests/targets/spin_rate.c
tests_targets_spin_rate_CFLAGS = $(TARGET_C_FLAGS)
tests_targets_spin_rate_LDFLAGS = $(TARGET_LINK_FLAGS)

# callgraph, callgraph_cxx: call trees known by construction (the tables at
# the top of tests/targets/callgraph.c and callgraph_cxx.cc), for the call
# graph tests (tests/integration/callgraph-*.sh, tests/ui/callers.sh).
# Built three ways: _fp with frame pointers in every function (nothing
# inlined; no hot function is a leaf, see callgraph.c), _nofp without
# (-O2 -fomit-frame-pointer), where only the unwind tables (.eh_frame) can
# walk the stack, and _stripped, a copy of _nofp with every symbol
# stripped (strip --strip-all keeps .eh_frame), at the same addresses, so
# a test can name its frames from _nofp's symbol table.  callgraph calls
# through libcg: libcg_fp.so (with frame pointers) for _fp, libcg.so
# (without) for _nofp and _stripped, found beside the executable
# ($ORIGIN).  configure's CFLAGS come last on the command line, so their
# -O (-O2 by default) wins over the -O1 here; the -f and -m flags hold
# whatever the -O.
CG_FP_FLAGS = -O1 -g -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
	-fno-inline -Wall -Wextra
CG_NOFP_FLAGS = -O2 -g -fomit-frame-pointer -Wall -Wextra
CG_LINK_FLAGS = $(TARGET_LINK_FLAGS) -Wl,-rpath,'$$ORIGIN'
check_PROGRAMS += tests/targets/callgraph_fp tests/targets/callgraph_nofp \
	tests/targets/libcg_fp.so tests/targets/libcg.so \
	tests/targets/callgraph_cxx_fp tests/targets/callgraph_cxx_nofp
tests_targets_libcg_fp_so_SOURCES = tests/targets/libcg.c tests/targets/libcg.h
tests_targets_libcg_fp_so_CFLAGS = -std=gnu11 $(CG_FP_FLAGS) -fPIC
tests_targets_libcg_fp_so_LDFLAGS = $(TARGET_LINK_FLAGS) -shared -Wl,-soname,libcg_fp.so
tests_targets_libcg_so_SOURCES = tests/targets/libcg.c tests/targets/libcg.h
tests_targets_libcg_so_CFLAGS = -std=gnu11 $(CG_NOFP_FLAGS) -fPIC
tests_targets_libcg_so_LDFLAGS = $(TARGET_LINK_FLAGS) -shared -Wl,-soname,libcg.so
tests_targets_callgraph_fp_SOURCES = tests/targets/callgraph.c tests/targets/libcg.h
tests_targets_callgraph_fp_CFLAGS = -std=gnu11 $(CG_FP_FLAGS)
tests_targets_callgraph_fp_LDFLAGS = $(CG_LINK_FLAGS)
tests_targets_callgraph_fp_LDADD = tests/targets/libcg_fp.so
tests_targets_callgraph_nofp_SOURCES = tests/targets/callgraph.c tests/targets/libcg.h
tests_targets_callgraph_nofp_CFLAGS = -std=gnu11 $(CG_NOFP_FLAGS)
tests_targets_callgraph_nofp_LDFLAGS = $(CG_LINK_FLAGS)
tests_targets_callgraph_nofp_LDADD = tests/targets/libcg.so
tests_targets_callgraph_cxx_fp_SOURCES = tests/targets/callgraph_cxx.cc
tests_targets_callgraph_cxx_fp_CXXFLAGS = $(CG_FP_FLAGS)
tests_targets_callgraph_cxx_fp_LDFLAGS = $(TARGET_LINK_FLAGS)
tests_targets_callgraph_cxx_nofp_SOURCES = tests/targets/callgraph_cxx.cc
tests_targets_callgraph_cxx_nofp_CXXFLAGS = $(CG_NOFP_FLAGS)
tests_targets_callgraph_cxx_nofp_LDFLAGS = $(TARGET_LINK_FLAGS)

# The stripped copies (not programs of their own: made from _nofp).
CG_STRIPPED = tests/targets/callgraph_stripped tests/targets/callgraph_cxx_stripped
check_SCRIPTS = $(CG_STRIPPED)
MOSTLYCLEANFILES = $(CG_STRIPPED)
tests/targets/callgraph_stripped: tests/targets/callgraph_nofp$(EXEEXT)
	$(AM_V_GEN)strip --strip-all -o $@ tests/targets/callgraph_nofp$(EXEEXT)
tests/targets/callgraph_cxx_stripped: tests/targets/callgraph_cxx_nofp$(EXEEXT)
	$(AM_V_GEN)strip --strip-all -o $@ tests/targets/callgraph_cxx_nofp$(EXEEXT)
