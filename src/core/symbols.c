/*
 * Per-binary symbol tables through libelf, shared by every process that
 * maps the binary.
 *
 * A binary is identified when first seen (its GNU build-id, read cheaply
 * from the notes) and loaded on its first lookup. The ELF, vdso and
 * synthetic loaders fill a list of candidates; one function sorts them,
 * picks one name per start address and builds the lookup table over
 * them. /proc/kallsyms (in address order but for its modules, no sizes)
 * is read straight into its table, names stored once. A file's
 * candidates come from its .symtab, else from the .symtab of its
 * separate debug file (found by build-id or .gnu_debuglink), else from
 * its .dynsym; its PLT stubs add NAME@plt candidates from the
 * relocations. Beside the symbols, the FDEs of its unwind tables give
 * function bounds: they name what no symbol covers (BINARY+0xSTART) and
 * stop zero-size symbols from reaching into them.
 *
 * A file is opened as the target maps it: its inode must be the
 * mapping's, through /proc/PID/root, map_files or exe where the path
 * names another file or none here (kept open then). A vdso is read from
 * the target's memory and shared by build-id.
 */
#include "config.h"

#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "debugfile.h"
#include "demangle.h"
#include "ehframe.h"
#include "maps.h"
#include "symbols.h"
#include "xmalloc.h"

#define SYMTAB_BUILD_ID_MAX	DEBUGFILE_BUILD_ID_MAX
#define SYMTAB_NAME_MAX		((1U << 24) - 1)
#define SYMTAB_VDSO_MAX		(1U << 20)
#define SYMTAB_PLT_SUFFIX	"@plt"
#define SYMTAB_KALLSYMS		"/proc/kallsyms"
#define SYMTAB_KALLSYMS_READ	(64 * 1024)	/* bytes a read asks for */
#define SYMTAB_KALLSYMS_FIRST	16384		/* symbols made room for first */
#define SYMTAB_POOL_BLOCK	(256 * 1024)

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

/* Names in blocks that never move, so that pointers into them stay valid. */
struct symtab_pool {
	char **blocks;
	size_t nblocks;
	char *next;		/* free space in the last block */
	size_t left;		/* bytes there */
};

/* Beside each public struct symtab_func: how far it reaches. */
struct symtab_range {
	uint64_t end;		/* one past the last offset covered */
	uint64_t maxend;	/* the largest end of this and every earlier one */
};

struct symtab_bin {
	struct symtab_cache *cache;
	enum symtab_kind kind;
	uint32_t id;
	char *path;		/* as mapped (or as given) */
	const char *name;	/* basename of path, or a pseudo name */
	bool demangle;		/* names are demangled on lookup */
	bool loaded;

	/* Files only: how to reopen it, and how to know it is the same. */
	char *open_path;	/* what opened at registration; NULL: nothing did */
	int fd;			/* kept open where only /proc reaches the file; -1 */
	dev_t st_dev;
	ino_t st_ino;
	uint8_t build_id[SYMTAB_BUILD_ID_MAX];
	size_t build_id_len;

	/* The vdso only: its image as read from a process, until the load. */
	unsigned char *image;
	size_t image_len;

	/* Synthetic only: the functions given, until the load. */
	struct symtab_func *given;
	size_t ngiven;

	struct symtab_func *funcs;	/* sorted by start, one per start */
	struct symtab_range *ranges;	/* NULL: each reaches to the next */
	uint8_t *states;		/* enum symtab_name_state */
	size_t nfuncs;
	struct symtab_pool names;	/* every raw name */

	/* Functions from the unwind tables, sorted, without overlap; each
	 * named BINARY+0xSTART on its first lookup. */
	struct symtab_func *fdes;
	size_t nfdes;
	bool fdes_pending;	/* ends not read yet (symtab_fde_resolve) */
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

/* symtab_finish builds the table over the candidates. */
_Static_assert(sizeof (struct symtab_func) <= sizeof (struct symtab_cand),
    "a table entry must fit in a candidate");

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
	struct symtab_strbuf extra;	/* names made here (NAME@plt) */
};

/* A PT_LOAD segment: turns virtual addresses into file offsets. */
struct symtab_seg {
	uint64_t vaddr;
	uint64_t memsz;
	uint64_t offset;
	uint64_t filesz;
	uint32_t flags;
};

/* What the loader needs of each section. */
struct symtab_sec {
	uint64_t flags;
	uint64_t addr;
	uint64_t size;
};

/* What the loader keeps of one ELF image while it reads it. */
struct symtab_elf {
	Elf *elf;
	GElf_Ehdr eh;
	struct symtab_sec *secs;	/* by section index */
	size_t nsecs;
	Elf_Scn *symtab;
	Elf_Scn *dynsym;
	Elf_Scn *eh_frame_hdr;
	Elf_Scn *eh_frame;
	Elf_Scn *plt;
	Elf_Scn *plt_sec;
	Elf_Scn *plt_got;
	Elf_Scn *rel_plt;
	Elf_Scn *debuglink;
	struct symtab_seg *segs;	/* PT_LOAD, in header order */
	size_t nsegs;
};

/* A dynamic relocation that a PLT stub may jump through. */
struct symtab_rel {
	uint64_t slot;		/* r_offset: the GOT slot */
	uint64_t addend;
	uint32_t sym;
	uint32_t type;
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
	struct symtab_bin *vdso;		/* this process's own vdso (the fallback) */
	struct symtab_bin *kernel;
	struct symtab_bin *anon;
	char **debug_dirs;		/* searched before /usr/lib/debug */
	size_t ndebug_dirs;
	char *kallsyms;			/* NULL: /proc/kallsyms */
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

/* Room for len bytes in a pool (a new block if the last one is short). */
static char *
symtab_pool_reserve(struct symtab_pool *p, size_t len)
{
	size_t size;

	if (len > p->left) {
		size = len > SYMTAB_POOL_BLOCK ? len : SYMTAB_POOL_BLOCK;
		p->blocks = xreallocarray(p->blocks, p->nblocks + 1, sizeof *p->blocks);
		p->blocks[p->nblocks++] = p->next = xmalloc(size);
		p->left = size;
	}
	p->next += len;
	p->left -= len;
	return p->next - len;
}

/* Copy a name of len bytes into a pool, terminated; it never moves. */
static const char *
symtab_pool_add(struct symtab_pool *p, const char *s, size_t len)
{
	char *out = symtab_pool_reserve(p, len + 1);

	memcpy(out, s, len);
	out[len] = '\0';
	return out;
}

/* Release a pool's blocks. */
static void
symtab_pool_free(struct symtab_pool *p)
{
	size_t i;

	for (i = 0; i < p->nblocks; i++)
		free(p->blocks[i]);
	free(p->blocks);
	memset(p, 0, sizeof *p);
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
	symtab_pool_free(&b->names);
	for (i = 0; i < b->nfdes; i++)
		free((char *)b->fdes[i].name);
	free(b->fdes);
	for (i = 0; i < b->ngiven; i++)
		free((char *)b->given[i].name);
	free(b->given);
	free(b->image);
	if (b->fd != -1)
		close(b->fd);
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
	for (i = 0; i < c->ndebug_dirs; i++)
		free(c->debug_dirs[i]);
	free(c->debug_dirs);
	free(c->kallsyms);
	free(c);
}

/* Read the [kernel] table from path instead of /proc/kallsyms. */
void
symtab_cache_set_kallsyms(struct symtab_cache *c, const char *path)
{
	free(c->kallsyms);
	c->kallsyms = path != NULL ? xstrdup(path) : NULL;
}

/* Search dir for separate debug files, before those added later and
 * before /usr/lib/debug. */
void
symtab_cache_add_debug_dir(struct symtab_cache *c, const char *dir)
{
	size_t len = strlen(dir);

	while (len > 1 && dir[len - 1] == '/')
		len--;
	if (len == 0)
		return;
	c->debug_dirs = xreallocarray(c->debug_dirs, c->ndebug_dirs + 1,
	    sizeof *c->debug_dirs);
	c->debug_dirs[c->ndebug_dirs++] = xstrndup(dir, len);
}

/* Register a new binary with the next id. */
static struct symtab_bin *
symtab_bin_new(struct symtab_cache *c, enum symtab_kind kind, const char *path)
{
	struct symtab_bin *b;
	const char *slash;

	b = xcalloc(1, sizeof *b);
	b->cache = c;
	b->kind = kind;
	b->fd = -1;
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

/* The name of a candidate (namelen bytes, not terminated there). */
static const char *
symtab_cand_str(const struct symtab_cands *cs, const struct symtab_cand *cand)
{
	return (cand->extra ? cs->extra.buf : cs->strs) + cand->name;
}

/* Whether candidate a is preferred to b, both at the same start. */
static bool
symtab_cand_better(const struct symtab_cand *a, const struct symtab_cand *b,
    const struct symtab_cands *cs)
{
	int r;

	if (a->rank != b->rank)
		return a->rank < b->rank;
	if (a->versioned != b->versioned)
		return !a->versioned;
	if (a->namelen != b->namelen)
		return a->namelen < b->namelen;
	r = memcmp(symtab_cand_str(cs, a), symtab_cand_str(cs, b), a->namelen);
	if (r != 0)
		return r < 0;
	return a->size > b->size;
}

/*
 * Sort candidates by start: a stable radix sort, 11 bits a pass, that
 * skips the digits every start has in common (so 2 or 3 passes), and
 * nothing at all if they are in order already.
 */
static void
symtab_sort(struct symtab_cand *v, size_t n)
{
	struct symtab_cand *tmp, *src = v, *dst, *swap;
	size_t count[2048], i, sum, c;
	uint64_t ones = 0, zeros = ~(uint64_t)0, diff;
	unsigned shift, d;
	bool sorted = true;

	for (i = 0; i < n; i++) {
		ones |= v[i].start;
		zeros &= v[i].start;
		if (i != 0 && v[i - 1].start > v[i].start)
			sorted = false;
	}
	diff = ones ^ zeros;
	if (sorted || diff == 0)
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

/*
 * Write a function at dst, over an entry of another type being converted
 * in place: through memcpy (which may alias it), a field at a time (one
 * struct copy would go through the stack and stall the store).
 */
static void
symtab_func_put(void *dst, uint64_t start, uint64_t size, const char *name)
{
	char *p = dst;

	memcpy(p + offsetof(struct symtab_func, start), &start, sizeof start);
	memcpy(p + offsetof(struct symtab_func, size), &size, sizeof size);
	memcpy(p + offsetof(struct symtab_func, name), &name, sizeof name);
}

/* One past start + size, without wrapping. */
static uint64_t
symtab_end(uint64_t start, uint64_t size)
{
	return size > UINT64_MAX - start ? UINT64_MAX : start + size;
}

/* The index of the last unwind-table function starting at or before
 * offset, or b->nfdes if none does. */
static size_t
symtab_fde_index(const struct symtab_bin *b, uint64_t offset)
{
	size_t lo = 0, hi = b->nfdes, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (b->fdes[mid].start <= offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == 0 ? b->nfdes : lo - 1;
}

/* How far a zero-size symbol at start may reach, given end: not into the
 * next unwind-table function that starts after it. */
static uint64_t
symtab_fde_cap(const struct symtab_bin *b, uint64_t start, uint64_t end)
{
	size_t i = symtab_fde_index(b, start);

	i = (i == b->nfdes) ? 0 : i + 1;
	if (i < b->nfdes && b->fdes[i].start < end)
		end = b->fdes[i].start;
	return end;
}

/*
 * Turn candidates into b's table: sort, keep one per start (global over
 * weak over local, unversioned, shortest, then strcmp), drop zero-size
 * labels inside sized functions, and work out how far each one reaches.
 * The table is built over the candidates' own array (an entry is smaller
 * than a candidate), which it takes from cs.
 */
static void
symtab_finish(struct symtab_bin *b, struct symtab_cands *cs)
{
	struct symtab_cand *v = cs->v, best, cur;
	uint64_t sized_end = 0, maxsize, next, end, maxend = 0;
	size_t i, j, n = 0, namesz = 0, off = 0;
	char *names;

	if (cs->n == 0)
		return;
	symtab_sort(v, cs->n);

	for (i = 0; i < cs->n; i = j) {
		best = v[i];
		maxsize = best.size;
		for (j = i + 1; j < cs->n && v[j].start == best.start; j++) {
			if (v[j].size > maxsize)
				maxsize = v[j].size;
			if (symtab_cand_better(&v[j], &best, cs))
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

	b->ranges = xreallocarray(NULL, n, sizeof *b->ranges);
	b->states = xcalloc(n, 1);
	names = symtab_pool_reserve(&b->names, namesz);
	for (i = 0; i < n; i++) {
		/* Entry i overwrites no candidate after i: read i, then write. */
		cur = v[i];
		memcpy(names + off, symtab_cand_str(cs, &cur), cur.namelen);
		names[off + cur.namelen] = '\0';

		if (cur.size != 0)
			end = symtab_end(cur.start, cur.size);
		else {
			next = (i + 1 < n) ? v[i + 1].start : UINT64_MAX;
			end = next < cur.limit ? next : cur.limit;
			end = symtab_fde_cap(b, cur.start, end);
			if (end <= cur.start)
				end = symtab_end(cur.start, 1);
		}
		symtab_func_put((char *)v + i * sizeof *b->funcs, cur.start, cur.size,
		    names + off);
		off += cur.namelen + 1;
		if (end > maxend)
			maxend = end;
		b->ranges[i].end = end;
		b->ranges[i].maxend = maxend;
	}
	b->funcs = xreallocarray(v, n, sizeof *b->funcs);
	b->nfuncs = n;
	cs->v = NULL;
	cs->n = cs->cap = 0;
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

/* The ways to reach the file behind a mapping, in symtab_open_map. */
enum symtab_via {
	SYMTAB_VIA_MAP_FILES,	/* /proc/PID/map_files/START-END: the mapping's own file */
	SYMTAB_VIA_EXE,		/* /proc/PID/exe: the executable, if its inode matches */
	SYMTAB_VIA_ROOT,	/* /proc/PID/root/PATH: the target's mount namespace */
	SYMTAB_VIA_PATH,	/* PATH in ours */
};

/* The path to try one way to m's file, allocated; NULL if it does not apply. */
static char *
symtab_via_path(pid_t pid, const struct map *m, enum symtab_via via)
{
	if (pid <= 0 && via != SYMTAB_VIA_PATH)
		return NULL;
	switch (via) {
	case SYMTAB_VIA_MAP_FILES:
		return xasprintf("/proc/%ld/map_files/%" PRIx64 "-%" PRIx64,
		    (long)pid, m->start, m->end);
	case SYMTAB_VIA_EXE:
		return m->inode != 0 ? xasprintf("/proc/%ld/exe", (long)pid) : NULL;
	case SYMTAB_VIA_ROOT:
		return xasprintf("/proc/%ld/root%s", (long)pid, m->path);
	case SYMTAB_VIA_PATH:
		return xstrdup(m->path);
	}
	return NULL;
}

/*
 * Open the file behind a mapping, as the process maps it (its inode must
 * be the mapping's): a deleted one through map_files, else through
 * /proc/PID/exe; else (and first for a file not deleted) through the
 * process's root directory, else the plain path. A file whose path now
 * names another inode on the mapping's device was replaced, and is not
 * read; one on another device (a stacked file system reports another
 * device than the mapping shows) is used if nothing better opens. The
 * path that opened is returned in *opened.
 */
static int
symtab_open_map(pid_t pid, const struct map *m, struct stat *st, char **opened)
{
	static const enum symtab_via deleted[] = { SYMTAB_VIA_MAP_FILES,
	    SYMTAB_VIA_EXE, SYMTAB_VIA_ROOT, SYMTAB_VIA_PATH };
	static const enum symtab_via present[] = { SYMTAB_VIA_ROOT,
	    SYMTAB_VIA_PATH, SYMTAB_VIA_MAP_FILES, SYMTAB_VIA_EXE };
	const enum symtab_via *order = m->deleted ? deleted : present;
	struct stat one, weak_st;
	char *p, *weak = NULL;
	int fd, weak_fd = -1;
	size_t i;

	*opened = NULL;
	for (i = 0; i < 4; i++) {
		if ((p = symtab_via_path(pid, m, order[i])) == NULL)
			continue;
		if ((fd = symtab_open_file(p, &one)) == -1) {
			free(p);
			continue;
		}
		if (order[i] == SYMTAB_VIA_MAP_FILES || m->inode == 0 ||
		    (uint64_t)one.st_ino == m->inode)
			goto found;
		if (order[i] != SYMTAB_VIA_EXE && !m->deleted && weak == NULL &&
		    one.st_dev != makedev(m->dev_major, m->dev_minor)) {
			weak = p;
			weak_fd = fd;
			weak_st = one;
			continue;
		}
		close(fd);
		free(p);
	}
	if (weak == NULL)
		return -1;
	*st = weak_st;
	*opened = weak;
	return weak_fd;

found:
	if (weak != NULL) {
		close(weak_fd);
		free(weak);
	}
	*st = one;
	*opened = p;
	return fd;
}

/* Read len bytes at addr in process pid: process_vm_readv, else /proc/PID/mem. */
static bool
symtab_read_memory(pid_t pid, uint64_t addr, unsigned char *buf, size_t len)
{
	struct iovec local = { buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };
	size_t done = 0;
	char path[64];
	ssize_t n;
	int fd;

	if (process_vm_readv(pid, &local, 1, &remote, 1, 0) == (ssize_t)len)
		return true;
	snprintf(path, sizeof path, "/proc/%ld/mem", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return false;
	while (done < len) {
		n = pread(fd, buf + done, len - done, (off_t)(addr + done));
		if (n <= 0 && !(n == -1 && errno == EINTR))
			break;
		if (n > 0)
			done += (size_t)n;
	}
	close(fd);
	return done == len;
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

/*
 * The vdso binary of an image (which it takes): the one registered with
 * the same build-id (or, without one, the same bytes), else a new one
 * that reads the image on its first lookup. NULL (and the image freed)
 * if it is not an ELF image.
 */
static struct symtab_bin *
symtab_vdso_image(struct symtab_cache *c, unsigned char *img, size_t len)
{
	unsigned char key[16 + 6 + 16];
	uint8_t id[SYMTAB_BUILD_ID_MAX];
	struct symtab_hash *h = &c->by_build_id;
	struct symtab_bin *b;
	const void *k = id;
	size_t idlen = 0, klen;
	uint64_t sum = symtab_hash_bytes(img, len), len64 = len;
	Elf *elf;

	if (len < SELFMAG || memcmp(img, ELFMAG, SELFMAG) != 0 ||
	    (elf = elf_memory((char *)img, len)) == NULL) {
		free(img);
		return NULL;
	}
	if (elf_kind(elf) == ELF_K_ELF)
		idlen = debugfile_build_id(elf, id);
	elf_end(elf);
	klen = idlen;
	if (idlen == 0) {
		/* No build-id: by content, under a key no mapped file has. */
		memset(key, 0, 16);
		memcpy(key + 16, "[vdso]", 6);
		memcpy(key + 22, &sum, 8);
		memcpy(key + 30, &len64, 8);
		h = &c->by_file;
		k = key;
		klen = sizeof key;
	}
	if ((b = symtab_hash_find(h, k, klen)) != NULL) {
		free(img);
		return b;
	}
	b = symtab_bin_new(c, SYMTAB_VDSO, "[vdso]");
	b->image = img;
	b->image_len = len;
	memcpy(b->build_id, id, idlen);
	b->build_id_len = idlen;
	symtab_hash_add(h, k, klen, b);
	return b;
}

/* The vdso of this process (the fallback where a target's is unreadable). */
static struct symtab_bin *
symtab_vdso_own(struct symtab_cache *c)
{
	unsigned long base = getauxval(AT_SYSINFO_EHDR);
	unsigned char *img;
	size_t size;

	if (c->vdso != NULL)
		return c->vdso;
	if (base != 0 && (size = symtab_image_size((const void *)base)) != 0) {
		img = xmalloc(size);
		memcpy(img, (const void *)base, size);
		c->vdso = symtab_vdso_image(c, img, size);
	}
	if (c->vdso == NULL)
		c->vdso = symtab_bin_new(c, SYMTAB_VDSO, "[vdso]");
	return c->vdso;
}

/*
 * The vdso mapped by m in process pid: its image read from the process's
 * memory (the whole ELF image is in the mapping), else this process's own.
 */
static struct symtab_bin *
symtab_vdso(struct symtab_cache *c, pid_t pid, const struct map *m)
{
	struct symtab_bin *b = NULL;
	unsigned char *img;
	size_t len;

	if (pid > 0 && m->end > m->start && m->end - m->start <= SYMTAB_VDSO_MAX) {
		len = (size_t)(m->end - m->start);
		img = xmalloc(len);
		if (symtab_read_memory(pid, m->start, img, len))
			b = symtab_vdso_image(c, img, len);
		else
			free(img);
	}
	return b != NULL ? b : symtab_vdso_own(c);
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

/*
 * Whether the file opened as path is reachable only through /proc (the
 * mapping's path names no file, or another one, here): its descriptor is
 * then kept, so that it can be read once the process is gone.
 */
static bool
symtab_keep_fd(const char *opened, const char *path, const struct stat *st)
{
	struct stat here;

	if (strcmp(opened, path) == 0)
		return false;
	return stat(path, &here) != 0 || here.st_dev != st->st_dev ||
	    here.st_ino != st->st_ino;
}

/* Give b the file opened as opened (fd, which it takes), st and its build-id. */
static void
symtab_file_set(struct symtab_bin *b, const struct map *m, int fd, char *opened,
    const struct stat *st, const uint8_t *id, size_t idlen)
{
	b->open_path = opened;
	if (fd != -1 && symtab_keep_fd(opened, m->path, st))
		b->fd = fd;
	else if (fd != -1)
		close(fd);
	b->st_dev = st->st_dev;
	b->st_ino = st->st_ino;
	memcpy(b->build_id, id, idlen);
	b->build_id_len = idlen;
	if (idlen != 0 && symtab_hash_find(&b->cache->by_build_id, id, idlen) == NULL)
		symtab_hash_add(&b->cache->by_build_id, id, idlen, b);
}

/* Open the file behind m in pid and read its build-id; fd or -1. */
static int
symtab_file_open(pid_t pid, const struct map *m, struct stat *st, char **opened,
    uint8_t *id, size_t *idlen)
{
	Elf *elf;
	int fd;

	*idlen = 0;
	memset(st, 0, sizeof *st);
	fd = symtab_open_map(pid, m, st, opened);
	if (fd != -1 && (elf = elf_begin(fd, ELF_C_READ_MMAP, NULL)) != NULL) {
		*idlen = debugfile_build_id(elf, id);
		elf_end(elf);
	}
	return fd;
}

/* The binary behind mapping m of process pid. */
struct symtab_bin *
symtab_for_map(struct symtab_cache *c, pid_t pid, const struct map *m)
{
	struct symtab_bin *b;
	struct stat st;
	unsigned char buf[256], *key;
	uint8_t id[SYMTAB_BUILD_ID_MAX];
	size_t keylen, idlen;
	char *opened;
	int fd;

	if (m->path == NULL || m->path[0] != '/') {
		if (m->path != NULL && strcmp(m->path, "[vdso]") == 0)
			return symtab_vdso(c, pid, m);
		return symtab_anon(c);
	}

	keylen = symtab_file_key(m, buf, sizeof buf, &key);
	if ((b = symtab_hash_find(&c->by_file, key, keylen)) != NULL) {
		/* Nothing opened for it yet: another process may reach it. */
		if (b->kind == SYMTAB_FILE && b->open_path == NULL &&
		    (fd = symtab_file_open(pid, m, &st, &opened, id, &idlen)) != -1) {
			symtab_file_set(b, m, fd, opened, &st, id, idlen);
			b->loaded = false;
		}
		goto out;
	}

	fd = symtab_file_open(pid, m, &st, &opened, id, &idlen);
	if (idlen != 0 && (b = symtab_hash_find(&c->by_build_id, id, idlen)) != NULL) {
		close(fd);
		free(opened);
		symtab_hash_add(&c->by_file, key, keylen, b);
		goto out;
	}

	b = symtab_bin_new(c, SYMTAB_FILE, m->path);
	symtab_file_set(b, m, fd, opened, &st, id, idlen);
	symtab_hash_add(&c->by_file, key, keylen, b);

out:
	if (key != buf)
		free(key);
	return b;
}

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define SYMTAB_HOST_DATA	ELFDATA2MSB
#else
#define SYMTAB_HOST_DATA	ELFDATA2LSB
#endif

/* Release what symtab_elf_open allocated. */
static void
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
static int
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
	if (elf_getphdrnum(elf, &phnum) != 0 || elf_getshdrnum(elf, &shnum) != 0)
		return -1;

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

/* The bytes of a section that has some in the file, and its address. */
static Elf_Data *
symtab_scn_bytes(Elf_Scn *scn, uint64_t *addr, GElf_Shdr *sh)
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
static int
symtab_vaddr_offset(const struct symtab_elf *e, uint64_t vaddr, uint32_t flags,
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
symtab_vaddr_bytes(const struct symtab_elf *e, uint64_t vaddr)
{
	const struct symtab_seg *seg;
	uint64_t off;

	if (symtab_vaddr_offset(e, vaddr, 0, &off, &seg) != 0)
		return NULL;
	return elf_getdata_rawchunk(e->elf, (int64_t)off,
	    (size_t)(seg->filesz - (vaddr - seg->vaddr)), ELF_T_BYTE);
}

/* .eh_frame_hdr through the program headers (for files without sections). */
static Elf_Data *
symtab_eh_frame_hdr_phdr(const struct symtab_elf *e, uint64_t *addr)
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

/*
 * Where e's unwind tables are: .eh_frame_hdr (its section, else its
 * program header) and .eh_frame (its section, else where the header
 * points). -1 if e has neither or is not in this host's byte order.
 */
static int
symtab_eh_src(const struct symtab_elf *e, struct ehframe_src *src)
{
	Elf_Data *hdr, *eh;
	uint64_t ehaddr;

	memset(src, 0, sizeof *src);
	if (e->eh.e_ident[EI_DATA] != SYMTAB_HOST_DATA)
		return -1;
	src->ptrsize = e->eh.e_ident[EI_CLASS] == ELFCLASS64 ? 8 : 4;
	hdr = symtab_scn_bytes(e->eh_frame_hdr, &src->hdraddr, NULL);
	if (hdr == NULL && e->eh_frame_hdr == NULL)
		hdr = symtab_eh_frame_hdr_phdr(e, &src->hdraddr);
	if (hdr != NULL) {
		src->hdr = hdr->d_buf;
		src->hdrsize = hdr->d_size;
	}
	eh = symtab_scn_bytes(e->eh_frame, &src->ehaddr, NULL);
	if (eh == NULL && e->eh_frame == NULL && hdr != NULL &&
	    ehframe_hdr_eh_addr(src, &ehaddr) == 0 &&
	    (eh = symtab_vaddr_bytes(e, ehaddr)) != NULL)
		src->ehaddr = ehaddr;
	if (eh != NULL && eh->d_buf != NULL) {
		src->eh = eh->d_buf;
		src->ehsize = eh->d_size;
	}
	return (src->hdr != NULL || src->eh != NULL) ? 0 : -1;
}

/* By start. */
static int
symtab_func_cmp(const void *a0, const void *b0)
{
	const struct symtab_func *a = a0, *b = b0;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return 0;
}

/* symtab_fdes_convert turns unwind-table entries into functions in place. */
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
symtab_fdes_convert(const struct symtab_elf *e, struct ehframe_fde *v,
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
		if (symtab_vaddr_offset(e, cur.start, PF_X, &off, &seg) != 0)
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
		qsort(fs, k, sizeof *fs, symtab_func_cmp);
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

/*
 * Read the functions of b's unwind tables. A file with an .eh_frame_hdr
 * table gives only the table's starts now (its .eh_frame may be large):
 * the FDEs are read on the first lookup that needs one. Without a table,
 * and for the vdso, every FDE is read now.
 */
static void
symtab_load_fdes(struct symtab_bin *b, const struct symtab_elf *e)
{
	struct ehframe_src src;
	struct ehframe_fde *v = NULL;
	size_t n = 0;

	if (symtab_eh_src(e, &src) != 0)
		return;
	if (b->kind == SYMTAB_FILE && (n = ehframe_hdr_table(&src, &v)) != 0)
		b->fdes_pending = true;
	else
		n = ehframe_read(&src, &v);
	b->nfdes = symtab_fdes_convert(e, v, n, &b->fdes);
	if (b->nfdes == 0)
		b->fdes_pending = false;
}

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
	struct symtab_rel *v;
	size_t n;
	Elf_Data *syms;		/* the symbol table they refer to */
	size_t strndx;		/* its string table */
	struct symtab_rel *by_slot;	/* v sorted by slot */
};

/* Read the relocations of a REL or RELA section (only type if nonzero). */
static void
symtab_read_rels(Elf *elf, Elf_Scn *scn, uint32_t type, struct symtab_plt_rels *r)
{
	GElf_Shdr sh, symsh;
	GElf_Rela rela;
	GElf_Rel rel;
	Elf_Scn *symscn;
	Elf_Data *d;
	size_t n, i, fsize;
	struct symtab_rel *out;

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

/* By GOT slot. */
static int
symtab_rel_cmp(const void *a0, const void *b0)
{
	const struct symtab_rel *a = a0, *b = b0;

	if (a->slot != b->slot)
		return a->slot < b->slot ? -1 : 1;
	return 0;
}

/* Sort a copy of the relocations by GOT slot. */
static void
symtab_rels_index(struct symtab_plt_rels *r)
{
	if (r->n == 0)
		return;
	r->by_slot = xreallocarray(NULL, r->n, sizeof *r->by_slot);
	memcpy(r->by_slot, r->v, r->n * sizeof *r->by_slot);
	qsort(r->by_slot, r->n, sizeof *r->by_slot, symtab_rel_cmp);
}

/* The relocation of a GOT slot, or NULL. */
static const struct symtab_rel *
symtab_rels_find(const struct symtab_plt_rels *r, uint64_t slot)
{
	size_t lo = 0, hi = r->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (r->by_slot[mid].slot < slot)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo < r->n && r->by_slot[lo].slot == slot) ? &r->by_slot[lo] : NULL;
}

/* Release a relocation list. */
static void
symtab_rels_free(struct symtab_plt_rels *r)
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
symtab_x86_64_stub(const unsigned char *p, size_t len, uint64_t vaddr, uint64_t *val)
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
symtab_rel_name(const struct symtab_cands *cs, const struct symtab_elf *e,
    const struct symtab_plt_arch *arch, const struct symtab_plt_rels *r,
    const struct symtab_rel *rel, size_t *len)
{
	const struct symtab_cand *best = NULL;
	GElf_Sym sym;
	const char *name;
	uint64_t off;
	size_t i;

	if (rel->type == arch->irelative) {
		/* No symbol: the name of the resolver the addend points at. */
		if (symtab_vaddr_offset(e, rel->addend, 0, &off, NULL) != 0)
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

	if (symtab_vaddr_offset(e, vaddr, 0, &off, NULL) != 0 ||
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
	const struct symtab_rel *rel;
	const unsigned char *p;
	const char *name;
	Elf_Data *d;
	GElf_Shdr sh;
	uint64_t addr, val;
	size_t off, len, idx;
	int kind;

	if ((d = symtab_scn_bytes(scn, &addr, &sh)) == NULL || r->n == 0 ||
	    !(sh.sh_flags & SHF_EXECINSTR))
		return;
	p = d->d_buf;
	for (off = header; off < d->d_size && d->d_size - off >= entry; off += entry) {
		rel = NULL;
		kind = 0;
		if (arch->machine == EM_X86_64)
			kind = symtab_x86_64_stub(p + off, entry, addr + off, &val);
		if (kind == 1)
			rel = symtab_rels_find(r, val);
		else if (kind == 2 && by_order && val < r->n)
			rel = &r->v[val];
		else if (kind == 0 && by_order) {
			idx = (off - header) / entry;
			rel = idx < r->n ? &r->v[idx] : NULL;
		}
		if (rel != NULL &&
		    (name = symtab_rel_name(cs, e, arch, r, rel, &len)) != NULL)
			symtab_plt_add(cs, e, addr + off, entry, name, len);
	}
}

/* NAME@plt candidates for the stubs of .plt, .plt.sec and .plt.got. */
static void
symtab_plt(struct symtab_cands *cs, const struct symtab_elf *e)
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
		symtab_read_rels(e->elf, e->rel_plt, 0, &jump);
		symtab_rels_index(&jump);
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
				symtab_read_rels(e->elf, scn, arch->glob_dat, &glob);
		}
		symtab_rels_index(&glob);
		entry = 8;
		if (gelf_getshdr(e->plt_got, &sh) != NULL && sh.sh_entsize == 16)
			entry = 16;
		symtab_plt_section(cs, e, arch, e->plt_got, 0, entry, &glob, false);
	}
	symtab_rels_free(&jump);
	symtab_rels_free(&glob);
}

/* The file name and CRC of e's .gnu_debuglink; NULL if it has none. */
static const char *
symtab_debuglink(const struct symtab_elf *e, uint32_t *crc)
{
	const char *name, *nul;
	uint64_t addr;
	Elf_Data *d;
	size_t off;

	if ((d = symtab_scn_bytes(e->debuglink, &addr, NULL)) == NULL)
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

/* Find b's separate debug file (debugfile_find); its descriptor in *fdp, NULL if none. */
static Elf *
symtab_debug_find(struct symtab_bin *b, const struct symtab_elf *e,
    const struct stat *st, int *fdp)
{
	const struct symtab_cache *c = b->cache;
	struct debugfile_want w = {
		.dirs = (const char *const *)c->debug_dirs,
		.ndirs = c->ndebug_dirs,
		.open_path = b->open_path,
		.name_path = b->path,
		.dev = st->st_dev,
		.ino = st->st_ino,
		.eclass = e->eh.e_ident[EI_CLASS],
		.edata = e->eh.e_ident[EI_DATA],
		.emachine = e->eh.e_machine,
		.build_id = b->build_id,
		.build_id_len = b->build_id_len,
	};
	Elf *delf = NULL;

	w.link = symtab_debuglink(e, &w.crc);
	if ((*fdp = debugfile_find(&w, NULL, &delf)) == -1)
		return NULL;
	return delf;
}

/*
 * Fill b from an ELF image (st: the file's identity; NULL for the vdso):
 * symbols from its .symtab, else from its separate debug file's, else
 * from its .dynsym; NAME@plt for its PLT stubs; bounds from its unwind
 * tables. Addresses become file offsets through the image's PT_LOADs
 * (a debug file's symbols too: their addresses are the same).
 */
static void
symtab_load_elf(struct symtab_bin *b, Elf *elf, const struct stat *st)
{
	struct symtab_cands cs = { 0 };
	struct symtab_elf e, de;
	Elf *delf = NULL;
	int dfd = -1;
	bool thumb;

	if (symtab_elf_open(&e, elf) != 0 || e.nsegs == 0) {
		symtab_elf_close(&e);
		return;
	}
	thumb = (e.eh.e_machine == EM_ARM);
	if (e.symtab != NULL)
		symtab_elf_syms(&cs, elf, e.symtab, e.secs, e.nsecs, e.segs, e.nsegs, thumb);
	if (cs.n == 0 && st != NULL && b->open_path != NULL &&
	    (delf = symtab_debug_find(b, &e, st, &dfd)) != NULL) {
		if (symtab_elf_open(&de, delf) == 0 && de.symtab != NULL)
			symtab_elf_syms(&cs, delf, de.symtab, de.secs, de.nsecs,
			    e.segs, e.nsegs, thumb);
		symtab_elf_close(&de);
	}
	if (cs.n == 0 && e.dynsym != NULL)
		symtab_elf_syms(&cs, elf, e.dynsym, e.secs, e.nsecs, e.segs, e.nsegs, thumb);
	symtab_load_fdes(b, &e);
	symtab_plt(&cs, &e);
	symtab_finish(b, &cs);

	free(cs.v);
	free(cs.extra.buf);
	if (delf != NULL)
		elf_end(delf);
	if (dfd != -1)
		close(dfd);
	symtab_elf_close(&e);
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
	idlen = debugfile_build_id(elf, id);
	return idlen == b->build_id_len && memcmp(id, b->build_id, idlen) == 0;
}

/* Reopen b's file and check it is the same; *fdp and *st are filled. */
static Elf *
symtab_reopen(struct symtab_bin *b, int *fdp, struct stat *st)
{
	const char *tries[2];
	Elf *elf;
	size_t i;
	int fd;

	if (b->kind != SYMTAB_FILE || b->open_path == NULL)
		return NULL;
	if (b->fd != -1) {
		fd = fcntl(b->fd, F_DUPFD_CLOEXEC, 0);
		if (fd != -1 && fstat(fd, st) == 0 &&
		    (elf = elf_begin(fd, ELF_C_READ_MMAP, NULL)) != NULL) {
			*fdp = fd;
			return elf;
		}
		if (fd != -1)
			close(fd);
	}
	tries[0] = b->open_path;
	tries[1] = strcmp(b->open_path, b->path) != 0 ? b->path : NULL;
	for (i = 0; i < 2 && tries[i] != NULL; i++) {
		if ((fd = symtab_open_file(tries[i], st)) == -1)
			continue;
		elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
		if (elf != NULL && symtab_same_file(b, st, elf)) {
			*fdp = fd;
			return elf;
		}
		if (elf != NULL)
			elf_end(elf);
		close(fd);
	}
	return NULL;
}

/* Load a file's symbols: reopen it, check it is the same, read it. */
static void
symtab_load_file(struct symtab_bin *b)
{
	struct stat st;
	Elf *elf;
	int fd;

	if ((elf = symtab_reopen(b, &fd, &st)) == NULL)
		return;
	symtab_load_elf(b, elf, &st);
	elf_end(elf);
	close(fd);
}

/*
 * Read the FDEs behind b's .eh_frame_hdr entries (reopening the file):
 * each function ends where its FDE says; an entry without a matching FDE
 * is dropped. If the file cannot be read again, the functions keep
 * reaching to the next start.
 */
static void
symtab_fde_resolve(struct symtab_bin *b)
{
	struct symtab_func *exact = NULL;
	struct ehframe_fde *v = NULL;
	struct ehframe_src src;
	struct symtab_elf e;
	struct stat st;
	size_t i, j = 0, k = 0, n;
	Elf *elf;
	int fd;

	b->fdes_pending = false;
	if ((elf = symtab_reopen(b, &fd, &st)) == NULL)
		return;
	if (symtab_elf_open(&e, elf) == 0 && symtab_eh_src(&e, &src) == 0) {
		n = ehframe_read(&src, &v);
		n = symtab_fdes_convert(&e, v, n, &exact);
		for (i = 0; i < b->nfdes; i++) {
			while (j < n && exact[j].start < b->fdes[i].start)
				j++;
			if (j == n || exact[j].start != b->fdes[i].start)
				continue;
			b->fdes[k] = b->fdes[i];
			if (exact[j].size < b->fdes[k].size)
				b->fdes[k].size = exact[j].size;
			k++;
		}
		b->nfdes = k;
		free(exact);
	}
	symtab_elf_close(&e);
	elf_end(elf);
	close(fd);
}

/* Load the vdso's symbols from the image read at registration. */
static void
symtab_load_vdso(struct symtab_bin *b)
{
	Elf *elf;

	if (b->image == NULL)
		return;
	elf = elf_memory((char *)b->image, b->image_len);
	if (elf != NULL) {
		symtab_load_elf(b, elf, NULL);
		elf_end(elf);
	}
	free(b->image);
	b->image = NULL;
	b->image_len = 0;
}

/*
 * The kernel's table while /proc/kallsyms is read: the final table's
 * entries, filled in file order (which is address order but for modules
 * at the end), their names in the binary's pool.
 */
struct symtab_ksyms {
	struct symtab_func *v;	/* size holds the rank until the selection */
	size_t n;
	size_t cap;
	size_t sorted;		/* v[0..sorted) is in address order */
	struct symtab_pool *pool;
	const char *last;	/* the last name copied into the pool */
	size_t lastlen;
};

/* The value of a hex digit, or -1. */
static int
symtab_hex(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/*
 * Add one /proc/kallsyms line (len bytes, no newline) if it is a text
 * symbol: "ADDRESS TYPE NAME[\t[MODULE]]", a nonzero hex address, type
 * T, W, w or t. A name that ends the one before it (foo after __pfx_foo)
 * shares its bytes.
 */
static void
symtab_kallsyms_line(struct symtab_ksyms *ks, const char *line, size_t len)
{
	const char *p = line, *end = line + len, *name, *q;
	struct symtab_func *f;
	uint64_t addr = 0;
	unsigned rank;
	size_t nlen;
	int d;

	for (; p < end && (d = symtab_hex(*p)) != -1; p++) {
		if (addr >> 60 != 0)
			return;
		addr = addr << 4 | (unsigned)d;
	}
	if (p == line || addr == 0 || end - p < 4 || p[0] != ' ' || p[2] != ' ')
		return;
	switch (p[1]) {
	case 'T':
		rank = 0;
		break;
	case 'W':
	case 'w':
		rank = 1;
		break;
	case 't':
		rank = 2;
		break;
	default:
		return;
	}
	name = p + 3;
	for (q = name; q < end && *q != ' ' && *q != '\t' && *q != '\0'; q++)
		;
	nlen = (size_t)(q - name);
	if (nlen == 0 || nlen > SYMTAB_NAME_MAX)
		return;

	if (ks->n == ks->cap) {
		ks->cap = ks->cap ? ks->cap * 2 : SYMTAB_KALLSYMS_FIRST;
		ks->v = xreallocarray(ks->v, ks->cap, sizeof *ks->v);
	}
	f = &ks->v[ks->n];
	f->start = addr;
	f->size = rank;
	if (nlen <= ks->lastlen &&
	    memcmp(ks->last + ks->lastlen - nlen, name, nlen) == 0)
		f->name = ks->last + ks->lastlen - nlen;
	else {
		f->name = ks->last = symtab_pool_add(ks->pool, name, nlen);
		ks->lastlen = nlen;
	}
	if (ks->sorted == ks->n && (ks->n == 0 || f[-1].start <= addr))
		ks->sorted++;
	ks->n++;
}

/*
 * Read kallsyms text from fd, line by line through one buffer. A line
 * longer than the buffer (kallsyms' are under 600 bytes) is skipped.
 */
static void
symtab_kallsyms_read(struct symtab_ksyms *ks, int fd)
{
	char *buf = xmalloc(SYMTAB_KALLSYMS_READ), *nl;
	size_t have = 0, done;
	bool skip = false;
	ssize_t r;

	for (;;) {
		r = read(fd, buf + have, SYMTAB_KALLSYMS_READ - have);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		have += (size_t)r;
		done = 0;
		while ((nl = memchr(buf + done, '\n', have - done)) != NULL) {
			if (!skip)
				symtab_kallsyms_line(ks, buf + done, (size_t)(nl - buf) - done);
			skip = false;
			done = (size_t)(nl - buf) + 1;
		}
		if (done == 0 && have == SYMTAB_KALLSYMS_READ) {
			skip = true;
			have = 0;
			continue;
		}
		memmove(buf, buf + done, have - done);
		have -= done;
	}
	if (have != 0 && !skip)
		symtab_kallsyms_line(ks, buf, have);
	free(buf);
}

/*
 * Put the entries after the sorted run (module symbols) in address order
 * too: sort them in place; if any goes below the run's end, merge a copy
 * of them with the run from the end.
 */
static void
symtab_kallsyms_sort(struct symtab_ksyms *ks)
{
	struct symtab_func *v = ks->v, *tmp;
	size_t i = ks->sorted, m = ks->n - ks->sorted, j = m, k = ks->n;

	if (m == 0)
		return;
	qsort(v + i, m, sizeof *v, symtab_func_cmp);
	ks->sorted = ks->n;
	if (i == 0 || v[i - 1].start <= v[i].start)
		return;
	tmp = xreallocarray(NULL, m, sizeof *tmp);
	memcpy(tmp, v + i, m * sizeof *tmp);
	while (j > 0) {
		if (i > 0 && v[i - 1].start > tmp[j - 1].start)
			v[--k] = v[--i];
		else
			v[--k] = tmp[--j];
	}
	free(tmp);
}

/* Whether kernel symbol a is preferred to b at the same address: T, then
 * W or w, then t; then the shorter name; then the first in byte order. */
static bool
symtab_ksym_better(const struct symtab_func *a, const struct symtab_func *b)
{
	size_t alen, blen;

	if (a->size != b->size)
		return a->size < b->size;
	alen = strlen(a->name);
	blen = strlen(b->name);
	if (alen != blen)
		return alen < blen;
	return memcmp(a->name, b->name, alen) < 0;
}

/*
 * Load the kernel's text symbols from /proc/kallsyms (or the cache's
 * file), where readable: straight into the table, sorted where needed,
 * one per address. A symbol has no size: each reaches to the next, so no
 * ranges are kept. Addresses shown as zero (kptr_restrict) give nothing.
 */
static void
symtab_load_kernel(struct symtab_bin *b)
{
	struct symtab_ksyms ks = { .pool = &b->names };
	const char *path = b->cache->kallsyms;
	struct symtab_func *v;
	size_t i, j, best, n = 0;
	int fd;

	if (path == NULL)
		path = SYMTAB_KALLSYMS;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return;
	symtab_kallsyms_read(&ks, fd);
	close(fd);
	symtab_kallsyms_sort(&ks);

	v = ks.v;
	for (i = 0; i < ks.n; i = j) {
		best = i;
		for (j = i + 1; j < ks.n && v[j].start == v[i].start; j++) {
			if (symtab_ksym_better(&v[j], &v[best]))
				best = j;
		}
		v[n] = v[best];
		v[n++].size = 0;
	}
	if (n == 0) {
		free(v);
		return;
	}
	b->funcs = xreallocarray(v, n, sizeof *v);
	b->states = xcalloc(n, 1);
	b->nfuncs = n;
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

/* The demangled form of a name (NAME@plt: of NAME), or NULL. */
static char *
symtab_demangle(const char *name)
{
	size_t len = strlen(name), suffix = strlen(SYMTAB_PLT_SUFFIX);
	char *base, *d, *out;

	if (len <= suffix || strcmp(name + len - suffix, SYMTAB_PLT_SUFFIX) != 0)
		return demangle(name);
	base = xstrndup(name, len - suffix);
	d = demangle(base);
	free(base);
	if (d == NULL)
		return NULL;
	out = xasprintf("%s%s", d, SYMTAB_PLT_SUFFIX);
	free(d);
	return out;
}

/* Function i of b, its name demangled on first use. */
static const struct symtab_func *
symtab_named(struct symtab_bin *b, size_t i)
{
	char *d;

	if (b->states[i] == SYMTAB_NAME_RAW) {
		b->states[i] = SYMTAB_NAME_KEPT;
		if (b->demangle && (d = symtab_demangle(b->funcs[i].name)) != NULL) {
			b->funcs[i].name = d;
			b->states[i] = SYMTAB_NAME_OWNED;
		}
	}
	return &b->funcs[i];
}

/* The symbol containing offset, or NULL. */
static const struct symtab_func *
symtab_sym_lookup(struct symtab_bin *b, uint64_t offset)
{
	size_t lo = 0, hi, mid, i;

	hi = b->nfuncs;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (b->funcs[mid].start <= offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (b->ranges == NULL) {
		/* Each reaches to the next start; the last, to the end. */
		if (lo == 0 || (lo == b->nfuncs && offset == UINT64_MAX))
			return NULL;
		return symtab_named(b, lo - 1);
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

/* The unwind-table function containing offset, named on first use; or NULL. */
static const struct symtab_func *
symtab_fde_lookup(struct symtab_bin *b, uint64_t offset)
{
	struct symtab_func *f;
	size_t i;

	i = symtab_fde_index(b, offset);
	if (i == b->nfdes || offset - b->fdes[i].start >= b->fdes[i].size)
		return NULL;
	if (b->fdes_pending) {
		symtab_fde_resolve(b);
		i = symtab_fde_index(b, offset);
		if (i == b->nfdes || offset - b->fdes[i].start >= b->fdes[i].size)
			return NULL;
	}
	f = &b->fdes[i];
	if (f->name == NULL)
		f->name = xasprintf("%s+0x%" PRIx64, b->name, f->start);
	return f;
}

/* The function containing offset: a symbol's, else an FDE's; or NULL. */
const struct symtab_func *
symtab_lookup(struct symtab_bin *b, uint64_t offset)
{
	const struct symtab_func *f;

	symtab_load(b);
	if ((f = symtab_sym_lookup(b, offset)) != NULL)
		return f;
	return symtab_fde_lookup(b, offset);
}

/* How many functions b's unwind tables give, loading it if needed. */
size_t
symtab_nbounds(struct symtab_bin *b)
{
	symtab_load(b);
	if (b->fdes_pending)
		symtab_fde_resolve(b);
	return b->nfdes;
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
