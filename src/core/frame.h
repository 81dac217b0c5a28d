/*
 * One resolved frame of a sample: where an address is, as the session
 * resolves it (resolve.c) before the aggregator counts it (agg.c). The
 * aggregator never looks a name up: func is given.
 */
#ifndef RS_FRAME_H
#define RS_FRAME_H

#include <stdint.h>

struct binary;
struct symtab_func;

struct rs_frame {
	struct binary *bin;		/* never NULL once resolved */
	uint64_t offset;		/* file offset in bin; [kernel], [anon] and
					 * JIT maps: the address itself */
	const struct symtab_func *func;	/* NULL: the binary's [unknown] */
};

#endif
