/*
 * Reading an ELF image for the symbol loaders: header, segments,
 * sections, function symbols, unwind-table and debuglink sections. Every
 * size and index read from the file is checked before it is used.
 */
#include "config.h"

#include <elf.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>

#include "ehframe.h"
#include "symtab.h"
#include "symtab_elf.h"
#include "xmalloc.h"

/* Release what symtab_elf_open allocated. */
void
symtab_elf_close(struct symtab_elf *e)
{
	free(e->secs);
	free(e->segs);
	e->secs = NULL;
	e->segs = NULL;
}

/* Remember a section the loader looks for by name. */
static void
symtab_elf_named(struct symtab_elf *e, Elf_Scn *scn, const char *name)
{
	static const struct {
		const char *name;
		size_t off;
	} named[] = {
		{ ".eh_frame_hdr", offsetof(struct symtab_elf, eh_frame_hdr) },
		{ ".eh_frame", offsetof(struct symtab_elf, eh_frame) },
		{ ".plt", offsetof(struct symtab_elf, plt) },
		{ ".plt.sec", offsetof(struct symtab_elf, plt_sec) },
		{ ".plt.got", offsetof(struct symtab_elf, plt_got) },
		{ ".rela.plt", offsetof(struct symtab_elf, rel_plt) },
		{ ".rel.plt", offsetof(struct symtab_elf, rel_plt) },
		{ ".gnu_debuglink", offsetof(struct symtab_elf, debuglink) },
	};
	Elf_Scn **slot;
	size_t i;

	for (i = 0; i < sizeof named / sizeof named[0]; i++) {
		if (strcmp(name, named[i].name) != 0)
			continue;
		slot = (Elf_Scn **)(void *)((char *)e + named[i].off);
		if (*slot == NULL)
			*slot = scn;
		return;
	}
}

/*
 * Read what the loader needs of an ELF image: its header, PT_LOAD
 * segments, every section's flags and address, and the sections it looks
 * for. -1 if it is not an executable or shared object.
 */
int
symtab_elf_open(struct symtab_elf *e, Elf *elf)
{
	GElf_Phdr ph;
	GElf_Shdr sh;
	Elf_Scn *scn = NULL;
	size_t phnum, shnum, shstrndx, i;
	const char *name;

	memset(e, 0, sizeof *e);
	e->elf = elf;
	if (elf_kind(elf) != ELF_K_ELF || gelf_getehdr(elf, &e->eh) == NULL)
		return -1;
	if (e->eh.e_type != ET_EXEC && e->eh.e_type != ET_DYN)
		return -1;
	if (elf_getphdrnum(elf, &phnum) != 0)
		return -1;
	if (elf_getshdrnum(elf, &shnum) != 0)
		shnum = 0;	/* cut off (a truncated file): segments only */

	e->segs = xreallocarray(NULL, phnum != 0 ? phnum : 1, sizeof *e->segs);
	for (i = 0; i < phnum; i++) {
		if (gelf_getphdr(elf, (int)i, &ph) == NULL || ph.p_type != PT_LOAD ||
		    ph.p_memsz == 0 || ph.p_memsz > UINT64_MAX - ph.p_vaddr)
			continue;
		e->segs[e->nsegs].vaddr = ph.p_vaddr;
		e->segs[e->nsegs].memsz = ph.p_memsz;
		e->segs[e->nsegs].offset = ph.p_offset;
		e->segs[e->nsegs].filesz = ph.p_filesz < ph.p_memsz ? ph.p_filesz : ph.p_memsz;
		e->segs[e->nsegs].flags = ph.p_flags;
		e->nsegs++;
	}

	if (shnum == 0 || elf_getshdrstrndx(elf, &shstrndx) != 0)
		shstrndx = SHN_UNDEF;
	e->secs = xcalloc(shnum != 0 ? shnum : 1, sizeof *e->secs);
	e->nsecs = shnum;
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		i = elf_ndxscn(scn);
		if (i >= shnum || gelf_getshdr(scn, &sh) == NULL)
			continue;
		e->secs[i].flags = sh.sh_flags;
		e->secs[i].addr = sh.sh_addr;
		e->secs[i].size = sh.sh_size;
		if (sh.sh_type == SHT_SYMTAB && e->symtab == NULL)
			e->symtab = scn;
		else if (sh.sh_type == SHT_DYNSYM && e->dynsym == NULL)
			e->dynsym = scn;
		if (sh.sh_type == SHT_NOBITS || shstrndx == SHN_UNDEF)
			continue;
		if ((name = elf_strptr(elf, shstrndx, sh.sh_name)) != NULL)
			symtab_elf_named(e, scn, name);
	}
	return 0;
}

/* The rank of an ELF symbol: functions before labels, then the binding. */
static unsigned
symtab_elf_rank(unsigned type, unsigned bind)
{
	unsigned r;

	switch (bind) {
	case STB_GLOBAL:
	case STB_GNU_UNIQUE:
		r = 0;
		break;
	case STB_WEAK:
		r = 1;
		break;
	case STB_LOCAL:
		r = 2;
		break;
	default:
		r = 3;
		break;
	}
	return (type == STT_NOTYPE ? 4 : 0) + r;
}

/* Name a candidate from the string table unless the name is empty or too
 * long: its offset and length without an @VERSION suffix. */
static int
symtab_elf_cand_name(struct symtab_cand *cand, const char *strs, size_t off)
{
	const char *s = strs + off, *at;
	size_t len = strlen(s);

	at = memchr(s, '@', len);
	cand->versioned = (at != NULL);
	if (at != NULL)
		len = (size_t)(at - s);
	if (len == 0 || len > SYMTAB_NAME_MAX || off > UINT32_MAX)
		return -1;
	cand->name = (uint32_t)off;
	cand->namelen = (uint32_t)len & SYMTAB_NAME_MAX;
	return 0;
}

/* The segment containing vaddr, or NULL; *last remembers the last hit. */
static const struct symtab_seg *
symtab_elf_seg(const struct symtab_seg *segs, size_t nsegs, uint64_t vaddr,
    size_t *last)
{
	size_t i;

	if (*last < nsegs && vaddr >= segs[*last].vaddr &&
	    vaddr - segs[*last].vaddr < segs[*last].memsz)
		return &segs[*last];
	for (i = 0; i < nsegs; i++) {
		if (vaddr >= segs[i].vaddr && vaddr - segs[i].vaddr < segs[i].memsz) {
			*last = i;
			return &segs[i];
		}
	}
	return NULL;
}

/* Add sym, at value in seg and reaching no further than the address
 * end, as a candidate named from strs. */
static void
symtab_elf_add(struct symtab_cands *cs, const char *strs, const GElf_Sym *sym,
    uint64_t value, const struct symtab_seg *seg, uint64_t end)
{
	struct symtab_cand cand;

	memset(&cand, 0, sizeof cand);
	if (symtab_elf_cand_name(&cand, strs, sym->st_name) != 0)
		return;
	cand.start = value - seg->vaddr + seg->offset;
	cand.size = sym->st_size;
	cand.rank = symtab_elf_rank(GELF_ST_TYPE(sym->st_info),
	    GELF_ST_BIND(sym->st_info)) & 0x7f;
	cand.limit = end - seg->vaddr + seg->offset;
	symtab_cands_add(cs, &cand);
}

/* The SHT_SYMTAB_SHNDX data that extends the symbol table at index symndx. */
static Elf_Data *
symtab_elf_xndx(Elf *elf, size_t symndx)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		if (gelf_getshdr(scn, &sh) != NULL &&
		    sh.sh_type == SHT_SYMTAB_SHNDX && sh.sh_link == symndx)
			return elf_getdata(scn, NULL);
	}
	return NULL;
}

/* Add the function symbols of one symbol table to the candidates. */
void
symtab_elf_syms(struct symtab_cands *cs, const struct symtab_elf *e,
    Elf_Scn *scn, const struct symtab_elf *segs)
{
	Elf *elf = e->elf;
	GElf_Shdr sh;
	GElf_Sym sym;
	GElf_Word xshndx;
	Elf_Data *data, *str, *xndx;
	Elf_Scn *strscn;
	const struct symtab_seg *seg;
	const struct symtab_sec *sec;
	const char *strs, *name;
	size_t strsize, i, nsyms, shndx, last = 0;
	unsigned type;
	uint64_t value, secend, segend;
	bool thumb = (segs->eh.e_machine == EM_ARM);

	if (gelf_getshdr(scn, &sh) == NULL || sh.sh_link >= e->nsecs)
		return;
	data = elf_getdata(scn, NULL);
	strscn = elf_getscn(elf, sh.sh_link);
	if (data == NULL || strscn == NULL || gelf_getshdr(strscn, &sh) == NULL ||
	    sh.sh_type != SHT_STRTAB)
		return;
	str = elf_getdata(strscn, NULL);
	if (str == NULL || str->d_buf == NULL)
		return;
	strs = str->d_buf;
	strsize = str->d_size;
	while (strsize > 0 && strs[strsize - 1] != '\0')
		strsize--;
	if (strsize == 0)
		return;
	xndx = symtab_elf_xndx(elf, elf_ndxscn(scn));
	nsyms = data->d_size / gelf_fsize(elf, ELF_T_SYM, 1, EV_CURRENT);
	if (cs->cap < nsyms) {
		cs->cap = nsyms;
		cs->v = xreallocarray(cs->v, cs->cap, sizeof *cs->v);
	}
	cs->strs = strs;

	for (i = 1; i < nsyms; i++) {
		if (gelf_getsymshndx(data, xndx, (int)i, &sym, &xshndx) == NULL)
			continue;
		type = GELF_ST_TYPE(sym.st_info);
		if (type != STT_FUNC && type != STT_GNU_IFUNC && type != STT_NOTYPE)
			continue;
		if (sym.st_shndx == SHN_XINDEX)
			shndx = xndx != NULL ? xshndx : 0;
		else if (sym.st_shndx >= SHN_LORESERVE)
			continue;
		else
			shndx = sym.st_shndx;
		if (shndx == SHN_UNDEF || shndx >= e->nsecs)
			continue;
		sec = &e->secs[shndx];
		if (~sec->flags & SHF_ALLOC)
			continue;
		if (sym.st_name == 0 || sym.st_name >= strsize)
			continue;
		name = strs + sym.st_name;
		if (type == STT_NOTYPE) {
			/* Labels in code only; not ARM's $a/$t/$x/$d markers. */
			if (~sec->flags & SHF_EXECINSTR)
				continue;
			if (name[0] == '$' || strncmp(name, ".L", 2) == 0)
				continue;
		}

		value = sym.st_value;
		if (thumb && type != STT_NOTYPE)
			value &= ~(uint64_t)1;
		seg = symtab_elf_seg(segs->segs, segs->nsegs, value, &last);
		if (seg == NULL)
			continue;
		segend = seg->vaddr + seg->memsz;
		secend = symtab_end(sec->addr, sec->size);
		if (secend > segend || secend <= value)
			secend = segend;
		symtab_elf_add(cs, strs, &sym, value, seg, secend);
	}
}

/* How many symbols the dynamic symbol table has, from its hash table at
 * file offset off (gnu: DT_GNU_HASH, one past the end of the chain of
 * the highest bucket; else DT_HASH's nchain); 0 if it cannot be read. */
static size_t
symtab_elf_dyn_count(Elf *elf, uint64_t off, bool gnu, size_t fsize)
{
	const uint32_t *w;
	Elf_Data *d;
	size_t n, nb, symoff, at, top = 0;

	if (off >= fsize || fsize - off < 16 ||
	    (d = elf_getdata_rawchunk(elf, (int64_t)off, (fsize - off) & ~(size_t)3,
	    ELF_T_WORD)) == NULL || d->d_buf == NULL)
		return 0;
	w = d->d_buf;
	n = d->d_size / 4;
	if (!gnu)
		return w[1];
	nb = w[0];
	symoff = w[1];
	/* The bloom filter's words are addresses: two words each in ELF64. */
	at = 4 + (size_t)w[2] * (gelf_getclass(elf) == ELFCLASS64 ? 2 : 1);
	if (w[2] > n || nb > n || at + nb > n)
		return 0;
	for (size_t i = 0; i < nb; i++)
		if (w[at + i] > top)
			top = w[at + i];
	if (top < symoff)
		return symoff;
	for (size_t i = at + nb + (top - symoff); i < n; i++)
		if (w[i] & 1)
			return symoff + (i - at - nb) + 1;
	return 0;
}

/*
 * Add the function symbols of the dynamic symbol table, found through
 * PT_DYNAMIC (DT_SYMTAB, DT_STRTAB, DT_STRSZ; the count from DT_GNU_HASH
 * or DT_HASH), for an image whose section headers are gone: a file
 * truncated after it was mapped keeps them only where the cut spared
 * them, and the loaded part (segments) comes first.
 */
void
symtab_elf_dyn_syms(struct symtab_cands *cs, const struct symtab_elf *e)
{
	GElf_Addr symtab = 0, strtab = 0, strsz = 0, hash = 0, gnuhash = 0;
	uint64_t symoff, stroff, hoff, value;
	size_t phnum, fsize, nsyms = 0, symsz, last = 0;
	Elf_Data *dyn = NULL, *syms, *str;
	const struct symtab_seg *seg;
	const char *strs;
	GElf_Phdr ph;
	GElf_Dyn d;
	GElf_Sym sym;
	unsigned type;

	if (elf_rawfile(e->elf, &fsize) == NULL ||
	    elf_getphdrnum(e->elf, &phnum) != 0)
		return;
	for (size_t i = 0; i < phnum && dyn == NULL; i++)
		if (gelf_getphdr(e->elf, (int)i, &ph) != NULL &&
		    ph.p_type == PT_DYNAMIC && ph.p_filesz > 0 &&
		    ph.p_offset <= fsize && ph.p_filesz <= fsize - ph.p_offset)
			dyn = elf_getdata_rawchunk(e->elf, (int64_t)ph.p_offset,
			    (size_t)ph.p_filesz, ELF_T_DYN);
	for (int i = 0; dyn != NULL && gelf_getdyn(dyn, i, &d) != NULL &&
	    d.d_tag != DT_NULL; i++) {
		if (d.d_tag == DT_SYMTAB)
			symtab = d.d_un.d_ptr;
		else if (d.d_tag == DT_STRTAB)
			strtab = d.d_un.d_ptr;
		else if (d.d_tag == DT_STRSZ)
			strsz = d.d_un.d_val;
		else if (d.d_tag == DT_HASH)
			hash = d.d_un.d_ptr;
		else if (d.d_tag == DT_GNU_HASH)
			gnuhash = d.d_un.d_ptr;
	}
	if (symtab == 0 || strtab == 0 || strsz == 0 ||
	    symtab_elf_offset(e, symtab, 0, &symoff, NULL) != 0 ||
	    symtab_elf_offset(e, strtab, 0, &stroff, NULL) != 0 ||
	    symoff >= fsize || stroff >= fsize)
		return;
	if (gnuhash != 0 && symtab_elf_offset(e, gnuhash, 0, &hoff, NULL) == 0)
		nsyms = symtab_elf_dyn_count(e->elf, hoff, true, fsize);
	else if (hash != 0 && symtab_elf_offset(e, hash, 0, &hoff, NULL) == 0)
		nsyms = symtab_elf_dyn_count(e->elf, hoff, false, fsize);
	symsz = gelf_fsize(e->elf, ELF_T_SYM, 1, EV_CURRENT);
	if (symsz == 0 || nsyms < 2)
		return;
	if (nsyms > (fsize - symoff) / symsz)
		nsyms = (fsize - symoff) / symsz;
	if (strsz > fsize - stroff)
		strsz = fsize - stroff;
	syms = elf_getdata_rawchunk(e->elf, (int64_t)symoff, nsyms * symsz, ELF_T_SYM);
	str = elf_getdata_rawchunk(e->elf, (int64_t)stroff, (size_t)strsz, ELF_T_BYTE);
	if (syms == NULL || str == NULL || str->d_buf == NULL)
		return;
	strs = str->d_buf;
	while (strsz > 0 && strs[strsz - 1] != '\0')
		strsz--;
	if (strsz == 0)
		return;
	cs->strs = strs;
	for (size_t i = 1; i < nsyms; i++) {
		if (gelf_getsym(syms, (int)i, &sym) == NULL)
			continue;
		type = GELF_ST_TYPE(sym.st_info);
		if ((type != STT_FUNC && type != STT_GNU_IFUNC) ||
		    sym.st_shndx == SHN_UNDEF || sym.st_shndx >= SHN_LORESERVE ||
		    sym.st_name == 0 || sym.st_name >= strsz)
			continue;
		value = sym.st_value;
		if (e->eh.e_machine == EM_ARM)
			value &= ~(uint64_t)1;
		seg = symtab_elf_seg(e->segs, e->nsegs, value, &last);
		if (seg == NULL || !(seg->flags & PF_X))
			continue;
		symtab_elf_add(cs, strs, &sym, value, seg, seg->vaddr + seg->memsz);
	}
}

/* The bytes of a section that has some in the file, and its address. */
Elf_Data *
symtab_elf_scn_bytes(Elf_Scn *scn, uint64_t *addr, GElf_Shdr *sh)
{
	GElf_Shdr tmp;
	Elf_Data *d;

	if (sh == NULL)
		sh = &tmp;
	if (scn == NULL || gelf_getshdr(scn, sh) == NULL || sh->sh_type == SHT_NOBITS)
		return NULL;
	d = elf_rawdata(scn, NULL);
	if (d == NULL || d->d_buf == NULL || d->d_size == 0)
		return NULL;
	*addr = sh->sh_addr;
	return d;
}

/* The file offset of vaddr if a segment with these flags has it in the
 * file; *seg is that segment. */
int
symtab_elf_offset(const struct symtab_elf *e, uint64_t vaddr, uint32_t flags,
    uint64_t *offset, const struct symtab_seg **seg)
{
	size_t i;

	for (i = 0; i < e->nsegs; i++) {
		if ((e->segs[i].flags & flags) != flags || vaddr < e->segs[i].vaddr ||
		    vaddr - e->segs[i].vaddr >= e->segs[i].filesz)
			continue;
		*offset = vaddr - e->segs[i].vaddr + e->segs[i].offset;
		if (seg != NULL)
			*seg = &e->segs[i];
		return 0;
	}
	return -1;
}

/* The bytes of the file from vaddr to the end of its segment's file part. */
static Elf_Data *
symtab_elf_vaddr_bytes(const struct symtab_elf *e, uint64_t vaddr)
{
	const struct symtab_seg *seg;
	uint64_t off;

	if (symtab_elf_offset(e, vaddr, 0, &off, &seg) != 0)
		return NULL;
	return elf_getdata_rawchunk(e->elf, (int64_t)off,
	    (size_t)(seg->filesz - (vaddr - seg->vaddr)), ELF_T_BYTE);
}

/* .eh_frame_hdr through the program headers (for files without sections). */
static Elf_Data *
symtab_elf_eh_frame_hdr_phdr(const struct symtab_elf *e, uint64_t *addr)
{
	GElf_Phdr ph;
	size_t phnum, i;

	if (elf_getphdrnum(e->elf, &phnum) != 0)
		return NULL;
	for (i = 0; i < phnum; i++) {
		if (gelf_getphdr(e->elf, (int)i, &ph) == NULL ||
		    ph.p_type != PT_GNU_EH_FRAME || ph.p_filesz == 0)
			continue;
		*addr = ph.p_vaddr;
		return elf_getdata_rawchunk(e->elf, (int64_t)ph.p_offset,
		    (size_t)ph.p_filesz, ELF_T_BYTE);
	}
	return NULL;
}

/* Where e's unwind tables are. */
int
symtab_elf_eh_src(const struct symtab_elf *e, struct ehframe_src *src)
{
	Elf_Data *hdr, *eh;
	uint64_t ehaddr;

	memset(src, 0, sizeof *src);
	if (e->eh.e_ident[EI_DATA] != SYMTAB_HOST_DATA)
		return -1;
	src->ptrsize = e->eh.e_ident[EI_CLASS] == ELFCLASS64 ? 8 : 4;
	hdr = symtab_elf_scn_bytes(e->eh_frame_hdr, &src->hdraddr, NULL);
	if (hdr == NULL && e->eh_frame_hdr == NULL)
		hdr = symtab_elf_eh_frame_hdr_phdr(e, &src->hdraddr);
	if (hdr != NULL) {
		src->hdr = hdr->d_buf;
		src->hdrsize = hdr->d_size;
	}
	eh = symtab_elf_scn_bytes(e->eh_frame, &src->ehaddr, NULL);
	if (eh == NULL && e->eh_frame == NULL && hdr != NULL &&
	    ehframe_hdr_eh_addr(src, &ehaddr) == 0 &&
	    (eh = symtab_elf_vaddr_bytes(e, ehaddr)) != NULL)
		src->ehaddr = ehaddr;
	if (eh != NULL && eh->d_buf != NULL) {
		src->eh = eh->d_buf;
		src->ehsize = eh->d_size;
	}
	return (src->hdr != NULL || src->eh != NULL) ? 0 : -1;
}

/* The file name and CRC of e's .gnu_debuglink; NULL if it has none. */
const char *
symtab_elf_debuglink(const struct symtab_elf *e, uint32_t *crc)
{
	const char *name, *nul;
	uint64_t addr;
	Elf_Data *d;
	size_t off;

	if ((d = symtab_elf_scn_bytes(e->debuglink, &addr, NULL)) == NULL)
		return NULL;
	name = d->d_buf;
	if ((nul = memchr(name, '\0', d->d_size)) == NULL || nul == name ||
	    memchr(name, '/', (size_t)(nul - name)) != NULL ||
	    strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return NULL;
	off = ((size_t)(nul - name) + 1 + 3) & ~(size_t)3;
	if (off > d->d_size || d->d_size - off < 4)
		return NULL;
	memcpy(crc, name + off, 4);
	if (e->eh.e_ident[EI_DATA] != SYMTAB_HOST_DATA)
		*crc = __builtin_bswap32(*crc);
	return name;
}
