/* Unit tests of the event table, attr setup and error wording. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "events.h"
#include "xmalloc.h"

/* Every event: names, aliases, perf type and config. */
static void
test_table(void)
{
	static const struct {
		const char *name;
		int id;
		uint32_t type;
		uint64_t config;
	} want[] = {
		{ "cpu-cycles", EVENT_CPU_CYCLES, PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
		{ "cycles", EVENT_CPU_CYCLES, PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
		{ "instructions", EVENT_INSTRUCTIONS, PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS },
		{ "cache-misses", EVENT_CACHE_MISSES, PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES },
		{ "task-clock", EVENT_TASK_CLOCK, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK },
		{ "cpu-clock", EVENT_CPU_CLOCK, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK },
		{ "wait-time", EVENT_WAIT_TIME, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK },
		{ "context-switches", EVENT_CONTEXT_SWITCHES, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES },
		{ "cs", EVENT_CONTEXT_SWITCHES, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES },
		{ "page-faults", EVENT_PAGE_FAULTS, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS },
		{ "faults", EVENT_PAGE_FAULTS, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS },
	};

	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		int id = events_find(want[i].name);

		CHECK(id == want[i].id);
		if (id < 0)
			continue;
		CHECK_U64(events_table[id].type, want[i].type);
		CHECK_U64(events_table[id].config, want[i].config);
		CHECK(events_table[id].desc != NULL && events_table[id].desc[0] != '\0');
	}
	CHECK(events_find("wait-time") == EVENT_WAIT_TIME);
	CHECK(events_table[EVENT_WAIT_TIME].kind == EVENT_WALL);
	CHECK(events_find("bogus") == -1);
	CHECK(events_find("") == -1);
	CHECK(events_find("CPU-CLOCK") == -1);
	/* Hardware events fall back to cpu-clock; software ones do not. */
	for (unsigned e = 0; e < EVENT_COUNT; e++) {
		CHECK(events_table[e].name != NULL);
		if (events_table[e].kind == EVENT_HARDWARE)
			CHECK(events_table[e].fallback == EVENT_CPU_CLOCK);
		else
			CHECK(events_table[e].fallback == -1);
	}
	CHECK(events_table[EVENT_CPU_CLOCK].time_based);
	CHECK(events_table[EVENT_TASK_CLOCK].time_based);
	CHECK(events_table[EVENT_WAIT_TIME].time_based);
	CHECK(!events_table[EVENT_PAGE_FAULTS].time_based);
}

/* The attr of a hardware event at a frequency. */
static void
test_attr_freq(void)
{
	struct events_rate rate = { .freq = 997, .period = 0 };
	struct perf_event_attr a;

	events_attr(EVENT_CPU_CYCLES, &rate, false, false, &a);
	CHECK_U64(a.size, sizeof a);
	CHECK_U64(a.type, PERF_TYPE_HARDWARE);
	CHECK_U64(a.config, PERF_COUNT_HW_CPU_CYCLES);
	CHECK(a.freq == 1);
	CHECK_U64(a.sample_freq, 997);
	CHECK_U64(a.sample_type, PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP |
	    PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_PERIOD);
	CHECK(a.inherit == 1);
	CHECK(a.disabled == 1);
	CHECK(a.enable_on_exec == 0);
	CHECK(a.exclude_kernel == 0);
	CHECK(a.exclude_hv == 1);
	CHECK(a.sample_id_all == 1);
	/* Sample times on the wall-clock pass's clock. */
	CHECK(a.use_clockid == 1);
	CHECK_U64(a.clockid, CLOCK_MONOTONIC);
	/* Side-band records are the sampler's choice, per thread. */
	CHECK(a.mmap == 0 && a.comm == 0 && a.task == 0);

	events_attr(EVENT_INSTRUCTIONS, &rate, false, false, &a);
	CHECK_U64(a.config, PERF_COUNT_HW_INSTRUCTIONS);
	events_attr(EVENT_CACHE_MISSES, &rate, false, false, &a);
	CHECK_U64(a.config, PERF_COUNT_HW_CACHE_MISSES);
}

/* A fixed period, kernel excluded, armed for exec. */
static void
test_attr_period(void)
{
	struct events_rate rate = { .freq = 0, .period = 12345 };
	struct perf_event_attr a;

	events_attr(EVENT_PAGE_FAULTS, &rate, true, true, &a);
	CHECK_U64(a.type, PERF_TYPE_SOFTWARE);
	CHECK_U64(a.config, PERF_COUNT_SW_PAGE_FAULTS);
	CHECK(a.freq == 0);
	CHECK_U64(a.sample_period, 12345);
	CHECK(a.exclude_kernel == 1);
	CHECK(a.enable_on_exec == 1);
	CHECK(a.disabled == 1);
}

/* wait-time's running part: a cpu-clock event of its own, period in ns. */
static void
test_attr_wall(void)
{
	struct events_rate rate = { .freq = 250, .period = 0 };
	struct perf_event_attr a, c;

	events_attr(EVENT_WAIT_TIME, &rate, false, true, &a);
	CHECK_U64(a.type, PERF_TYPE_SOFTWARE);
	CHECK_U64(a.config, PERF_COUNT_SW_CPU_CLOCK);
	CHECK(a.freq == 1);
	CHECK_U64(a.sample_freq, 250);
	CHECK(a.inherit == 1);
	CHECK(a.enable_on_exec == 1);
	CHECK(a.use_clockid == 1);
	CHECK_U64(a.clockid, CLOCK_MONOTONIC);
	/* The same attr as cpu-clock: only the sampler's id map tells
	 * their samples apart. */
	events_attr(EVENT_CPU_CLOCK, &rate, false, true, &c);
	CHECK(memcmp(&a, &c, sizeof a) == 0);

	rate.freq = 0;
	rate.period = 500000;
	events_attr(EVENT_WAIT_TIME, &rate, true, false, &a);
	CHECK(a.freq == 0);
	CHECK_U64(a.sample_period, 500000);
	CHECK(a.exclude_kernel == 1);
}

/* The base sample_type, without call stacks. */
#define TEST_BASE_TYPE	(PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | \
	PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_PERIOD)

/* -g fp: the kernel's call chain, its kernel part where the kernel is
 * sampled; every other field as without it. Hardware events too (their
 * attr is set up alike, whether or not a PMU is there to open it). */
static void
test_attr_fp(void)
{
	struct events_rate rate = { .freq = 1000, .period = 0 };
	struct perf_event_attr a, plain;

	for (unsigned ev = 0; ev < EVENT_COUNT; ev++) {
		for (int nk = 0; nk < 2; nk++) {
			events_attr(ev, &rate, nk, false, &plain);
			a = plain;
			events_attr_stack(&a, false, 127, 8192);
			CHECK_U64(a.sample_type, TEST_BASE_TYPE | PERF_SAMPLE_CALLCHAIN);
			CHECK_U64(a.sample_max_stack, 127);
			CHECK_U64(a.exclude_callchain_kernel, (unsigned)nk);
			CHECK_U64(a.exclude_callchain_user, 0);
			CHECK_U64(a.sample_regs_user, 0);
			CHECK_U64(a.sample_stack_user, 0);
			CHECK_U64(a.exclude_kernel, (unsigned)nk);
			/* Nothing else moved. */
			a.sample_type = plain.sample_type;
			a.sample_max_stack = 0;
			a.exclude_callchain_kernel = 0;
			CHECK(memcmp(&a, &plain, sizeof a) == 0);
		}
	}
	events_attr(EVENT_CPU_CYCLES, &rate, false, false, &a);
	events_attr_stack(&a, false, 1024, 8);
	CHECK_U64(a.type, PERF_TYPE_HARDWARE);
	CHECK_U64(a.sample_max_stack, 1024);
	/* The kernel excluded after the fact (the user-space retry): set
	 * the stacks up again and the chain's kernel part goes too. */
	a.exclude_kernel = 1;
	events_attr_stack(&a, false, 1024, 8);
	CHECK(a.exclude_callchain_kernel == 1);
}

/* -g dwarf: the user registers AX..IP and R8..R15 and stack_size bytes
 * of user stack, and the kernel's part of the chain (none where the
 * kernel is excluded). */
static void
test_attr_dwarf(void)
{
	struct events_rate rate = { .freq = 0, .period = 250000 };
	struct perf_event_attr a, plain;

	CHECK_U64(EVENTS_REGS_USER, 0x1ffull | 0xff0000ull);
	for (unsigned ev = 0; ev < EVENT_COUNT; ev++) {
		for (int nk = 0; nk < 2; nk++) {
			events_attr(ev, &rate, nk, true, &plain);
			a = plain;
			events_attr_stack(&a, true, 64, 16384);
			CHECK_U64(a.sample_regs_user, EVENTS_REGS_USER);
			CHECK_U64(a.sample_stack_user, 16384);
			if (nk) {
				CHECK_U64(a.sample_type, TEST_BASE_TYPE |
				    PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER);
				CHECK_U64(a.sample_max_stack, 0);
				CHECK(a.exclude_callchain_kernel == 0);
				CHECK(a.exclude_callchain_user == 0);
			} else {
				CHECK_U64(a.sample_type, TEST_BASE_TYPE |
				    PERF_SAMPLE_CALLCHAIN | PERF_SAMPLE_REGS_USER |
				    PERF_SAMPLE_STACK_USER);
				CHECK_U64(a.sample_max_stack, 64);
				CHECK(a.exclude_callchain_kernel == 0);
				CHECK(a.exclude_callchain_user == 1);
			}
			a.sample_type = plain.sample_type;
			a.sample_max_stack = 0;
			a.exclude_callchain_user = 0;
			a.sample_regs_user = 0;
			a.sample_stack_user = 0;
			CHECK(memcmp(&a, &plain, sizeof a) == 0);
		}
	}
	/* Set up again as fp: nothing of dwarf's is left. */
	events_attr(EVENT_INSTRUCTIONS, &rate, false, false, &a);
	events_attr_stack(&a, true, 127, 65528);
	CHECK_U64(a.sample_stack_user, 65528);
	events_attr_stack(&a, false, 127, 65528);
	CHECK_U64(a.sample_type, TEST_BASE_TYPE | PERF_SAMPLE_CALLCHAIN);
	CHECK_U64(a.sample_regs_user, 0);
	CHECK_U64(a.sample_stack_user, 0);
	CHECK(a.exclude_callchain_user == 0);
}

/* The kernel's answer to call stacks, where perf events open here:
 * both modes open on this process; a --max-stack above
 * kernel.perf_event_max_stack is refused, and the wording names the
 * option. */
static void
test_attr_stack_open(void)
{
	struct events_rate rate = { .freq = 100, .period = 0 };
	struct perf_event_attr a;
	long max = events_sysctl("perf_event_max_stack", -1);
	char *s, *reason = NULL;
	int fd;

	s = events_strerror_stack(EOVERFLOW, false, 2000, 8192);
	CHECK(strstr(s, "--max-stack 2000") != NULL);
	CHECK(strstr(s, "perf_event_max_stack") != NULL);
	free(s);
	s = events_strerror_stack(EINVAL, true, 127, 65528);
	CHECK(strstr(s, "--stack-size") != NULL && strstr(s, "65528") != NULL);
	free(s);
	s = events_strerror_stack(EINVAL, false, 300, 8192);
	CHECK(strstr(s, "--max-stack") != NULL);
	free(s);
	s = events_strerror_stack(ENOSYS, true, 127, 8192);
	CHECK(strstr(s, "-g fp") != NULL);
	free(s);
	CHECK(events_sysctl("no_such_setting", -7) == -7);

	if (events_probe(EVENT_CPU_CLOCK, 0, &rate, &reason) < 0) {
		fprintf(stderr, "perf events refused here (%s): open checks skipped\n",
		    reason);
		free(reason);
		return;
	}
	for (int dwarf = 0; dwarf < 2; dwarf++) {
		events_attr(EVENT_CPU_CLOCK, &rate, false, false, &a);
		events_attr_stack(&a, dwarf, 127, 8192);
		fd = events_open(&a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
		if (fd < 0 && (errno == EACCES || errno == EPERM)) {
			events_attr(EVENT_CPU_CLOCK, &rate, true, false, &a);
			events_attr_stack(&a, dwarf, 127, 8192);
			fd = events_open(&a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
		}
		CHECK(fd >= 0);
		if (fd >= 0)
			close(fd);
	}
	if (max > 0 && max < 1024) {
		events_attr(EVENT_CPU_CLOCK, &rate, true, false, &a);
		events_attr_stack(&a, false, (unsigned)max + 1, 8192);
		fd = events_open(&a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
		CHECK(fd < 0 && errno == EOVERFLOW);
		if (fd >= 0)
			close(fd);
	}
}

/* What test_open_fake saw and answers. */
static int fake_calls;
static int fake_with_build_id;
static int fake_refuse;		/* 1: refuses build_id; 2: refuses everything */

/* A perf_event_open of a kernel before 5.12 (EINVAL for attr.build_id),
 * or of one that refuses everything; fd 42 where it accepts. */
static int
test_open_fake(struct perf_event_attr *attr, pid_t pid, int cpu, int group,
    unsigned long flags)
{
	(void)pid;
	(void)cpu;
	(void)group;
	(void)flags;
	fake_calls++;
	fake_with_build_id += attr->build_id;
	if (fake_refuse == 2 || (fake_refuse == 1 && attr->build_id)) {
		errno = EINVAL;
		return -1;
	}
	return 42;
}

/* The side-band attr: MMAP2, COMM (exec too), FORK/EXIT, and build-ids
 * where asked; a kernel that refuses build-ids gets the attr again
 * without them, one that refuses it all is not asked a third time; the
 * real kernel (5.12 on) takes it. */
static void
test_attr_sideband(void)
{
	struct events_rate rate = { .freq = 100, .period = 0 };
	struct perf_event_attr a, plain;
	int fd;

	events_attr(EVENT_CPU_CLOCK, &rate, true, false, &plain);
	a = plain;
	events_attr_sideband(&a, true);
	CHECK(a.mmap && a.mmap2 && a.comm && a.comm_exec && a.task);
	CHECK(a.build_id);
	CHECK(a.sample_type == plain.sample_type && a.type == plain.type);
	events_attr_sideband(&a, false);
	CHECK(a.mmap2 && !a.build_id);

	/* A kernel before 5.12. */
	events_attr_sideband(&a, true);
	fake_calls = fake_with_build_id = 0;
	fake_refuse = 1;
	CHECK(events_open_sideband(test_open_fake, &a, 0, -1, -1, 0) == 42);
	CHECK(fake_calls == 2 && fake_with_build_id == 1);
	CHECK(!a.build_id && a.mmap2);
	/* Not asked: asked once. */
	fake_calls = 0;
	CHECK(events_open_sideband(test_open_fake, &a, 0, -1, -1, 0) == 42);
	CHECK(fake_calls == 1);
	/* A kernel that takes it. */
	events_attr_sideband(&a, true);
	fake_calls = 0;
	fake_refuse = 0;
	CHECK(events_open_sideband(test_open_fake, &a, 0, -1, -1, 0) == 42);
	CHECK(fake_calls == 1 && a.build_id);
	/* Refused for another reason: the error stays, two tries at most. */
	fake_calls = 0;
	fake_refuse = 2;
	errno = 0;
	CHECK(events_open_sideband(test_open_fake, &a, 0, -1, -1, 0) == -1);
	CHECK(errno == EINVAL && fake_calls == 2);

	/* This kernel. */
	a = plain;
	events_attr_sideband(&a, true);
	fd = events_open_sideband(events_open, &a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "perf events refused here (%s): the side-band open is skipped\n",
		    strerror(errno));
		return;
	}
	CHECK(a.build_id || !check_kernel_at_least(5, 12));
	close(fd);
}

/* Lists: order kept, duplicates and aliases folded with a notice, empty
 * names and unknown ones refused, errors named. */
static void
test_parse_list(void)
{
	unsigned out[EVENT_COUNT];
	char *cause = NULL, *notice = NULL, *big;
	size_t n = 0;

	CHECK(events_parse_list("page-faults,cpu-clock", out, EVENT_COUNT, &n, &notice, &cause) == 0);
	CHECK_U64(n, 2);
	CHECK(out[0] == EVENT_PAGE_FAULTS && out[1] == EVENT_CPU_CLOCK);
	CHECK(notice == NULL);

	CHECK(events_parse_list("page-faults,cpu-clock,faults", out, EVENT_COUNT, &n, &notice, &cause) == 0);
	CHECK_U64(n, 2);
	CHECK(out[0] == EVENT_PAGE_FAULTS && out[1] == EVENT_CPU_CLOCK);
	CHECK_STR(notice, "events named more than once are sampled once: page-faults");
	free(notice);

	/* 50 copies of one event, and two events twice: one line. */
	big = xstrdup("cpu-clock");
	for (int i = 1; i < 50; i++) {
		char *more = xasprintf("%s,cpu-clock", big);

		free(big);
		big = more;
	}
	CHECK(events_parse_list(big, out, EVENT_COUNT, &n, &notice, &cause) == 0);
	CHECK_U64(n, 1);
	CHECK_STR(notice, "events named more than once are sampled once: cpu-clock");
	free(notice);
	free(big);
	CHECK(events_parse_list("cycles,task-clock,cpu-cycles,task-clock", out, EVENT_COUNT, &n, &notice, &cause) == 0);
	CHECK_U64(n, 2);
	CHECK_STR(notice, "events named more than once are sampled once: cpu-cycles, task-clock");
	free(notice);

	CHECK(events_parse_list("cpu-clock,bogus", out, EVENT_COUNT, &n, &notice, &cause) == -1);
	CHECK_STR(cause, "unknown event 'bogus' (see --list-events)");
	free(cause);
	cause = NULL;

	CHECK(events_parse_list(",,", out, EVENT_COUNT, &n, &notice, &cause) == -1);
	CHECK_STR(cause, "an empty event name in ',,': separate the names with single commas");
	free(cause);
	cause = NULL;
	CHECK(events_parse_list("cpu-clock,,", out, EVENT_COUNT, &n, &notice, &cause) == -1);
	CHECK_STR(cause, "an empty event name in 'cpu-clock,,': separate the names with single commas");
	free(cause);
	cause = NULL;
	CHECK(events_parse_list(",cpu-clock", out, EVENT_COUNT, &n, &notice, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "empty event name") != NULL);
	free(cause);
	cause = NULL;
	CHECK(events_parse_list("", out, EVENT_COUNT, &n, &notice, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "empty event name") != NULL);
	free(cause);
	cause = NULL;

	CHECK(events_parse_list("cycles,task-clock", out, 1, &n, &notice, &cause) == -1);
	CHECK(cause != NULL);
	free(cause);
}

/* Error wording: what to do, not just errno. */
static void
test_strerror(void)
{
	char *s;

	s = events_strerror(EVENT_CPU_CYCLES, ENOENT);
	CHECK(strstr(s, "PMU") != NULL);
	free(s);
	s = events_strerror(EVENT_CPU_CYCLES, EOPNOTSUPP);
	CHECK(strstr(s, "PMU") != NULL);
	free(s);
	/* Unprivileged: the paranoia level and the fix; privileged (root
	 * here, usually): something else blocks perf_event_open. */
	s = events_strerror(EVENT_CPU_CLOCK, EACCES);
	CHECK(strstr(s, "CAP_PERFMON") != NULL || strstr(s, "seccomp") != NULL);
	CHECK((strstr(s, "seccomp") != NULL) == events_privileged());
	free(s);
	s = events_strerror(EVENT_CPU_CLOCK, ENOSYS);
	CHECK(strstr(s, "perf_event_open") != NULL);
	free(s);
	CHECK(events_err_unsupported(ENOENT));
	CHECK(events_err_unsupported(EOPNOTSUPP));
	CHECK(!events_err_unsupported(EACCES));
	CHECK(!events_err_unsupported(EPERM));
}

/* Probing on this process: software clocks where perf is allowed, and
 * wait-time with them (this process's /proc/self/syscall reads); a
 * process that is gone is refused with a reason. */
static void
test_probe(void)
{
	struct events_rate rate = { .freq = 100, .period = 0 };
	char *reason = NULL;
	pid_t gone;
	int r;

	r = events_probe(EVENT_CPU_CLOCK, 0, &rate, &reason);
	if (r < 0) {
		fprintf(stderr, "cpu-clock not available here (%s): probe checks skipped\n",
		    reason);
		/* wait-time needs the same perf event: refused too. */
		free(reason);
		reason = NULL;
		CHECK(events_probe(EVENT_WAIT_TIME, 0, &rate, &reason) == -1);
		CHECK(reason != NULL && reason[0] != '\0');
		free(reason);
		return;
	}
	CHECK(reason == NULL);
	r = events_probe(EVENT_WAIT_TIME, 0, &rate, &reason);
	if (r < 0)
		fprintf(stderr, "wait-time refused: %s\n", reason);
	CHECK(r == 0);
	CHECK(reason == NULL);
	free(reason);
	reason = NULL;
	/* A child that has exited and been reaped. */
	gone = fork();
	if (gone == 0)
		_exit(0);
	CHECK(gone > 0 && waitpid(gone, NULL, 0) == gone);
	CHECK(events_probe(EVENT_WAIT_TIME, gone, &rate, &reason) == -1);
	CHECK(reason != NULL && reason[0] != '\0');
	free(reason);
	reason = NULL;
	/* Hardware: supported, or refused with the PMU named. */
	r = events_probe(EVENT_CPU_CYCLES, 0, &rate, &reason);
	if (r < 0) {
		CHECK(reason != NULL && strlen(reason) > 0);
		free(reason);
	}
}

int
main(void)
{
	test_table();
	test_attr_freq();
	test_attr_period();
	test_attr_wall();
	test_attr_fp();
	test_attr_dwarf();
	test_attr_stack_open();
	test_attr_sideband();
	test_parse_list();
	test_strerror();
	test_probe();
	return check_exit("test_events");
}
