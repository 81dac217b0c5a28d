/*
 * PERF_RECORD_SAMPLE and PERF_RECORD_MMAP2 bodies, bounds-checked: a record's own lengths
 * (callchain nr, stack size, dyn_size) are trusted only as far as the
 * record reaches.
 */
#include "config.h"

#include <linux/perf_event.h>
#include <string.h>

#include "perfrec.h"

/* The fields the perf sampler knows how to read. */
#define PERFREC_FIXED	(PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | \
	PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_PERIOD)
#define PERFREC_KNOWN	(PERFREC_FIXED | PERF_SAMPLE_CALLCHAIN | \
	PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER)

#ifndef PERF_RECORD_MISC_MMAP_BUILD_ID
#define PERF_RECORD_MISC_MMAP_BUILD_ID	(1 << 14)	/* linux 5.12 */
#endif

/* An MMAP2 body's bytes before its path. */
#define PERFREC_MMAP2_FIXED	64

/* Take 8 bytes at *off into *v, if there are. */
static bool
perfrec_u64(const unsigned char *p, size_t len, size_t *off, uint64_t *v)
{
	if (len - *off < 8)
		return false;
	memcpy(v, p + *off, 8);
	*off += 8;
	return true;
}

/* Take n 8-byte words at *off, if there are: their start in *at. */
static bool
perfrec_words(const unsigned char *p, size_t len, size_t *off, uint64_t n,
    const unsigned char **at)
{
	if (n > (len - *off) / 8)
		return false;
	*at = p + *off;
	*off += (size_t)n * 8;
	return true;
}

/* Read a sample body field by field, in perf_event_open(2)'s order. */
int
perfrec_sample(const unsigned char *p, size_t len, uint64_t sample_type,
    uint64_t regs_mask, struct perfrec_sample *out)
{
	size_t off = 0;
	uint64_t v;

	memset(out, 0, sizeof *out);
	if ((sample_type & PERFREC_FIXED) != PERFREC_FIXED ||
	    (sample_type & ~(uint64_t)PERFREC_KNOWN) != 0)
		return -1;
	if (!perfrec_u64(p, len, &off, &out->id) ||
	    !perfrec_u64(p, len, &off, &out->ip) ||
	    !perfrec_u64(p, len, &off, &v))
		return -1;
	memcpy(&out->pid, p + off - 8, 4);
	memcpy(&out->tid, p + off - 4, 4);
	if (!perfrec_u64(p, len, &off, &out->time) ||
	    !perfrec_u64(p, len, &off, &out->period))
		return -1;
	if (sample_type & PERF_SAMPLE_CALLCHAIN) {
		if (!perfrec_u64(p, len, &off, &out->nchain) ||
		    !perfrec_words(p, len, &off, out->nchain, &out->chain))
			return -1;
	}
	if (sample_type & PERF_SAMPLE_REGS_USER) {
		if (!perfrec_u64(p, len, &off, &out->abi))
			return -1;
		/* No registers follow an ABI of NONE (a kernel thread). */
		if (out->abi != PERF_SAMPLE_REGS_ABI_NONE) {
			out->nregs = (uint64_t)__builtin_popcountll(regs_mask);
			if (!perfrec_words(p, len, &off, out->nregs, &out->regs))
				return -1;
		}
	}
	if (sample_type & PERF_SAMPLE_STACK_USER) {
		uint64_t size;

		/* size, size bytes, then dyn_size (the bytes really
		 * copied) only where size is not 0. */
		if (!perfrec_u64(p, len, &off, &size))
			return -1;
		if (size != 0) {
			if (size > len - off)
				return -1;
			out->stack = p + off;
			off += (size_t)size;
			if (!perfrec_u64(p, len, &off, &out->stack_len) ||
			    out->stack_len > size)
				return -1;
		}
	}
	return 0;
}

/* Read an MMAP2 body: pid, tid, addr, len, pgoff, then maj, min, ino,
 * ino_generation or build_id_size, two reserved bytes and build_id[20];
 * prot, flags, filename. */
int
perfrec_mmap2(const unsigned char *p, size_t len, uint16_t misc,
    struct perfrec_mmap2 *out)
{
	memset(out, 0, sizeof *out);
	if (len < PERFREC_MMAP2_FIXED)
		return -1;
	memcpy(&out->pid, p, 4);
	memcpy(&out->tid, p + 4, 4);
	memcpy(&out->addr, p + 8, 8);
	memcpy(&out->len, p + 16, 8);
	memcpy(&out->pgoff, p + 24, 8);
	if (misc & PERF_RECORD_MISC_MMAP_BUILD_ID) {
		if (p[32] > sizeof out->build_id)
			return -1;
		out->build_id_len = p[32];
		memcpy(out->build_id, p + 36, out->build_id_len);
	} else {
		memcpy(&out->maj, p + 32, 4);
		memcpy(&out->min, p + 36, 4);
		memcpy(&out->ino, p + 40, 8);
	}
	memcpy(&out->prot, p + 56, 4);
	memcpy(&out->flags, p + 60, 4);
	out->path = (const char *)p + PERFREC_MMAP2_FIXED;
	out->path_len = strnlen(out->path, len - PERFREC_MMAP2_FIXED);
	return 0;
}
