/*
 * One profiling session on the UI thread's side: drains the ring each
 * tick, keeps each sampled process's mappings, turns samples into
 * (binary, offset) and feeds the aggregator. The screen and batch mode
 * both run this loop.
 */
#ifndef RS_SESSION_H
#define RS_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "events.h"

struct agg;
struct rs_sample;
struct ring;
struct sampler;
struct symtab_cache;
struct target;

struct session_proc;

struct session {
	struct target *target;
	struct ring *ring;
	struct sampler *sampler;
	struct agg *agg;
	struct symtab_cache *syms;

	struct session_proc *procs;	/* by pid, open addressing */
	size_t nprocs;
	size_t cap;
	struct session_proc *last;	/* the last process a sample named */
	struct rs_sample *batch;	/* what one ring_pop takes */
	struct rs_sample *mmap_buf;	/* an MMAP record split across pops */

	uint64_t samples[EVENT_COUNT];	/* samples aggregated */
	unsigned char sampled[EVENT_COUNT];
	uint64_t kernel_samples;
	uint64_t unmapped;		/* samples in no known mapping */
	uint64_t ticks;			/* session_tick calls */
};

/* A session over an opened sampler; window_ticks as for agg_new. */
void session_init(struct session *s, struct target *t, struct ring *r,
    struct sampler *sm, unsigned window_ticks);

/* Move everything waiting in the ring into the aggregator. */
void session_drain(struct session *s);

/* Drain, then close the aggregator's tick. */
void session_tick(struct session *s);

void session_free(struct session *s);

#endif
