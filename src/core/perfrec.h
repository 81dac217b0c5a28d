/*
 * The body of a PERF_RECORD_SAMPLE, read as perf_event_open(2) lays it
 * out for the sample_type the perf sampler asks for: IDENTIFIER, IP,
 * TID, TIME, PERIOD, then, with call stacks, CALLCHAIN, REGS_USER and
 * STACK_USER. Every length in the record is checked against the
 * record's size; nothing is copied (the parts point into the record).
 */
#ifndef RS_PERFREC_H
#define RS_PERFREC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a sample record holds; pointers into the record, unaligned. */
struct perfrec_sample {
	uint64_t id;
	uint64_t ip;
	uint32_t pid;
	uint32_t tid;
	uint64_t time;
	uint64_t period;
	const unsigned char *chain;	/* CALLCHAIN: nchain uint64_t entries */
	uint64_t nchain;
	uint64_t abi;			/* REGS_USER: PERF_SAMPLE_REGS_ABI_*; 0: no registers */
	const unsigned char *regs;	/* ... one uint64_t per bit of the mask, lowest first */
	uint64_t nregs;
	const unsigned char *stack;	/* STACK_USER: the bytes copied from the user sp */
	uint64_t stack_len;		/* ... dyn_size: how many (0: none) */
};

/* Read the body (len bytes after the header) of a sample record of
 * sample_type, the user registers asked for being regs_mask. 0, or -1
 * where a length in the record runs past its end, or the record holds
 * fields sample_type does not have. */
int perfrec_sample(const unsigned char *p, size_t len, uint64_t sample_type,
    uint64_t regs_mask, struct perfrec_sample *out);

#endif
