/*
 * The event table: every event rrstat-top can sample, its perf attr, its
 * fallback, and probing whether this machine supports it.
 */
#ifndef RS_EVENTS_H
#define RS_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct perf_event_attr;

enum event_id {
	EVENT_CPU_CYCLES,
	EVENT_INSTRUCTIONS,
	EVENT_CACHE_MISSES,
	EVENT_TASK_CLOCK,
	EVENT_CPU_CLOCK,
	EVENT_WAIT_TIME,
	EVENT_CONTEXT_SWITCHES,
	EVENT_PAGE_FAULTS,
	EVENT_COUNT
};

enum event_kind {
	EVENT_HARDWARE,		/* needs a PMU */
	EVENT_SOFTWARE,		/* a kernel software event */
	EVENT_WALL,		/* wall clock: running threads through the perf
				 * event of type/config, blocked ones through
				 * the sampler's pass over /proc (procstat.h) */
};

struct event_def {
	const char *name;
	const char *alias;	/* another accepted name, or NULL */
	enum event_kind kind;
	uint32_t type;		/* PERF_TYPE_* */
	uint64_t config;	/* PERF_COUNT_* */
	bool time_based;	/* the period counts nanoseconds */
	int fallback;		/* event used where this one cannot open, or -1 */
	const char *desc;	/* N_() marked */
};

extern const struct event_def events_table[EVENT_COUNT];

/* The event named (or aliased) name, or -1. */
int events_find(const char *name);

/* Parse a comma-separated list of event names into out (no duplicates, in
 * the given order). Returns 0, or -1 with *cause set. */
int events_parse_list(const char *list, unsigned *out, size_t max, size_t *n,
    char **cause);

/* Sampling rate: freq samples per second, or one sample every period
 * occurrences when period is nonzero. */
struct events_rate {
	uint64_t freq;
	uint64_t period;
};

/* Fill attr for sampling event ev at rate: IP, TID, TIME, PERIOD and
 * IDENTIFIER in each sample, times on CLOCK_MONOTONIC, inherited by
 * threads created later, disabled until enabled (or enable_on_exec when
 * on_exec), kernel excluded when no_kernel. Side-band records (MMAP2,
 * COMM, FORK/EXIT) are the caller's. For EVENT_WALL this is the attr of
 * its running part (a cpu-clock event). */
void events_attr(unsigned ev, const struct events_rate *rate, bool no_kernel,
    bool on_exec, struct perf_event_attr *attr);

/* perf_event_open(2). */
int events_open(struct perf_event_attr *attr, pid_t pid, int cpu, int group,
    unsigned long flags);

/* Whether this process holds CAP_PERFMON or CAP_SYS_ADMIN, which
 * perf_event_paranoid does not limit. */
bool events_privileged(void);

/* Why perf_event_open of event ev failed with err, in words a user can act
 * on (caller frees). */
char *events_strerror(unsigned ev, int err);

/* True where err from perf_event_open means "this machine has no such
 * event" (so a fallback applies), rather than a permission problem. */
bool events_err_unsupported(int err);

/* Whether event ev can be sampled on pid (0: this process) at rate: 0, or
 * -1 with *reason set (caller frees). For EVENT_WALL: its perf event
 * opens, and /proc/PID/syscall (the blocked threads' wait sites) reads. */
int events_probe(unsigned ev, pid_t pid, const struct events_rate *rate,
    char **reason);

#endif
