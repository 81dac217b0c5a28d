/*
 * Single-producer single-consumer lock-free ring of struct rs_sample.
 * The producer (sampler thread) never blocks: when the ring is full the
 * record is dropped and counted. Head and tail live on separate cache
 * lines; the producer publishes with a release store of the head and the
 * consumer frees slots with a release store of the tail.
 */
#ifndef RS_RING_H
#define RS_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sample.h"

struct ring;

/* A ring of capacity records; capacity must be a power of two >= 2.
 * Returns NULL (and sets errno to EINVAL) for a bad capacity. */
struct ring *ring_new(size_t capacity);
void ring_free(struct ring *r);

/* Producer: append one record; false (and one more drop counted) if full. */
bool ring_push(struct ring *r, const struct rs_sample *s);

/* Producer: append n records as one unit, or none of them (n drops are
 * counted); the consumer finds them all published at once. */
bool ring_push_n(struct ring *r, const struct rs_sample *s, size_t n);

/* Consumer: move up to max records into out, oldest first; returns how many. */
size_t ring_pop(struct ring *r, struct rs_sample *out, size_t max);

/* Records dropped because the ring was full (any thread may read it). */
uint64_t ring_dropped(const struct ring *r);

/* Records waiting to be popped (approximate when read by the producer). */
size_t ring_count(const struct ring *r);

size_t ring_capacity(const struct ring *r);

#endif
