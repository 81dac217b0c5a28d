/*
 * Per-binary symbol tables through libelf, shared by every process that
 * maps the binary.
 *
 * A binary is identified when first seen (its GNU build-id, read cheaply
 * from the notes) and loaded on its first lookup. Every loader (ELF file,
 * vdso image, /proc/kallsyms, synthetic list) fills a list of candidates;
 * one function sorts them, picks one name per start address and builds
 * the lookup table. Later sources (PLT stubs, separate debug info, unwind
 * tables, JIT maps) are meant to add candidates the same way.
 */
#include "config.h"

#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <elf.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demangle.h"
#include "maps.h"
#include "symbols.h"
#include "xmalloc.h"

#define SYMTAB_BUILD_ID_MAX	64
#define SYMTAB_NAME_MAX		((1U << 24) - 1)
#define SYMTAB_VDSO_MAX		(1U << 20)

enum symtab_kind {
	SYMTAB_FILE,
	SYMTAB_VDSO,
	SYMTAB_KERNEL,
	SYMTAB_ANON,
	SYMTAB_SYNTHETIC,
};

/* The state of a function's name: demangled lazily, on its first lookup. */
enum symtab_name_state {
	SYMTAB_NAME_RAW,	/* not looked up yet */
	SYMTAB_NAME_KEPT,	/* looked up; the raw name stays */
	SYMTAB_NAME_OWNED,	/* demangled: the name is ours to free */
};

/* Beside each public struct symtab_func: how far it reaches. */
struct symtab_range {
	uint64_t end;		/* one past the last offset covered */
	uint64_t maxend;	/* the largest end of this and every earlier one */
};

struct symtab_bin {
	enum symtab_kind kind;
	uint32_t id;
	char *path;		/* as mapped (or as given) */
	const char *name;	/* basename of path, or a pseudo name */
	bool demangle;		/* names are demangled on lookup */
	bool loaded;

	/* Files only: how to reopen it, and how to know it is the same. */
	char *open_path;	/* what opened at registration; NULL: nothing did */
	dev_t st_dev;
	ino_t st_ino;
	uint8_t build_id[SYMTAB_BUILD_ID_MAX];
	size_t build_id_len;

	/* Synthetic only: the functions given, until the load. */
	struct symtab_func *given;
	size_t ngiven;

	struct symtab_func *funcs;	/* sorted by start, one per start */
	struct symtab_range *ranges;
	uint8_t *states;		/* enum symtab_name_state */
	size_t nfuncs;
	char *names;			/* every raw name, in one block */
};

/* A symbol on its way into a table; 32 bytes so that sorting is cheap. */
struct symtab_cand {
	uint64_t start;
	uint64_t size;
	uint64_t limit;		/* a zero-size symbol reaches no further */
	uint32_t name;		/* offset in the candidates' strings */
	uint32_t namelen : 24;	/* without the version suffix */
	uint32_t rank : 7;	/* lower wins: type, then binding */
	uint32_t versioned : 1;	/* the name had an @VERSION suffix */
};

struct symtab_cands {
	struct symtab_cand *v;
	size_t n;
	size_t cap;
	const char *strs;	/* the names' string table */
};

/* A growable string buffer for candidates whose names are not in ELF. */
struct symtab_strbuf {
	char *buf;
	size_t len;
	size_t cap;
};

/* A PT_LOAD segment: turns virtual addresses into file offsets. */
struct symtab_seg {
	uint64_t vaddr;
	uint64_t memsz;
	uint64_t offset;
};

/* What the loader needs of each section. */
struct symtab_sec {
	uint64_t flags;
	uint64_t addr;
	uint64_t size;
};

struct symtab_entry {
	struct symtab_entry *next;
	uint64_t hash;
	struct symtab_bin *bin;
	size_t keylen;
	unsigned char key[];
};

/* A chained hash table from a byte string to a binary. */
struct symtab_hash {
	struct symtab_entry **buckets;
	size_t nbuckets;	/* a power of two, or 0 */
	size_t n;
};

struct symtab_cache {
	struct symtab_bin **bins;	/* by id */
	size_t nbins;
	size_t binscap;
	struct symtab_hash by_file;	/* (dev, inode, path) */
	struct symtab_hash by_build_id;
	struct symtab_bin *vdso;
	struct symtab_bin *kernel;
	struct symtab_bin *anon;
};

/* FNV-1a over a byte string. */
static uint64_t
symtab_hash_bytes(const void *key, size_t len)
{
	const unsigned char *p = key;
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* The binary stored under key, or NULL. */
static struct symtab_bin *
symtab_hash_find(const struct symtab_hash *h, const void *key, size_t len)
{
	struct symtab_entry *e;
	uint64_t hv;

	if (h->nbuckets == 0)
		return NULL;
	hv = symtab_hash_bytes(key, len);
	for (e = h->buckets[hv & (h->nbuckets - 1)]; e != NULL; e = e->next) {
		if (e->hash == hv && e->keylen == len &&
		    memcmp(e->key, key, len) == 0)
			return e->bin;
	}
	return NULL;
}

/* Store b under key (which is copied); the key must not be there yet. */
static void
symtab_hash_add(struct symtab_hash *h, const void *key, size_t len,
    struct symtab_bin *b)
{
	struct symtab_entry *e, *next, **nb;
	size_t i, nn;

	if (h->n >= h->nbuckets) {
		nn = h->nbuckets ? h->nbuckets * 2 : 64;
		nb = xcalloc(nn, sizeof *nb);
		for (i = 0; i < h->nbuckets; i++) {
			for (e = h->buckets[i]; e != NULL; e = next) {
				next = e->next;
				e->next = nb[e->hash & (nn - 1)];
				nb[e->hash & (nn - 1)] = e;
			}
		}
		free(h->buckets);
		h->buckets = nb;
		h->nbuckets = nn;
	}
	e = xmalloc(sizeof *e + len);
	e->hash = symtab_hash_bytes(key, len);
	e->bin = b;
	e->keylen = len;
	memcpy(e->key, key, len);
	e->next = h->buckets[e->hash & (h->nbuckets - 1)];
	h->buckets[e->hash & (h->nbuckets - 1)] = e;
	h->n++;
}

/* Release a hash table's entries (not the binaries). */
static void
symtab_hash_free(struct symtab_hash *h)
{
	struct symtab_entry *e, *next;
	size_t i;

	for (i = 0; i < h->nbuckets; i++) {
		for (e = h->buckets[i]; e != NULL; e = next) {
			next = e->next;
			free(e);
		}
	}
	free(h->buckets);
	memset(h, 0, sizeof *h);
}

/* Create an empty cache. */
struct symtab_cache *
symtab_cache_new(void)
{
	elf_version(EV_CURRENT);
	return xcalloc(1, sizeof (struct symtab_cache));
}

/* Release one binary and everything it owns. */
static void
symtab_bin_free(struct symtab_bin *b)
{
	size_t i;

	for (i = 0; i < b->nfuncs; i++) {
		if (b->states[i] == SYMTAB_NAME_OWNED)
			free((char *)b->funcs[i].name);
	}
	free(b->funcs);
	free(b->ranges);
	free(b->states);
	free(b->names);
	for (i = 0; i < b->ngiven; i++)
		free((char *)b->given[i].name);
	free(b->given);
	free(b->open_path);
	free(b->path);
	free(b);
}

/* Release the cache, every binary in it and every name handed out. */
void
symtab_cache_free(struct symtab_cache *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nbins; i++)
		symtab_bin_free(c->bins[i]);
	free(c->bins);
	symtab_hash_free(&c->by_file);
	symtab_hash_free(&c->by_build_id);
	free(c);
}

/* Register a new binary with the next id. */
static struct symtab_bin *
symtab_bin_new(struct symtab_cache *c, enum symtab_kind kind, const char *path)
{
	struct symtab_bin *b;
	const char *slash;

	b = xcalloc(1, sizeof *b);
	b->kind = kind;
	b->id = (uint32_t)c->nbins;
	b->path = xstrdup(path);
	slash = strrchr(b->path, '/');
	b->name = (slash != NULL && slash[1] != '\0') ? slash + 1 : b->path;
	b->demangle = (kind == SYMTAB_FILE || kind == SYMTAB_VDSO ||
	    kind == SYMTAB_KERNEL);

	if (c->nbins == c->binscap) {
		c->binscap = c->binscap ? c->binscap * 2 : 16;
		c->bins = xreallocarray(c->bins, c->binscap, sizeof *c->bins);
	}
	c->bins[c->nbins++] = b;
	return b;
}

/* Append one candidate. */
static void
symtab_cands_add(struct symtab_cands *cs, const struct symtab_cand *cand)
{
	if (cs->n == cs->cap) {
		cs->cap = cs->cap ? cs->cap * 2 : 256;
		cs->v = xreallocarray(cs->v, cs->cap, sizeof *cs->v);
	}
	cs->v[cs->n++] = *cand;
}

/* Copy a name into a string buffer; returns its offset. */
static uint32_t
symtab_strbuf_add(struct symtab_strbuf *sb, const char *s, size_t len)
{
	size_t off = sb->len;

	while (sb->len + len + 1 > sb->cap) {
		sb->cap = sb->cap ? sb->cap * 2 : 4096;
		sb->buf = xrealloc(sb->buf, sb->cap);
	}
	memcpy(sb->buf + sb->len, s, len);
	sb->buf[sb->len + len] = '\0';
	sb->len += len + 1;
	return (uint32_t)off;
}

/* Whether candidate a is preferred to b, both at the same start. */
static bool
symtab_cand_better(const struct symtab_cand *a, const struct symtab_cand *b,
    const char *strs)
{
	int r;

	if (a->rank != b->rank)
		return a->rank < b->rank;
	if (a->versioned != b->versioned)
		return !a->versioned;
	if (a->namelen != b->namelen)
		return a->namelen < b->namelen;
	r = memcmp(strs + a->name, strs + b->name, a->namelen);
	if (r != 0)
		return r < 0;
	return a->size > b->size;
}

/*
 * Sort candidates by start: a stable radix sort, 11 bits a pass, that
 * skips the digits every start has in common (so 2 or 3 passes).
 */
static void
symtab_sort(struct symtab_cand *v, size_t n)
{
	struct symtab_cand *tmp, *src = v, *dst, *swap;
	size_t count[2048], i, sum, c;
	uint64_t ones = 0, zeros = ~(uint64_t)0, diff;
	unsigned shift, d;

	for (i = 0; i < n; i++) {
		ones |= v[i].start;
		zeros &= v[i].start;
	}
	diff = ones ^ zeros;
	if (n < 2 || diff == 0)
		return;
	tmp = xreallocarray(NULL, n, sizeof *tmp);
	dst = tmp;
	for (shift = 0; shift < 64; shift += 11) {
		if (((diff >> shift) & 2047) == 0)
			continue;
		memset(count, 0, sizeof count);
		for (i = 0; i < n; i++)
			count[(src[i].start >> shift) & 2047]++;
		for (d = 0, sum = 0; d < 2048; d++) {
			c = count[d];
			count[d] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[count[(src[i].start >> shift) & 2047]++] = src[i];
		swap = src;
		src = dst;
		dst = swap;
	}
	if (src != v)
		memcpy(v, src, n * sizeof *v);
	free(tmp);
}

/* One past start + size, without wrapping. */
static uint64_t
symtab_end(uint64_t start, uint64_t size)
{
	return size > UINT64_MAX - start ? UINT64_MAX : start + size;
}

/*
 * Turn candidates into b's table: sort, keep one per start (global over
 * weak over local, unversioned, shortest, then strcmp), drop zero-size
 * labels inside sized functions, and work out how far each one reaches.
 */
static void
symtab_finish(struct symtab_bin *b, struct symtab_cands *cs)
{
	struct symtab_cand *v = cs->v, best;
	uint64_t sized_end = 0, maxsize, next, end, maxend = 0;
	size_t i, j, n = 0, namesz = 0, off = 0;

	if (cs->n == 0)
		return;
	symtab_sort(v, cs->n);

	for (i = 0; i < cs->n; i = j) {
		best = v[i];
		maxsize = best.size;
		for (j = i + 1; j < cs->n && v[j].start == best.start; j++) {
			if (v[j].size > maxsize)
				maxsize = v[j].size;
			if (symtab_cand_better(&v[j], &best, cs->strs))
				best = v[j];
		}
		if (best.size == 0)
			best.size = maxsize;
		if (best.size == 0 && best.start < sized_end)
			continue;
		if (best.size != 0 && symtab_end(best.start, best.size) > sized_end)
			sized_end = symtab_end(best.start, best.size);
		v[n++] = best;
		namesz += best.namelen + 1;
	}

	b->funcs = xreallocarray(NULL, n, sizeof *b->funcs);
	b->ranges = xreallocarray(NULL, n, sizeof *b->ranges);
	b->states = xcalloc(n, 1);
	b->names = xmalloc(namesz);
	for (i = 0; i < n; i++) {
		memcpy(b->names + off, cs->strs + v[i].name, v[i].namelen);
		b->names[off + v[i].namelen] = '\0';
		b->funcs[i].start = v[i].start;
		b->funcs[i].size = v[i].size;
		b->funcs[i].name = b->names + off;
		off += v[i].namelen + 1;

		if (v[i].size != 0)
			end = symtab_end(v[i].start, v[i].size);
		else {
			next = (i + 1 < n) ? v[i + 1].start : UINT64_MAX;
			end = next < v[i].limit ? next : v[i].limit;
			if (end <= v[i].start)
				end = symtab_end(v[i].start, 1);
		}
		if (end > maxend)
			maxend = end;
		b->ranges[i].end = end;
		b->ranges[i].maxend = maxend;
	}
	b->nfuncs = n;
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

/* Add a name to the candidates unless it is empty or too long. */
static int
symtab_cand_name(struct symtab_cand *cand, const char *strs, size_t off)
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
symtab_find_seg(const struct symtab_seg *segs, size_t nsegs, uint64_t vaddr,
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
static void
symtab_elf_syms(struct symtab_cands *cs, Elf *elf, Elf_Scn *scn,
    const struct symtab_sec *secs, size_t nsecs, const struct symtab_seg *segs,
    size_t nsegs, bool thumb)
{
	GElf_Shdr sh;
	GElf_Sym sym;
	GElf_Word xshndx;
	Elf_Data *data, *str, *xndx;
	Elf_Scn *strscn;
	const struct symtab_seg *seg;
	const struct symtab_sec *sec;
	struct symtab_cand cand;
	const char *strs, *name;
	size_t strsize, i, nsyms, shndx, last = 0;
	unsigned type, bind;
	uint64_t value, secend, segend;

	if (gelf_getshdr(scn, &sh) == NULL || sh.sh_link >= nsecs)
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
		bind = GELF_ST_BIND(sym.st_info);
		if (type != STT_FUNC && type != STT_GNU_IFUNC && type != STT_NOTYPE)
			continue;
		if (sym.st_shndx == SHN_XINDEX)
			shndx = xndx != NULL ? xshndx : 0;
		else if (sym.st_shndx >= SHN_LORESERVE)
			continue;
		else
			shndx = sym.st_shndx;
		if (shndx == SHN_UNDEF || shndx >= nsecs)
			continue;
		sec = &secs[shndx];
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
		seg = symtab_find_seg(segs, nsegs, value, &last);
		if (seg == NULL)
			continue;

		memset(&cand, 0, sizeof cand);
		if (symtab_cand_name(&cand, strs, sym.st_name) != 0)
			continue;
		cand.start = value - seg->vaddr + seg->offset;
		cand.size = sym.st_size;
		cand.rank = symtab_elf_rank(type, bind) & 0x7f;
		segend = seg->vaddr + seg->memsz;
		secend = symtab_end(sec->addr, sec->size);
		if (secend > segend || secend <= value)
			secend = segend;
		cand.limit = secend - seg->vaddr + seg->offset;
		symtab_cands_add(cs, &cand);
	}
}

/*
 * Fill b from an ELF image: .symtab where it has functions, else .dynsym,
 * with every address turned into a file offset through its PT_LOAD.
 */
static void
symtab_load_elf(struct symtab_bin *b, Elf *elf)
{
	GElf_Ehdr eh;
	GElf_Phdr ph;
	GElf_Shdr sh;
	Elf_Scn *scn = NULL, *symtab = NULL, *dynsym = NULL;
	struct symtab_seg *segs = NULL;
	struct symtab_sec *secs = NULL;
	struct symtab_cands cs = { 0 };
	size_t phnum, shnum, nsegs = 0, i;
	bool thumb;

	if (elf_kind(elf) != ELF_K_ELF || gelf_getehdr(elf, &eh) == NULL)
		return;
	if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)
		return;
	thumb = (eh.e_machine == EM_ARM);
	if (elf_getphdrnum(elf, &phnum) != 0 || phnum == 0 ||
	    elf_getshdrnum(elf, &shnum) != 0 || shnum == 0)
		return;

	segs = xreallocarray(NULL, phnum, sizeof *segs);
	for (i = 0; i < phnum; i++) {
		if (gelf_getphdr(elf, (int)i, &ph) == NULL || ph.p_type != PT_LOAD ||
		    ph.p_memsz == 0 || ph.p_memsz > UINT64_MAX - ph.p_vaddr)
			continue;
		segs[nsegs].vaddr = ph.p_vaddr;
		segs[nsegs].memsz = ph.p_memsz;
		segs[nsegs].offset = ph.p_offset;
		nsegs++;
	}

	secs = xcalloc(shnum, sizeof *secs);
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		i = elf_ndxscn(scn);
		if (i >= shnum || gelf_getshdr(scn, &sh) == NULL)
			continue;
		secs[i].flags = sh.sh_flags;
		secs[i].addr = sh.sh_addr;
		secs[i].size = sh.sh_size;
		if (sh.sh_type == SHT_SYMTAB && symtab == NULL)
			symtab = scn;
		else if (sh.sh_type == SHT_DYNSYM && dynsym == NULL)
			dynsym = scn;
	}

	if (nsegs != 0) {
		if (symtab != NULL)
			symtab_elf_syms(&cs, elf, symtab, secs, shnum, segs, nsegs, thumb);
		if (cs.n == 0 && dynsym != NULL)
			symtab_elf_syms(&cs, elf, dynsym, secs, shnum, segs, nsegs, thumb);
		symtab_finish(b, &cs);
	}
	free(cs.v);
	free(secs);
	free(segs);
}

/* The GNU build-id in one block of notes; returns its length, 0 if none. */
static size_t
symtab_note_build_id(Elf_Data *d, uint8_t *out)
{
	GElf_Nhdr nh;
	size_t off = 0, next, name_off, desc_off, len;
	const char *base;

	if (d == NULL || d->d_buf == NULL)
		return 0;
	base = d->d_buf;
	while (off < d->d_size &&
	    (next = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
		if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
		    memcmp(base + name_off, "GNU", 4) == 0 && nh.n_descsz != 0) {
			len = nh.n_descsz;
			if (len > SYMTAB_BUILD_ID_MAX)
				len = SYMTAB_BUILD_ID_MAX;
			memcpy(out, base + desc_off, len);
			return len;
		}
		off = next;
	}
	return 0;
}

/* Read an ELF image's GNU build-id (notes of the program headers first). */
static size_t
symtab_read_build_id(Elf *elf, uint8_t *out)
{
	GElf_Phdr ph;
	GElf_Shdr sh;
	Elf_Scn *scn = NULL;
	Elf_Type type;
	size_t phnum, i, len;

	if (elf_kind(elf) != ELF_K_ELF)
		return 0;
	if (elf_getphdrnum(elf, &phnum) == 0) {
		for (i = 0; i < phnum; i++) {
			if (gelf_getphdr(elf, (int)i, &ph) == NULL ||
			    ph.p_type != PT_NOTE || ph.p_filesz == 0)
				continue;
#ifdef ELF_T_NHDR8
			type = ph.p_align == 8 ? ELF_T_NHDR8 : ELF_T_NHDR;
#else
			type = ELF_T_NHDR;
#endif
			len = symtab_note_build_id(elf_getdata_rawchunk(elf,
			    (int64_t)ph.p_offset, ph.p_filesz, type), out);
			if (len != 0)
				return len;
		}
	}
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		if (gelf_getshdr(scn, &sh) == NULL || sh.sh_type != SHT_NOTE)
			continue;
		len = symtab_note_build_id(elf_getdata(scn, NULL), out);
		if (len != 0)
			return len;
	}
	return 0;
}

/* Open path read-only if it is a regular file; fills *st. */
static int
symtab_open_file(const char *path, struct stat *st)
{
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd == -1)
		return -1;
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Open the file behind a mapping: a deleted file through map_files, else
 * through the process's root directory, else the plain path. The path
 * that opened is returned in *opened.
 */
static int
symtab_open_map(pid_t pid, const struct map *m, struct stat *st, char **opened)
{
	char *p;
	int fd;

	*opened = NULL;
	if (pid > 0 && m->deleted) {
		p = xasprintf("/proc/%ld/map_files/%" PRIx64 "-%" PRIx64,
		    (long)pid, m->start, m->end);
		if ((fd = symtab_open_file(p, st)) != -1) {
			*opened = p;
			return fd;
		}
		free(p);
	}
	if (pid > 0) {
		p = xasprintf("/proc/%ld/root%s", (long)pid, m->path);
		if ((fd = symtab_open_file(p, st)) != -1)
			goto found;
		free(p);
	}
	p = xstrdup(m->path);
	if ((fd = symtab_open_file(p, st)) != -1)
		goto found;
	free(p);
	return -1;

found:
	/* A deleted file's path may name its replacement by now. */
	if (m->deleted && m->inode != 0 && (uint64_t)st->st_ino != m->inode) {
		close(fd);
		free(p);
		return -1;
	}
	*opened = p;
	return fd;
}

/* The pseudo-binary of the vdso. */
static struct symtab_bin *
symtab_vdso(struct symtab_cache *c)
{
	if (c->vdso == NULL)
		c->vdso = symtab_bin_new(c, SYMTAB_VDSO, "[vdso]");
	return c->vdso;
}

/*
 * The key of a mapped file in the by_file table, in buf if it fits (else
 * allocated: *key != buf); returns its length.
 */
static size_t
symtab_file_key(const struct map *m, unsigned char *buf, size_t bufsize,
    unsigned char **key)
{
	size_t len = strlen(m->path);
	unsigned char *k;

	k = (16 + len <= bufsize) ? buf : xmalloc(16 + len);
	memcpy(k, &m->dev_major, 4);
	memcpy(k + 4, &m->dev_minor, 4);
	memcpy(k + 8, &m->inode, 8);
	memcpy(k + 16, m->path, len);
	*key = k;
	return 16 + len;
}

/* The binary behind mapping m of process pid. */
struct symtab_bin *
symtab_for_map(struct symtab_cache *c, pid_t pid, const struct map *m)
{
	struct symtab_bin *b;
	struct stat st;
	unsigned char buf[256], *key;
	uint8_t id[SYMTAB_BUILD_ID_MAX];
	size_t keylen, idlen = 0;
	char *opened;
	Elf *elf;
	int fd;

	if (m->path == NULL || m->path[0] != '/') {
		if (m->path != NULL && strcmp(m->path, "[vdso]") == 0)
			return symtab_vdso(c);
		return symtab_anon(c);
	}

	keylen = symtab_file_key(m, buf, sizeof buf, &key);
	if ((b = symtab_hash_find(&c->by_file, key, keylen)) != NULL)
		goto out;

	memset(&st, 0, sizeof st);
	fd = symtab_open_map(pid, m, &st, &opened);
	if (fd != -1) {
		elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
		if (elf != NULL) {
			idlen = symtab_read_build_id(elf, id);
			elf_end(elf);
		}
		close(fd);
	}

	if (idlen != 0 && (b = symtab_hash_find(&c->by_build_id, id, idlen)) != NULL) {
		free(opened);
		symtab_hash_add(&c->by_file, key, keylen, b);
		goto out;
	}

	b = symtab_bin_new(c, SYMTAB_FILE, m->path);
	b->open_path = opened;
	b->st_dev = st.st_dev;
	b->st_ino = st.st_ino;
	memcpy(b->build_id, id, idlen);
	b->build_id_len = idlen;
	if (idlen != 0)
		symtab_hash_add(&c->by_build_id, id, idlen, b);
	symtab_hash_add(&c->by_file, key, keylen, b);

out:
	if (key != buf)
		free(key);
	return b;
}

/* Whether an open file is still the one identified at registration. */
static bool
symtab_same_file(const struct symtab_bin *b, const struct stat *st, Elf *elf)
{
	uint8_t id[SYMTAB_BUILD_ID_MAX];
	size_t idlen;

	if (st->st_dev == b->st_dev && st->st_ino == b->st_ino)
		return true;
	if (b->build_id_len == 0)
		return false;
	idlen = symtab_read_build_id(elf, id);
	return idlen == b->build_id_len && memcmp(id, b->build_id, idlen) == 0;
}

/* Load a file's symbols: reopen it, check it is the same, read it. */
static void
symtab_load_file(struct symtab_bin *b)
{
	const char *tries[2];
	struct stat st;
	Elf *elf;
	size_t i;
	int fd;

	if (b->open_path == NULL)
		return;
	tries[0] = b->open_path;
	tries[1] = strcmp(b->open_path, b->path) != 0 ? b->path : NULL;
	for (i = 0; i < 2 && tries[i] != NULL; i++) {
		if ((fd = symtab_open_file(tries[i], &st)) == -1)
			continue;
		elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
		if (elf != NULL && symtab_same_file(b, &st, elf)) {
			symtab_load_elf(b, elf);
			elf_end(elf);
			close(fd);
			return;
		}
		if (elf != NULL)
			elf_end(elf);
		close(fd);
	}
}

/* The size of an ELF image in memory, from its headers; 0 if not ELF. */
static size_t
symtab_image_size(const unsigned char *p)
{
#if UINTPTR_MAX > 0xffffffffUL
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)p;
	const Elf64_Phdr *ph;
	const unsigned char cls = ELFCLASS64;
#else
	const Elf32_Ehdr *eh = (const Elf32_Ehdr *)p;
	const Elf32_Phdr *ph;
	const unsigned char cls = ELFCLASS32;
#endif
	uint64_t size, end;
	size_t i;

	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != cls ||
	    eh->e_phentsize != sizeof *ph)
		return 0;
	size = (uint64_t)eh->e_shoff + (uint64_t)eh->e_shnum * eh->e_shentsize;
	ph = (const void *)(p + eh->e_phoff);
	for (i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		end = (uint64_t)ph[i].p_offset + ph[i].p_filesz;
		if (end > size)
			size = end;
	}
	if (size > SYMTAB_VDSO_MAX)
		return 0;
	return (size_t)size;
}

/* Load the vdso's symbols from this process's own copy of it. */
static void
symtab_load_vdso(struct symtab_bin *b)
{
	unsigned long base = getauxval(AT_SYSINFO_EHDR);
	size_t size;
	char *copy;
	Elf *elf;

	if (base == 0 || (size = symtab_image_size((const void *)base)) == 0)
		return;
	copy = xmalloc(size);
	memcpy(copy, (const void *)base, size);
	elf = elf_memory(copy, size);
	if (elf != NULL) {
		symtab_load_elf(b, elf);
		elf_end(elf);
	}
	free(copy);
}

/* Parse one /proc/kallsyms line into a candidate; -1 if not a text symbol. */
static int
symtab_kallsyms_line(const char *line, struct symtab_cand *cand,
    struct symtab_strbuf *sb)
{
	unsigned long long addr;
	const char *p, *name;
	char *end;
	size_t len;

	addr = strtoull(line, &end, 16);
	if (end == line || *end != ' ' || addr == 0)
		return -1;
	p = end + 1;
	switch (*p) {
	case 'T':
		cand->rank = 0;
		break;
	case 'W':
	case 'w':
		cand->rank = 1;
		break;
	case 't':
		cand->rank = 2;
		break;
	default:
		return -1;
	}
	if (p[1] != ' ')
		return -1;
	name = p + 2;
	len = strcspn(name, " \t\n");
	if (len == 0 || len > SYMTAB_NAME_MAX || sb->len > UINT32_MAX)
		return -1;
	cand->start = addr;
	cand->size = 0;
	cand->limit = UINT64_MAX;
	cand->versioned = 0;
	cand->namelen = (uint32_t)len & SYMTAB_NAME_MAX;
	cand->name = symtab_strbuf_add(sb, name, len);
	return 0;
}

/* Load the kernel's text symbols from /proc/kallsyms, where readable. */
static void
symtab_load_kernel(struct symtab_bin *b)
{
	struct symtab_cands cs = { 0 };
	struct symtab_strbuf sb = { 0 };
	struct symtab_cand cand;
	char *line = NULL;
	size_t linecap = 0;
	FILE *f;

	if ((f = fopen("/proc/kallsyms", "re")) == NULL)
		return;
	while (getline(&line, &linecap, f) != -1) {
		memset(&cand, 0, sizeof cand);
		if (symtab_kallsyms_line(line, &cand, &sb) == 0)
			symtab_cands_add(&cs, &cand);
	}
	free(line);
	fclose(f);
	cs.strs = sb.buf;
	symtab_finish(b, &cs);
	free(cs.v);
	free(sb.buf);
}

/* Load a synthetic binary's table from the functions it was given. */
static void
symtab_load_synthetic(struct symtab_bin *b)
{
	struct symtab_cands cs = { 0 };
	struct symtab_strbuf sb = { 0 };
	struct symtab_cand cand;
	size_t i, len;

	for (i = 0; i < b->ngiven; i++) {
		len = strlen(b->given[i].name);
		if (len == 0 || len > SYMTAB_NAME_MAX || sb.len > UINT32_MAX)
			continue;
		memset(&cand, 0, sizeof cand);
		cand.start = b->given[i].start;
		cand.size = b->given[i].size;
		cand.limit = UINT64_MAX;
		cand.versioned = (strchr(b->given[i].name, '@') != NULL);
		cand.namelen = (uint32_t)len & SYMTAB_NAME_MAX;
		cand.name = symtab_strbuf_add(&sb, b->given[i].name, len);
		symtab_cands_add(&cs, &cand);
	}
	cs.strs = sb.buf;
	symtab_finish(b, &cs);
	free(cs.v);
	free(sb.buf);

	for (i = 0; i < b->ngiven; i++)
		free((char *)b->given[i].name);
	free(b->given);
	b->given = NULL;
	b->ngiven = 0;
}

/* Read b's symbols if not done yet. */
static void
symtab_load(struct symtab_bin *b)
{
	if (b->loaded)
		return;
	b->loaded = true;
	switch (b->kind) {
	case SYMTAB_FILE:
		symtab_load_file(b);
		break;
	case SYMTAB_VDSO:
		symtab_load_vdso(b);
		break;
	case SYMTAB_KERNEL:
		symtab_load_kernel(b);
		break;
	case SYMTAB_SYNTHETIC:
		symtab_load_synthetic(b);
		break;
	case SYMTAB_ANON:
		break;
	}
}

/* The [kernel] pseudo-binary. */
struct symtab_bin *
symtab_kernel(struct symtab_cache *c)
{
	if (c->kernel == NULL)
		c->kernel = symtab_bin_new(c, SYMTAB_KERNEL, "[kernel]");
	return c->kernel;
}

/* The [anon] pseudo-binary: no functions. */
struct symtab_bin *
symtab_anon(struct symtab_cache *c)
{
	if (c->anon == NULL) {
		c->anon = symtab_bin_new(c, SYMTAB_ANON, "[anon]");
		c->anon->loaded = true;
	}
	return c->anon;
}

/* A binary made from a copy of a list of functions. */
struct symtab_bin *
symtab_synthetic(struct symtab_cache *c, const char *name,
    const struct symtab_func *funcs, size_t n)
{
	struct symtab_bin *b;
	size_t i;

	b = symtab_bin_new(c, SYMTAB_SYNTHETIC, name);
	b->name = b->path;
	b->given = xreallocarray(NULL, n, sizeof *b->given);
	for (i = 0; i < n; i++) {
		b->given[i] = funcs[i];
		b->given[i].name = xstrdup(funcs[i].name != NULL ? funcs[i].name : "");
	}
	b->ngiven = n;
	return b;
}

/* Function i of b, its name demangled on first use. */
static const struct symtab_func *
symtab_named(struct symtab_bin *b, size_t i)
{
	char *d;

	if (b->states[i] == SYMTAB_NAME_RAW) {
		b->states[i] = SYMTAB_NAME_KEPT;
		if (b->demangle && (d = demangle(b->funcs[i].name)) != NULL) {
			b->funcs[i].name = d;
			b->states[i] = SYMTAB_NAME_OWNED;
		}
	}
	return &b->funcs[i];
}

/* The function containing offset, or NULL. */
const struct symtab_func *
symtab_lookup(struct symtab_bin *b, uint64_t offset)
{
	size_t lo = 0, hi, mid, i;

	symtab_load(b);
	hi = b->nfuncs;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (b->funcs[mid].start <= offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Walk back past sized functions that end early (nesting is rare). */
	for (i = lo; i > 0; i--) {
		if (b->ranges[i - 1].maxend <= offset)
			return NULL;
		if (b->ranges[i - 1].end > offset)
			return symtab_named(b, i - 1);
	}
	return NULL;
}

/* The binary's short name. */
const char *
symtab_name(const struct symtab_bin *b)
{
	return b->name;
}

/* The binary's path as mapped. */
const char *
symtab_path(const struct symtab_bin *b)
{
	return b->path;
}

/* The binary's dense id. */
uint32_t
symtab_id(const struct symtab_bin *b)
{
	return b->id;
}

/* How many functions b has, loading it if needed. */
size_t
symtab_nfuncs(struct symtab_bin *b)
{
	symtab_load(b);
	return b->nfuncs;
}
