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

/* Parse a comma-separated list of event names into out (in the given
 * order; an empty name is an error). An event named twice (or by its
 * alias) is kept once and *notice (caller frees; else NULL) says so.
 * Returns 0, or -1 with *cause set. */
int events_parse_list(const char *list, unsigned *out, size_t max, size_t *n,
    char **notice, char **cause);

/* Sampling rate: freq samples per second, or one sample every period
 * occurrences when period is nonzero. */
struct events_rate {
	uint64_t freq;
	uint64_t period;
};

/* Lower rate's frequency (not a -c period) to the kernel's most,
 * kernel.perf_event_max_sample_rate, where it is above, as perf does;
 * then true, and *notice (caller frees; may be NULL) says so. */
bool events_clamp_rate(struct events_rate *rate, char **notice);

/* Fill attr for sampling event ev at rate: IP, TID, TIME, PERIOD and
 * IDENTIFIER in each sample, times on CLOCK_MONOTONIC, inherited by
 * threads created later, disabled until enabled (or enable_on_exec when
 * on_exec), kernel excluded when no_kernel. Side-band records (MMAP2,
 * COMM, FORK/EXIT) are the caller's. For EVENT_WALL this is the attr of
 * its running part (a cpu-clock event). */
void events_attr(unsigned ev, const struct events_rate *rate, bool no_kernel,
    bool on_exec, struct perf_event_attr *attr);

/* The user registers -g dwarf asks of the kernel, as bits of perf's
 * PERF_REG_X86_* numbering (sample.h): AX..IP (0-8) and R8..R15
 * (16-23); not FLAGS nor the segment registers, which x86-64 refuses
 * (DS..GS) or no unwinder needs. */
#define EVENTS_REGS_USER	0x0000000000ff01ffull

/* Add call stacks to a sampling attr (-g), after events_attr (and after
 * any change of its exclude_kernel):
 * fp: PERF_SAMPLE_CALLCHAIN, sample_max_stack = max_stack, the kernel's
 * part excluded where the kernel is.
 * dwarf: the user registers (EVENTS_REGS_USER, PERF_SAMPLE_REGS_USER)
 * and stack_size bytes of user stack (PERF_SAMPLE_STACK_USER), plus
 * PERF_SAMPLE_CALLCHAIN for the kernel's frames alone (user frames
 * excluded), none where the kernel is excluded. */
void events_attr_stack(struct perf_event_attr *attr, bool dwarf,
    unsigned max_stack, unsigned stack_size);

/* Ask a sampling attr for the side-band records: MMAP2 (executable
 * mappings), COMM (exec included), FORK and EXIT; with build_id, MMAP2
 * records carry the file's GNU build-id in place of its device and inode
 * (linux 5.12; the kernel reads it as the file is mapped). */
void events_attr_sideband(struct perf_event_attr *attr, bool build_id);

/* perf_event_open(2) as its arguments are passed to events_open. */
typedef int (*events_open_fn)(struct perf_event_attr *attr, pid_t pid,
    int cpu, int group, unsigned long flags);

/* Open attr through openfn; where it asks for build-ids and open fails
 * with EINVAL (a kernel before 5.12 refuses the bit), once more without
 * them, attr->build_id then left 0. The fd, or -1 with errno set. */
int events_open_sideband(events_open_fn openfn, struct perf_event_attr *attr,
    pid_t pid, int cpu, int group, unsigned long flags);

/* Why perf_event_open refused an attr with call stacks with err where
 * the same attr without them opens, naming the option to change (caller
 * frees). */
char *events_strerror_stack(int err, bool dwarf, unsigned max_stack,
    unsigned stack_size);

/* The kernel setting /proc/sys/kernel/NAME (perf_event_mlock_kb, ...)
 * as a number, or dflt where it cannot be read. */
long events_sysctl(const char *name, long dflt);

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
