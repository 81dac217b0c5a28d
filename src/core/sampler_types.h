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

/* Call stacks with each sample (-g). */
enum sampler_callgraph {
	SAMPLER_CG_NONE,
	SAMPLER_CG_FP,		/* frame pointers: perf's PERF_SAMPLE_CALLCHAIN
				 * (ptrace: user registers and stack, walked by
				 * the session) */
	SAMPLER_CG_DWARF,	/* user registers and stack, unwound by the
				 * session with CFI; kernel frames from perf's
				 * callchain */
	SAMPLER_CG_AUTO,	/* -g alone: fp or dwarf, as main.c decides
				 * before sampler_open (which refuses it) */
};

/* The call-graph defaults (--max-stack, --stack-size), which a zero in
 * struct sampler_opts stands for too. */
#define SAMPLER_MAX_STACK	127
#define SAMPLER_STACK_SIZE	8192

struct sampler_opts {
	enum sampler_kind kind;
	unsigned events[EVENT_COUNT];	/* requested, in order */
	size_t nevents;
	struct events_rate rate;
	bool no_kernel;
	enum sampler_callgraph callgraph;
	unsigned max_stack;		/* frames kept at most (--max-stack);
					 * 0: SAMPLER_MAX_STACK */
	unsigned stack_size;		/* user stack bytes copied (--stack-size):
					 * a multiple of 8, at most RS_STACK_MAX_BYTES;
					 * 0: SAMPLER_STACK_SIZE */
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
	uint64_t malformed;			/* kernel records skipped: a length in them ran past their end */
	uint64_t lost_ns;			/* time not sampled: the sampler thread late for its
						 * schedule (stopped, starved), ptrace only; the
						 * samples it would have taken are in lost[] */
};

#endif
