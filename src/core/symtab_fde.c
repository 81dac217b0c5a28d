/*
 * Function bounds from the unwind tables: the FDEs that ehframe.c reads,
 * turned into file offsets of executable segments, one per start, each
 * cut where the next starts.
 */
#include "config.h"

#include <elf.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ehframe.h"
#include "sorted.h"
#include "symtab.h"
#include "symtab_elf.h"
#include "symtab_fde.h"
#include "xmalloc.h"

/* symtab_fde_convert turns unwind-table entries into functions in place. */
_Static_assert(sizeof (struct symtab_func) <= sizeof (struct ehframe_fde),
    "a function must fit in an unwind-table entry");

/*
 * Turn unwind-table functions (virtual addresses) into file offsets of
 * executable segments, sorted, one per start, each cut where the next
 * starts. An end not read yet (0) reaches to the segment's end (so, to
 * the next start). The functions are built over v, which this takes.
 * Returns the count; *out is allocated, NULL if none.
 */
static size_t
symtab_fde_convert(const struct symtab_elf *e, struct ehframe_fde *v,
    size_t n, struct symtab_func **out)
{
	const struct symtab_seg *seg;
	struct symtab_func *f, *fs;
	struct ehframe_fde cur;
	uint64_t off, end, segend, last = 0;
	size_t i, k = 0;
	bool sorted = true;

	for (i = 0; i < n; i++) {
		/* Function k < i only overwrites entries read already. */
		cur = v[i];
		if (symtab_elf_offset(e, cur.start, PF_X, &off, &seg) != 0)
			continue;
		segend = seg->vaddr + seg->memsz;
		end = (cur.end != 0 && cur.end < segend) ? cur.end : segend;
		symtab_func_put((char *)v + k * sizeof *fs, off, end - cur.start, NULL);
		if (k++ > 0 && last >= off)
			sorted = false;
		last = off;
	}
	fs = (struct symtab_func *)(void *)v;
	if (!sorted)
		qsort(fs, k, sizeof *fs, sorted_cmp_first);
	for (i = 0, n = 0; i < k; i++) {
		f = &fs[i];
		if (n != 0 && fs[n - 1].start == f->start)
			continue;
		if (n != 0 && f->start - fs[n - 1].start < fs[n - 1].size)
			fs[n - 1].size = f->start - fs[n - 1].start;
		fs[n++] = *f;
	}
	if (n == 0) {
		free(fs);
		fs = NULL;
	} else
		fs = xreallocarray(fs, n, sizeof *fs);
	*out = fs;
	return n;
}

/* Read the functions of e's unwind tables (lazily where there is a table). */
void
symtab_fde_load(struct symtab_fdes *f, const struct symtab_elf *e, bool lazy)
{
	struct ehframe_src src;
	struct ehframe_fde *v = NULL;
	size_t n = 0;

	if (symtab_elf_eh_src(e, &src) != 0)
		return;
	if (lazy && (n = ehframe_hdr_table(&src, &v)) != 0)
		f->pending = true;
	else
		n = ehframe_read(&src, &v);
	f->n = symtab_fde_convert(e, v, n, &f->v);
	if (f->n == 0)
		f->pending = false;
}

/* Read the FDEs behind the pending entries. */
void
symtab_fde_resolve(struct symtab_fdes *f, const struct symtab_elf *e)
{
	struct symtab_func *exact = NULL;
	struct ehframe_fde *v = NULL;
	struct ehframe_src src;
	size_t i, j = 0, k = 0, n;

	f->pending = false;
	if (e == NULL || symtab_elf_eh_src(e, &src) != 0)
		return;
	n = ehframe_read(&src, &v);
	n = symtab_fde_convert(e, v, n, &exact);
	for (i = 0; i < f->n; i++) {
		while (j < n && exact[j].start < f->v[i].start)
			j++;
		if (j == n || exact[j].start != f->v[i].start)
			continue;
		f->v[k] = f->v[i];
		if (exact[j].size < f->v[k].size)
			f->v[k].size = exact[j].size;
		k++;
	}
	f->n = k;
	free(exact);
}

/* The function of f containing offset, or NULL. */
struct symtab_func *
symtab_fde_find(struct symtab_fdes *f, uint64_t offset)
{
	size_t lo = SORTED_UPPER(f->v, f->n, start, offset);

	if (lo == 0 || offset - f->v[lo - 1].start >= f->v[lo - 1].size)
		return NULL;
	return &f->v[lo - 1];
}

/* Name a function of the unwind tables on its first lookup. */
void
symtab_fde_name(struct symtab_func *fn, const char *prefix)
{
	if (fn->name == NULL)
		fn->name = xasprintf("%s+0x%" PRIx64, prefix, fn->start);
}

/* Release the functions and their names. */
void
symtab_fde_free(struct symtab_fdes *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free((char *)f->v[i].name);
	free(f->v);
	memset(f, 0, sizeof *f);
}
