/*
 * PLT stubs named from the relocations they jump through (see
 * symtab_plt.h). Stubs are decoded only on x86-64; elsewhere entry i of
 * .plt is relocation i.
 */
#include "config.h"

#include <elf.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>

#include "sorted.h"
#include "symtab.h"
#include "symtab_elf.h"
#include "symtab_plt.h"
#include "xmalloc.h"

/* A dynamic relocation that a PLT stub may jump through. */
struct symtab_plt_rel {
	uint64_t slot;		/* r_offset: the GOT slot; first: sorted by it */
	uint64_t addend;
	uint32_t sym;
	uint32_t type;
};

/* The relocation types that PLT stubs go through, per machine. */
struct symtab_plt_arch {
	unsigned machine;
	uint32_t jump_slot;
	uint32_t glob_dat;
	uint32_t irelative;
	size_t header;		/* bytes before the first .plt entry */
	size_t entry;		/* bytes of a .plt and .plt.sec entry */
};

static const struct symtab_plt_arch symtab_plt_arches[] = {
	{ .machine = EM_X86_64, .jump_slot = R_X86_64_JUMP_SLOT,
	  .glob_dat = R_X86_64_GLOB_DAT, .irelative = R_X86_64_IRELATIVE,
	  .header = 16, .entry = 16 },
	{ .machine = EM_386, .jump_slot = R_386_JMP_SLOT,
	  .glob_dat = R_386_GLOB_DAT, .irelative = R_386_IRELATIVE,
	  .header = 16, .entry = 16 },
	{ .machine = EM_AARCH64, .jump_slot = R_AARCH64_JUMP_SLOT,
	  .glob_dat = R_AARCH64_GLOB_DAT, .irelative = R_AARCH64_IRELATIVE,
	  .header = 32, .entry = 16 },
};

/* The relocations a PLT resolves through, read from one section. */
struct symtab_plt_rels {
	struct symtab_plt_rel *v;
	size_t n;
	Elf_Data *syms;		/* the symbol table they refer to */
	size_t strndx;		/* its string table */
	struct symtab_plt_rel *by_slot;	/* v sorted by slot */
};

/* Read the relocations of a REL or RELA section (only type if nonzero). */
static void
symtab_plt_read_rels(Elf *elf, Elf_Scn *scn, uint32_t type, struct symtab_plt_rels *r)
{
	GElf_Shdr sh, symsh;
	GElf_Rela rela;
	GElf_Rel rel;
	Elf_Scn *symscn;
	Elf_Data *d;
	size_t n, i, fsize;
	struct symtab_plt_rel *out;

	if (gelf_getshdr(scn, &sh) == NULL ||
	    (sh.sh_type != SHT_RELA && sh.sh_type != SHT_REL))
		return;
	if ((symscn = elf_getscn(elf, sh.sh_link)) == NULL ||
	    gelf_getshdr(symscn, &symsh) == NULL ||
	    (symsh.sh_type != SHT_DYNSYM && symsh.sh_type != SHT_SYMTAB))
		return;
	if (r->syms == NULL) {
		r->syms = elf_getdata(symscn, NULL);
		r->strndx = symsh.sh_link;
	}
	fsize = gelf_fsize(elf, sh.sh_type == SHT_RELA ? ELF_T_RELA : ELF_T_REL, 1,
	    EV_CURRENT);
	if ((d = elf_getdata(scn, NULL)) == NULL || fsize == 0)
		return;
	n = d->d_size / fsize;
	r->v = xreallocarray(r->v, r->n + n + 1, sizeof *r->v);
	for (i = 0; i < n; i++) {
		out = &r->v[r->n];
		if (sh.sh_type == SHT_RELA) {
			if (gelf_getrela(d, (int)i, &rela) == NULL)
				continue;
			out->slot = rela.r_offset;
			out->addend = (uint64_t)rela.r_addend;
			out->sym = (uint32_t)GELF_R_SYM(rela.r_info);
			out->type = (uint32_t)GELF_R_TYPE(rela.r_info);
		} else {
			if (gelf_getrel(d, (int)i, &rel) == NULL)
				continue;
			out->slot = rel.r_offset;
			out->addend = 0;
			out->sym = (uint32_t)GELF_R_SYM(rel.r_info);
			out->type = (uint32_t)GELF_R_TYPE(rel.r_info);
		}
		if (type == 0 || out->type == type)
			r->n++;
	}
}

/* Sort a copy of the relocations by GOT slot. */
static void
symtab_plt_rels_index(struct symtab_plt_rels *r)
{
	if (r->n == 0)
		return;
	r->by_slot = xreallocarray(NULL, r->n, sizeof *r->by_slot);
	memcpy(r->by_slot, r->v, r->n * sizeof *r->by_slot);
	qsort(r->by_slot, r->n, sizeof *r->by_slot, sorted_cmp_first);
}

/* The relocation of a GOT slot, or NULL. */
static const struct symtab_plt_rel *
symtab_plt_rels_find(const struct symtab_plt_rels *r, uint64_t slot)
{
	size_t lo = SORTED_LOWER(r->by_slot, r->n, slot, slot);

	return (lo < r->n && r->by_slot[lo].slot == slot) ? &r->by_slot[lo] : NULL;
}

/* Release a relocation list. */
static void
symtab_plt_rels_free(struct symtab_plt_rels *r)
{
	free(r->v);
	free(r->by_slot);
}

/*
 * What an x86-64 PLT stub does after an optional endbr64 and bnd prefix:
 * 1 with *val the GOT slot of jmp *disp(%rip), 2 with *val the relocation
 * index of push $index (a lazy .plt entry under IBT), 0 if neither.
 */
static int
symtab_plt_x86_64_stub(const unsigned char *p, size_t len, uint64_t vaddr, uint64_t *val)
{
	size_t i = 0;
	int32_t disp;
	uint32_t imm;

	if (len >= 4 && p[0] == 0xf3 && p[1] == 0x0f && p[2] == 0x1e &&
	    (p[3] == 0xfa || p[3] == 0xfb))
		i = 4;
	if (i < len && p[i] == 0xf2)
		i++;
	if (len - i >= 6 && p[i] == 0xff && p[i + 1] == 0x25) {
		memcpy(&disp, p + i + 2, 4);
		*val = vaddr + i + 6 + (uint64_t)(int64_t)disp;
		return 1;
	}
	if (len - i >= 5 && p[i] == 0x68) {
		memcpy(&imm, p + i + 1, 4);
		*val = imm;
		return 2;
	}
	return 0;
}

/* The name a relocation gives its stub (NAME, without @plt), or NULL. */
static const char *
symtab_plt_rel_name(const struct symtab_cands *cs, const struct symtab_elf *e,
    const struct symtab_plt_arch *arch, const struct symtab_plt_rels *r,
    const struct symtab_plt_rel *rel, size_t *len)
{
	const struct symtab_cand *best = NULL;
	GElf_Sym sym;
	const char *name;
	uint64_t off;
	size_t i;

	if (rel->type == arch->irelative) {
		/* No symbol: the name of the resolver the addend points at. */
		if (symtab_elf_offset(e, rel->addend, 0, &off, NULL) != 0)
			return NULL;
		for (i = 0; i < cs->n; i++) {
			if (cs->v[i].start == off && !cs->v[i].extra &&
			    (best == NULL || symtab_cand_better(&cs->v[i], best, cs)))
				best = &cs->v[i];
		}
		if (best == NULL)
			return NULL;
		*len = best->namelen;
		return symtab_cand_str(cs, best);
	}
	if ((rel->type != arch->jump_slot && rel->type != arch->glob_dat) ||
	    rel->sym == 0 || r->syms == NULL ||
	    gelf_getsym(r->syms, (int)rel->sym, &sym) == NULL ||
	    (name = elf_strptr(e->elf, r->strndx, sym.st_name)) == NULL)
		return NULL;
	*len = strcspn(name, "@");
	return *len != 0 ? name : NULL;
}

/* Add a NAME@plt candidate for the stub at vaddr. */
static void
symtab_plt_add(struct symtab_cands *cs, const struct symtab_elf *e,
    uint64_t vaddr, size_t size, const char *name, size_t len)
{
	struct symtab_strbuf *sb = &cs->extra;
	struct symtab_cand cand;
	size_t suffix = strlen(SYMTAB_PLT_SUFFIX);
	uint64_t off;

	if (symtab_elf_offset(e, vaddr, 0, &off, NULL) != 0 ||
	    len + suffix > SYMTAB_NAME_MAX || sb->len > UINT32_MAX)
		return;
	memset(&cand, 0, sizeof cand);
	cand.start = off;
	cand.size = size;
	cand.limit = off + size;
	cand.extra = 1;
	cand.namelen = (uint32_t)(len + suffix) & SYMTAB_NAME_MAX;
	cand.name = symtab_strbuf_add(sb, name, len);
	sb->len--;
	symtab_strbuf_add(sb, SYMTAB_PLT_SUFFIX, suffix);
	symtab_cands_add(cs, &cand);
}

/*
 * Name the stubs of one PLT section from the relocations: an x86-64 stub
 * by the GOT slot it jumps through (or the index it pushes), others (and
 * undecodable ones) by their place, entry i for relocation i.
 */
static void
symtab_plt_section(struct symtab_cands *cs, const struct symtab_elf *e,
    const struct symtab_plt_arch *arch, Elf_Scn *scn, size_t header,
    size_t entry, const struct symtab_plt_rels *r, bool by_order)
{
	const struct symtab_plt_rel *rel;
	const unsigned char *p;
	const char *name;
	Elf_Data *d;
	GElf_Shdr sh;
	uint64_t addr, val;
	size_t off, len, idx;
	int kind;

	if ((d = symtab_elf_scn_bytes(scn, &addr, &sh)) == NULL || r->n == 0 ||
	    !(sh.sh_flags & SHF_EXECINSTR))
		return;
	p = d->d_buf;
	for (off = header; off < d->d_size && d->d_size - off >= entry; off += entry) {
		rel = NULL;
		kind = 0;
		if (arch->machine == EM_X86_64)
			kind = symtab_plt_x86_64_stub(p + off, entry, addr + off, &val);
		if (kind == 1)
			rel = symtab_plt_rels_find(r, val);
		else if (kind == 2 && by_order && val < r->n)
			rel = &r->v[val];
		else if (kind == 0 && by_order) {
			idx = (off - header) / entry;
			rel = idx < r->n ? &r->v[idx] : NULL;
		}
		if (rel != NULL &&
		    (name = symtab_plt_rel_name(cs, e, arch, r, rel, &len)) != NULL)
			symtab_plt_add(cs, e, addr + off, entry, name, len);
	}
}

/* NAME@plt candidates for the stubs of .plt, .plt.sec and .plt.got. */
void
symtab_plt_cands(struct symtab_cands *cs, const struct symtab_elf *e)
{
	const struct symtab_plt_arch *arch = NULL;
	struct symtab_plt_rels jump = { 0 }, glob = { 0 };
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	size_t i, entry;

	if (e->eh.e_ident[EI_DATA] != SYMTAB_HOST_DATA ||
	    (e->plt == NULL && e->plt_sec == NULL && e->plt_got == NULL))
		return;
	for (i = 0; i < sizeof symtab_plt_arches / sizeof symtab_plt_arches[0]; i++) {
		if (symtab_plt_arches[i].machine == e->eh.e_machine)
			arch = &symtab_plt_arches[i];
	}
	if (arch == NULL)
		return;

	if (e->rel_plt != NULL && (e->plt != NULL || e->plt_sec != NULL)) {
		symtab_plt_read_rels(e->elf, e->rel_plt, 0, &jump);
		symtab_plt_rels_index(&jump);
		symtab_plt_section(cs, e, arch, e->plt, arch->header, arch->entry,
		    &jump, true);
		if (arch->machine == EM_X86_64 || arch->machine == EM_386)
			symtab_plt_section(cs, e, arch, e->plt_sec, 0, arch->entry,
			    &jump, true);
	}
	if (e->plt_got != NULL && arch->machine == EM_X86_64) {
		while ((scn = elf_nextscn(e->elf, scn)) != NULL) {
			if (scn != e->rel_plt && gelf_getshdr(scn, &sh) != NULL &&
			    (sh.sh_flags & SHF_ALLOC))
				symtab_plt_read_rels(e->elf, scn, arch->glob_dat, &glob);
		}
		symtab_plt_rels_index(&glob);
		entry = 8;
		if (gelf_getshdr(e->plt_got, &sh) != NULL && sh.sh_entsize == 16)
			entry = 16;
		symtab_plt_section(cs, e, arch, e->plt_got, 0, entry, &glob, false);
	}
	symtab_plt_rels_free(&jump);
	symtab_plt_rels_free(&glob);
}
