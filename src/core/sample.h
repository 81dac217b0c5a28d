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
	RS_REC_STACK,		/* a call stack of the SAMPLE that follows; see below */
};

#define RS_SAMPLE_KERNEL 0x01	/* ip is a kernel address */
#define RS_SAMPLE_BLOCKED 0x02	/* a blocked thread's wait site (wait-time):
				 * arg is the system call it waits in, or
				 * RS_NO_SYSCALL where it waits outside one */
#define RS_SAMPLE_STACK 0x04	/* RS_REC_STACK records just before it are its own */
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
	uint64_t inode;		/* 0 where the build-id is told instead */
	uint32_t dev_major;
	uint32_t dev_minor;
	uint32_t prot;		/* PROT_* of the mapping */
	uint32_t path_len;
	uint8_t build_id[20];	/* the file's GNU build-id, as the kernel read it */
	uint32_t build_id_len;	/* 0: none told */
};

/* Payload slots needed for a path of len bytes. */
#define RS_MMAP_SLOTS(len) \
	((sizeof(struct rs_mmap_info) + (len) + sizeof(struct rs_sample) - 1) / \
	    sizeof(struct rs_sample))

/*
 * Call stacks (-g). A sample with a stack is pushed as one unit
 * (ring_push_n): one or two RS_REC_STACK records, each followed by its
 * RS_REC_PAYLOAD slots, then the RS_REC_SAMPLE, flagged RS_SAMPLE_STACK.
 * An RS_REC_STACK has the sample's pid, tid and time; period = enum
 * rs_stack_kind; arg = the payload slots that follow it; ip = CHAIN: the
 * number of entries, USER: the bytes of stack after the struct rs_ustack.
 * The sampler thread only copies: the session (main thread) walks or
 * unwinds.
 */
enum rs_stack_kind {
	/* uint64_t entries as PERF_SAMPLE_CALLCHAIN gives them: leaf first,
	 * PERF_CONTEXT_* markers (values >= PERF_CONTEXT_MAX as unsigned)
	 * saying whose frames follow (kernel, user). */
	RS_STACK_CHAIN = 1,
	/* A struct rs_ustack, then ip bytes of the thread's user stack,
	 * copied from rs_ustack.sp upwards: what -g dwarf unwinds (and -g fp
	 * walks, on the ptrace sampler and for blocked threads). */
	RS_STACK_USER,
};

/* User registers in the numbering of perf's PERF_REG_X86_* (asm/perf_regs.h):
 * AX 0, BX 1, CX 2, DX 3, SI 4, DI 5, BP 6, SP 7, IP 8, FLAGS 9, CS 10,
 * SS 11, DS..GS 12-15, R8..R15 16-23. */
#define RS_USTACK_NREGS	24
#define RS_REG_BP	6
#define RS_REG_SP	7
#define RS_REG_IP	8

struct rs_ustack {
	uint64_t mask;			/* bit i set: regs[i] is known */
	uint64_t regs[RS_USTACK_NREGS];
	uint64_t sp;			/* the address of the first byte copied */
};

/* Payload slots needed for bytes of payload. */
#define RS_PAYLOAD_SLOTS(bytes) \
	(((bytes) + sizeof(struct rs_sample) - 1) / sizeof(struct rs_sample))

/* The most a stack may carry: entries of a chain, bytes of a user stack. */
#define RS_STACK_MAX_ENTRIES	1024
#define RS_STACK_MAX_BYTES	65528	/* perf's limit for sample_stack_user */

#endif
