/*
 * The rolling aggregator: sample counts per (event, binary, offset), rolled
 * up per (event, binary, function), cumulative since start (or the last
 * zero) and within a window of the last N ticks. Blocked threads' samples
 * (wait-time) count like any other and, besides, per (function, system
 * call) that the thread waited in.
 */
#ifndef RS_AGG_H
#define RS_AGG_H

#include <stddef.h>
#include <stdint.h>

struct binary;
struct rs_frame;
struct symtab_func;

/* The sys of a blocked sample that waited outside any system call (a
 * page fault, say): RS_NO_SYSCALL of sample.h. */
#define AGG_NOSYS UINT32_MAX

struct agg_func {
	unsigned event;
	uint32_t nwaits;		/* system calls it was blocked in (agg_func_waits) */
	struct binary *bin;
	const struct symtab_func *func;	/* NULL: the binary's [unknown] row */
	uint64_t samples;		/* cumulative */
	uint64_t weight;		/* cumulative sum of sample periods */
	uint64_t win_samples;		/* within the window */
	uint64_t win_weight;
};

struct agg_totals {
	uint64_t samples;
	uint64_t weight;
	uint64_t win_samples;
	uint64_t win_weight;
};

struct agg;

/* An aggregator for events 0 .. nevents-1 whose window is the last
 * window_ticks ticks (>= 1). */
struct agg *agg_new(unsigned nevents, unsigned window_ticks);
void agg_free(struct agg *a);

/* Count one sample of weight at frame f (resolved: f->func names
 * f->offset, NULL for the binary's [unknown] row). The same offset of a
 * binary under another function is another address (JIT code re-emitted
 * where older code was). The first sample at an (event, binary, offset,
 * function) makes its entry; later ones cost one hash probe. A frame
 * without a binary, or an event out of range, is not counted. */
void agg_add(struct agg *a, unsigned event, const struct rs_frame *f,
    uint64_t weight);

/* As agg_add, for a blocked thread's sample (wait-time): counted as
 * agg_add counts it, and besides under the function's system call sys
 * (AGG_NOSYS: it waited outside one). */
void agg_add_blocked(struct agg *a, unsigned event, const struct rs_frame *f,
    uint32_t sys, uint64_t weight);

/* Close the current tick: what was added since the last tick joins the
 * window, and the tick that falls out of the window is subtracted. */
void agg_tick(struct agg *a);

/* Change the window length; ticks already kept count as far as they go. */
void agg_set_window(struct agg *a, unsigned window_ticks);
unsigned agg_window(const struct agg *a);

/* Forget every count (the z key). Invalidates agg_func pointers. */
void agg_zero(struct agg *a);

/* Every (event, binary, function) with a count, in no order. Pointers stay
 * valid until agg_zero or agg_free. */
size_t agg_nfuncs(const struct agg *a);
const struct agg_func *agg_func_at(const struct agg *a, size_t i);

/* Totals of one event. */
const struct agg_totals *agg_event_totals(const struct agg *a, unsigned event);
unsigned agg_nevents(const struct agg *a);

/* The sampled addresses of one function, in no order. */
struct agg_addr_stat {
	uint64_t offset;
	uint64_t samples, weight;
	uint64_t win_samples, win_weight;
};
typedef void (*agg_addr_fn)(const struct agg_addr_stat *st, void *arg);
void agg_func_addrs(const struct agg *a, const struct agg_func *f,
    agg_addr_fn fn, void *arg);

/* The blocked samples of one function per system call, in no order (f's
 * nwaits of them; none for a function that only ran). Their sums are part
 * of the function's own counts. w is valid during the call only. */
struct agg_wait {
	uint32_t sys;			/* system call number, or AGG_NOSYS */
	uint64_t samples, weight;	/* cumulative */
	uint64_t win_samples, win_weight;	/* within the window */
};
typedef void (*agg_wait_fn)(const struct agg_wait *w, void *arg);
void agg_func_waits(const struct agg *a, const struct agg_func *f,
    agg_wait_fn fn, void *arg);

#endif
