/*
 * Function bounds from the unwind tables: the FDEs of .eh_frame, found
 * through the sorted table of .eh_frame_hdr where there is one. Works on
 * bytes in memory (host byte order) and never reads out of them; DWARF
 * proper is never read.
 */
#ifndef RS_EHFRAME_H
#define RS_EHFRAME_H

#include <stddef.h>
#include <stdint.h>

/* One function's code, as the FDE covers it (virtual addresses). */
struct ehframe_fde {
	uint64_t start;
	uint64_t end;		/* one past the last byte; 0: not read yet */
	uint64_t fde;		/* the address of the FDE itself */
};

/* Where the tables are: bytes and the virtual address of their first. */
struct ehframe_src {
	const unsigned char *hdr;	/* .eh_frame_hdr, or NULL */
	size_t hdrsize;
	uint64_t hdraddr;
	const unsigned char *eh;	/* .eh_frame, or NULL */
	size_t ehsize;
	uint64_t ehaddr;
	unsigned ptrsize;		/* 4 or 8: the size of an absptr */
};

/* The address of .eh_frame that an .eh_frame_hdr gives; -1 if unreadable. */
int ehframe_hdr_eh_addr(const struct ehframe_src *src, uint64_t *addr);

/*
 * The binary search table of .eh_frame_hdr alone (.eh_frame is not
 * touched): each entry's start and FDE address, ends 0, sorted by start,
 * one per start, not checked against the FDEs. *out is allocated (NULL
 * when there are none) and the count returned.
 */
size_t ehframe_hdr_table(const struct ehframe_src *src, struct ehframe_fde **out);

/* Read the FDE of each entry in .eh_frame for its end; an entry whose FDE
 * is unreadable or starts elsewhere gets end 0. */
void ehframe_resolve(const struct ehframe_src *src, struct ehframe_fde *v, size_t n);

/*
 * The functions the FDEs cover, sorted by start, one per start, without
 * overlap (an FDE is cut where the next starts): the .eh_frame_hdr table
 * resolved where it has entries, else every FDE of .eh_frame in turn.
 * *out is allocated (NULL when there are none) and the count returned.
 */
size_t ehframe_read(const struct ehframe_src *src, struct ehframe_fde **out);

#endif
