/*
 * The stack table: every distinct call stack sampled, interned once as a
 * path in a tree of frames (a node per distinct prefix, root first), with
 * the samples that ended there, cumulative and within a rolling window.
 * A stack's id is its leaf node. A frame is a key: a function of the
 * aggregator (its index), or a blocked sample's system call as the leaf.
 * Memory is bounded: past the budget a stack's new frames are folded
 * into one "[other]" node under the deepest frame already known, and the
 * samples so cut are counted. At the budget, the tick evicts the coldest
 * stacks (none the window holds; the oldest first) down to 3/4 of it:
 * their samples go to an "[other]" child of the frame they hung from, so
 * every node kept keeps its inclusive count, and new stacks find room
 * again. Node ids change then (none is kept across a tick by readers).
 *
 * From the nodes' own counts the readers get inclusive sums (a node and
 * everything under it), each function's total counted once per sample
 * however deep it recurses (its outermost occurrences), and its callers
 * and callees.
 */
#ifndef RS_STACKS_H
#define RS_STACKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STACKS_NONE	UINT32_MAX	/* no node: the parent of a root frame */
#define STACKS_SYS	0x80000000u	/* key | sys: a blocked sample's system call */
#define STACKS_OTHER	0xfffffffeu	/* key of the frames cut by the budget */
#define STACKS_MAX_DEPTH 1024		/* frames of one stack kept at most */

/* The default budget: nodes at most (72 bytes each with the hash: about
 * 20 MB, and 1/8 more for the "[other]" frames past it). */
#define STACKS_BUDGET	(1u << 18)

/* One node as readers see it. */
struct stacks_node {
	uint32_t parent;		/* STACKS_NONE for a root frame */
	uint32_t key;
	uint32_t first_child;		/* STACKS_NONE: a leaf */
	uint32_t next_sibling;
	bool outermost;			/* no ancestor has the same function */
	uint64_t samples, weight;	/* that ended here, cumulative */
	uint64_t win_samples, win_weight;	/* within the window */
};

/* Samples and weight of a node and everything under it. */
struct stacks_sum {
	uint64_t samples;
	uint64_t weight;
};

struct stacks;

/* A table of at most budget nodes (0: STACKS_BUDGET), with a window of
 * window_ticks ticks (>= 1). */
struct stacks *stacks_new(size_t budget, unsigned window_ticks);
void stacks_free(struct stacks *s);

/* Count one sample of weight whose frames, root first, are keys[0..n)
 * (n >= 1; only the first STACKS_MAX_DEPTH are kept). Returns its leaf. */
uint32_t stacks_add(struct stacks *s, const uint32_t *keys, size_t n,
    uint64_t weight);

/* Close the tick (as agg_tick); change the window (as agg_set_window). */
void stacks_tick(struct stacks *s);
void stacks_set_window(struct stacks *s, unsigned window_ticks);

/* Forget every stack. */
void stacks_zero(struct stacks *s);

size_t stacks_count(const struct stacks *s);		/* nodes */
size_t stacks_budget(const struct stacks *s);
uint64_t stacks_cut(const struct stacks *s);		/* samples cut short */
uint64_t stacks_evicted(const struct stacks *s);	/* cold nodes evicted */
size_t stacks_memory(const struct stacks *s);		/* bytes held */
const struct stacks_node *stacks_node(const struct stacks *s, uint32_t id);
/* The function keys (below n) some node has: used[key] set. */
void stacks_keys_used(const struct stacks *s, bool *used, size_t n);
/* Every function key k (below n) becomes map[k], one-to-one on the keys
 * in use (the aggregator's function table was compacted). */
void stacks_rekey(struct stacks *s, const uint32_t *map, size_t n);

/* The inclusive sums of every node (cumulative, or within the window),
 * indexed by node id; valid until the next stacks_add, stacks_tick or
 * stacks_zero. Computed on the first call after a change. */
const struct stacks_sum *stacks_sums(struct stacks *s, bool window);

#endif
