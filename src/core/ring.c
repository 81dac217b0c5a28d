/*
 * Single-producer single-consumer ring of struct rs_sample.
 *
 * head and tail are free-running indices (they only ever grow and wrap
 * around size_t); a slot is index & mask. The producer owns head and the
 * consumer owns tail. Each lives on its own cache line together with that
 * side's private copy of the other side's index, so that a push in the
 * common case touches only the producer's line and its slot: the shared
 * tail is loaded (acquire) only when the cached copy says the ring is full.
 * The consumer loads head (acquire) when its cached copy does not show
 * enough records, copies the records out, then publishes the new tail
 * (release) so the producer may reuse the slots.
 */
#include "config.h"

#include <errno.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ring.h"

#define RING_LINE 64

struct ring {
	/* Read-only after ring_new: shared freely by both threads. */
	alignas(RING_LINE) size_t mask;

	/* Producer's line. */
	alignas(RING_LINE) _Atomic size_t head;
	size_t tail_cache;		/* producer's last view of tail */
	_Atomic uint64_t dropped;	/* written by the producer only */

	/* Consumer's line. */
	alignas(RING_LINE) _Atomic size_t tail;
	size_t head_cache;		/* consumer's last view of head */

	/* The slots follow, starting on their own line. */
	alignas(RING_LINE) struct rs_sample data[];
};

/* Create a ring of capacity records (a power of two, at least 2). */
struct ring *
ring_new(size_t capacity)
{
	struct ring *r;
	size_t size;

	if (capacity < 2 || (capacity & (capacity - 1)) != 0) {
		errno = EINVAL;
		return NULL;
	}
	if (capacity > (SIZE_MAX - sizeof *r - RING_LINE) / sizeof r->data[0]) {
		errno = ENOMEM;
		return NULL;
	}
	size = sizeof *r + capacity * sizeof r->data[0];
	size = (size + RING_LINE - 1) & ~(size_t)(RING_LINE - 1);

	r = aligned_alloc(RING_LINE, size);
	if (r == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	memset(r, 0, sizeof *r);
	r->mask = capacity - 1;
	atomic_init(&r->head, 0);
	atomic_init(&r->tail, 0);
	atomic_init(&r->dropped, 0);
	r->tail_cache = 0;
	r->head_cache = 0;
	return r;
}

/* Free a ring; neither thread may use it any more. */
void
ring_free(struct ring *r)
{
	free(r);
}

/* Producer: append one record, or count it as dropped when full. */
bool
ring_push(struct ring *r, const struct rs_sample *s)
{
	size_t head = atomic_load_explicit(&r->head, memory_order_relaxed);

	if (head - r->tail_cache > r->mask) {
		r->tail_cache = atomic_load_explicit(&r->tail,
		    memory_order_acquire);
		if (head - r->tail_cache > r->mask) {
			atomic_fetch_add_explicit(&r->dropped, 1,
			    memory_order_relaxed);
			return false;
		}
	}
	r->data[head & r->mask] = *s;
	atomic_store_explicit(&r->head, head + 1, memory_order_release);
	return true;
}

/* Producer: append n records as one unit (all or none); when they do not
 * fit, none is written and n drops are counted. The consumer sees them
 * together: one release store publishes them all. */
bool
ring_push_n(struct ring *r, const struct rs_sample *s, size_t n)
{
	size_t head = atomic_load_explicit(&r->head, memory_order_relaxed);

	if (n > r->mask + 1) {
		atomic_fetch_add_explicit(&r->dropped, n, memory_order_relaxed);
		return false;
	}
	if (head + n - r->tail_cache > r->mask + 1) {
		r->tail_cache = atomic_load_explicit(&r->tail,
		    memory_order_acquire);
		if (head + n - r->tail_cache > r->mask + 1) {
			atomic_fetch_add_explicit(&r->dropped, n,
			    memory_order_relaxed);
			return false;
		}
	}
	for (size_t i = 0; i < n; i++)
		r->data[(head + i) & r->mask] = s[i];
	atomic_store_explicit(&r->head, head + n, memory_order_release);
	return true;
}

/* Consumer: copy up to max records into out, oldest first. */
size_t
ring_pop(struct ring *r, struct rs_sample *out, size_t max)
{
	size_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	size_t avail = r->head_cache - tail;
	size_t n, first, at;

	if (avail < max) {
		r->head_cache = atomic_load_explicit(&r->head,
		    memory_order_acquire);
		avail = r->head_cache - tail;
	}
	n = avail < max ? avail : max;
	if (n == 0)
		return 0;

	at = tail & r->mask;
	first = r->mask + 1 - at;
	if (first > n)
		first = n;
	memcpy(out, &r->data[at], first * sizeof *out);
	if (n > first)
		memcpy(out + first, &r->data[0], (n - first) * sizeof *out);

	atomic_store_explicit(&r->tail, tail + n, memory_order_release);
	return n;
}

/* Records dropped so far because the ring was full. */
uint64_t
ring_dropped(const struct ring *r)
{
	return atomic_load_explicit(&r->dropped, memory_order_relaxed);
}

/* Records waiting (approximate while the other side is running). */
size_t
ring_count(const struct ring *r)
{
	size_t tail, head, n;

	/* tail first: head read afterwards can only be further ahead. */
	tail = atomic_load_explicit(&r->tail, memory_order_acquire);
	head = atomic_load_explicit(&r->head, memory_order_acquire);
	n = head - tail;
	return n > r->mask + 1 ? r->mask + 1 : n;
}

/* The ring's capacity in records. */
size_t
ring_capacity(const struct ring *r)
{
	return r->mask + 1;
}
