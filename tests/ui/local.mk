# Screen tests in a real terminal (tmux), and the key table unit test.
# Each script sources tests/setup.sh and tests/ui/ui-lib.sh; 77 is a skip
# (no tmux, or perf_event_open refused).
UI_TESTS = \
	tests/ui/basic.sh \
	tests/ui/help.sh \
	tests/ui/settings.sh \
	tests/ui/diff.sh \
	tests/ui/columns.sh \
	tests/ui/event.sh \
	tests/ui/freeze.sh \
	tests/ui/sort.sh \
	tests/ui/filter.sh \
	tests/ui/zoom-group.sh \
	tests/ui/zero-window.sh \
	tests/ui/write.sh \
	tests/ui/select.sh \
	tests/ui/resize.sh \
	tests/ui/locale-color.sh \
	tests/ui/quit.sh \
	tests/ui/writes.sh \
	tests/ui/target-exit.sh \
	tests/ui/threads.sh \
	tests/ui/drill.sh \
	tests/ui/drill-inline.sh \
	tests/ui/drill-stripped.sh \
	tests/ui/drill-source-dir.sh \
	tests/ui/callers-off.sh \
	tests/ui/ptrace-quit.sh \
	tests/ui/debuginfod.sh \
	tests/ui/callers.sh \
	tests/ui/fault-signals.sh \
	tests/ui/i18n-de.sh
TESTS += $(UI_TESTS)
EXTRA_DIST += $(UI_TESTS) tests/ui/ui-lib.sh

check_PROGRAMS += tests/unit/test_keys
tests_unit_test_keys_SOURCES = tests/unit/test_keys.c tests/unit/check.h
tests_unit_test_keys_CPPFLAGS = $(UNIT_CPPFLAGS) -I$(top_srcdir)/src/ui $(NCURSES_CFLAGS)
tests_unit_test_keys_LDADD = src/ui/librrui.a $(UNIT_LDADD) $(NCURSES_LIBS)
TESTS += tests/unit/test_keys

check_PROGRAMS += tests/unit/test_dispatch
tests_unit_test_dispatch_SOURCES = tests/unit/test_dispatch.c tests/unit/check.h tests/unit/ui_fixture.h
tests_unit_test_dispatch_CPPFLAGS = $(UNIT_CPPFLAGS) -I$(top_srcdir)/src/ui $(NCURSES_CFLAGS)
tests_unit_test_dispatch_LDADD = src/ui/librrui.a $(UNIT_LDADD) $(NCURSES_LIBS)
TESTS += tests/unit/test_dispatch

check_PROGRAMS += tests/unit/test_callers
tests_unit_test_callers_SOURCES = tests/unit/test_callers.c tests/unit/check.h tests/unit/frames.h \
	tests/unit/ui_fixture.h
tests_unit_test_callers_CPPFLAGS = $(UNIT_CPPFLAGS) -I$(top_srcdir)/src/ui $(NCURSES_CFLAGS)
tests_unit_test_callers_LDADD = src/ui/librrui.a $(UNIT_LDADD) $(NCURSES_LIBS)
TESTS += tests/unit/test_callers
