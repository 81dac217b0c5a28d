/*
 * The rolling aggregator. It counts and never looks a name up nor opens
 * a file: every sample comes resolved (frame.h, resolve.c). Every
 * (event, binary, offset, function) is one address entry, found through
 * an open-addressing hash table keyed by (event, binary, offset) and told
 * apart by the function it links to (one offset may have an entry per
 * function where JIT code was re-emitted); the first sample at an
 * address links the entry to the (event, binary, function) entry that the
 * view reads. Address entries live in one growable array and are named by
 * index; function entries live in fixed-size chunks so that pointers to
 * them stay valid until agg_zero or a fold of cold rows past the row
 * budget (agg_evict_funcs: the survivors move down, with new indices).
 * Past the cap of listed addresses (AGG_ADDR_CAP), a new address counts
 * in its function's [other addresses] entry (fe->other): an address
 * entry like any other (listed, windowed, evicted when cold) but outside
 * the hash, so that neither the array nor the hash grows with what the
 * window holds.
 *
 * The window: entries touched since the last tick are listed (a stamp per
 * entry keeps the list free of duplicates) with their counts since then;
 * agg_tick turns that list into a bucket and subtracts the bucket that
 * falls out of the window. Window counts always include the current,
 * unclosed tick, so after agg_tick they cover the last window_ticks closed
 * ticks plus whatever arrived since.
 *
 * Blocked samples (agg_add_blocked) count at their address like any other
 * and, besides, in a wait entry per (function, system call): these live in
 * one growable array too, listed per function from its entry, and are
 * windowed the same way with a touched list and bucket entries of their
 * own, so that running samples' ingest does not change at all.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "binary.h"
#include "evict.h"
#include "frame.h"
#include "stacks.h"
#include "xmalloc.h"

#define AGG_CHUNK_SHIFT 9
#define AGG_CHUNK (1u << AGG_CHUNK_SHIFT)	/* function entries per chunk */
#define AGG_MIN_SLOTS 1024u
#define AGG_NONE UINT32_MAX
#define AGG_ADDR_KEEP(b)	((b) / 4 * 3)	/* what an eviction leaves */
#define AGG_ADDR_CAP(b)		((b) + (b) / 4)	/* listed addresses at most */
#define AGG_FUNC_COLD	60		/* ticks past the window a row must
					 * have had no sample to be folded */
#define AGG_FUNC_SHARE	1000		/* ... and at most 1/this of its event */
#define AGG_FUNC_EVERY	16		/* ticks between tries when none can go */

/* One (event, binary, function): the public part first. */
struct agg_fent {
	struct agg_func pub;
	uint32_t index;			/* its index: its key in the stack table */
	uint32_t first_addr;		/* head of its address list */
	uint32_t first_wait;		/* head of its wait list */
	uint32_t other;			/* its [other addresses] entry, or
					 * AGG_NONE */
	uint64_t tot_samples;		/* its total, as agg_refresh_totals */
	uint64_t tot_weight;		/* last computed it */
	uint32_t stamp;			/* tick in which it was last counted */
};

/* One (event, binary, function, system call) of blocked samples. */
struct agg_went {
	struct agg_wait pub;
	uint64_t cur_samples, cur_weight;	/* since the last tick */
	uint32_t next;			/* next wait of the same function */
	uint32_t stamp;			/* tick in which it was last touched */
};

/* One (event, binary, offset). */
struct agg_addr {
	uint64_t offset;
	uint64_t samples, weight;
	uint64_t win_samples, win_weight;
	uint64_t cur_samples, cur_weight;	/* since the last tick */
	struct agg_fent *fe;
	uint32_t next;			/* next address of the same function */
	uint32_t stamp;			/* tick in which it was last touched */
};

/* A hash slot of the address table; idx 0 is an empty slot. The
 * function is kept here too, so that a probe reads nothing else. */
struct agg_slot {
	uint64_t offset;
	const struct symtab_func *func;
	uint32_t bin;			/* binary_id */
	uint32_t event;
	uint32_t idx;			/* address entry + 1 */
};

/* A hash slot of the function table; idx 0 is an empty slot. */
struct agg_fslot {
	const struct symtab_func *func;
	uint32_t bin;
	uint32_t event;
	uint32_t idx;			/* function entry + 1 */
};

/* What one address gained in one closed tick. */
struct agg_bent {
	uint32_t idx;
	uint64_t samples;
	uint64_t weight;
};

/* One closed tick: addresses in e, wait entries in w. */
struct agg_bucket {
	struct agg_bent *e;
	size_t n, cap;
	struct agg_bent *w;
	size_t nw, wcap;
};

struct agg {
	unsigned nevents;
	unsigned window;		/* ticks, 1 .. AGG_MAX_WINDOW */
	struct agg_totals *totals;

	struct agg_slot *slots;
	size_t nslots;			/* a power of two */
	struct agg_addr *addrs;
	size_t naddrs, caddrs;
	size_t addr_budget;		/* addresses kept past a tick at most */
	size_t addr_cap;		/* listed addresses at any time, at most */
	size_t nother;			/* [other addresses] entries */
	uint64_t addr_evicted;		/* cold addresses forgotten */
	uint64_t addr_other;		/* samples counted in [other addresses] */

	struct agg_fslot *fslots;
	size_t nfslots;
	struct agg_fent **chunks;
	size_t nfuncs, nchunks;
	size_t func_budget;		/* rows kept past a tick at most */
	uint64_t funcs_evicted;		/* cold rows folded into [evicted] */
	struct binary *evicted_bin;	/* the [evicted] rows' binary and */
	const struct symtab_func *evicted_func;	/* function; NULL: none */
	uint64_t gen;			/* agg_generation */
	uint32_t func_try;		/* tick of the next try at the budget */

	struct agg_went *waits;
	size_t nwaits, cwaits;

	uint32_t tick;			/* never 0 */
	uint32_t *touched;
	size_t ntouched, ctouched;
	uint32_t *wtouched;		/* wait entries touched since the last tick */
	size_t nwtouched, cwtouched;

	struct agg_bucket *bk;		/* ring of window entries */
	unsigned bk_head, bk_n;

	struct stacks *stacks;		/* NULL: no call stacks kept */
	size_t stacks_budget;
	bool totals_ok;			/* the functions' totals are up to date */
	bool totals_window;		/* and were computed for the window */
	uint32_t *keys;			/* one stack's keys, root first */
};

static const struct agg_totals agg_no_totals;

/* Mix a 64-bit key into a well-spread hash (the murmur3 finalizer). */
static inline uint64_t
agg_mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/* Hash an (event, binary, offset) key. */
static inline uint64_t
agg_hash(unsigned event, uint32_t bin, uint64_t offset)
{
	uint64_t k = ((uint64_t)event << 32) | bin;

	return agg_mix(offset + k * 0x9e3779b97f4a7c15ULL);
}

/* Hash an (event, binary, function) key. */
static inline uint64_t
agg_fhash(unsigned event, uint32_t bin, const struct symtab_func *func)
{
	uint64_t k = ((uint64_t)event << 32) | bin;

	return agg_mix((uint64_t)(uintptr_t)func + k * 0x9e3779b97f4a7c15ULL);
}

/* Clamp a window length to what is kept. */
static unsigned
agg_clamp_window(unsigned w)
{
	if (w < 1)
		return 1;
	if (w > AGG_MAX_WINDOW)
		return AGG_MAX_WINDOW;
	return w;
}

/* Set up empty tables. */
static void
agg_init(struct agg *a)
{
	a->nslots = AGG_MIN_SLOTS;
	a->slots = xcalloc(a->nslots, sizeof *a->slots);
	a->nfslots = AGG_MIN_SLOTS;
	a->fslots = xcalloc(a->nfslots, sizeof *a->fslots);
	a->bk = xcalloc(a->window, sizeof *a->bk);
	a->bk_head = a->bk_n = 0;
	a->tick = 1;
	a->totals = xcalloc(a->nevents ? a->nevents : 1, sizeof *a->totals);
}

/* Free every table and count. */
static void
agg_clear(struct agg *a)
{
	size_t i;

	free(a->slots);
	free(a->addrs);
	free(a->fslots);
	for (i = 0; i < a->nchunks; i++)
		free(a->chunks[i]);
	free(a->chunks);
	free(a->waits);
	free(a->touched);
	free(a->wtouched);
	for (i = 0; i < a->window; i++) {
		free(a->bk[i].e);
		free(a->bk[i].w);
	}
	free(a->bk);
	free(a->totals);

	a->slots = NULL;
	a->nslots = 0;
	a->addrs = NULL;
	a->naddrs = a->caddrs = 0;
	a->fslots = NULL;
	a->nfslots = 0;
	a->chunks = NULL;
	a->nfuncs = a->nchunks = 0;
	a->waits = NULL;
	a->nwaits = a->cwaits = 0;
	a->touched = NULL;
	a->ntouched = a->ctouched = 0;
	a->wtouched = NULL;
	a->nwtouched = a->cwtouched = 0;
	a->bk = NULL;
	a->totals = NULL;
	a->nother = 0;
	a->addr_evicted = 0;
	a->addr_other = 0;
	a->funcs_evicted = 0;
	a->func_try = 0;
	a->gen++;
	if (a->stacks != NULL)
		stacks_zero(a->stacks);
	a->totals_ok = false;
}

/* Create an aggregator. */
struct agg *
agg_new(unsigned nevents, unsigned window_ticks)
{
	struct agg *a = xcalloc(1, sizeof *a);

	a->nevents = nevents;
	a->window = agg_clamp_window(window_ticks);
	agg_set_addr_budget(a, 0);
	a->func_budget = AGG_FUNC_BUDGET;
	agg_init(a);
	return a;
}

/* Free an aggregator. */
void
agg_free(struct agg *a)
{
	if (a == NULL)
		return;
	agg_clear(a);
	stacks_free(a->stacks);
	free(a->keys);
	free(a);
}

/* Double the address hash table. */
static void
agg_grow_slots(struct agg *a)
{
	size_t nslots = a->nslots * 2, mask = nslots - 1, i, j;
	struct agg_slot *slots = xcalloc(nslots, sizeof *slots);
	struct agg_slot *s;

	for (i = 0; i < a->nslots; i++) {
		s = &a->slots[i];
		if (s->idx == 0)
			continue;
		j = agg_hash(s->event, s->bin, s->offset) & mask;
		while (slots[j].idx != 0)
			j = (j + 1) & mask;
		slots[j] = *s;
	}
	free(a->slots);
	a->slots = slots;
	a->nslots = nslots;
}

/* Double the function hash table. */
static void
agg_grow_fslots(struct agg *a)
{
	size_t nslots = a->nfslots * 2, mask = nslots - 1, i, j;
	struct agg_fslot *slots = xcalloc(nslots, sizeof *slots);
	struct agg_fslot *s;

	for (i = 0; i < a->nfslots; i++) {
		s = &a->fslots[i];
		if (s->idx == 0)
			continue;
		j = agg_fhash(s->event, s->bin, s->func) & mask;
		while (slots[j].idx != 0)
			j = (j + 1) & mask;
		slots[j] = *s;
	}
	free(a->fslots);
	a->fslots = slots;
	a->nfslots = nslots;
}

/* The function entry at index i. */
static inline struct agg_fent *
agg_fent_at(const struct agg *a, size_t i)
{
	return &a->chunks[i >> AGG_CHUNK_SHIFT][i & (AGG_CHUNK - 1)];
}

/* Find or create the entry of (event, bin, func). */
static struct agg_fent *
agg_fent_get(struct agg *a, unsigned event, struct binary *bin,
    uint32_t id, const struct symtab_func *func)
{
	size_t mask = a->nfslots - 1, j;
	struct agg_fslot *s;
	struct agg_fent *fe;

	j = agg_fhash(event, id, func) & mask;
	for (;; j = (j + 1) & mask) {
		s = &a->fslots[j];
		if (s->idx == 0)
			break;
		if (s->func == func && s->bin == id && s->event == event)
			return agg_fent_at(a, s->idx - 1);
	}

	if ((a->nfuncs & (AGG_CHUNK - 1)) == 0) {
		a->chunks = xreallocarray(a->chunks, a->nchunks + 1,
		    sizeof *a->chunks);
		a->chunks[a->nchunks++] = xcalloc(AGG_CHUNK,
		    sizeof **a->chunks);
	}
	fe = agg_fent_at(a, a->nfuncs);
	memset(fe, 0, sizeof *fe);
	fe->pub.event = event;
	fe->pub.bin = bin;
	fe->pub.func = func;
	fe->index = (uint32_t)a->nfuncs;
	fe->stamp = a->tick;
	fe->first_addr = AGG_NONE;
	fe->first_wait = AGG_NONE;
	fe->other = AGG_NONE;

	s->func = func;
	s->bin = id;
	s->event = event;
	s->idx = (uint32_t)++a->nfuncs;
	if (a->nfuncs * 10 > a->nfslots * 7)
		agg_grow_fslots(a);
	return fe;
}

/* Append an address entry at offset to fe's list; its index. The array
 * grows up to the cap at most while below it; past it (only [other
 * addresses] entries come then) by a sixteenth. */
static uint32_t
agg_addr_push(struct agg *a, struct agg_fent *fe, uint64_t offset)
{
	struct agg_addr *ad;
	uint32_t idx;
	size_t n;

	if (a->naddrs == a->caddrs) {
		if (a->naddrs < a->addr_cap) {
			n = a->caddrs ? a->caddrs * 2 : 1024;
			if (n > a->addr_cap)
				n = a->addr_cap;
		} else
			n = a->caddrs + a->caddrs / 16 + 1;
		a->caddrs = n;
		a->addrs = xreallocarray(a->addrs, a->caddrs, sizeof *a->addrs);
	}
	idx = (uint32_t)a->naddrs++;
	ad = &a->addrs[idx];
	memset(ad, 0, sizeof *ad);
	ad->offset = offset;
	ad->fe = fe;
	ad->next = fe->first_addr;
	fe->first_addr = idx;
	return idx;
}

/*
 * The entry of a new address of func, made in slot s; its index. Past the
 * cap of listed addresses, the function's [other addresses] entry instead
 * (made where it has none, outside the hash: one per row at most), so
 * that neither the array of listed addresses nor the hash grows.
 */
static uint32_t
agg_addr_new(struct agg *a, struct agg_slot *s, unsigned event,
    struct binary *bin, uint32_t id, uint64_t offset,
    const struct symtab_func *func)
{
	struct agg_fent *fe;
	uint32_t idx;

	fe = agg_fent_get(a, event, bin, id, func);

	if (a->naddrs - a->nother >= a->addr_cap) {
		a->addr_other++;
		if (fe->other == AGG_NONE) {
			fe->other = agg_addr_push(a, fe, AGG_OTHER_OFFSET);
			a->nother++;
		}
		return fe->other;
	}
	idx = agg_addr_push(a, fe, offset);
	s->offset = offset;
	s->func = func;
	s->bin = id;
	s->event = event;
	s->idx = idx + 1;
	if ((a->naddrs - a->nother) * 10 > a->nslots * 7)
		agg_grow_slots(a);
	return idx;
}

/* Count one sample at frame f: an entry of the same offset but another
 * function is not this one. Returns the function's entry, or NULL where
 * nothing was counted. */
static inline __attribute__((always_inline)) struct agg_fent *
agg_count(struct agg *a, unsigned event, const struct rs_frame *fr,
    uint64_t weight)
{
	struct binary *bin = fr->bin;
	const struct symtab_func *func = fr->func;
	uint64_t offset = fr->offset;
	size_t mask, j;
	struct agg_slot *s;
	struct agg_addr *ad;
	struct agg_func *f;
	struct agg_totals *t;
	uint32_t id, idx;

	if (event >= a->nevents || bin == NULL)
		return NULL;
	id = binary_id(bin);
	mask = a->nslots - 1;
	j = agg_hash(event, id, offset) & mask;
	for (;; j = (j + 1) & mask) {
		s = &a->slots[j];
		if (s->idx == 0) {
			idx = agg_addr_new(a, s, event, bin, id, offset, func);
			break;
		}
		if (s->offset == offset && s->func == func && s->bin == id &&
		    s->event == event) {
			idx = s->idx - 1;
			break;
		}
	}

	ad = &a->addrs[idx];
	if (ad->stamp != a->tick) {
		ad->stamp = a->tick;
		if (a->ntouched == a->ctouched) {
			a->ctouched = a->ctouched ? a->ctouched * 2 : 256;
			a->touched = xreallocarray(a->touched, a->ctouched,
			    sizeof *a->touched);
		}
		a->touched[a->ntouched++] = idx;
	}
	ad->samples++;
	ad->weight += weight;
	ad->win_samples++;
	ad->win_weight += weight;
	ad->cur_samples++;
	ad->cur_weight += weight;

	ad->fe->stamp = a->tick;
	f = &ad->fe->pub;
	f->samples++;
	f->weight += weight;
	f->win_samples++;
	f->win_weight += weight;

	a->totals_ok = false;
	t = &a->totals[event];
	t->samples++;
	t->weight += weight;
	t->win_samples++;
	t->win_weight += weight;
	return ad->fe;
}

/* The wait entry of fe under system call sys, made where it has none;
 * its index. */
static uint32_t
agg_wait_get(struct agg *a, struct agg_fent *fe, uint32_t sys)
{
	struct agg_went *w = NULL;
	uint32_t idx;

	for (idx = fe->first_wait; idx != AGG_NONE; idx = w->next) {
		w = &a->waits[idx];
		if (w->pub.sys == sys)
			return idx;
	}
	if (a->nwaits == a->cwaits) {
		a->cwaits = a->cwaits ? a->cwaits * 2 : 64;
		a->waits = xreallocarray(a->waits, a->cwaits, sizeof *a->waits);
	}
	idx = (uint32_t)a->nwaits++;
	w = &a->waits[idx];
	memset(w, 0, sizeof *w);
	w->pub.sys = sys;
	w->next = fe->first_wait;
	fe->first_wait = idx;
	fe->pub.nwaits++;
	return idx;
}

/* Count one blocked sample of fe under system call sys. */
static void
agg_count_wait(struct agg *a, struct agg_fent *fe, uint32_t sys,
    uint64_t weight)
{
	uint32_t idx = agg_wait_get(a, fe, sys);
	struct agg_went *w = &a->waits[idx];

	if (w->stamp != a->tick) {
		w->stamp = a->tick;
		if (a->nwtouched == a->cwtouched) {
			a->cwtouched = a->cwtouched ? a->cwtouched * 2 : 64;
			a->wtouched = xreallocarray(a->wtouched, a->cwtouched,
			    sizeof *a->wtouched);
		}
		a->wtouched[a->nwtouched++] = idx;
	}
	w->pub.samples++;
	w->pub.weight += weight;
	w->pub.win_samples++;
	w->pub.win_weight += weight;
	w->cur_samples++;
	w->cur_weight += weight;
}

/* Count one sample. */
void
agg_add(struct agg *a, unsigned event, const struct rs_frame *f,
    uint64_t weight)
{
	agg_count(a, event, f, weight);
}

/* Count one blocked sample. */
void
agg_add_blocked(struct agg *a, unsigned event, const struct rs_frame *f,
    uint32_t sys, uint64_t weight)
{
	struct agg_fent *fe;

	fe = agg_count(a, event, f, weight);
	if (fe != NULL)
		agg_count_wait(a, fe, sys, weight);
}

/* Take a closed tick's counts out of the window counts. */
static void
agg_bucket_subtract(struct agg *a, struct agg_bucket *b)
{
	struct agg_bent *e;
	struct agg_addr *ad;
	struct agg_func *f;
	struct agg_totals *t;
	struct agg_wait *w;
	size_t i;

	for (i = 0; i < b->n; i++) {
		e = &b->e[i];
		ad = &a->addrs[e->idx];
		ad->win_samples -= e->samples;
		ad->win_weight -= e->weight;
		f = &ad->fe->pub;
		f->win_samples -= e->samples;
		f->win_weight -= e->weight;
		t = &a->totals[f->event];
		t->win_samples -= e->samples;
		t->win_weight -= e->weight;
	}
	b->n = 0;
	for (i = 0; i < b->nw; i++) {
		e = &b->w[i];
		w = &a->waits[e->idx].pub;
		w->win_samples -= e->samples;
		w->win_weight -= e->weight;
	}
	b->nw = 0;
}

/* Subtract the oldest kept tick and forget it (its memory stays). */
static void
agg_expire_oldest(struct agg *a)
{
	agg_bucket_subtract(a, &a->bk[a->bk_head]);
	a->bk_head = (a->bk_head + 1) % a->window;
	a->bk_n--;
}

/* How many ticks ago address ad was last counted. */
static inline uint32_t
agg_addr_age(const struct agg *a, const struct agg_addr *ad)
{
	return a->tick - ad->stamp;
}

/* The age from which addresses go so that at most keep are left: only
 * addresses no closed tick of the window holds (older than the window)
 * may go, the oldest first. 0: none may go. */
static uint32_t
agg_evict_age(const struct agg *a, size_t keep)
{
	size_t need = a->naddrs - keep, n = 0, i;
	uint32_t *ages, age, thr;

	ages = xreallocarray(NULL, a->naddrs, sizeof *ages);
	for (i = 0; i < a->naddrs; i++) {
		age = agg_addr_age(a, &a->addrs[i]);
		if (age > a->window + 1)
			ages[n++] = age;
	}
	thr = evict_age(ages, n, need, a->window + 2);
	free(ages);
	return thr;
}

/* Put address idx back into the hash table (its slot is known empty). */
static void
agg_slot_put(struct agg *a, uint32_t idx)
{
	const struct agg_addr *ad = &a->addrs[idx];
	const struct agg_func *f = &ad->fe->pub;
	uint32_t id = binary_id(f->bin);
	size_t mask = a->nslots - 1, j;

	for (j = agg_hash(f->event, id, ad->offset) & mask; a->slots[j].idx != 0;
	    j = (j + 1) & mask)
		;
	a->slots[j].offset = ad->offset;
	a->slots[j].func = f->func;
	a->slots[j].bin = id;
	a->slots[j].event = f->event;
	a->slots[j].idx = idx + 1;
}

/* After addresses moved (map: old index to new, AGG_NONE: gone),
 * rebuild the functions' address lists and [other addresses] entries, the
 * address hash (which has none of these) and the window's buckets. */
static void
agg_relist(struct agg *a, const uint32_t *map)
{
	struct agg_addr *ad;
	struct agg_bucket *b;
	struct agg_fent *fe;
	size_t i, k;

	for (i = 0; i < a->nfuncs; i++) {
		fe = agg_fent_at(a, i);
		fe->first_addr = AGG_NONE;
		if (fe->other != AGG_NONE)
			fe->other = map[fe->other];
	}
	memset(a->slots, 0, a->nslots * sizeof *a->slots);
	a->nother = 0;
	for (i = 0; i < a->naddrs; i++) {
		ad = &a->addrs[i];
		ad->next = ad->fe->first_addr;
		ad->fe->first_addr = (uint32_t)i;
		if (ad->fe->other == i)
			a->nother++;
		else
			agg_slot_put(a, (uint32_t)i);
	}
	for (i = 0; i < a->window; i++) {
		b = &a->bk[i];
		for (k = 0; k < b->n; k++)
			b->e[k].idx = map[b->e[k].idx];
	}
}

/*
 * Past the budget, forget the coldest addresses (none the window holds)
 * until 3/4 of it is left: their counts stay in their functions' (the
 * totals are exact), only the drill-down loses them. The survivors move
 * down; the hash, the functions' lists and the window's buckets are
 * rebuilt with their new indices. Called between ticks (nothing touched).
 */
static void
agg_evict_addrs(struct agg *a)
{
	struct agg_addr *ad;
	uint32_t *map, thr, nk = 0;
	size_t i;

	if (a->naddrs <= a->addr_budget ||
	    (thr = agg_evict_age(a, AGG_ADDR_KEEP(a->addr_budget))) == 0)
		return;
	map = xreallocarray(NULL, a->naddrs, sizeof *map);
	for (i = 0; i < a->naddrs; i++) {
		ad = &a->addrs[i];
		if (agg_addr_age(a, ad) >= thr) {
			map[i] = AGG_NONE;
			continue;
		}
		map[i] = nk;
		a->addrs[nk++] = *ad;
	}
	a->addr_evicted += a->naddrs - nk;
	a->naddrs = nk;
	agg_relist(a, map);
	free(map);
}

/* Whether row fe may be folded into its event's [evicted] row: not
 * that row, nothing in the window, no sample for AGG_FUNC_COLD ticks past
 * it, at most 1/AGG_FUNC_SHARE of its event's samples, and no stack
 * (keyed, where stacks are kept) holding it. */
static bool
agg_func_cold(const struct agg *a, const struct agg_fent *fe, const bool *keyed)
{
	const struct agg_func *f = &fe->pub;

	if (f->bin == a->evicted_bin || f->win_samples != 0 ||
	    (keyed != NULL && keyed[fe->index]) ||
	    a->tick - fe->stamp <= a->window + AGG_FUNC_COLD)
		return false;
	return f->samples <= a->totals[f->event].samples / AGG_FUNC_SHARE;
}

/* Add row from's counts and waits (none in the window) to row to's. */
static void
agg_fold(struct agg *a, const struct agg_fent *from, struct agg_fent *to)
{
	struct agg_went *w;
	uint32_t idx, sys;
	uint64_t samples, weight;

	to->pub.samples += from->pub.samples;
	to->pub.weight += from->pub.weight;
	for (idx = from->first_wait; idx != AGG_NONE; idx = a->waits[idx].next) {
		sys = a->waits[idx].pub.sys;
		samples = a->waits[idx].pub.samples;
		weight = a->waits[idx].pub.weight;
		w = &a->waits[agg_wait_get(a, to, sys)];
		w->pub.samples += samples;
		w->pub.weight += weight;
	}
}

/* Put function row i into the function hash (its slot is known empty). */
static void
agg_fslot_put(struct agg *a, size_t i)
{
	const struct agg_fent *fe = agg_fent_at(a, i);
	uint32_t id = binary_id(fe->pub.bin);
	size_t mask = a->nfslots - 1, j;

	for (j = agg_fhash(fe->pub.event, id, fe->pub.func) & mask;
	    a->fslots[j].idx != 0; j = (j + 1) & mask)
		;
	a->fslots[j].func = fe->pub.func;
	a->fslots[j].bin = id;
	a->fslots[j].event = fe->pub.event;
	a->fslots[j].idx = (uint32_t)i + 1;
}

/* Drop the wait entries of the rows gone, moving the others down. */
static void
agg_compact_waits(struct agg *a, const bool *gone, size_t ngone)
{
	uint32_t *map, idx, nk = 0;
	struct agg_fent *fe;
	struct agg_bucket *b;
	bool *dead;
	size_t i, k;

	if (a->nwaits == 0)
		return;
	dead = xcalloc(a->nwaits, sizeof *dead);
	for (i = 0; i < ngone; i++) {
		if (!gone[i])
			continue;
		fe = agg_fent_at(a, i);
		for (idx = fe->first_wait; idx != AGG_NONE; idx = a->waits[idx].next)
			dead[idx] = true;
	}
	map = xreallocarray(NULL, a->nwaits, sizeof *map);
	for (i = 0; i < a->nwaits; i++) {
		map[i] = dead[i] ? AGG_NONE : nk;
		if (!dead[i])
			a->waits[nk++] = a->waits[i];
	}
	a->nwaits = nk;
	for (i = 0; i < nk; i++)
		if (a->waits[i].next != AGG_NONE)
			a->waits[i].next = map[a->waits[i].next];
	for (i = 0; i < a->nfuncs; i++) {
		fe = agg_fent_at(a, i);
		if ((i >= ngone || !gone[i]) && fe->first_wait != AGG_NONE)
			fe->first_wait = map[fe->first_wait];
	}
	for (i = 0; i < a->window; i++) {
		b = &a->bk[i];
		for (k = 0; k < b->nw; k++)
			b->w[k].idx = map[b->w[k].idx];
	}
	free(map);
	free(dead);
}

/*
 * Drop the rows gone (indices below ngone), their addresses and waits:
 * the others move down, the hashes, lists, the window's buckets and the
 * stack table's keys follow their new indices. Returns the addresses
 * dropped.
 */
static size_t
agg_compact_funcs(struct agg *a, const bool *gone, size_t ngone)
{
	uint32_t *fmap, *amap, *oldf, nk = 0;
	struct agg_addr *ad;
	size_t i, k, nf = a->nfuncs, dropped;

	agg_compact_waits(a, gone, ngone);
	/* Addresses: the survivors move down, remembering their row. */
	amap = xreallocarray(NULL, a->naddrs ? a->naddrs : 1, sizeof *amap);
	oldf = xreallocarray(NULL, a->naddrs ? a->naddrs : 1, sizeof *oldf);
	for (i = 0; i < a->naddrs; i++) {
		ad = &a->addrs[i];
		if (ad->fe->index < ngone && gone[ad->fe->index]) {
			amap[i] = AGG_NONE;
			continue;
		}
		amap[i] = nk;
		oldf[nk] = ad->fe->index;
		a->addrs[nk++] = *ad;
	}
	dropped = a->naddrs - nk;
	a->naddrs = nk;
	/* Rows. */
	fmap = xreallocarray(NULL, nf, sizeof *fmap);
	for (i = 0, k = 0; i < nf; i++) {
		if (i < ngone && gone[i]) {
			fmap[i] = AGG_NONE;
			continue;
		}
		fmap[i] = (uint32_t)k;
		if (k != i)
			*agg_fent_at(a, k) = *agg_fent_at(a, i);
		agg_fent_at(a, k)->index = (uint32_t)k;
		k++;
	}
	a->nfuncs = k;
	while (a->nchunks > (k + AGG_CHUNK - 1) / AGG_CHUNK)
		free(a->chunks[--a->nchunks]);
	memset(a->fslots, 0, a->nfslots * sizeof *a->fslots);
	for (i = 0; i < a->nfuncs; i++)
		agg_fslot_put(a, i);
	/* The addresses' rows, lists and hash. */
	for (i = 0; i < a->naddrs; i++)
		a->addrs[i].fe = agg_fent_at(a, fmap[oldf[i]]);
	agg_relist(a, amap);
	if (a->stacks != NULL)
		stacks_rekey(a->stacks, fmap, nf);
	free(fmap);
	free(oldf);
	free(amap);
	return dropped;
}

/*
 * Past the row budget, fold the coldest rows (agg_func_cold) into one
 * [evicted] row per event, oldest first, until 3/4 of the budget is left:
 * the events' counts and totals stay exact, the rows and their addresses
 * go, and every agg_func pointer dies (agg_generation changes). Called
 * between ticks (nothing touched); tried every AGG_FUNC_EVERY ticks while
 * nothing can go.
 */
static void
agg_evict_funcs(struct agg *a)
{
	struct agg_fent *fe, **rows;
	uint32_t *ages, thr;
	bool *keyed = NULL, *gone;
	size_t i, n = 0, n0 = a->nfuncs, keep, ngone = 0;

	if (a->evicted_bin == NULL || a->func_budget == 0 ||
	    a->nfuncs <= a->func_budget || a->tick < a->func_try)
		return;
	a->func_try = a->tick + AGG_FUNC_EVERY;
	keep = AGG_ADDR_KEEP(a->func_budget);
	if (a->stacks != NULL) {
		keyed = xcalloc(n0, sizeof *keyed);
		stacks_keys_used(a->stacks, keyed, n0);
	}
	ages = xreallocarray(NULL, n0, sizeof *ages);
	for (i = 0; i < n0; i++) {
		fe = agg_fent_at(a, i);
		if (agg_func_cold(a, fe, keyed))
			ages[n++] = a->tick - fe->stamp;
	}
	thr = evict_age(ages, n, n0 - keep + a->nevents,
	    a->window + AGG_FUNC_COLD + 1);
	free(ages);
	if (thr == 0) {
		free(keyed);
		return;
	}
	gone = xcalloc(n0, sizeof *gone);
	rows = xcalloc(a->nevents, sizeof *rows);
	for (i = 0; i < n0; i++) {
		fe = agg_fent_at(a, i);
		if (a->tick - fe->stamp < thr || !agg_func_cold(a, fe, keyed))
			continue;
		gone[i] = true;
		ngone++;
		/* Rows live in chunks that do not move: fe stays valid. */
		if (rows[fe->pub.event] == NULL)
			rows[fe->pub.event] = agg_fent_get(a, fe->pub.event,
			    a->evicted_bin, binary_id(a->evicted_bin),
			    a->evicted_func);
		agg_fold(a, fe, rows[fe->pub.event]);
	}
	a->addr_evicted += agg_compact_funcs(a, gone, n0);
	a->funcs_evicted += ngone;
	a->gen++;
	a->totals_ok = false;
	free(rows);
	free(gone);
	free(keyed);
}

/* Close the current tick. */
void
agg_tick(struct agg *a)
{
	struct agg_bucket *b;
	struct agg_addr *ad;
	struct agg_went *w;
	struct agg_bent *e;
	size_t i;

	if (a->bk_n == a->window)
		agg_expire_oldest(a);
	b = &a->bk[(a->bk_head + a->bk_n) % a->window];
	a->bk_n++;

	if (b->cap < a->ntouched) {
		free(b->e);
		b->cap = a->ntouched;
		b->e = xreallocarray(NULL, b->cap, sizeof *b->e);
	}
	b->n = a->ntouched;
	for (i = 0; i < a->ntouched; i++) {
		ad = &a->addrs[a->touched[i]];
		e = &b->e[i];
		e->idx = a->touched[i];
		e->samples = ad->cur_samples;
		e->weight = ad->cur_weight;
		ad->cur_samples = 0;
		ad->cur_weight = 0;
	}
	a->ntouched = 0;

	if (b->wcap < a->nwtouched) {
		free(b->w);
		b->wcap = a->nwtouched;
		b->w = xreallocarray(NULL, b->wcap, sizeof *b->w);
	}
	b->nw = a->nwtouched;
	for (i = 0; i < a->nwtouched; i++) {
		w = &a->waits[a->wtouched[i]];
		e = &b->w[i];
		e->idx = a->wtouched[i];
		e->samples = w->cur_samples;
		e->weight = w->cur_weight;
		w->cur_samples = 0;
		w->cur_weight = 0;
	}
	a->nwtouched = 0;

	if (a->stacks != NULL)
		stacks_tick(a->stacks);
	a->totals_ok = false;
	if (++a->tick == 0)
		a->tick = 1;
	agg_evict_addrs(a);
	agg_evict_funcs(a);
}

/* Change the window length. */
void
agg_set_window(struct agg *a, unsigned window_ticks)
{
	unsigned w = agg_clamp_window(window_ticks), i;
	struct agg_bucket *bk;

	if (a->stacks != NULL)
		stacks_set_window(a->stacks, w);
	a->totals_ok = false;
	if (w == a->window)
		return;
	while (a->bk_n > w)
		agg_expire_oldest(a);

	bk = xcalloc(w, sizeof *bk);
	for (i = 0; i < a->bk_n; i++) {
		bk[i] = a->bk[(a->bk_head + i) % a->window];
		a->bk[(a->bk_head + i) % a->window].e = NULL;
		a->bk[(a->bk_head + i) % a->window].w = NULL;
	}
	for (i = 0; i < a->window; i++) {
		free(a->bk[i].e);
		free(a->bk[i].w);
	}
	free(a->bk);
	a->bk = bk;
	a->bk_head = 0;
	a->window = w;
}

/* The window length in ticks. */
unsigned
agg_window(const struct agg *a)
{
	return a->window;
}

/* Forget every count. */
void
agg_zero(struct agg *a)
{
	agg_clear(a);
	agg_init(a);
}

/* How many (event, binary, function) entries there are. */
size_t
agg_nfuncs(const struct agg *a)
{
	return a->nfuncs;
}

/* The i-th (event, binary, function) entry. */
const struct agg_func *
agg_func_at(const struct agg *a, size_t i)
{
	if (i >= a->nfuncs)
		return NULL;
	return &agg_fent_at(a, i)->pub;
}

/* The totals of one event. */
const struct agg_totals *
agg_event_totals(const struct agg *a, unsigned event)
{
	if (event >= a->nevents)
		return &agg_no_totals;
	return &a->totals[event];
}

/* How many events the aggregator counts. */
unsigned
agg_nevents(const struct agg *a)
{
	return a->nevents;
}

/* Call fn for every sampled address of function f. */
void
agg_func_addrs(const struct agg *a, const struct agg_func *f,
    agg_addr_fn fn, void *arg)
{
	const struct agg_fent *fe = (const struct agg_fent *)f;
	const struct agg_addr *ad;
	struct agg_addr_stat st;
	uint32_t i;

	if (f == NULL)
		return;
	for (i = fe->first_addr; i != AGG_NONE; i = ad->next) {
		ad = &a->addrs[i];
		st.offset = ad->offset;
		st.other = i == fe->other;
		st.samples = ad->samples;
		st.weight = ad->weight;
		st.win_samples = ad->win_samples;
		st.win_weight = ad->win_weight;
		fn(&st, arg);
	}
}

/* Call fn for every system call that function f was blocked in. */
void
agg_func_waits(const struct agg *a, const struct agg_func *f,
    agg_wait_fn fn, void *arg)
{
	const struct agg_fent *fe = (const struct agg_fent *)f;
	uint32_t i;

	if (f == NULL)
		return;
	for (i = fe->first_wait; i != AGG_NONE; i = a->waits[i].next)
		fn(&a->waits[i].pub, arg);
}

/* Keep call stacks from now on. */
void
agg_keep_stacks(struct agg *a, size_t budget)
{
	if (a->stacks != NULL)
		return;
	a->stacks = stacks_new(budget, a->window);
	a->keys = xreallocarray(NULL, STACKS_MAX_DEPTH + 1, sizeof *a->keys);
}

/* Whether call stacks are kept. */
bool
agg_has_stacks(const struct agg *a)
{
	return a->stacks != NULL;
}

/* Count one sample and its stack. */
void
agg_add_stack(struct agg *a, unsigned event, const struct rs_frame *frames,
    size_t n, bool blocked, uint32_t sys, uint64_t weight)
{
	struct agg_fent *leaf, *fe;
	size_t i, k = 0;

	if (n == 0)
		return;
	leaf = agg_count(a, event, &frames[0], weight);
	if (leaf == NULL)
		return;
	if (blocked)
		agg_count_wait(a, leaf, sys, weight);
	if (a->stacks == NULL)
		return;
	if (n > STACKS_MAX_DEPTH)
		n = STACKS_MAX_DEPTH;
	for (i = n; i-- > 1;) {
		if (frames[i].bin == NULL)
			continue;
		fe = agg_fent_get(a, event, frames[i].bin, binary_id(frames[i].bin),
		    frames[i].func);
		fe->stamp = a->tick;
		a->keys[k++] = fe->index;
	}
	a->keys[k++] = leaf->index;
	if (blocked)
		a->keys[k++] = STACKS_SYS | (sys & ~STACKS_SYS);
	stacks_add(a->stacks, a->keys, k, weight);
}

/* Recompute every function's total for the window or not, from the
 * stacks: a node's inclusive sum counts for its function where it is the
 * function's outermost occurrence. */
static void
agg_refresh_totals(struct agg *a, bool window)
{
	const struct stacks_sum *sums;
	const struct stacks_node *p;
	struct agg_fent *fe;
	size_t i, n;

	if (a->totals_ok && a->totals_window == window)
		return;
	for (i = 0; i < a->nfuncs; i++) {
		fe = agg_fent_at(a, i);
		fe->tot_samples = a->stacks != NULL ? 0 :
		    window ? fe->pub.win_samples : fe->pub.samples;
		fe->tot_weight = a->stacks != NULL ? 0 :
		    window ? fe->pub.win_weight : fe->pub.weight;
	}
	if (a->stacks != NULL) {
		sums = stacks_sums(a->stacks, window);
		n = stacks_count(a->stacks);
		for (i = 0; i < n; i++) {
			p = stacks_node(a->stacks, (uint32_t)i);
			if (!p->outermost || p->key >= a->nfuncs)
				continue;
			fe = agg_fent_at(a, p->key);
			fe->tot_samples += sums[i].samples;
			fe->tot_weight += sums[i].weight;
		}
	}
	a->totals_ok = true;
	a->totals_window = window;
}

/* The total of one function. */
void
agg_func_total(const struct agg *a, const struct agg_func *f, bool window,
    uint64_t *samples, uint64_t *weight)
{
	const struct agg_fent *fe = (const struct agg_fent *)f;

	/* The totals are a cache of the counts: computing them does not
	 * change what the aggregator holds. */
	agg_refresh_totals((struct agg *)(uintptr_t)a, window);
	*samples = fe->tot_samples;
	*weight = fe->tot_weight;
}

/* Add samples and weight to the edge of (kind, f) in *out. */
static void
agg_edge_add(struct agg_edge **out, size_t *n, size_t *cap,
    enum agg_edge_kind kind, const struct agg_func *f,
    const struct stacks_sum *sum)
{
	size_t i;

	if (sum->samples == 0 && sum->weight == 0)
		return;
	for (i = 0; i < *n; i++) {
		if ((*out)[i].kind == kind && (*out)[i].f == f) {
			(*out)[i].samples += sum->samples;
			(*out)[i].weight += sum->weight;
			return;
		}
	}
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*out = xreallocarray(*out, *cap, sizeof **out);
	}
	(*out)[*n].kind = kind;
	(*out)[*n].f = f;
	(*out)[*n].samples = sum->samples;
	(*out)[*n].weight = sum->weight;
	(*n)++;
}

/* Heaviest first; then by kind. */
static int
agg_edge_cmp(const void *x, const void *y)
{
	const struct agg_edge *a = x, *b = y;

	if (a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	if (a->samples != b->samples)
		return a->samples > b->samples ? -1 : 1;
	return (int)a->kind - (int)b->kind;
}

/* The callers (or, with callees, the callees) of f. */
static size_t
agg_edges(const struct agg *a, const struct agg_func *f, bool window,
    bool callees, struct agg_edge **out, size_t *cap)
{
	const struct agg_fent *fe = (const struct agg_fent *)f;
	const struct stacks_sum *sums;
	const struct stacks_node *p, *q;
	struct stacks_sum self;
	size_t i, n, count = 0;
	uint32_t c;

	if (a->stacks == NULL || f == NULL)
		return 0;
	sums = stacks_sums(a->stacks, window);
	n = stacks_count(a->stacks);
	for (i = 0; i < n; i++) {
		p = stacks_node(a->stacks, (uint32_t)i);
		if (p->key != fe->index || !p->outermost)
			continue;
		if (!callees) {
			if (p->parent == STACKS_NONE)
				agg_edge_add(out, &count, cap, AGG_EDGE_ROOT, NULL, &sums[i]);
			else
				agg_edge_add(out, &count, cap, AGG_EDGE_FUNC,
				    &agg_fent_at(a, stacks_node(a->stacks,
				    p->parent)->key)->pub, &sums[i]);
			continue;
		}
		self = sums[i];
		for (c = p->first_child; c != STACKS_NONE; c = q->next_sibling) {
			q = stacks_node(a->stacks, c);
			if (q->key < STACKS_SYS) {
				agg_edge_add(out, &count, cap, AGG_EDGE_FUNC,
				    &agg_fent_at(a, q->key)->pub, &sums[c]);
			} else if (q->key == STACKS_OTHER) {
				agg_edge_add(out, &count, cap, AGG_EDGE_OTHER, NULL, &sums[c]);
			} else
				continue;	/* a system call: the function's own */
			self.samples -= sums[c].samples;
			self.weight -= sums[c].weight;
		}
		agg_edge_add(out, &count, cap, AGG_EDGE_SELF, NULL, &self);
	}
	if (count > 1)
		qsort(*out, count, sizeof **out, agg_edge_cmp);
	return count;
}

/* The callers of f. */
size_t
agg_callers(const struct agg *a, const struct agg_func *f, bool window,
    struct agg_edge **out, size_t *cap)
{
	return agg_edges(a, f, window, false, out, cap);
}

/* The callees of f. */
size_t
agg_callees(const struct agg *a, const struct agg_func *f, bool window,
    struct agg_edge **out, size_t *cap)
{
	return agg_edges(a, f, window, true, out, cap);
}

/* Every distinct stack of event with samples. */
void
agg_each_stack(const struct agg *a, unsigned event, bool window,
    agg_stack_fn fn, void *arg)
{
	const struct agg_func **frames;
	const struct stacks_node *p, *q;
	uint64_t samples, weight;
	uint32_t id, sys;
	size_t i, n, k;
	bool blocked;

	if (a->stacks == NULL)
		return;
	frames = xreallocarray(NULL, STACKS_MAX_DEPTH + 1, sizeof *frames);
	n = stacks_count(a->stacks);
	for (i = 0; i < n; i++) {
		p = stacks_node(a->stacks, (uint32_t)i);
		samples = window ? p->win_samples : p->samples;
		weight = window ? p->win_weight : p->weight;
		if (samples == 0)
			continue;
		blocked = false;
		sys = AGG_NOSYS;
		id = (uint32_t)i;
		if (p->key >= STACKS_SYS && p->key != STACKS_OTHER) {
			blocked = true;
			sys = (p->key & ~STACKS_SYS) == (AGG_NOSYS & ~STACKS_SYS) ?
			    AGG_NOSYS : p->key & ~STACKS_SYS;
			id = p->parent;
		}
		/* Leaf to root, then turned around. */
		k = 0;
		for (;; id = q->parent) {
			q = stacks_node(a->stacks, id);
			frames[k++] = q->key < a->nfuncs ?
			    &agg_fent_at(a, q->key)->pub : NULL;
			if (q->parent == STACKS_NONE || k > STACKS_MAX_DEPTH)
				break;
		}
		if (frames[k - 1] == NULL || frames[k - 1]->event != event)
			continue;
		for (size_t x = 0; x < k / 2; x++) {
			const struct agg_func *t = frames[x];

			frames[x] = frames[k - 1 - x];
			frames[k - 1 - x] = t;
		}
		fn(frames, k, blocked, sys, samples, weight, arg);
	}
	free(frames);
}

/* Keep at most budget addresses past a tick (0: AGG_ADDR_BUDGET), and
 * list 5/4 of it at most. */
void
agg_set_addr_budget(struct agg *a, size_t budget)
{
	a->addr_budget = budget != 0 ? budget : AGG_ADDR_BUDGET;
	a->addr_cap = AGG_ADDR_CAP(a->addr_budget);
}

/* The memory budgets' figures. */
void
agg_budget_stats(const struct agg *a, struct agg_budget_stats *st)
{
	struct agg_stack_stats ss;

	memset(st, 0, sizeof *st);
	st->addrs = a->naddrs;
	st->addr_budget = a->addr_budget;
	st->addr_evicted = a->addr_evicted;
	st->addr_cap = a->addr_cap;
	st->addr_others = a->nother;
	st->addr_other = a->addr_other;
	st->addr_room = a->caddrs;
	st->addr_slots = a->nslots;
	st->funcs = a->nfuncs;
	st->func_budget = a->func_budget;
	st->funcs_evicted = a->funcs_evicted;
	agg_stack_stats(a, &ss);
	st->nodes = ss.nodes;
	st->node_budget = ss.budget;
	st->stacks_cut = ss.cut;
	if (a->stacks != NULL)
		st->nodes_evicted = stacks_evicted(a->stacks);
}

/* The stack table's figures. */
void
agg_stack_stats(const struct agg *a, struct agg_stack_stats *st)
{
	memset(st, 0, sizeof *st);
	if (a->stacks == NULL)
		return;
	st->nodes = stacks_count(a->stacks);
	st->budget = stacks_budget(a->stacks);
	st->bytes = stacks_memory(a->stacks);
	st->cut = stacks_cut(a->stacks);
}

/* Set the row budget (0: the default). */
void
agg_set_func_budget(struct agg *a, size_t budget)
{
	a->func_budget = budget != 0 ? budget : AGG_FUNC_BUDGET;
}

/* Fold cold rows past the budget into rows of (bin, func). */
void
agg_set_evicted(struct agg *a, struct binary *bin,
    const struct symtab_func *func)
{
	a->evicted_bin = bin;
	a->evicted_func = func;
}

/* Changes whenever agg_func pointers die. */
uint64_t
agg_generation(const struct agg *a)
{
	return a->gen;
}
