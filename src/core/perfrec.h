/*
 * The body of a PERF_RECORD_SAMPLE, read as perf_event_open(2) lays it
 * out for the sample_type the perf sampler asks for: IDENTIFIER, IP,
 * TID, TIME, PERIOD, then, with call stacks, CALLCHAIN, REGS_USER and
 * STACK_USER; and the body of a PERF_RECORD_MMAP2, in both its forms
 * (device and inode, or the file's build-id). Every length in the record
 * is checked against the record's size; nothing is copied (the parts
 * point into the record).
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

/* What an MMAP2 record holds: the device and inode of the file, or
 * (PERF_RECORD_MISC_MMAP_BUILD_ID in the header's misc, attr.build_id)
 * its GNU build-id in their place. */
struct perfrec_mmap2 {
	uint32_t pid;
	uint32_t tid;
	uint64_t addr;
	uint64_t len;
	uint64_t pgoff;
	uint32_t maj;			/* 0 with a build-id */
	uint32_t min;
	uint64_t ino;
	uint8_t build_id[20];
	size_t build_id_len;		/* 0: device and inode told instead */
	uint32_t prot;
	uint32_t flags;
	const char *path;		/* path_len bytes, no NUL */
	size_t path_len;
};

/* Read the body (len bytes after the header, whose misc is misc) of an
 * MMAP2 record. 0, or -1 where it is shorter than its fixed part or
 * tells a build-id longer than 20 bytes. The path ends at its NUL or the
 * record's end. */
int perfrec_mmap2(const unsigned char *p, size_t len, uint16_t misc,
    struct perfrec_mmap2 *out);

#endif
