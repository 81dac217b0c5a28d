# Fuzz harnesses: one per kind of outside input, each an
# LLVMFuzzerTestOneInput over the real parser. With --enable-fuzzing they
# link libFuzzer's main and `make fuzz` runs each for FUZZ_SECONDS over
# its corpus; otherwise they link tests/fuzz/driver.c and run their
# checked-in corpus (tests/fuzz/corpus/NAME/) once in make check.
FUZZ_NAMES = maps jitmap perfring elf ehframe procstat options baseline rcfile
FUZZ_PROGS = tests/fuzz/fuzz_maps tests/fuzz/fuzz_jitmap \
	tests/fuzz/fuzz_perfring tests/fuzz/fuzz_elf tests/fuzz/fuzz_ehframe \
	tests/fuzz/fuzz_procstat tests/fuzz/fuzz_options \
	tests/fuzz/fuzz_baseline tests/fuzz/fuzz_rcfile
check_PROGRAMS += $(FUZZ_PROGS)
if FUZZING
FUZZ_DRIVER =
else
FUZZ_DRIVER = tests/fuzz/driver.c
TESTS += $(FUZZ_PROGS)
endif
FUZZ_CPPFLAGS = $(UNIT_CPPFLAGS) -I$(top_srcdir)/tests/fuzz
FUZZ_LDADD = $(UNIT_LDADD)
tests_fuzz_fuzz_maps_SOURCES = tests/fuzz/fuzz_maps.c tests/fuzz/fuzz.h $(FUZZ_DRIVER)
tests_fuzz_fuzz_maps_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_maps_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_maps_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_jitmap_SOURCES = tests/fuzz/fuzz_jitmap.c tests/fuzz/fuzz.h $(FUZZ_DRIVER)
tests_fuzz_fuzz_jitmap_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_jitmap_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_jitmap_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_perfring_SOURCES = tests/fuzz/fuzz_perfring.c tests/fuzz/fuzz.h $(FUZZ_DRIVER)
tests_fuzz_fuzz_perfring_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_perfring_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_perfring_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_elf_SOURCES = tests/fuzz/fuzz_elf.c tests/fuzz/fuzz.h $(FUZZ_DRIVER)
tests_fuzz_fuzz_elf_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_elf_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_elf_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_ehframe_SOURCES = tests/fuzz/fuzz_ehframe.c tests/fuzz/fuzz.h $(FUZZ_DRIVER)
tests_fuzz_fuzz_ehframe_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_ehframe_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_ehframe_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_procstat_SOURCES = tests/fuzz/fuzz_procstat.c tests/fuzz/fuzz.h $(FUZZ_DRIVER)
tests_fuzz_fuzz_procstat_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_procstat_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_procstat_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_options_SOURCES = tests/fuzz/fuzz_options.c tests/fuzz/fuzz.h \
	src/options.c src/options.h $(FUZZ_DRIVER)
tests_fuzz_fuzz_options_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_options_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_options_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_baseline_SOURCES = tests/fuzz/fuzz_baseline.c tests/fuzz/fuzz.h $(FUZZ_DRIVER)
tests_fuzz_fuzz_baseline_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_baseline_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_baseline_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_rcfile_SOURCES = tests/fuzz/fuzz_rcfile.c tests/fuzz/fuzz.h \
	src/options.c src/options.h $(FUZZ_DRIVER)
tests_fuzz_fuzz_rcfile_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_rcfile_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_rcfile_LDADD = $(FUZZ_LDADD)

# The seed corpora (and every input a crash was found with).
EXTRA_DIST += tests/fuzz/corpus

# make fuzz: each harness in turn for FUZZ_SECONDS, new inputs kept in
# fuzz/corpus/NAME here (the checked-in seeds are read, never written),
# crashes as fuzz/NAME-crash-*; then its executions and coverage.
FUZZ_SECONDS = 60
FUZZ_FLAGS = -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
fuzz: $(FUZZ_PROGS)
if FUZZING
	@rc=0; for n in $(FUZZ_NAMES); do \
	    mkdir -p fuzz/corpus/$$n; \
	    echo "fuzz: $$n for $(FUZZ_SECONDS) s (log: fuzz/$$n.log)"; \
	    tests/fuzz/fuzz_$$n $(FUZZ_FLAGS) -max_total_time=$(FUZZ_SECONDS) \
	        -artifact_prefix=fuzz/$$n- fuzz/corpus/$$n \
	        $(srcdir)/tests/fuzz/corpus/$$n >fuzz/$$n.log 2>&1 || rc=1; \
	    $(SHELL) $(srcdir)/tests/fuzz/summary.sh $$n fuzz/$$n.log; \
	done; exit $$rc
else
	@echo "make fuzz: configure with --enable-fuzzing (clang) first"; exit 1
endif
.PHONY: fuzz
EXTRA_DIST += tests/fuzz/summary.sh tests/fuzz/make-seeds.py

# What make fuzz found and kept.
clean-local: clean-fuzz
clean-fuzz:
	rm -rf fuzz
.PHONY: clean-fuzz
