/*
 * A table of functions: candidates sorted and chosen, the table built over
 * their own array, lookups by binary search with names demangled on first
 * use.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "demangle.h"
#include "sorted.h"
#include "symtab.h"
#include "xmalloc.h"

#define SYMTAB_POOL_FIRST	4096		/* a pool's first block at least */
#define SYMTAB_POOL_BLOCK	(256 * 1024)	/* its blocks at most (a longer
						 * request gets its own) */

/* The state of a function's name: demangled lazily, on its first lookup. */
enum symtab_name_state {
	SYMTAB_NAME_RAW,	/* not looked up yet */
	SYMTAB_NAME_KEPT,	/* looked up; the raw name stays */
	SYMTAB_NAME_OWNED,	/* demangled: the name is ours to free */
};

/* symtab_build builds the table over the candidates. */
_Static_assert(sizeof (struct symtab_func) <= sizeof (struct symtab_cand),
    "a table entry must fit in a candidate");

/* Room for len bytes in a pool (a new block if the last one is short).
 * Blocks double from SYMTAB_POOL_FIRST up to SYMTAB_POOL_BLOCK, so that a
 * small library's few names (or one table's names, reserved at once)
 * take what they need, not a quarter of a megabyte. */
static char *
symtab_pool_reserve(struct symtab_pool *p, size_t len)
{
	size_t size;

	if (len > p->left) {
		size = p->block == 0 ? SYMTAB_POOL_FIRST : p->block * 2;
		if (size > SYMTAB_POOL_BLOCK)
			size = SYMTAB_POOL_BLOCK;
		p->block = size;
		if (len > size)
			size = len;
		p->blocks = xreallocarray(p->blocks, p->nblocks + 1, sizeof *p->blocks);
		p->blocks[p->nblocks++] = p->next = xmalloc(size);
		p->left = size;
	}
	p->next += len;
	p->left -= len;
	return p->next - len;
}

/* Copy a name of len bytes into a pool, terminated; it never moves. */
const char *
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

/* Release a table's memory and every name it handed out. */
void
symtab_free(struct symtab *t)
{
	size_t i;

	for (i = 0; i < t->nfuncs; i++) {
		if (t->states[i] == SYMTAB_NAME_OWNED)
			free((char *)t->funcs[i].name);
	}
	free(t->funcs);
	free(t->ranges);
	free(t->states);
	symtab_pool_free(&t->names);
	t->funcs = NULL;
	t->ranges = NULL;
	t->states = NULL;
	t->nfuncs = 0;
}

/* Append one candidate. */
void
symtab_cands_add(struct symtab_cands *cs, const struct symtab_cand *cand)
{
	if (cs->n == cs->cap) {
		cs->cap = cs->cap ? cs->cap * 2 : 256;
		cs->v = xreallocarray(cs->v, cs->cap, sizeof *cs->v);
	}
	cs->v[cs->n++] = *cand;
}

/* Release the candidates' own memory. */
void
symtab_cands_free(struct symtab_cands *cs)
{
	free(cs->v);
	free(cs->extra.buf);
	memset(cs, 0, sizeof *cs);
}

/* Copy a name into a string buffer; returns its offset. */
uint32_t
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
const char *
symtab_cand_str(const struct symtab_cands *cs, const struct symtab_cand *cand)
{
	return (cand->extra ? cs->extra.buf : cs->strs) + cand->name;
}

/* Whether candidate a is preferred to b, both at the same start. */
bool
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
void
symtab_func_put(void *dst, uint64_t start, uint64_t size, const char *name)
{
	char *p = dst;

	memcpy(p + offsetof(struct symtab_func, start), &start, sizeof start);
	memcpy(p + offsetof(struct symtab_func, size), &size, sizeof size);
	memcpy(p + offsetof(struct symtab_func, name), &name, sizeof name);
}

/* One past start + size, without wrapping. */
uint64_t
symtab_end(uint64_t start, uint64_t size)
{
	return size > UINT64_MAX - start ? UINT64_MAX : start + size;
}

/* How far a zero-size symbol at start may reach, given end: not into the
 * next of the bounds that starts after it. */
static uint64_t
symtab_bounds_cap(const struct symtab_func *bounds, size_t n, uint64_t start,
    uint64_t end)
{
	/* The first that starts after start. */
	size_t lo = SORTED_UPPER(bounds, n, start, start);

	if (lo < n && bounds[lo].start < end)
		end = bounds[lo].start;
	return end;
}

/* Build t over the candidates. */
void
symtab_build(struct symtab *t, struct symtab_cands *cs,
    const struct symtab_func *bounds, size_t nbounds)
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

	t->ranges = xreallocarray(NULL, n, sizeof *t->ranges);
	t->states = xcalloc(n, 1);
	names = symtab_pool_reserve(&t->names, namesz);
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
			end = symtab_bounds_cap(bounds, nbounds, cur.start, end);
			if (end <= cur.start)
				end = symtab_end(cur.start, 1);
		}
		symtab_func_put((char *)v + i * sizeof *t->funcs, cur.start, cur.size,
		    names + off);
		off += cur.namelen + 1;
		if (end > maxend)
			maxend = end;
		t->ranges[i].end = end;
		t->ranges[i].maxend = maxend;
	}
	t->funcs = xreallocarray(v, n, sizeof *t->funcs);
	t->nfuncs = n;
	cs->v = NULL;
	cs->n = cs->cap = 0;
}

/* Build t from sorted functions without sizes. */
void
symtab_take_sorted(struct symtab *t, struct symtab_func *v, size_t n)
{
	if (n == 0) {
		free(v);
		return;
	}
	t->funcs = xreallocarray(v, n, sizeof *v);
	t->states = xcalloc(n, 1);
	t->ranges = NULL;
	t->nfuncs = n;
}

/* Build t from a copy of a list of functions. */
void
symtab_build_given(struct symtab *t, const struct symtab_func *funcs, size_t n)
{
	struct symtab_cands cs = { 0 };
	struct symtab_strbuf sb = { 0 };
	struct symtab_cand cand;
	const char *name;
	size_t i, len;

	for (i = 0; i < n; i++) {
		name = funcs[i].name != NULL ? funcs[i].name : "";
		len = strlen(name);
		if (len == 0 || len > SYMTAB_NAME_MAX || sb.len > UINT32_MAX)
			continue;
		memset(&cand, 0, sizeof cand);
		cand.start = funcs[i].start;
		cand.size = funcs[i].size;
		cand.limit = UINT64_MAX;
		cand.versioned = (strchr(name, '@') != NULL);
		cand.namelen = (uint32_t)len & SYMTAB_NAME_MAX;
		cand.name = symtab_strbuf_add(&sb, name, len);
		symtab_cands_add(&cs, &cand);
	}
	cs.strs = sb.buf;
	symtab_build(t, &cs, NULL, 0);
	symtab_cands_free(&cs);
	free(sb.buf);
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

/* Function i of t, its name demangled on first use. */
static const struct symtab_func *
symtab_named(struct symtab *t, size_t i)
{
	char *d;

	if (t->states[i] == SYMTAB_NAME_RAW) {
		t->states[i] = SYMTAB_NAME_KEPT;
		if (t->demangle && (d = symtab_demangle(t->funcs[i].name)) != NULL) {
			t->funcs[i].name = d;
			t->states[i] = SYMTAB_NAME_OWNED;
		}
	}
	return &t->funcs[i];
}

/* The function containing offset, or NULL. */
const struct symtab_func *
symtab_find(struct symtab *t, uint64_t offset)
{
	size_t lo = SORTED_UPPER(t->funcs, t->nfuncs, start, offset), i;

	if (t->ranges == NULL) {
		/* Each reaches to the next start; the last, to the end. */
		if (lo == 0 || (lo == t->nfuncs && offset == UINT64_MAX))
			return NULL;
		return symtab_named(t, lo - 1);
	}
	/* Walk back past sized functions that end early (nesting is rare). */
	for (i = lo; i > 0; i--) {
		if (t->ranges[i - 1].maxend <= offset)
			return NULL;
		if (t->ranges[i - 1].end > offset)
			return symtab_named(t, i - 1);
	}
	return NULL;
}
