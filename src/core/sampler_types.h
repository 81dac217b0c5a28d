/*
 * The sampler's plain types, which the front (sampler.h) and the
 * backends (sampler_int.h) both speak.
 */
#ifndef RS_SAMPLER_TYPES_H
#define RS_SAMPLER_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "events.h"

enum sampler_kind {
	SAMPLER_AUTO,		/* perf, else ptrace where the kernel refuses perf */
	SAMPLER_PERF,
	SAMPLER_PTRACE,
};

struct sampler_opts {
	enum sampler_kind kind;
	unsigned events[EVENT_COUNT];	/* requested, in order */
	size_t nevents;
	struct events_rate rate;
	bool no_kernel;
};

/* What the sampler really samples for each requested event. */
struct sampler_event {
	unsigned requested;
	unsigned effective;	/* the fallback where requested cannot open */
	char *notice;		/* why a fallback was taken, or NULL */
};

struct sampler_stats {
	uint64_t samples;			/* sample records read */
	uint64_t lost[EVENT_COUNT];		/* lost by the kernel, or dropped by a full ring */
	uint64_t throttled;			/* throttle records */
	uint64_t threads;			/* threads being sampled, inherited ones not counted */
};

#endif
