/*
 * Resolved frames for the tests of the aggregator and its readers: what
 * the session's resolver hands agg_add (the function looked up in the
 * binary, or given where the caller names it, as for JIT code).
 */
#ifndef RS_TEST_FRAMES_H
#define RS_TEST_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#include "binary.h"
#include "frame.h"

/* The frame of offset in bin, its function looked up (valid until the
 * next call: agg_add copies it). */
static inline const struct rs_frame *
test_frame(struct binary *bin, uint64_t offset)
{
	static struct rs_frame f;

	f.bin = bin;
	f.offset = offset;
	f.func = bin != NULL ? binary_lookup(bin, offset) : NULL;
	return &f;
}

/* The frame of offset in bin, named func by the caller. */
static inline const struct rs_frame *
test_frame_func(struct binary *bin, uint64_t offset,
    const struct symtab_func *func)
{
	static struct rs_frame f;

	f.bin = bin;
	f.offset = offset;
	f.func = func;
	return &f;
}

#endif
