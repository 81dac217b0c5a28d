/*
 * Function bounds from .eh_frame_hdr and .eh_frame.
 *
 * Every read goes through a cursor that knows where its block ends, so
 * truncated or corrupted tables give fewer functions, never a read out of
 * bounds. Pointer encodings (DW_EH_PE_*): the value formats absptr, uleb128,
 * udata2/4/8, signed, sleb128, sdata2/4/8, applied absolute, pcrel, datarel
 * (base: .eh_frame_hdr) or aligned; textrel, funcrel and indirect pointers
 * are refused (nothing here knows their base).
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ehframe.h"
#include "xmalloc.h"

#define EHF_PE_OMIT	0xff
#define EHF_PE_FORMAT	0x0f
#define EHF_PE_APPLY	0x70
#define EHF_PE_INDIRECT	0x80

#define EHF_PE_ABSPTR	0x00
#define EHF_PE_ULEB128	0x01
#define EHF_PE_UDATA2	0x02
#define EHF_PE_UDATA4	0x03
#define EHF_PE_UDATA8	0x04
#define EHF_PE_SIGNED	0x08
#define EHF_PE_SLEB128	0x09
#define EHF_PE_SDATA2	0x0a
#define EHF_PE_SDATA4	0x0b
#define EHF_PE_SDATA8	0x0c

#define EHF_PE_PCREL	0x10
#define EHF_PE_DATAREL	0x30
#define EHF_PE_ALIGNED	0x50

#define EHF_CIE_CACHE	8

/* A read position in a block of bytes. */
struct ehf_cur {
	const unsigned char *base;
	size_t pos;
	size_t end;		/* reads stop here */
	uint64_t addr;		/* virtual address of base[0] */
	unsigned ptrsize;
	bool datarel;		/* DW_EH_PE_datarel has a base */
	uint64_t database;
};

/* The pointer encodings of the CIEs read last, by offset in .eh_frame. */
struct ehf_cies {
	size_t off[EHF_CIE_CACHE];
	int enc[EHF_CIE_CACHE];	/* -1: the CIE is unusable */
	unsigned n;
	unsigned next;
};

/* A growing list of functions. */
struct ehf_list {
	struct ehframe_fde *v;
	size_t n;
	size_t cap;
};

/* Read n (1, 2, 4 or 8) bytes as an unsigned number in host order. */
static int
ehf_fixed(struct ehf_cur *c, size_t n, uint64_t *v)
{
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	if (c->pos > c->end || c->end - c->pos < n)
		return -1;
	switch (n) {
	case 1:
		*v = c->base[c->pos];
		break;
	case 2:
		memcpy(&u16, c->base + c->pos, 2);
		*v = u16;
		break;
	case 4:
		memcpy(&u32, c->base + c->pos, 4);
		*v = u32;
		break;
	case 8:
		memcpy(&u64, c->base + c->pos, 8);
		*v = u64;
		break;
	default:
		return -1;
	}
	c->pos += n;
	return 0;
}

/* Read an unsigned LEB128 number (bits past 64 are dropped). */
static int
ehf_uleb(struct ehf_cur *c, uint64_t *v)
{
	unsigned shift = 0;
	unsigned char b;

	*v = 0;
	do {
		if (c->pos >= c->end)
			return -1;
		b = c->base[c->pos++];
		if (shift < 64)
			*v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
	} while (b & 0x80);
	return 0;
}

/* Read a signed LEB128 number, as two's complement in 64 bits. */
static int
ehf_sleb(struct ehf_cur *c, uint64_t *v)
{
	unsigned shift = 0;
	unsigned char b;

	*v = 0;
	do {
		if (c->pos >= c->end)
			return -1;
		b = c->base[c->pos++];
		if (shift < 64)
			*v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
	} while (b & 0x80);
	if (shift < 64 && (b & 0x40))
		*v |= ~(uint64_t)0 << shift;
	return 0;
}

/* Sign-extend the low n bytes of v. */
static uint64_t
ehf_sext(uint64_t v, size_t n)
{
	unsigned bits = (unsigned)n * 8;

	if (bits >= 64)
		return v;
	if (v & ((uint64_t)1 << (bits - 1)))
		v |= ~(uint64_t)0 << bits;
	return v;
}

/* Read a value in one of the formats of a pointer encoding. */
static int
ehf_format(struct ehf_cur *c, unsigned format, uint64_t *v)
{
	switch (format) {
	case EHF_PE_ABSPTR:
		return ehf_fixed(c, c->ptrsize, v);
	case EHF_PE_ULEB128:
		return ehf_uleb(c, v);
	case EHF_PE_UDATA2:
		return ehf_fixed(c, 2, v);
	case EHF_PE_UDATA4:
		return ehf_fixed(c, 4, v);
	case EHF_PE_UDATA8:
		return ehf_fixed(c, 8, v);
	case EHF_PE_SLEB128:
		return ehf_sleb(c, v);
	case EHF_PE_SIGNED:
		if (ehf_fixed(c, c->ptrsize, v) != 0)
			return -1;
		*v = ehf_sext(*v, c->ptrsize);
		return 0;
	case EHF_PE_SDATA2:
	case EHF_PE_SDATA4:
	case EHF_PE_SDATA8:
		if (ehf_fixed(c, (size_t)1 << (format - EHF_PE_SDATA2 + 1), v) != 0)
			return -1;
		*v = ehf_sext(*v, (size_t)1 << (format - EHF_PE_SDATA2 + 1));
		return 0;
	default:
		return -1;
	}
}

/* Move to the next multiple of the pointer size (as an address). */
static int
ehf_align(struct ehf_cur *c)
{
	uint64_t a = c->addr + c->pos, pad;

	pad = (c->ptrsize - (a & (c->ptrsize - 1))) & (c->ptrsize - 1);
	if (c->end - c->pos < pad)
		return -1;
	c->pos += (size_t)pad;
	return 0;
}

/* Read a pointer in encoding enc and apply it (pcrel, datarel, aligned). */
static int
ehf_pointer(struct ehf_cur *c, unsigned enc, uint64_t *v)
{
	uint64_t at;

	if (enc == EHF_PE_OMIT || (enc & EHF_PE_INDIRECT))
		return -1;
	if ((enc & EHF_PE_APPLY) == EHF_PE_ALIGNED) {
		if (ehf_align(c) != 0)
			return -1;
		enc = EHF_PE_ABSPTR;
	}
	at = c->addr + c->pos;
	if (ehf_format(c, enc & EHF_PE_FORMAT, v) != 0)
		return -1;
	switch (enc & EHF_PE_APPLY) {
	case 0:
		break;
	case EHF_PE_PCREL:
		*v += at;
		break;
	case EHF_PE_DATAREL:
		if (!c->datarel)
			return -1;
		*v += c->database;
		break;
	default:
		return -1;
	}
	if (c->ptrsize == 4)
		*v &= 0xffffffffU;
	return 0;
}

/* Skip a pointer in encoding enc (any application, indirect too). */
static int
ehf_skip_pointer(struct ehf_cur *c, unsigned enc)
{
	uint64_t v;

	if (enc == EHF_PE_OMIT)
		return 0;
	if ((enc & EHF_PE_APPLY) == EHF_PE_ALIGNED) {
		if (ehf_align(c) != 0)
			return -1;
		enc = EHF_PE_ABSPTR;
	}
	return ehf_format(c, enc & EHF_PE_FORMAT, &v);
}

/*
 * Read the length of a CIE or FDE at c's position: sets c->end to the end
 * of its body and *idsize to the size of its CIE id/pointer. Returns 1 for
 * an entry, 0 for a zero terminator (4 bytes), -1 if unreadable.
 */
static int
ehf_length(struct ehf_cur *c, size_t limit, size_t *idsize)
{
	uint64_t len;

	c->end = limit;
	if (ehf_fixed(c, 4, &len) != 0)
		return -1;
	if (len == 0)
		return 0;
	*idsize = 4;
	if (len == 0xffffffffU) {
		if (ehf_fixed(c, 8, &len) != 0)
			return -1;
		*idsize = 8;
	} else if (len >= 0xfffffff0U)
		return -1;
	if (len > limit - c->pos)
		return -1;
	c->end = c->pos + (size_t)len;
	return 1;
}

/* The encoding of the FDE pointers that the CIE at offset off declares. */
static int
ehf_cie_parse(const struct ehframe_src *s, size_t off)
{
	struct ehf_cur c = { s->eh, off, s->ehsize, s->ehaddr, s->ptrsize, false, 0 };
	const char *aug, *p, *nul;
	uint64_t v, augend;
	size_t idsize;
	unsigned version;
	int enc = EHF_PE_ABSPTR;

	if (off >= s->ehsize || ehf_length(&c, s->ehsize, &idsize) != 1)
		return -1;
	if (ehf_fixed(&c, idsize, &v) != 0 || v != 0)
		return -1;
	if (ehf_fixed(&c, 1, &v) != 0)
		return -1;
	version = (unsigned)v;
	if (version != 1 && version != 3 && version != 4)
		return -1;
	aug = (const char *)s->eh + c.pos;
	nul = memchr(aug, '\0', c.end - c.pos);
	if (nul == NULL)
		return -1;
	c.pos += (size_t)(nul - aug) + 1;
	if (aug[0] == 'e' && aug[1] == 'h') {
		if (c.end - c.pos < s->ptrsize)
			return -1;
		c.pos += s->ptrsize;
	}
	if (version == 4 && (ehf_fixed(&c, 1, &v) != 0 || ehf_fixed(&c, 1, &v) != 0))
		return -1;
	if (ehf_uleb(&c, &v) != 0 || ehf_sleb(&c, &v) != 0)
		return -1;
	if (version == 1 ? ehf_fixed(&c, 1, &v) != 0 : ehf_uleb(&c, &v) != 0)
		return -1;

	if (aug[0] != 'z')
		return (aug[0] == '\0' || strcmp(aug, "eh") == 0) ? enc : -1;
	if (ehf_uleb(&c, &augend) != 0 || augend > c.end - c.pos)
		return -1;
	c.end = c.pos + (size_t)augend;
	for (p = aug + 1; *p != '\0'; p++) {
		switch (*p) {
		case 'L':
			if (ehf_fixed(&c, 1, &v) != 0)
				return -1;
			break;
		case 'P':
			if (ehf_fixed(&c, 1, &v) != 0 || ehf_skip_pointer(&c, (unsigned)v) != 0)
				return -1;
			break;
		case 'R':
			if (ehf_fixed(&c, 1, &v) != 0)
				return -1;
			return (int)v;
		case 'S':
		case 'B':
		case 'G':
			break;
		default:
			return -1;
		}
	}
	return enc;
}

/* The FDE pointer encoding of the CIE at off, through a small cache. */
static int
ehf_cie(const struct ehframe_src *s, struct ehf_cies *cc, size_t off)
{
	unsigned i;

	for (i = 0; i < cc->n; i++) {
		if (cc->off[i] == off)
			return cc->enc[i];
	}
	i = cc->n < EHF_CIE_CACHE ? cc->n++ : cc->next++ % EHF_CIE_CACHE;
	cc->off[i] = off;
	cc->enc[i] = ehf_cie_parse(s, off);
	return cc->enc[i];
}

/*
 * Read the CIE or FDE at offset off of .eh_frame; *next is where the one
 * after it starts. Returns 1 with *fde filled for a usable FDE, 0 for
 * anything else that can be stepped over, -1 when the rest is unreadable.
 */
static int
ehf_fde(const struct ehframe_src *s, struct ehf_cies *cc, size_t off,
    struct ehframe_fde *fde, size_t *next)
{
	struct ehf_cur c = { s->eh, off, s->ehsize, s->ehaddr, s->ptrsize, false, 0 };
	uint64_t id, begin, range, mask;
	size_t idsize = 4, idpos;
	int r, enc;

	if (off >= s->ehsize)
		return -1;
	if ((r = ehf_length(&c, s->ehsize, &idsize)) <= 0) {
		*next = c.pos;
		return r;
	}
	*next = c.end;
	idpos = c.pos;
	if (ehf_fixed(&c, idsize, &id) != 0 || id == 0 || id > idpos)
		return 0;
	if ((enc = ehf_cie(s, cc, idpos - (size_t)id)) < 0)
		return 0;
	if (ehf_pointer(&c, (unsigned)enc, &begin) != 0 ||
	    ehf_format(&c, (unsigned)enc & EHF_PE_FORMAT, &range) != 0)
		return 0;
	mask = s->ptrsize == 4 ? 0xffffffffU : ~(uint64_t)0;
	range &= mask;
	if (range == 0 || begin == 0 || range > mask - begin)
		return 0;
	fde->start = begin;
	fde->end = begin + range;
	return 1;
}

/* Append one function to a list. */
static void
ehf_add(struct ehf_list *l, const struct ehframe_fde *fde)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	l->v[l->n++] = *fde;
}

/* The encodings and the eh_frame pointer at the start of an .eh_frame_hdr. */
static int
ehf_hdr_start(const struct ehframe_src *s, struct ehf_cur *c, unsigned *cntenc,
    unsigned *tblenc, uint64_t *ehaddr)
{
	uint64_t version, epenc, v;

	memset(c, 0, sizeof *c);
	c->base = s->hdr;
	c->end = s->hdrsize;
	c->addr = s->hdraddr;
	c->ptrsize = s->ptrsize;
	c->datarel = true;
	c->database = s->hdraddr;
	if (s->hdr == NULL || (s->ptrsize != 4 && s->ptrsize != 8))
		return -1;
	if (ehf_fixed(c, 1, &version) != 0 || version != 1 ||
	    ehf_fixed(c, 1, &epenc) != 0 || ehf_fixed(c, 1, &v) != 0)
		return -1;
	*cntenc = (unsigned)v;
	if (ehf_fixed(c, 1, &v) != 0)
		return -1;
	*tblenc = (unsigned)v;
	return ehf_pointer(c, (unsigned)epenc, ehaddr);
}

/* The address of .eh_frame that an .eh_frame_hdr gives. */
int
ehframe_hdr_eh_addr(const struct ehframe_src *src, uint64_t *addr)
{
	struct ehf_cur c;
	unsigned cntenc, tblenc;

	return ehf_hdr_start(src, &c, &cntenc, &tblenc, addr);
}

/* The entries of the .eh_frame_hdr table (ends 0), in table order. */
static void
ehf_from_hdr(const struct ehframe_src *s, struct ehf_list *l)
{
	struct ehframe_fde fde;
	struct ehf_cur c;
	unsigned cntenc, tblenc;
	uint64_t ehaddr, count, i;
	int32_t pair[2];
	size_t minsize;

	if (ehf_hdr_start(s, &c, &cntenc, &tblenc, &ehaddr) != 0)
		return;
	if (cntenc == EHF_PE_OMIT || tblenc == EHF_PE_OMIT ||
	    ehf_pointer(&c, cntenc, &count) != 0)
		return;
	switch (tblenc & EHF_PE_FORMAT) {
	case EHF_PE_UDATA2:
	case EHF_PE_SDATA2:
		minsize = 4;
		break;
	case EHF_PE_UDATA4:
	case EHF_PE_SDATA4:
		minsize = 8;
		break;
	case EHF_PE_UDATA8:
	case EHF_PE_SDATA8:
		minsize = 16;
		break;
	case EHF_PE_ABSPTR:
	case EHF_PE_SIGNED:
		minsize = 2 * (size_t)s->ptrsize;
		break;
	default:
		minsize = 2;
		break;
	}
	if (count > (c.end - c.pos) / minsize)
		count = (c.end - c.pos) / minsize;
	if (count != 0) {
		l->cap = (size_t)count;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	fde.end = 0;
	if (tblenc == (EHF_PE_DATAREL | EHF_PE_SDATA4)) {
		/* What linkers write: a fast path. */
		for (i = 0; i < count; i++, c.pos += 8) {
			memcpy(pair, c.base + c.pos, 8);
			fde.start = s->hdraddr + (uint64_t)(int64_t)pair[0];
			fde.fde = s->hdraddr + (uint64_t)(int64_t)pair[1];
			if (s->ptrsize == 4) {
				fde.start &= 0xffffffffU;
				fde.fde &= 0xffffffffU;
			}
			if (fde.start != 0)
				l->v[l->n++] = fde;
		}
		return;
	}
	for (i = 0; i < count; i++) {
		if (ehf_pointer(&c, tblenc, &fde.start) != 0 ||
		    ehf_pointer(&c, tblenc, &fde.fde) != 0)
			break;
		if (fde.start != 0)
			ehf_add(l, &fde);
	}
}

/* Read the FDE of each entry for its end (0 if it does not match). */
void
ehframe_resolve(const struct ehframe_src *src, struct ehframe_fde *v, size_t n)
{
	struct ehf_cies cc = { .n = 0 };
	struct ehframe_fde fde;
	size_t i, next;

	for (i = 0; i < n; i++) {
		v[i].end = 0;
		if (src->eh == NULL || (src->ptrsize != 4 && src->ptrsize != 8) ||
		    v[i].fde < src->ehaddr || v[i].fde - src->ehaddr >= src->ehsize)
			continue;
		if (ehf_fde(src, &cc, (size_t)(v[i].fde - src->ehaddr), &fde, &next) == 1 &&
		    fde.start == v[i].start)
			v[i].end = fde.end;
	}
}

/* Every FDE of .eh_frame, in turn. */
static void
ehf_from_eh(const struct ehframe_src *s, struct ehf_list *l)
{
	struct ehf_cies cc = { .n = 0 };
	struct ehframe_fde fde;
	size_t off = 0, next;
	int r;

	if (s->eh == NULL || (s->ptrsize != 4 && s->ptrsize != 8))
		return;
	while (off < s->ehsize) {
		r = ehf_fde(s, &cc, off, &fde, &next);
		if (r < 0 || next <= off)
			break;
		if (r == 1) {
			fde.fde = s->ehaddr + off;
			ehf_add(l, &fde);
		}
		off = next;
	}
}

/* By start, then the longest first. */
static int
ehf_cmp(const void *a0, const void *b0)
{
	const struct ehframe_fde *a = a0, *b = b0;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->end != b->end)
		return a->end > b->end ? -1 : 1;
	return 0;
}

/* Sort and keep one per start (the longest). */
static void
ehf_sort(struct ehf_list *l)
{
	size_t i, n = 0;

	for (i = 1; i < l->n; i++) {
		if (ehf_cmp(&l->v[i - 1], &l->v[i]) > 0)
			break;
	}
	if (i < l->n)
		qsort(l->v, l->n, sizeof *l->v, ehf_cmp);
	for (i = 0; i < l->n; i++) {
		if (n != 0 && l->v[n - 1].start == l->v[i].start)
			continue;
		l->v[n++] = l->v[i];
	}
	l->n = n;
}

/* Hand a list out: NULL when empty. */
static size_t
ehf_out(struct ehf_list *l, struct ehframe_fde **out)
{
	if (l->n == 0) {
		free(l->v);
		l->v = NULL;
	}
	*out = l->v;
	return l->n;
}

/* The .eh_frame_hdr table alone. */
size_t
ehframe_hdr_table(const struct ehframe_src *src, struct ehframe_fde **out)
{
	struct ehf_list l = { NULL, 0, 0 };

	ehf_from_hdr(src, &l);
	ehf_sort(&l);
	return ehf_out(&l, out);
}

/* The functions the FDEs cover. */
size_t
ehframe_read(const struct ehframe_src *src, struct ehframe_fde **out)
{
	struct ehf_list l = { NULL, 0, 0 };
	size_t i, n = 0;

	ehf_from_hdr(src, &l);
	ehframe_resolve(src, l.v, l.n);
	for (i = 0; i < l.n; i++) {
		if (l.v[i].end != 0)
			l.v[n++] = l.v[i];
	}
	l.n = n;
	if (l.n == 0)
		ehf_from_eh(src, &l);
	ehf_sort(&l);
	for (i = 0; i + 1 < l.n; i++) {
		if (l.v[i].end > l.v[i + 1].start)
			l.v[i].end = l.v[i + 1].start;
	}
	return ehf_out(&l, out);
}
