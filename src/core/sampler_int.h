/*
 * The backends' side of the sampler: each backend (sampler_perf.c,
 * sampler_ptrace.c) is a table of ops over a state of its own. The front
 * (sampler.c) owns the sampler thread, the "worker": it creates it,
 * calls open, start, poll, add_event, stats and finish in it and no
 * other thread, serves the other threads' requests there, stops and
 * joins it; a backend creates no thread and takes no lock.
 */
#ifndef RS_SAMPLER_INT_H
#define RS_SAMPLER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "events.h"
#include "sample.h"
#include "sampler_types.h"

struct ring;
struct target;

/* What a backend opens on. */
struct sampler_args {
	struct target *target;
	struct ring *ring;	/* the worker is its one producer */
	const struct sampler_opts *opts;
	int wakefd;		/* the front's: poll returns when it is readable */
};

/* What open tells the front. */
struct sampler_setup {
	struct sampler_event evs[EVENT_COUNT];	/* as requested, after fallbacks; the front frees the notices */
	size_t nevs;
	bool kernel;		/* kernel samples are taken */
	bool refused;		/* (failure) the kernel refuses this backend as a whole */
};

struct sampler_ops {
	const char *name;	/* "perf", "ptrace" */

	/*
	 * Any thread, no state: 0, or -1 with *reason set.
	 */
	/* Whether this backend could sample ev on pid at rate, before one
	 * is open (--list-events, and auto's choice). */
	int (*supports)(unsigned ev, pid_t pid, const struct events_rate *rate,
	    char **reason);
	/* The same, asked with one open (the screen's event list). */
	int (*probe)(unsigned ev, pid_t pid, const struct events_rate *rate,
	    char **reason);
	/* The ring slots one sample can take under o (call stacks: its
	 * RS_REC_STACK records and their payload, then the sample); o's
	 * call-graph fields are set (no zero, no SAMPLER_CG_AUTO). */
	size_t (*slots)(const struct sampler_opts *o);

	/*
	 * The worker thread alone.
	 */
	/* Open every event (perf) or seize every thread (ptrace: the
	 * worker stays the tracer) of a->target; poll samples nothing
	 * before start. 0 with *bp and *out set, or -1 with *cause and
	 * out->refused set, having released (detached) all it took. */
	int (*open)(void **bp, const struct sampler_args *a,
	    struct sampler_setup *out, char **cause);
	/* Begin sampling. */
	int (*start)(void *b, char **cause);
	/* One pass of the loop: wait on its own fds and on a->wakefd (at
	 * most 100 ms where a buffer could fill unseen; the front wakes it
	 * for sampler_flush), do what is ready (read, push records), and
	 * return 1
	 * when wakefd is readable (before or after that work; the front
	 * reads it), 0 otherwise, -1 where the loop cannot go on. No
	 * allocation, no lock on the sample path. */
	int (*poll)(void *b);
	/* Sample ev too, from now on, on every thread (0 at once where ev
	 * is sampled already). */
	int (*add_event)(void *b, unsigned ev, char **cause);
	/* Its counters, for the front to publish to the other threads. */
	void (*stats)(void *b, struct sampler_stats *st);
	/* The loop has ended (stop, or poll's -1): a last read of every
	 * buffer; detach every tracee. */
	void (*finish)(void *b);

	/*
	 * Any thread, once the worker has ended.
	 */
	/* Release every fd, mapping and allocation. */
	void (*free)(void *b);
};

/* The entries of a call chain kept at most with --max-stack max_stack:
 * its frames and perf's PERF_CONTEXT_* markers (one per part: kernel,
 * user; the kernel allows up to 8), within RS_STACK_MAX_ENTRIES. */
#define SAMPLER_CHAIN_MARKERS	8
#define SAMPLER_CHAIN_MAX(max_stack) \
	((max_stack) + SAMPLER_CHAIN_MARKERS < RS_STACK_MAX_ENTRIES ? \
	    (max_stack) + SAMPLER_CHAIN_MARKERS : RS_STACK_MAX_ENTRIES)

/* One perf CPU ring to replay: size bytes (a power of two) whose records
 * run from tail to head. */
struct sampler_replay_ring {
	const unsigned char *data;
	size_t size;
	uint64_t tail, head;
};

/* Tests and fuzzing: read n rings as the worker reads the CPUs' rings
 * (oldest record first), written by events opened under o (o's
 * call-graph fields set) whose sample ids are 1..nevs (id i + 1: event
 * evs[i]), pushing into ring what the worker would. The count of records
 * skipped as malformed. */
uint64_t sampler_perf_replay(const struct sampler_opts *o, const unsigned *evs,
    size_t nevs, const struct sampler_replay_ring *rings, size_t n,
    struct ring *ring);

extern const struct sampler_ops sampler_perf_ops;
extern const struct sampler_ops sampler_ptrace_ops;

#endif
