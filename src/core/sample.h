/*
 * The fixed-size record that the sampler thread hands to the UI thread
 * through the ring. Samples and the few process events the UI thread needs
 * to keep its view of the targets true travel in the same stream, in order.
 */
#ifndef RS_SAMPLE_H
#define RS_SAMPLE_H

#include <stdint.h>

enum rs_rec_kind {
	RS_REC_SAMPLE = 1,	/* ip sampled in pid/tid; weight in period */
	RS_REC_MMAP,		/* pid mapped a file executable; see below */
	RS_REC_COMM,		/* pid/tid changed its name (exec or prctl) */
	RS_REC_FORK,		/* pid/tid created; arg is the parent pid */
	RS_REC_EXIT,		/* pid/tid ended */
	RS_REC_LOST,		/* the kernel dropped period records */
	RS_REC_THROTTLE,	/* the kernel throttled sampling */
	RS_REC_PAYLOAD,		/* raw bytes continuing the record before it */
};

#define RS_SAMPLE_KERNEL 0x01	/* ip is a kernel address */
#define RS_SAMPLE_BLOCKED 0x02	/* a blocked thread's wait site (wait-time):
				 * arg is the system call it waits in, or
				 * RS_NO_SYSCALL where it waits outside one */
#define RS_NO_SYSCALL UINT32_MAX

struct rs_sample {
	uint64_t ip;		/* SAMPLE: instruction pointer; MMAP: start address */
	uint64_t time;		/* sampler clock, nanoseconds */
	uint64_t period;	/* SAMPLE: weight; LOST: records lost; MMAP: length */
	uint32_t pid;
	uint32_t tid;
	uint32_t arg;		/* FORK: parent pid; BLOCKED SAMPLE: system call */
	uint16_t event;		/* index into the event table (events.h) */
	uint8_t kind;		/* enum rs_rec_kind */
	uint8_t flags;		/* RS_SAMPLE_* */
};

/*
 * An RS_REC_MMAP record: ip = start, period = length, time = file offset,
 * arg = how many RS_REC_PAYLOAD slots follow, pushed with the header as one
 * unit (ring_push_n). The payload slots' bytes, taken together, are a
 * struct rs_mmap_info followed by path_len bytes of path (no NUL).
 */
struct rs_mmap_info {
	uint64_t inode;
	uint32_t dev_major;
	uint32_t dev_minor;
	uint32_t prot;		/* PROT_* of the mapping */
	uint32_t path_len;
};

/* Payload slots needed for a path of len bytes. */
#define RS_MMAP_SLOTS(len) \
	((sizeof(struct rs_mmap_info) + (len) + sizeof(struct rs_sample) - 1) / \
	    sizeof(struct rs_sample))

#endif
