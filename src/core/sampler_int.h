/*
 * The backends' side of sampler.h: each backend's state begins with a
 * struct sampler whose ops table sampler.c dispatches through.
 */
#ifndef RS_SAMPLER_INT_H
#define RS_SAMPLER_INT_H

#include <stdbool.h>
#include <sys/types.h>

#include "sampler.h"

struct sampler_ops {
	const char *name;	/* "perf", "ptrace" */
	int (*start)(struct sampler *s, char **cause);
	void (*stop)(struct sampler *s);
	int (*add_event)(struct sampler *s, unsigned ev, char **cause);
	bool (*has_event)(struct sampler *s, unsigned ev);
	int (*probe)(struct sampler *s, unsigned ev, pid_t pid,
	    const struct events_rate *rate, char **reason);
	void (*stats)(struct sampler *s, struct sampler_stats *st);
	bool (*kernel)(const struct sampler *s);
	void (*free)(struct sampler *s);	/* stops first; frees s */
};

struct sampler {
	const struct sampler_ops *ops;
	struct sampler_event evs[EVENT_COUNT];	/* as requested, after fallbacks */
	size_t nevs;
	char *notice;		/* why this backend (auto fell back), or NULL */
};

/* The perf backend. *refused is set where the kernel refuses perf events
 * as a whole here (EACCES, EPERM, ENOSYS, or ENOENT for a software
 * event), the case where --sampler auto turns to ptrace. */
int sampler_perf_open(struct sampler **sp, struct target *t, struct ring *r,
    const struct sampler_opts *o, bool *refused, char **cause);

/* Whether the ptrace sampler can sample ev at all: 0, or -1 with
 * *reason set (caller frees). Hardware events cannot be. */
int sampler_ptrace_supports(unsigned ev, char **reason);

/* The ptrace backend: seizes every thread of t (from its own thread,
 * which stays the tracer) before returning. */
int sampler_ptrace_open(struct sampler **sp, struct target *t, struct ring *r,
    const struct sampler_opts *o, char **cause);

#endif
