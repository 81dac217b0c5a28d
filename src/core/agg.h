/*
 * The rolling aggregator: sample counts per (event, binary, offset), rolled
 * up per (event, binary, function), cumulative since start (or the last
 * zero) and within a window of the last N ticks. Blocked threads' samples
 * (wait-time) count like any other and, besides, per (function, system
 * call) that the thread waited in.
 */
#ifndef RS_AGG_H
#define RS_AGG_H

#include <stdbool.h>
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

/* A caller or callee of a function (agg_callers, agg_callees). */
enum agg_edge_kind {
	AGG_EDGE_FUNC,		/* the function f */
	AGG_EDGE_ROOT,		/* callers: the function was the stack's root */
	AGG_EDGE_SELF,		/* callees: the samples that ended in it */
	AGG_EDGE_OTHER,		/* frames cut short by the stack table's budget */
};

struct agg_edge {
	enum agg_edge_kind kind;
	const struct agg_func *f;	/* AGG_EDGE_FUNC only */
	uint64_t samples, weight;
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

/* Keep the call stacks of the samples added from now on (agg_add_stack),
 * at most budget stack-table nodes (0: the default, stacks.h). */
void agg_keep_stacks(struct agg *a, size_t budget);
bool agg_has_stacks(const struct agg *a);

/*
 * Count one sample whose stack is frames[0..n), leaf first (frames[0]
 * is where the sample landed). The leaf counts as agg_add (or, with
 * blocked, agg_add_blocked with sys) counts it; where stacks are kept,
 * the whole stack counts too: each function's total, its callers and
 * callees. Frames past STACKS_MAX_DEPTH from the root are dropped.
 */
void agg_add_stack(struct agg *a, unsigned event, const struct rs_frame *frames,
    size_t n, bool blocked, uint32_t sys, uint64_t weight);

/* Close the current tick: what was added since the last tick joins the
 * window, and the tick that falls out of the window is subtracted. */
void agg_tick(struct agg *a);

/* Change the window length; ticks already kept count as far as they go. */
void agg_set_window(struct agg *a, unsigned window_ticks);
unsigned agg_window(const struct agg *a);

/* Forget every count (the z key). Invalidates agg_func pointers. */
void agg_zero(struct agg *a);

/* A number that changes whenever agg_func pointers die (agg_zero, and
 * rows folded by the row budget at agg_tick): a holder of them rebuilds. */
uint64_t agg_generation(const struct agg *a);

/* Every (event, binary, function) with a count, in no order. Pointers stay
 * valid until agg_generation changes, or agg_free. */
size_t agg_nfuncs(const struct agg *a);
const struct agg_func *agg_func_at(const struct agg *a, size_t i);

/* Totals of one event. */
const struct agg_totals *agg_event_totals(const struct agg *a, unsigned event);
unsigned agg_nevents(const struct agg *a);

/*
 * The sampled addresses of one function, in no order. Past the cap of
 * listed addresses (AGG_ADDR_BUDGET), a new address's samples count in
 * the function's one [other addresses] entry (other true, offset
 * AGG_OTHER_OFFSET: no address, never to be looked up): the addresses'
 * counts still add up to the function's.
 */
#define AGG_OTHER_OFFSET	UINT64_MAX
struct agg_addr_stat {
	uint64_t offset;
	bool other;			/* the [other addresses] entry */
	uint64_t samples, weight;
	uint64_t win_samples, win_weight;
};
typedef void (*agg_addr_fn)(const struct agg_addr_stat *st, void *arg);
void agg_func_addrs(const struct agg *a, const struct agg_func *f,
    agg_addr_fn fn, void *arg);

/*
 * The total of function f: the samples whose stack holds it, each counted
 * once however deep it recurses (cumulative, or within the window). Without
 * stacks, its own counts. Computed for every function of the aggregator on
 * the first call after new samples.
 */
void agg_func_total(const struct agg *a, const struct agg_func *f,
    bool window, uint64_t *samples, uint64_t *weight);

/*
 * The callers of f: for each sample holding f, the function of the frame
 * just above its outermost occurrence (AGG_EDGE_ROOT where it is the
 * root); and its callees: the frames just below that occurrence
 * (AGG_EDGE_SELF for the samples that end there, a blocked sample's system
 * call included). Each list adds up to f's total. Into *out, grown as
 * needed (*cap its room; caller frees), hottest first; returns how many
 * (0 without stacks).
 */
size_t agg_callers(const struct agg *a, const struct agg_func *f, bool window,
    struct agg_edge **out, size_t *cap);
size_t agg_callees(const struct agg *a, const struct agg_func *f, bool window,
    struct agg_edge **out, size_t *cap);

/*
 * Every distinct stack of event with samples (cumulative, or within the
 * window), in no order: fn gets its functions root first (frames[n-1] the
 * leaf; NULL for frames cut short by the budget), the system call a
 * blocked sample waited in (AGG_NOSYS where none: not blocked, or outside
 * one; blocked says which), its samples and their weight.
 */
typedef void (*agg_stack_fn)(const struct agg_func *const *frames, size_t n,
    bool blocked, uint32_t sys, uint64_t samples, uint64_t weight, void *arg);
void agg_each_stack(const struct agg *a, unsigned event, bool window,
    agg_stack_fn fn, void *arg);

/* The stack table's figures: nodes, budget, samples cut short, bytes. */
struct agg_stack_stats {
	size_t nodes, budget, bytes;
	uint64_t cut;
};
void agg_stack_stats(const struct agg *a, struct agg_stack_stats *st);

/*
 * The memory budgets. Past AGG_ADDR_BUDGET addresses at a tick, the
 * coldest ones (none the window holds) are forgotten, down to 3/4 of the
 * budget: the functions' counts keep them (exact totals), the drill-down
 * no longer lists them. Whatever the window holds, at most 5/4 of the
 * budget are listed: past that, a new address's samples count in its
 * function's [other addresses] entry (agg_addr_stat), one per row, until
 * an eviction makes room. The stack table evicts its cold stacks likewise
 * (stacks.h).
 */
#define AGG_ADDR_BUDGET	(1u << 17)

/* The rolling window's length in ticks, at most (a longer one asked of
 * agg_new or agg_set_window is cut to it). */
#define AGG_MAX_WINDOW	3600
void agg_set_addr_budget(struct agg *a, size_t budget);	/* 0: the default */

/*
 * Past AGG_FUNC_BUDGET rows at a tick (tried again every 16 ticks while
 * none can go), the rows with nothing in the window, no sample for 60
 * ticks past it, at most 1/1000 of their event's samples and (where stacks
 * are kept) in no stack left are folded, oldest first, into one row per
 * event of (bin, func) as given to agg_set_evicted (none given: nothing is
 * folded), down to 3/4 of the budget: the events' and every other row's
 * counts stay exact; the folded rows' addresses go; agg_func pointers die.
 */
#define AGG_FUNC_BUDGET	(1u << 16)
void agg_set_func_budget(struct agg *a, size_t budget);	/* 0: the default */
void agg_set_evicted(struct agg *a, struct binary *bin,
    const struct symtab_func *func);

struct agg_budget_stats {
	size_t addrs, addr_budget;
	uint64_t addr_evicted;		/* cold addresses forgotten */
	size_t addr_cap;		/* addresses listed at most */
	size_t addr_others;		/* [other addresses] entries */
	uint64_t addr_other;		/* samples counted in them */
	size_t addr_room, addr_slots;	/* the address array's and hash's
					 * sizes, in entries */
	size_t funcs, func_budget;
	uint64_t funcs_evicted;		/* cold rows folded into [evicted] */
	size_t nodes, node_budget;
	uint64_t nodes_evicted;		/* cold stack nodes folded into [other] */
	uint64_t stacks_cut;		/* samples cut short by the stack budget */
};
void agg_budget_stats(const struct agg *a, struct agg_budget_stats *st);

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
