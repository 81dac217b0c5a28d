/*
 * Function bounds from a binary's unwind tables (the FDEs of .eh_frame,
 * through .eh_frame_hdr where it has a table): they name code that no
 * symbol covers (BINARY+0xSTART) and keep zero-size symbols from
 * reaching into the next function. Offsets are file offsets.
 */
#ifndef RS_SYMTAB_FDE_H
#define RS_SYMTAB_FDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct symtab_elf;
struct symtab_func;

struct symtab_fdes {
	struct symtab_func *v;	/* sorted, without overlap; names made on lookup */
	size_t n;
	bool pending;		/* ends not read yet (symtab_fde_resolve) */
};

/*
 * Read the functions of e's unwind tables into f. With lazy, a file with
 * an .eh_frame_hdr table gives only the table's starts now (its .eh_frame
 * may be large) and f->pending is set: symtab_fde_resolve reads the ends
 * when a lookup needs one. Otherwise every FDE is read now.
 */
void symtab_fde_load(struct symtab_fdes *f, const struct symtab_elf *e, bool lazy);

/* Read the FDEs behind f's pending entries from e (the same file opened
 * again): each ends where its FDE says; one without an FDE is dropped.
 * Clears f->pending; with e NULL (the file is gone) the entries keep
 * reaching to the next start. */
void symtab_fde_resolve(struct symtab_fdes *f, const struct symtab_elf *e);

/* The function of f containing offset, or NULL; unnamed until named. */
struct symtab_func *symtab_fde_find(struct symtab_fdes *f, uint64_t offset);

/* Name function fn of f "PREFIX+0xSTART" unless it has a name. */
void symtab_fde_name(struct symtab_func *fn, const char *prefix);

void symtab_fde_free(struct symtab_fdes *f);

#endif
