/*
 * A sample's stack: its addresses (leaf first) as the session gathers them
 * from the records and the unwinder (unwind.c), and its frames, where
 * each address is, as the resolver (resolve.c) finds them before the
 * aggregator (agg.c) counts them. The aggregator never looks a name up:
 * func is given.
 */
#ifndef RS_FRAME_H
#define RS_FRAME_H

#include <stdint.h>

struct binary;
struct symtab_func;

/* One sampled address of a stack, before it is resolved. */
struct rs_addr {
	uint64_t ip;
	unsigned flags;		/* RS_ADDR_* */
};

#define RS_ADDR_KERNEL	0x01	/* a kernel address: [kernel] */
#define RS_ADDR_CALLER	0x02	/* a return address: its function is the one
				 * the call (the byte before it) is in */

struct rs_frame {
	struct binary *bin;		/* never NULL once resolved */
	uint64_t offset;		/* file offset in bin; [kernel], [anon] and
					 * JIT maps: the address itself */
	const struct symtab_func *func;	/* NULL: the binary's [unknown] */
};

#endif
