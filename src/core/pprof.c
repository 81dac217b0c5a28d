/*
 * The pprof encoder: profile.proto's messages kept in tables (strings,
 * mappings, functions, locations; samples encoded as they come), written
 * by hand in the protobuf wire format and compressed with zlib's gzip
 * stream. Field numbers are those of profile.proto (github.com/google/
 * pprof, proto/profile.proto).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "i18n.h"
#include "pprof.h"
#include "xmalloc.h"

/* Wire types. */
#define PPROF_VARINT	0
#define PPROF_LEN	2

/* Profile's fields. */
enum {
	PPROF_SAMPLE_TYPE = 1, PPROF_SAMPLE = 2, PPROF_MAPPING = 3,
	PPROF_LOCATION = 4, PPROF_FUNCTION = 5, PPROF_STRING_TABLE = 6,
	PPROF_TIME_NANOS = 9, PPROF_DURATION_NANOS = 10,
	PPROF_PERIOD_TYPE = 11, PPROF_PERIOD = 12, PPROF_COMMENT = 13,
	PPROF_DEFAULT_SAMPLE_TYPE = 14,
};

/* Bytes being encoded. */
struct pprof_buf {
	uint8_t *b;
	size_t len, cap;
};

/* One slot of a hash table: an item's hash and index + 1 (0: empty). */
struct pprof_slot {
	uint64_t hv;
	size_t idx;
};

struct pprof_hash {
	struct pprof_slot *slot;
	size_t size, n;			/* size: a power of two, or 0 */
};

struct pprof_map {
	uint64_t start, limit, offset;
	int64_t file, build_id;
	bool cover, has_files, has_lines, has_inline;
};

struct pprof_func {
	int64_t name, file, start_line;
};

struct pprof_lrec {
	uint64_t func;
	int64_t line;
};

struct pprof_loc {
	uint64_t mapping, address;
	size_t first, n;		/* its lines in lrecs */
};

struct pprof {
	char **strs;
	size_t nstrs, capstrs;
	struct pprof_hash strh;
	struct pprof_map *maps;
	size_t nmaps, capmaps;
	struct pprof_func *funcs;
	size_t nfuncs, capfuncs;
	struct pprof_hash funch;
	struct pprof_loc *locs;
	size_t nlocs, caplocs;
	struct pprof_hash loch;
	struct pprof_lrec *lrecs;
	size_t nlrecs, caplrecs;
	int64_t *types;			/* (type, unit) pairs */
	size_t ntypes, captypes;
	int64_t *comments;
	size_t ncomments, capcomments;
	int64_t default_type, period_type, period_unit, period;
	int64_t time_nanos, duration_nanos;
	struct pprof_buf samples;	/* encoded Profile.sample fields */
	struct pprof_buf tmp, tmp2;	/* scratch for nested messages */
};

/* Grow an array of *cap elements of size to hold n + 1. */
static void *
pprof_grow(void *v, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return v;
	*cap = *cap != 0 ? *cap * 2 : 16;
	return xreallocarray(v, *cap, size);
}

/* FNV-1a over len bytes, continuing from h. */
static uint64_t
pprof_fnv(uint64_t h, const void *p, size_t len)
{
	const uint8_t *s = p;

	while (len-- > 0) {
		h ^= *s++;
		h *= 0x100000001b3ull;
	}
	return h;
}

#define PPROF_FNV_INIT 0xcbf29ce484222325ull

/* Double a hash table's slots (or make the first ones). */
static void
pprof_hash_grow(struct pprof_hash *h)
{
	struct pprof_slot *old = h->slot;
	size_t oldsize = h->size, i, j;

	h->size = oldsize != 0 ? oldsize * 2 : 256;
	h->slot = xcalloc(h->size, sizeof *h->slot);
	for (i = 0; i < oldsize; i++) {
		if (old[i].idx == 0)
			continue;
		for (j = old[i].hv & (h->size - 1); h->slot[j].idx != 0;
		    j = (j + 1) & (h->size - 1))
			;
		h->slot[j] = old[i];
	}
	free(old);
}

/* The slot for hash hv where eq(p, index, key) holds, or the empty slot
 * where it goes. */
static struct pprof_slot *
pprof_hash_find(struct pprof *p, struct pprof_hash *h, uint64_t hv,
    bool (*eq)(const struct pprof *, size_t, const void *), const void *key)
{
	size_t j;

	if (2 * (h->n + 1) > h->size)
		pprof_hash_grow(h);
	for (j = hv & (h->size - 1); h->slot[j].idx != 0;
	    j = (j + 1) & (h->size - 1)) {
		if (h->slot[j].hv == hv && eq(p, h->slot[j].idx - 1, key))
			return &h->slot[j];
	}
	h->slot[j].hv = hv;
	return &h->slot[j];
}

/* Whether string i is key. */
static bool
pprof_str_eq(const struct pprof *p, size_t i, const void *key)
{
	return strcmp(p->strs[i], key) == 0;
}

/* The index of s in the string table, added once (NULL: 0, ""). */
int64_t
pprof_string(struct pprof *p, const char *s)
{
	struct pprof_slot *sl;

	if (s == NULL)
		s = "";
	sl = pprof_hash_find(p, &p->strh, pprof_fnv(PPROF_FNV_INIT, s,
	    strlen(s)), pprof_str_eq, s);
	if (sl->idx == 0) {
		p->strs = pprof_grow(p->strs, p->nstrs, &p->capstrs,
		    sizeof *p->strs);
		p->strs[p->nstrs++] = xstrdup(s);
		sl->idx = p->nstrs;
		p->strh.n++;
	}
	return (int64_t)(sl->idx - 1);
}

/* A profile with only "" in its string table. */
struct pprof *
pprof_new(void)
{
	struct pprof *p = xcalloc(1, sizeof *p);

	pprof_string(p, "");
	return p;
}

/* Free everything of p. */
void
pprof_free(struct pprof *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nstrs; i++)
		free(p->strs[i]);
	free(p->strs);
	free(p->strh.slot);
	free(p->maps);
	free(p->funcs);
	free(p->funch.slot);
	free(p->locs);
	free(p->loch.slot);
	free(p->lrecs);
	free(p->types);
	free(p->comments);
	free(p->samples.b);
	free(p->tmp.b);
	free(p->tmp2.b);
	free(p);
}

/* Add a sample type. */
void
pprof_sample_type(struct pprof *p, const char *type, const char *unit)
{
	int64_t t = pprof_string(p, type), u = pprof_string(p, unit);

	p->types = pprof_grow(p->types, 2 * p->ntypes + 1, &p->captypes,
	    sizeof *p->types);
	p->types[2 * p->ntypes] = t;
	p->types[2 * p->ntypes + 1] = u;
	p->ntypes++;
}

/* How many sample types (values per sample). */
size_t
pprof_nsample_types(const struct pprof *p)
{
	return p->ntypes;
}

/* The default sample type. */
void
pprof_default_type(struct pprof *p, const char *type)
{
	p->default_type = pprof_string(p, type);
}

/* The sampling period and its type. */
void
pprof_period(struct pprof *p, const char *type, const char *unit,
    int64_t period)
{
	p->period_type = pprof_string(p, type);
	p->period_unit = pprof_string(p, unit);
	p->period = period;
}

/* When the profile starts (ns since the epoch) and how long it covers. */
void
pprof_time(struct pprof *p, int64_t time_nanos, int64_t duration_nanos)
{
	p->time_nanos = time_nanos;
	p->duration_nanos = duration_nanos;
}

/* Add a comment line. */
void
pprof_comment(struct pprof *p, const char *s)
{
	int64_t i = pprof_string(p, s);

	p->comments = pprof_grow(p->comments, p->ncomments, &p->capcomments,
	    sizeof *p->comments);
	p->comments[p->ncomments++] = i;
}

/* Add a mapping. */
uint64_t
pprof_mapping(struct pprof *p, const struct pprof_mapping_info *m)
{
	struct pprof_map *pm;

	p->maps = pprof_grow(p->maps, p->nmaps, &p->capmaps, sizeof *p->maps);
	pm = &p->maps[p->nmaps++];
	memset(pm, 0, sizeof *pm);
	pm->start = m->start;
	pm->limit = m->limit;
	pm->offset = m->offset;
	pm->file = pprof_string(p, m->file);
	pm->build_id = pprof_string(p, m->build_id);
	pm->cover = m->cover;
	return p->nmaps;
}

/* Whether function i is key. */
static bool
pprof_func_eq(const struct pprof *p, size_t i, const void *key)
{
	return memcmp(&p->funcs[i], key, sizeof p->funcs[i]) == 0;
}

/* The id of the function of a line, added once. */
static uint64_t
pprof_function(struct pprof *p, const struct pprof_line *l)
{
	struct pprof_func f;
	struct pprof_slot *sl;

	memset(&f, 0, sizeof f);
	f.name = pprof_string(p, l->function);
	f.file = pprof_string(p, l->file);
	f.start_line = l->start_line;
	sl = pprof_hash_find(p, &p->funch, pprof_fnv(PPROF_FNV_INIT, &f,
	    sizeof f), pprof_func_eq, &f);
	if (sl->idx == 0) {
		p->funcs = pprof_grow(p->funcs, p->nfuncs, &p->capfuncs,
		    sizeof *p->funcs);
		p->funcs[p->nfuncs++] = f;
		sl->idx = p->nfuncs;
		p->funch.n++;
	}
	return sl->idx;
}

/* A location's key: mapping, address, its innermost function. */
struct pprof_lockey {
	uint64_t mapping, address, func;
};

/* Whether location i is key. */
static bool
pprof_loc_eq(const struct pprof *p, size_t i, const void *key)
{
	const struct pprof_lockey *k = key;
	const struct pprof_loc *l = &p->locs[i];

	return l->mapping == k->mapping && l->address == k->address &&
	    p->lrecs[l->first].func == k->func;
}

/* The location at address in mapping with lines, added once. */
uint64_t
pprof_location(struct pprof *p, uint64_t mapping, uint64_t address,
    const struct pprof_line *lines, size_t n)
{
	struct pprof_lockey k;
	struct pprof_slot *sl;
	struct pprof_loc *l;
	struct pprof_map *m;
	size_t i;

	memset(&k, 0, sizeof k);
	k.mapping = mapping;
	k.address = address;
	k.func = pprof_function(p, &lines[0]);
	sl = pprof_hash_find(p, &p->loch, pprof_fnv(PPROF_FNV_INIT, &k,
	    sizeof k), pprof_loc_eq, &k);
	if (sl->idx != 0)
		return sl->idx;
	p->locs = pprof_grow(p->locs, p->nlocs, &p->caplocs, sizeof *p->locs);
	l = &p->locs[p->nlocs++];
	l->mapping = mapping;
	l->address = address;
	l->first = p->nlrecs;
	l->n = n;
	sl->idx = p->nlocs;
	p->loch.n++;
	m = mapping != 0 && mapping <= p->nmaps ? &p->maps[mapping - 1] : NULL;
	for (i = 0; i < n; i++) {
		p->lrecs = pprof_grow(p->lrecs, p->nlrecs, &p->caplrecs,
		    sizeof *p->lrecs);
		p->lrecs[p->nlrecs].func = i == 0 ? k.func :
		    pprof_function(p, &lines[i]);
		p->lrecs[p->nlrecs++].line = lines[i].line;
		if (m != NULL && lines[i].file != NULL)
			m->has_files = true;
		if (m != NULL && lines[i].line > 0)
			m->has_lines = true;
	}
	if (m != NULL && n > 1)
		m->has_inline = true;
	if (m != NULL && m->cover && address >= m->limit)
		m->limit = address + 1;
	return sl->idx;
}

/* Append len bytes. */
static void
pprof_put(struct pprof_buf *b, const void *p, size_t len)
{
	if (len == 0)
		return;		/* p may be NULL */
	if (b->len + len > b->cap) {
		while (b->len + len > b->cap)
			b->cap = b->cap != 0 ? b->cap * 2 : 4096;
		b->b = xrealloc(b->b, b->cap);
	}
	memcpy(b->b + b->len, p, len);
	b->len += len;
}

/* Append a varint. */
static void
pprof_varint(struct pprof_buf *b, uint64_t v)
{
	uint8_t out[10];
	size_t n = 0;

	while (v >= 0x80) {
		out[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	out[n++] = (uint8_t)v;
	pprof_put(b, out, n);
}

/* Append field f as a varint (int64 as its two's complement), unless 0. */
static void
pprof_field(struct pprof_buf *b, unsigned f, uint64_t v)
{
	if (v == 0)
		return;
	pprof_varint(b, (uint64_t)f << 3 | PPROF_VARINT);
	pprof_varint(b, v);
}

/* Append field f as len bytes (a string or a nested message). */
static void
pprof_bytes(struct pprof_buf *b, unsigned f, const void *p, size_t len)
{
	pprof_varint(b, (uint64_t)f << 3 | PPROF_LEN);
	pprof_varint(b, len);
	pprof_put(b, p, len);
}

/* Append the packed repeated field f of n numbers (none: nothing). */
static void
pprof_packed(struct pprof_buf *b, struct pprof_buf *scratch, unsigned f,
    const uint64_t *v, size_t n)
{
	size_t i;

	if (n == 0)
		return;
	scratch->len = 0;
	for (i = 0; i < n; i++)
		pprof_varint(scratch, v[i]);
	pprof_bytes(b, f, scratch->b, scratch->len);
}

/* Add a sample. */
void
pprof_sample(struct pprof *p, const uint64_t *locs, size_t nlocs,
    const int64_t *values, const char *key, const char *str)
{
	uint64_t label[2];

	p->tmp.len = 0;
	pprof_packed(&p->tmp, &p->tmp2, 1, locs, nlocs);
	pprof_packed(&p->tmp, &p->tmp2, 2, (const uint64_t *)values,
	    p->ntypes);
	if (key != NULL) {
		label[0] = (uint64_t)pprof_string(p, key);
		label[1] = (uint64_t)pprof_string(p, str);
		p->tmp2.len = 0;
		pprof_field(&p->tmp2, 1, label[0]);
		pprof_field(&p->tmp2, 2, label[1]);
		pprof_bytes(&p->tmp, 3, p->tmp2.b, p->tmp2.len);
	}
	pprof_bytes(&p->samples, PPROF_SAMPLE, p->tmp.b, p->tmp.len);
}

/* Append a ValueType message as field f. */
static void
pprof_value_type(struct pprof *p, struct pprof_buf *b, unsigned f,
    int64_t type, int64_t unit)
{
	p->tmp.len = 0;
	pprof_field(&p->tmp, 1, (uint64_t)type);
	pprof_field(&p->tmp, 2, (uint64_t)unit);
	pprof_bytes(b, f, p->tmp.b, p->tmp.len);
}

/* Encode the whole Profile message into b. */
static void
pprof_encode(struct pprof *p, struct pprof_buf *b)
{
	const struct pprof_map *m;
	const struct pprof_loc *l;
	const struct pprof_func *fn;
	size_t i, j;

	for (i = 0; i < p->ntypes; i++)
		pprof_value_type(p, b, PPROF_SAMPLE_TYPE, p->types[2 * i],
		    p->types[2 * i + 1]);
	pprof_put(b, p->samples.b, p->samples.len);
	for (i = 0; i < p->nmaps; i++) {
		m = &p->maps[i];
		p->tmp.len = 0;
		pprof_field(&p->tmp, 1, i + 1);
		pprof_field(&p->tmp, 2, m->start);
		pprof_field(&p->tmp, 3, m->limit);
		pprof_field(&p->tmp, 4, m->offset);
		pprof_field(&p->tmp, 5, (uint64_t)m->file);
		pprof_field(&p->tmp, 6, (uint64_t)m->build_id);
		pprof_field(&p->tmp, 7, 1);	/* has_functions */
		pprof_field(&p->tmp, 8, m->has_files);
		pprof_field(&p->tmp, 9, m->has_lines);
		pprof_field(&p->tmp, 10, m->has_inline);
		pprof_bytes(b, PPROF_MAPPING, p->tmp.b, p->tmp.len);
	}
	for (i = 0; i < p->nlocs; i++) {
		l = &p->locs[i];
		p->tmp.len = 0;
		pprof_field(&p->tmp, 1, i + 1);
		pprof_field(&p->tmp, 2, l->mapping);
		pprof_field(&p->tmp, 3, l->address);
		for (j = 0; j < l->n; j++) {
			p->tmp2.len = 0;
			pprof_field(&p->tmp2, 1, p->lrecs[l->first + j].func);
			pprof_field(&p->tmp2, 2,
			    (uint64_t)p->lrecs[l->first + j].line);
			pprof_bytes(&p->tmp, 4, p->tmp2.b, p->tmp2.len);
		}
		pprof_bytes(b, PPROF_LOCATION, p->tmp.b, p->tmp.len);
	}
	for (i = 0; i < p->nfuncs; i++) {
		fn = &p->funcs[i];
		p->tmp.len = 0;
		pprof_field(&p->tmp, 1, i + 1);
		pprof_field(&p->tmp, 2, (uint64_t)fn->name);
		pprof_field(&p->tmp, 3, (uint64_t)fn->name);
		pprof_field(&p->tmp, 4, (uint64_t)fn->file);
		pprof_field(&p->tmp, 5, (uint64_t)fn->start_line);
		pprof_bytes(b, PPROF_FUNCTION, p->tmp.b, p->tmp.len);
	}
	for (i = 0; i < p->nstrs; i++)
		pprof_bytes(b, PPROF_STRING_TABLE, p->strs[i],
		    strlen(p->strs[i]));
	pprof_field(b, PPROF_TIME_NANOS, (uint64_t)p->time_nanos);
	pprof_field(b, PPROF_DURATION_NANOS, (uint64_t)p->duration_nanos);
	if (p->period_type != 0 || p->period_unit != 0)
		pprof_value_type(p, b, PPROF_PERIOD_TYPE, p->period_type,
		    p->period_unit);
	pprof_field(b, PPROF_PERIOD, (uint64_t)p->period);
	for (i = 0; i < p->ncomments; i++)
		pprof_field(b, PPROF_COMMENT, (uint64_t)p->comments[i]);
	pprof_field(b, PPROF_DEFAULT_SAMPLE_TYPE, (uint64_t)p->default_type);
}

/* Compress len bytes at in into fp as one gzip member. */
static int
pprof_gzip(FILE *fp, const uint8_t *in, size_t len, char **cause)
{
	z_stream zs;
	uint8_t out[16384];
	size_t have, chunk;
	int rc, flush;

	memset(&zs, 0, sizeof zs);
	/* windowBits 15 + 16: a gzip header and trailer, not zlib's. */
	if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK) {
		*cause = xasprintf(_("cannot compress the profile: %s"),
		    zs.msg != NULL ? zs.msg : _("zlib refused to start"));
		return -1;
	}
	do {
		chunk = len > UINT_MAX / 2 ? UINT_MAX / 2 : len;
		zs.next_in = (Bytef *)(uintptr_t)in;
		zs.avail_in = (uInt)chunk;
		in += chunk;
		len -= chunk;
		flush = len == 0 ? Z_FINISH : Z_NO_FLUSH;
		do {
			zs.next_out = out;
			zs.avail_out = sizeof out;
			rc = deflate(&zs, flush);
			have = sizeof out - zs.avail_out;
			if (rc == Z_STREAM_ERROR ||
			    fwrite(out, 1, have, fp) != have) {
				deflateEnd(&zs);
				*cause = xasprintf(_("cannot write snapshot: %s"),
				    strerror(errno != 0 ? errno : EIO));
				return -1;
			}
		} while (zs.avail_out == 0);
	} while (flush != Z_FINISH);
	deflateEnd(&zs);
	return 0;
}

/* Write the profile, gzip-compressed. */
int
pprof_write(struct pprof *p, FILE *fp, char **cause)
{
	struct pprof_buf b = { 0 };
	int rc;

	pprof_encode(p, &b);
	errno = 0;
	rc = pprof_gzip(fp, b.b, b.len, cause);
	free(b.b);
	return rc;
}
