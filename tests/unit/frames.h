/*
 * Resolved frames for the tests of the aggregator and its readers: what
 * the session's resolver hands agg_add (the function looked up in the
 * binary, or given where the caller names it, as for JIT code).
 */
#ifndef RS_TEST_FRAMES_H
#define RS_TEST_FRAMES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "binary.h"
#include "frame.h"
#include "symtab.h"

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

/* A synthetic binary of n (at most 64) functions named PREFIXi, each
 * 0x100 bytes at i * 0x100 (names copied), and the [evicted] row's
 * binary "[other]" in *evb, both in cache c. */
static inline struct binary *
test_many_funcs(struct binary_cache *c, const char *name, const char *prefix,
    size_t n, struct binary **evb)
{
	static const struct symtab_func ev = { 0, 1, "[evicted]" };
	struct symtab_func fs[64];
	char names[64][16];
	size_t i;

	for (i = 0; i < n && i < 64; i++) {
		snprintf(names[i], sizeof names[i], "%s%zu", prefix, i);
		fs[i].start = (uint64_t)i * 0x100;
		fs[i].size = 0x100;
		fs[i].name = names[i];
	}
	*evb = binary_synthetic(c, "[other]", &ev, 1);
	return binary_synthetic(c, name, fs, i);
}

#endif
