/* The event table and perf_event_attr setup. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "echo.h"
#include "events.h"
#include "i18n.h"
#include "xmalloc.h"

const struct event_def events_table[EVENT_COUNT] = {
	[EVENT_CPU_CYCLES] = {
		.name = "cpu-cycles",
		.alias = "cycles",
		.kind = EVENT_HARDWARE,
		.type = PERF_TYPE_HARDWARE,
		.config = PERF_COUNT_HW_CPU_CYCLES,
		.fallback = EVENT_CPU_CLOCK,
		.desc = N_("CPU cycles (hardware PMU)"),
	},
	[EVENT_INSTRUCTIONS] = {
		.name = "instructions",
		.kind = EVENT_HARDWARE,
		.type = PERF_TYPE_HARDWARE,
		.config = PERF_COUNT_HW_INSTRUCTIONS,
		.fallback = EVENT_CPU_CLOCK,
		.desc = N_("instructions retired (hardware PMU)"),
	},
	[EVENT_CACHE_MISSES] = {
		.name = "cache-misses",
		.kind = EVENT_HARDWARE,
		.type = PERF_TYPE_HARDWARE,
		.config = PERF_COUNT_HW_CACHE_MISSES,
		.fallback = EVENT_CPU_CLOCK,
		.desc = N_("last-level cache misses (hardware PMU)"),
	},
	[EVENT_TASK_CLOCK] = {
		.name = "task-clock",
		.kind = EVENT_SOFTWARE,
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_TASK_CLOCK,
		.time_based = true,
		.fallback = -1,
		.desc = N_("on-CPU time of the task"),
	},
	[EVENT_CPU_CLOCK] = {
		.name = "cpu-clock",
		.kind = EVENT_SOFTWARE,
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.time_based = true,
		.fallback = -1,
		.desc = N_("on-CPU time, hrtimer based"),
	},
	/* Running threads through a cpu-clock event of its own; blocked
	 * ones through the sampler's wall-clock pass over /proc. */
	[EVENT_WAIT_TIME] = {
		.name = "wait-time",
		.kind = EVENT_WALL,
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.time_based = true,
		.fallback = -1,
		.desc = N_("wall-clock time: on a CPU, or blocked where the thread waits"),
	},
	[EVENT_CONTEXT_SWITCHES] = {
		.name = "context-switches",
		.alias = "cs",
		.kind = EVENT_SOFTWARE,
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_CONTEXT_SWITCHES,
		.fallback = -1,
		.desc = N_("context switches"),
	},
	[EVENT_PAGE_FAULTS] = {
		.name = "page-faults",
		.alias = "faults",
		.kind = EVENT_SOFTWARE,
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_PAGE_FAULTS,
		.fallback = -1,
		.desc = N_("page faults"),
	},
};

/* Find an event by name or alias. */
int
events_find(const char *name)
{
	for (unsigned i = 0; i < EVENT_COUNT; i++) {
		const struct event_def *e = &events_table[i];

		if (strcmp(name, e->name) == 0 ||
		    (e->alias != NULL && strcmp(name, e->alias) == 0))
			return (int)i;
	}
	return -1;
}

/* Parse a comma-separated list of event names; a repeated one once. */
int
events_parse_list(const char *list, unsigned *out, size_t max, size_t *n,
    char **notice, char **cause)
{
	char *copy = xstrdup(list), *rest = copy, *tok;
	bool again[EVENT_COUNT] = { false };
	char *names = NULL;

	*n = 0;
	*notice = NULL;
	while ((tok = strsep(&rest, ",")) != NULL) {
		int ev = events_find(tok);
		size_t i;

		if (*tok == '\0') {
			*cause = xasprintf(_("an empty event name in '%s': separate the names with single commas"),
			    ECHO(list));
			free(copy);
			return -1;
		}
		if (ev < 0) {
			*cause = xasprintf(_("unknown event '%s' (see --list-events)"),
			    ECHO(tok));
			free(copy);
			return -1;
		}
		for (i = 0; i < *n; i++)
			if (out[i] == (unsigned)ev)
				break;
		if (i < *n) {
			again[ev] = true;
			continue;
		}
		if (*n == max) {
			*cause = xasprintf(_("too many events in '%s'"), ECHO(list));
			free(copy);
			return -1;
		}
		out[(*n)++] = (unsigned)ev;
	}
	free(copy);
	for (size_t i = 0; i < *n; i++) {
		char *more;

		if (!again[out[i]])
			continue;
		more = xasprintf("%s%s%s", names != NULL ? names : "",
		    names != NULL ? ", " : "", events_table[out[i]].name);
		free(names);
		names = more;
	}
	if (names != NULL) {
		*notice = xasprintf(_("events named more than once are sampled once: %s"),
		    names);
		free(names);
	}
	return 0;
}

/* Lower rate's frequency to kernel.perf_event_max_sample_rate where it
 * is above, as perf does. */
bool
events_clamp_rate(struct events_rate *rate, char **notice)
{
	long max = events_sysctl("perf_event_max_sample_rate", -1);

	if (notice != NULL)
		*notice = NULL;
	if (rate->period != 0 || max <= 0 || rate->freq <= (uint64_t)max)
		return false;
	if (notice != NULL)
		*notice = xasprintf(_("-F %llu is above kernel.perf_event_max_sample_rate: sampling at %ld Hz"),
		    (unsigned long long)rate->freq, max);
	rate->freq = (uint64_t)max;
	return true;
}

/* Fill a sampling attr for one event. */
void
events_attr(unsigned ev, const struct events_rate *rate, bool no_kernel,
    bool on_exec, struct perf_event_attr *attr)
{
	const struct event_def *e = &events_table[ev];

	memset(attr, 0, sizeof *attr);
	attr->size = sizeof *attr;
	attr->type = e->type;
	attr->config = e->config;
	attr->sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP |
	    PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_PERIOD;
	if (rate->period != 0) {
		attr->sample_period = rate->period;
	} else {
		attr->freq = 1;
		attr->sample_freq = rate->freq;
	}
	attr->disabled = 1;
	attr->enable_on_exec = on_exec;
	attr->inherit = 1;
	attr->exclude_kernel = no_kernel;
	attr->exclude_hv = 1;
	attr->exclude_guest = 1;
	attr->sample_id_all = 1;
	/* Sample times on CLOCK_MONOTONIC (the kernel's default is its
	 * local clock), the clock the wall-clock pass stamps its samples
	 * with. */
	attr->use_clockid = 1;
	attr->clockid = CLOCK_MONOTONIC;
}

/* Ask for the side-band records, with build-ids where build_id. */
void
events_attr_sideband(struct perf_event_attr *attr, bool build_id)
{
	attr->mmap = 1;
	attr->mmap2 = 1;
	attr->comm = 1;
	attr->comm_exec = 1;
	attr->task = 1;
	attr->build_id = build_id ? 1 : 0;
}

/* Open attr; without build-ids where the kernel refuses them. */
int
events_open_sideband(events_open_fn openfn, struct perf_event_attr *attr,
    pid_t pid, int cpu, int group, unsigned long flags)
{
	int fd = openfn(attr, pid, cpu, group, flags);

	if (fd < 0 && errno == EINVAL && attr->build_id) {
		attr->build_id = 0;
		fd = openfn(attr, pid, cpu, group, flags);
	}
	return fd;
}

/* Add call stacks to a sampling attr. */
void
events_attr_stack(struct perf_event_attr *attr, bool dwarf, unsigned max_stack,
    unsigned stack_size)
{
	attr->sample_type &= ~(uint64_t)(PERF_SAMPLE_CALLCHAIN |
	    PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER);
	attr->sample_max_stack = 0;
	attr->exclude_callchain_kernel = 0;
	attr->exclude_callchain_user = 0;
	attr->sample_regs_user = 0;
	attr->sample_stack_user = 0;
	if (!dwarf || !attr->exclude_kernel) {
		attr->sample_type |= PERF_SAMPLE_CALLCHAIN;
		attr->sample_max_stack = (uint16_t)max_stack;
		attr->exclude_callchain_kernel = attr->exclude_kernel;
		attr->exclude_callchain_user = dwarf;
	}
	if (dwarf) {
		attr->sample_type |= PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER;
		attr->sample_regs_user = EVENTS_REGS_USER;
		attr->sample_stack_user = stack_size;
	}
}

/* Explain the kernel's refusal of call stacks. */
char *
events_strerror_stack(int err, bool dwarf, unsigned max_stack,
    unsigned stack_size)
{
	long max = events_sysctl("perf_event_max_stack", -1);

	switch (err) {
	case EOVERFLOW:
		if (max >= 0)
			return xasprintf(_("--max-stack %u is above kernel.perf_event_max_stack (%ld): lower --max-stack, or raise that sysctl"),
			    max_stack, max);
		return xasprintf(_("--max-stack %u is above the kernel's limit (kernel.perf_event_max_stack): lower --max-stack"),
		    max_stack);
	case ENOSYS:
	case EOPNOTSUPP:
		if (dwarf)
			return xstrdup(_("this kernel cannot copy user stacks (-g dwarf): use -g fp"));
		return xstrdup(_("this kernel cannot take call chains (-g fp): use -g dwarf, or the ptrace sampler"));
	default:
		if (dwarf)
			return xasprintf(_("the kernel refuses to copy %u bytes of user stack and the user registers per sample (%s): lower --stack-size, or use -g fp"),
			    stack_size, strerror(err));
		return xasprintf(_("the kernel refuses call chains of %u frames (%s): lower --max-stack"),
		    max_stack, strerror(err));
	}
}

/* The raw system call; glibc has no wrapper. */
int
events_open(struct perf_event_attr *attr, pid_t pid, int cpu, int group,
    unsigned long flags)
{
	return (int)syscall(SYS_perf_event_open, attr, pid, cpu, group, flags);
}

/* Read /proc/sys/kernel/NAME as a number. */
long
events_sysctl(const char *name, long dflt)
{
	char path[128];
	FILE *f;
	long v;

	snprintf(path, sizeof path, "/proc/sys/kernel/%s", name);
	if ((f = fopen(path, "re")) == NULL)
		return dflt;
	if (fscanf(f, "%ld", &v) != 1)
		v = dflt;
	fclose(f);
	return v;
}

/* perf_event_paranoid, or -100 where unreadable. */
static int
events_paranoid(void)
{
	return (int)events_sysctl("perf_event_paranoid", -100);
}

/* True for the errors that mean "no such event here". */
bool
events_err_unsupported(int err)
{
	return err == ENOENT || err == EOPNOTSUPP || err == ENODEV ||
	    err == EINVAL;
}

/* Whether this process holds CAP_PERFMON or CAP_SYS_ADMIN (its effective
 * capabilities in /proc/self/status), which perf_event_paranoid does not
 * limit. */
bool
events_privileged(void)
{
	char line[256];
	bool yes = false;
	FILE *f = fopen("/proc/self/status", "re");

	if (f == NULL)
		return false;
	while (fgets(line, sizeof line, f) != NULL) {
		unsigned long long caps;

		if (sscanf(line, "CapEff: %llx", &caps) == 1) {
			yes = (caps >> 38 & 1) != 0 || (caps >> 21 & 1) != 0;
			break;
		}
	}
	fclose(f);
	return yes;
}

/* Explain a perf_event_open failure. */
char *
events_strerror(unsigned ev, int err)
{
	const struct event_def *e = &events_table[ev];
	int paranoid;

	switch (err) {
	case EACCES:
	case EPERM:
		paranoid = events_paranoid();
		if (events_privileged())
			return xstrdup(_("refused although this process may use perf events: a seccomp filter or a security module (a container's?) blocks perf_event_open"));
		if (paranoid != -100)
			return xasprintf(_("perf_event_paranoid is %d: run as root, or grant CAP_PERFMON"),
			    paranoid);
		return xstrdup(_("permission denied: run as root, or grant CAP_PERFMON"));
	case ENOSYS:
		return xstrdup(_("perf_event_open is not available (kernel without perf events, or blocked by seccomp)"));
	case ENOENT:
	case EOPNOTSUPP:
	case ENODEV:
		if (e->kind == EVENT_HARDWARE)
			return xstrdup(_("no hardware PMU on this machine"));
		return xstrdup(_("not supported by this kernel"));
	case EINVAL:
		if (e->kind == EVENT_HARDWARE)
			return xstrdup(_("the PMU refuses this event"));
		return xstrdup(_("invalid sampling setup (is -F above kernel.perf_event_max_sample_rate?)"));
	case ESRCH:
		return xstrdup(_("no such process"));
	case EMFILE: {
		struct rlimit rl;

		if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
			return xasprintf(_("too many open files (the limit, RLIMIT_NOFILE, is %llu): raise it with ulimit -n"),
			    (unsigned long long)rl.rlim_cur);
		return xstrdup(_("too many open files: raise the limit with ulimit -n"));
	}
	case ENFILE:
		return xstrdup(_("too many open files in the system (fs.file-max)"));
	default:
		return xstrdup(strerror(err));
	}
}

/* Whether /proc/PID/syscall of pid (0: this process) can be read: the
 * wall-clock pass finds blocked threads' wait sites there. */
static int
events_probe_syscall(pid_t pid, char **reason)
{
	char path[64], buf[256];
	ssize_t n;
	int fd, err;

	if (pid == 0)
		snprintf(path, sizeof path, "/proc/self/syscall");
	else
		snprintf(path, sizeof path, "/proc/%d/syscall", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		do
			n = read(fd, buf, sizeof buf);
		while (n < 0 && errno == EINTR);
		err = n < 0 ? errno : 0;
		close(fd);
		if (err == 0)
			return 0;
	} else {
		err = errno;
	}
	switch (err) {
	case EACCES:
	case EPERM:
		*reason = xasprintf(_("cannot read %s, where blocked threads wait: run as root, or grant CAP_SYS_PTRACE (see kernel.yama.ptrace_scope)"),
		    path);
		return -1;
	case ENOENT:
		if (pid != 0 && kill(pid, 0) < 0 && errno == ESRCH) {
			*reason = xstrdup(_("no such process"));
			return -1;
		}
		*reason = xasprintf(_("this kernel has no %s, where blocked threads wait"),
		    path);
		return -1;
	default:
		*reason = xasprintf(_("cannot read %s: %s"), path, strerror(err));
		return -1;
	}
}

/* Try to open ev on pid and close it again; for the wall-clock event,
 * its cpu-clock part and the /proc file its blocked part reads. */
int
events_probe(unsigned ev, pid_t pid, const struct events_rate *rate,
    char **reason)
{
	struct perf_event_attr attr;
	int fd;

	events_attr(ev, rate, false, false, &attr);
	fd = events_open(&attr, pid, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0 && (errno == EACCES || errno == EPERM)) {
		attr.exclude_kernel = 1;
		fd = events_open(&attr, pid, -1, -1, PERF_FLAG_FD_CLOEXEC);
	}
	if (fd < 0) {
		*reason = events_strerror(ev, errno);
		return -1;
	}
	close(fd);
	if (events_table[ev].kind == EVENT_WALL)
		return events_probe_syscall(pid, reason);
	return 0;
}
