/*
 * A table of functions: what one binary's symbols name, sorted by start,
 * one name per start, each reaching as far as its size (or, without one,
 * to the next). Loaders (symtab_elf.c, symtab_plt.c, symtab_kallsyms.c,
 * and binary.c for synthetic tables) fill a list of candidates; one
 * function builds the table over them. Names are demangled on their
 * first lookup. A table knows nothing of files or processes.
 */
#ifndef RS_SYMTAB_H
#define RS_SYMTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SYMTAB_NAME_MAX		((1U << 24) - 1)
#define SYMTAB_PLT_SUFFIX	"@plt"

struct symtab_func {
	uint64_t start;		/* file offset of the first byte (kernel: address);
				 * first: tables sort by it (sorted.h) */
	uint64_t size;		/* bytes; 0 when the symbol has no size */
	const char *name;	/* demangled; valid as long as its table */
};

/* Names in blocks that never move, so that pointers into them stay valid. */
struct symtab_pool {
	char **blocks;
	size_t nblocks;
	char *next;		/* free space in the last block */
	size_t left;		/* bytes there */
	size_t block;		/* size of the last block in the doubling */
};

/* Beside each function of a table: how far it reaches. */
struct symtab_range {
	uint64_t end;		/* one past the last offset covered */
	uint64_t maxend;	/* the largest end of this and every earlier one */
};

struct symtab {
	struct symtab_func *funcs;	/* sorted by start, one per start */
	struct symtab_range *ranges;	/* NULL: each reaches to the next */
	uint8_t *states;		/* a name's state (symtab.c) */
	size_t nfuncs;
	struct symtab_pool names;	/* every raw name */
	bool demangle;			/* names are demangled on lookup */
};

/* A symbol on its way into a table; 32 bytes so that sorting is cheap. */
struct symtab_cand {
	uint64_t start;
	uint64_t size;
	uint64_t limit;		/* a zero-size symbol reaches no further */
	uint32_t name;		/* offset in the candidates' strings */
	uint32_t namelen : 24;	/* without the version suffix */
	uint32_t rank : 6;	/* lower wins: type, then binding */
	uint32_t extra : 1;	/* the name is in the extra strings */
	uint32_t versioned : 1;	/* the name had an @VERSION suffix */
};

/* A growable string buffer for candidates whose names are not in ELF. */
struct symtab_strbuf {
	char *buf;
	size_t len;
	size_t cap;
};

struct symtab_cands {
	struct symtab_cand *v;
	size_t n;
	size_t cap;
	const char *strs;		/* the names' string table */
	struct symtab_strbuf extra;	/* names made by the loaders (NAME@plt) */
};

/* Append one candidate. */
void symtab_cands_add(struct symtab_cands *cs, const struct symtab_cand *cand);

/* Release the candidates' own memory (not strs). */
void symtab_cands_free(struct symtab_cands *cs);

/* Copy a name of len bytes into a string buffer, terminated; its offset. */
uint32_t symtab_strbuf_add(struct symtab_strbuf *sb, const char *s, size_t len);

/* The name of a candidate (namelen bytes, not terminated there). */
const char *symtab_cand_str(const struct symtab_cands *cs,
    const struct symtab_cand *cand);

/* Whether candidate a is preferred to b, both at the same start. */
bool symtab_cand_better(const struct symtab_cand *a,
    const struct symtab_cand *b, const struct symtab_cands *cs);

/* Copy a name of len bytes into a pool, terminated; it never moves. */
const char *symtab_pool_add(struct symtab_pool *p, const char *s, size_t len);

/* One past start + size, without wrapping. */
uint64_t symtab_end(uint64_t start, uint64_t size);

/* Write a function at dst, which may alias an entry of another type
 * being converted in place. */
void symtab_func_put(void *dst, uint64_t start, uint64_t size, const char *name);

/*
 * Build t over the candidates (taking their array from cs): sort, keep one
 * per start (global over weak over local, unversioned, shortest, then
 * strcmp), drop zero-size labels inside sized functions, and work out how
 * far each reaches: a zero-size one to the next start, but neither past
 * its limit nor into the next of the bounds (functions sorted by start,
 * from the unwind tables; only their starts are read).
 */
void symtab_build(struct symtab *t, struct symtab_cands *cs,
    const struct symtab_func *bounds, size_t nbounds);

/* Build t from n functions sorted by start, one per start, without sizes
 * (each reaches to the next), names in t's pool; t takes v. */
void symtab_take_sorted(struct symtab *t, struct symtab_func *v, size_t n);

/* Build t from a copy of a list of functions; names copied as given. */
void symtab_build_given(struct symtab *t, const struct symtab_func *funcs,
    size_t n);

/* The function of t containing offset, its name demangled on first use;
 * or NULL. */
const struct symtab_func *symtab_find(struct symtab *t, uint64_t offset);

/* Release a table's memory and every name it handed out. */
void symtab_free(struct symtab *t);

#endif
