/* Unit tests of the rolling aggregator (src/core/agg.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "binary.h"
#include "check.h"
#include "frames.h"
#include "session.h"
#include "symtab.h"
#include "xmalloc.h"

#define TEST_CAP_TICKS	12	/* ticks of test_addr_cap */
#define TEST_CAP_FRESH	8	/* the first of them bring samples */

static const struct symtab_func test_funcs_a[] = {
	{ .start = 0x1000, .size = 0x100, .name = "alpha" },
	{ .start = 0x2000, .size = 0x100, .name = "beta" },
	{ .start = 0x3000, .size = 0x100, .name = "gamma" },
};

static const struct symtab_func test_funcs_b[] = {
	{ .start = 0x1000, .size = 0x100, .name = "delta" },
};

/* The entry of (event, bin, func), or NULL. */
static const struct agg_func *
test_find(const struct agg *a, unsigned event, const struct binary *bin,
    const struct symtab_func *func)
{
	const struct agg_func *f;
	size_t i;

	for (i = 0; i < agg_nfuncs(a); i++) {
		f = agg_func_at(a, i);
		if (f->event == event && f->bin == bin && f->func == func)
			return f;
	}
	return NULL;
}

/* What agg_func_addrs reported, for checking. */
struct test_addrs {
	size_t n;
	struct agg_addr_stat st[16];
};

/* Collect one address into a struct test_addrs. */
static void
test_addr_cb(const struct agg_addr_stat *st, void *arg)
{
	struct test_addrs *ta = arg;

	if (ta->n < 16)
		ta->st[ta->n] = *st;
	ta->n++;
}

/* The stat of offset in ta, or NULL. */
static const struct agg_addr_stat *
test_addr_find(const struct test_addrs *ta, uint64_t offset)
{
	size_t i;

	for (i = 0; i < ta->n && i < 16; i++) {
		if (ta->st[i].offset == offset)
			return &ta->st[i];
	}
	return NULL;
}

/* Exact counts per address, function, binary and event. */
static void
test_counts(void)
{
	struct binary_cache *c = binary_cache_new();
	struct binary *a_bin, *b_bin;
	const struct symtab_func *alpha, *beta, *delta;
	struct agg *a = agg_new(2, 5);
	const struct agg_func *f;
	const struct agg_totals *t;
	const struct agg_addr_stat *st;
	struct test_addrs ta;
	int i;

	a_bin = binary_synthetic(c, "liba.so", test_funcs_a, 3);
	b_bin = binary_synthetic(c, "libb.so", test_funcs_b, 1);
	alpha = binary_lookup(a_bin, 0x1000);
	beta = binary_lookup(a_bin, 0x2000);
	delta = binary_lookup(b_bin, 0x1000);
	CHECK(alpha != NULL && beta != NULL && delta != NULL);
	CHECK_STR(alpha->name, "alpha");
	CHECK_U64(agg_nevents(a), 2);
	CHECK_U64(agg_window(a), 5);
	CHECK_U64(agg_nfuncs(a), 0);

	for (i = 0; i < 3; i++)
		agg_add(a, 0, test_frame(a_bin, 0x1010), 10);
	agg_add(a, 0, test_frame(a_bin, 0x1020), 5);
	agg_add(a, 0, test_frame(a_bin, 0x2000), 7);
	agg_add(a, 0, test_frame(a_bin, 0x5000), 1);	/* no function: [unknown] */
	agg_add(a, 0, test_frame(a_bin, 0x6000), 2);	/* the same [unknown] row */
	agg_add(a, 1, test_frame(a_bin, 0x1010), 100);	/* other event */
	agg_add(a, 0, test_frame(b_bin, 0x1010), 1000);	/* same offset, other binary */
	agg_add(a, 0, test_frame(b_bin, 0x9999), 3);	/* the other one's [unknown] */
	agg_add(a, 2, test_frame(a_bin, 0x1010), 1);	/* no such event: ignored */
	agg_add(a, 7, test_frame(a_bin, 0x1010), 1);	/* no such event: ignored */

	CHECK_U64(agg_nfuncs(a), 6);

	f = test_find(a, 0, a_bin, alpha);
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK_U64(f->samples, 4);
		CHECK_U64(f->weight, 35);
		CHECK_U64(f->win_samples, 4);
		CHECK_U64(f->win_weight, 35);
		memset(&ta, 0, sizeof ta);
		agg_func_addrs(a, f, test_addr_cb, &ta);
		CHECK_U64(ta.n, 2);
		st = test_addr_find(&ta, 0x1010);
		CHECK(st != NULL && st->samples == 3 && st->weight == 30 &&
		    st->win_samples == 3 && st->win_weight == 30);
		st = test_addr_find(&ta, 0x1020);
		CHECK(st != NULL && st->samples == 1 && st->weight == 5);
	}
	f = test_find(a, 0, a_bin, beta);
	CHECK(f != NULL && f->samples == 1 && f->weight == 7);
	f = test_find(a, 0, a_bin, NULL);
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK_U64(f->samples, 2);
		CHECK_U64(f->weight, 3);
		memset(&ta, 0, sizeof ta);
		agg_func_addrs(a, f, test_addr_cb, &ta);
		CHECK_U64(ta.n, 2);
		CHECK(test_addr_find(&ta, 0x5000) != NULL);
		CHECK(test_addr_find(&ta, 0x6000) != NULL);
	}
	f = test_find(a, 1, a_bin, alpha);
	CHECK(f != NULL && f->samples == 1 && f->weight == 100);
	f = test_find(a, 0, b_bin, delta);
	CHECK(f != NULL && f->samples == 1 && f->weight == 1000);
	f = test_find(a, 0, b_bin, NULL);
	CHECK(f != NULL && f->samples == 1 && f->weight == 3);
	CHECK(test_find(a, 1, a_bin, beta) == NULL);

	t = agg_event_totals(a, 0);
	CHECK_U64(t->samples, 9);
	CHECK_U64(t->weight, 35 + 7 + 3 + 1000 + 3);
	CHECK_U64(t->win_samples, 9);
	CHECK_U64(t->win_weight, 35 + 7 + 3 + 1000 + 3);
	t = agg_event_totals(a, 1);
	CHECK_U64(t->samples, 1);
	CHECK_U64(t->weight, 100);
	t = agg_event_totals(a, 2);
	CHECK(t != NULL && t->samples == 0 && t->weight == 0);
	CHECK(agg_func_at(a, agg_nfuncs(a)) == NULL);

	/* The sum over the functions is the total. */
	{
		uint64_t s = 0, w = 0;
		size_t k;

		for (k = 0; k < agg_nfuncs(a); k++) {
			f = agg_func_at(a, k);
			if (f->event == 0) {
				s += f->samples;
				w += f->weight;
			}
		}
		CHECK_U64(s, 9);
		CHECK_U64(w, 1048);
	}

	agg_free(a);
	binary_cache_free(c);
}

/* The window by hand: three ticks kept, expiry, the current tick. */
static void
test_window(void)
{
	struct binary_cache *c = binary_cache_new();
	struct binary *b = binary_synthetic(c, "liba.so", test_funcs_a, 3);
	const struct symtab_func *alpha = binary_lookup(b, 0x1000);
	const struct symtab_func *beta = binary_lookup(b, 0x2000);
	struct agg *a = agg_new(1, 3);
	const struct agg_func *fa, *fb;
	const struct agg_totals *t = agg_event_totals(a, 0);
	struct test_addrs ta;
	int i;

	agg_add(a, 0, test_frame(b, 0x1000), 1);			/* tick 1: alpha 1 */
	fa = test_find(a, 0, b, alpha);
	CHECK(fa != NULL);
	if (fa == NULL)
		goto out;
	CHECK_U64(fa->win_samples, 1);		/* the open tick counts */
	agg_tick(a);
	CHECK_U64(fa->win_samples, 1);

	for (i = 0; i < 2; i++)				/* tick 2: alpha 2 */
		agg_add(a, 0, test_frame(b, 0x1000), 10);
	agg_tick(a);
	CHECK_U64(fa->win_samples, 3);
	CHECK_U64(fa->win_weight, 21);

	for (i = 0; i < 4; i++)			/* tick 3: alpha 4, beta 1 */
		agg_add(a, 0, test_frame(b, 0x1004), 100);
	agg_add(a, 0, test_frame(b, 0x2000), 1000);
	fb = test_find(a, 0, b, beta);
	agg_tick(a);
	CHECK_U64(fa->win_samples, 7);
	CHECK_U64(fa->win_weight, 421);
	CHECK_U64(t->win_samples, 8);
	CHECK_U64(t->win_weight, 1421);

	agg_tick(a);			/* tick 4 (empty): tick 1 leaves */
	CHECK_U64(fa->win_samples, 6);
	CHECK_U64(fa->win_weight, 420);
	CHECK_U64(fa->samples, 7);
	CHECK_U64(fa->weight, 421);
	CHECK_U64(t->win_samples, 7);

	agg_add(a, 0, test_frame(b, 0x1000), 5000);			/* tick 5, open */
	CHECK_U64(fa->win_samples, 7);
	memset(&ta, 0, sizeof ta);
	agg_func_addrs(a, fa, test_addr_cb, &ta);
	CHECK_U64(ta.n, 2);
	CHECK(test_addr_find(&ta, 0x1000) != NULL &&
	    test_addr_find(&ta, 0x1000)->win_samples == 3 &&
	    test_addr_find(&ta, 0x1000)->win_weight == 5020 &&
	    test_addr_find(&ta, 0x1000)->samples == 4);
	CHECK(test_addr_find(&ta, 0x1004) != NULL &&
	    test_addr_find(&ta, 0x1004)->win_samples == 4);

	agg_tick(a);					/* tick 2 leaves */
	CHECK_U64(fa->win_samples, 5);
	CHECK_U64(fa->win_weight, 5400);
	agg_tick(a);					/* tick 3 leaves */
	CHECK_U64(fa->win_samples, 1);
	CHECK_U64(fa->win_weight, 5000);
	CHECK(fb != NULL && fb->win_samples == 0 && fb->samples == 1);
	CHECK_U64(t->win_samples, 1);
	CHECK_U64(t->win_weight, 5000);
	agg_tick(a);				/* tick 4 leaves */
	CHECK_U64(fa->win_samples, 1);
	agg_tick(a);					/* tick 5 leaves */
	CHECK_U64(fa->win_samples, 0);
	CHECK_U64(fa->win_weight, 0);
	CHECK_U64(t->win_samples, 0);
	CHECK_U64(t->win_weight, 0);
	CHECK_U64(t->samples, 9);
	CHECK_U64(fa->samples, 8);

	/* Shrinking drops the oldest ticks at once; growing keeps them. */
	agg_add(a, 0, test_frame(b, 0x1000), 1);
	agg_tick(a);
	agg_add(a, 0, test_frame(b, 0x1000), 1);
	agg_add(a, 0, test_frame(b, 0x1000), 1);
	agg_tick(a);
	agg_add(a, 0, test_frame(b, 0x1000), 1);
	agg_add(a, 0, test_frame(b, 0x1000), 1);
	agg_add(a, 0, test_frame(b, 0x1000), 1);
	agg_tick(a);
	CHECK_U64(fa->win_samples, 6);
	agg_set_window(a, 1);
	CHECK_U64(agg_window(a), 1);
	CHECK_U64(fa->win_samples, 3);
	CHECK_U64(t->win_samples, 3);
	agg_set_window(a, 4);
	CHECK_U64(agg_window(a), 4);
	CHECK_U64(fa->win_samples, 3);
	for (i = 0; i < 3; i++) {
		agg_add(a, 0, test_frame(b, 0x1000), 1);
		agg_tick(a);
	}
	CHECK_U64(fa->win_samples, 6);			/* 3 + 1 + 1 + 1 */
	agg_tick(a);					/* the 3 leaves */
	CHECK_U64(fa->win_samples, 3);

	/* Clamping. */
	agg_set_window(a, 0);
	CHECK_U64(agg_window(a), 1);
	agg_set_window(a, 1000000);
	CHECK_U64(agg_window(a), 3600);
	CHECK_U64(fa->samples, 8 + 6 + 3);
out:
	agg_free(a);
	binary_cache_free(c);
	a = agg_new(1, 0);
	CHECK_U64(agg_window(a), 1);
	agg_free(a);
}

/* A small deterministic random number generator. */
static uint64_t
test_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

#define MODEL_TICKS 600
#define MODEL_KEYS 8

/* The window against a reference model: random adds, ticks and window
 * changes over two events and two binaries. */
static void
test_window_model(void)
{
	struct binary_cache *c = binary_cache_new();
	struct binary *bins[2];
	const struct symtab_func *funcs[2][2];
	struct agg *a = agg_new(2, 4);
	static uint64_t hist_s[MODEL_TICKS + 1][MODEL_KEYS];
	static uint64_t hist_w[MODEL_TICKS + 1][MODEL_KEYS];
	uint64_t cum_s[MODEL_KEYS] = { 0 }, cum_w[MODEL_KEYS] = { 0 };
	uint64_t seed = 0x9e3779b97f4a7c15ULL, r, ws, ww, tws[2], tww[2];
	unsigned window = 4, kept = 0, ntick = 0, k, e, bi, fi, j;
	const struct agg_func *f;
	int bad = 0, step;
	size_t i;

	bins[0] = binary_synthetic(c, "one", test_funcs_a, 2);
	bins[1] = binary_synthetic(c, "two", test_funcs_a, 2);
	for (bi = 0; bi < 2; bi++) {
		funcs[bi][0] = binary_lookup(bins[bi], 0x1000);
		funcs[bi][1] = binary_lookup(bins[bi], 0x2000);
	}
	memset(hist_s, 0, sizeof hist_s);
	memset(hist_w, 0, sizeof hist_w);

	for (step = 0; step < 20000 && ntick < MODEL_TICKS; step++) {
		r = test_rand(&seed);
		if (r % 50 == 0) {
			agg_tick(a);
			ntick++;
			if (kept < window)
				kept++;
		} else if (r % 997 == 1) {
			window = 1 + (unsigned)(test_rand(&seed) % 9);
			agg_set_window(a, window);
			if (kept > window)
				kept = window;
		} else {
			/* key = event * 4 + bin * 2 + func */
			k = (unsigned)(test_rand(&seed) % MODEL_KEYS);
			e = k / 4;
			bi = (k / 2) % 2;
			fi = k % 2;
			ww = test_rand(&seed) % 1000;
			agg_add(a, e, test_frame(bins[bi],
			    funcs[bi][fi]->start + test_rand(&seed) % 64), ww);
			hist_s[ntick][k]++;
			hist_w[ntick][k] += ww;
			cum_s[k]++;
			cum_w[k] += ww;
		}

		if (step % 97 != 0)
			continue;
		tws[0] = tws[1] = tww[0] = tww[1] = 0;
		for (k = 0; k < MODEL_KEYS; k++) {
			e = k / 4;
			bi = (k / 2) % 2;
			fi = k % 2;
			ws = hist_s[ntick][k];
			ww = hist_w[ntick][k];
			for (j = 1; j <= kept; j++) {
				ws += hist_s[ntick - j][k];
				ww += hist_w[ntick - j][k];
			}
			tws[e] += ws;
			tww[e] += ww;
			f = test_find(a, e, bins[bi], funcs[bi][fi]);
			if (f == NULL) {
				if (cum_s[k] != 0)
					bad++;
				continue;
			}
			if (f->samples != cum_s[k] || f->weight != cum_w[k] ||
			    f->win_samples != ws || f->win_weight != ww)
				bad++;
		}
		for (e = 0; e < 2; e++) {
			if (agg_event_totals(a, e)->win_samples != tws[e] ||
			    agg_event_totals(a, e)->win_weight != tww[e])
				bad++;
		}
	}
	CHECK(ntick > 100);
	CHECK_U64(bad, 0);
	for (i = 0; i < agg_nfuncs(a); i++)
		CHECK(agg_func_at(a, i)->func != NULL);
	agg_free(a);
	binary_cache_free(c);
}

/* agg_zero forgets everything; the aggregator works on afterwards. */
static void
test_zero(void)
{
	struct binary_cache *c = binary_cache_new();
	struct binary *b = binary_synthetic(c, "liba.so", test_funcs_a, 3);
	struct agg *a = agg_new(2, 2);
	const struct agg_func *f;
	int i;

	for (i = 0; i < 100; i++)
		agg_add(a, i % 2, test_frame(b, 0x1000 + (uint64_t)i * 64), 1);
	agg_tick(a);
	agg_add(a, 0, test_frame(b, 0x1000), 1);
	CHECK(agg_nfuncs(a) > 0);
	agg_zero(a);
	CHECK_U64(agg_nfuncs(a), 0);
	CHECK_U64(agg_event_totals(a, 0)->samples, 0);
	CHECK_U64(agg_event_totals(a, 0)->win_samples, 0);
	CHECK_U64(agg_event_totals(a, 1)->weight, 0);
	CHECK_U64(agg_window(a), 2);
	CHECK_U64(agg_nevents(a), 2);

	agg_add(a, 0, test_frame(b, 0x1000), 3);
	CHECK_U64(agg_nfuncs(a), 1);
	f = agg_func_at(a, 0);
	CHECK(f != NULL && f->samples == 1 && f->weight == 3 &&
	    f->win_samples == 1 && f->func == binary_lookup(b, 0x1000));
	agg_tick(a);
	agg_tick(a);
	CHECK(f != NULL && f->win_samples == 1);
	agg_tick(a);
	CHECK(f != NULL && f->win_samples == 0 && f->samples == 1);
	CHECK_U64(agg_event_totals(a, 0)->samples, 1);
	CHECK_U64(agg_event_totals(a, 0)->win_samples, 0);
	agg_zero(a);
	agg_zero(a);
	CHECK_U64(agg_nfuncs(a), 0);
	agg_free(a);
	binary_cache_free(c);
}

#define MANY_FUNCS 5000

/* Growth: many functions and addresses; entry pointers stay put. */
static void
test_growth(void)
{
	struct binary_cache *c = binary_cache_new();
	struct symtab_func *fs = xcalloc(MANY_FUNCS, sizeof *fs);
	char **names = xcalloc(MANY_FUNCS, sizeof *names);
	struct binary *b;
	struct agg *a = agg_new(1, 10);
	const struct agg_func *first, *f;
	uint64_t s = 0;
	size_t i;
	int pass, bad = 0;

	for (i = 0; i < MANY_FUNCS; i++) {
		names[i] = xasprintf("f%zu", i);
		fs[i].start = 0x10000 + i * 0x100;
		fs[i].size = 0x100;
		fs[i].name = names[i];
	}
	b = binary_synthetic(c, "big", fs, MANY_FUNCS);

	agg_add(a, 0, test_frame(b, 0x10000), 1);
	first = agg_func_at(a, 0);
	for (pass = 0; pass < 2; pass++) {
		/* 20 addresses per function: 100000 address entries */
		for (i = 0; i < MANY_FUNCS * 20; i++)
			agg_add(a, 0, test_frame(b, 0x10000 + (i % MANY_FUNCS) * 0x100 +
			    (i / MANY_FUNCS) * 8), 1);
		if (pass == 0)
			agg_tick(a);
	}
	CHECK_U64(agg_nfuncs(a), MANY_FUNCS);
	CHECK(first == agg_func_at(a, 0));
	CHECK(first->func == binary_lookup(b, 0x10000));
	CHECK_U64(first->samples, 41);
	for (i = 0; i < agg_nfuncs(a); i++) {
		f = agg_func_at(a, i);
		s += f->samples;
		if (f->func == NULL || f->samples != (f == first ? 41u : 40u) ||
		    f->win_samples != f->samples)
			bad++;
	}
	CHECK_U64(bad, 0);
	CHECK_U64(s, MANY_FUNCS * 40 + 1);
	CHECK_U64(agg_event_totals(a, 0)->samples, MANY_FUNCS * 40 + 1);

	agg_free(a);
	binary_cache_free(c);
	for (i = 0; i < MANY_FUNCS; i++)
		free(names[i]);
	free(names);
	free(fs);
}

/* What agg_func_waits reported, for checking. */
struct test_waits {
	size_t n;
	struct agg_wait w[8];
};

/* Collect one system call into a struct test_waits. */
static void
test_wait_cb(const struct agg_wait *w, void *arg)
{
	struct test_waits *tw = arg;

	if (tw->n < 8)
		tw->w[tw->n] = *w;
	tw->n++;
}

/* The system calls of f, in tw; the entry of sys, or NULL. */
static const struct agg_wait *
test_wait_find(const struct agg *a, const struct agg_func *f, uint32_t sys,
    struct test_waits *tw)
{
	size_t i;

	memset(tw, 0, sizeof *tw);
	agg_func_waits(a, f, test_wait_cb, tw);
	for (i = 0; i < tw->n && i < 8; i++) {
		if (tw->w[i].sys == sys)
			return &tw->w[i];
	}
	return NULL;
}

/* Blocked samples: counted like any other, and per system call, in the
 * window and zeroed like the other counts. */
static void
test_blocked(void)
{
	struct binary_cache *c = binary_cache_new();
	struct binary *b = binary_synthetic(c, "libc.so.6", test_funcs_a, 3);
	const struct symtab_func *alpha = binary_lookup(b, 0x1000);
	const struct symtab_func *beta = binary_lookup(b, 0x2000);
	static const struct symtab_func jit_fn = {
		.start = 0x7000, .size = 0x10, .name = "jitted"
	};
	struct agg *a = agg_new(2, 2);
	const struct agg_totals *t = agg_event_totals(a, 0);
	const struct agg_func *fa, *fb, *fj;
	const struct agg_wait *w;
	struct test_waits tw;
	struct test_addrs ta;
	int i;

	/* tick 1: alpha runs 2 (w 10), waits in read (0) 3 (w 100) at one
	 * address and in futex (202) 1 (w 1000); beta only runs */
	agg_add(a, 0, test_frame(b, 0x1000), 10);
	agg_add(a, 0, test_frame(b, 0x1010), 10);
	for (i = 0; i < 3; i++)
		agg_add_blocked(a, 0, test_frame(b, 0x1010), 0, 100);
	agg_add_blocked(a, 0, test_frame(b, 0x1020), 202, 1000);
	agg_add(a, 0, test_frame(b, 0x2000), 5);
	agg_add_blocked(a, 2, test_frame(b, 0x1000), 0, 1);		/* no such event */
	agg_add_blocked(a, 0, test_frame(NULL, 0x1000), 0, 1);	/* no binary */
	fa = test_find(a, 0, b, alpha);
	fb = test_find(a, 0, b, beta);
	CHECK(fa != NULL && fb != NULL);
	if (fa == NULL || fb == NULL)
		goto out;
	CHECK_U64(fa->samples, 6);
	CHECK_U64(fa->weight, 20 + 300 + 1000);
	CHECK_U64(fa->nwaits, 2);
	CHECK_U64(fb->nwaits, 0);
	memset(&tw, 0, sizeof tw);
	agg_func_waits(a, fb, test_wait_cb, &tw);
	CHECK_U64(tw.n, 0);
	w = test_wait_find(a, fa, 0, &tw);
	CHECK_U64(tw.n, 2);
	CHECK(w != NULL && w->samples == 3 && w->weight == 300 &&
	    w->win_samples == 3 && w->win_weight == 300);
	w = test_wait_find(a, fa, 202, &tw);
	CHECK(w != NULL && w->samples == 1 && w->weight == 1000 &&
	    w->win_samples == 1);
	/* the addresses hold blocked and running samples alike */
	memset(&ta, 0, sizeof ta);
	agg_func_addrs(a, fa, test_addr_cb, &ta);
	CHECK_U64(ta.n, 3);
	CHECK(test_addr_find(&ta, 0x1010) != NULL &&
	    test_addr_find(&ta, 0x1010)->samples == 4 &&
	    test_addr_find(&ta, 0x1010)->weight == 310);
	CHECK_U64(t->samples, 7);
	CHECK_U64(t->weight, 1325);
	agg_tick(a);

	/* tick 2: read 1 more, and a wait outside any system call */
	agg_add_blocked(a, 0, test_frame(b, 0x1010), 0, 100);
	agg_add_blocked(a, 0, test_frame(b, 0x1030), AGG_NOSYS, 7);
	agg_tick(a);
	CHECK_U64(fa->nwaits, 3);
	w = test_wait_find(a, fa, 0, &tw);
	CHECK(w != NULL && w->samples == 4 && w->win_samples == 4 &&
	    w->win_weight == 400);
	w = test_wait_find(a, fa, AGG_NOSYS, &tw);
	CHECK(w != NULL && w->samples == 1 && w->weight == 7 &&
	    w->win_weight == 7);

	/* tick 3 (empty): tick 1 leaves the window */
	agg_tick(a);
	CHECK_U64(fa->win_samples, 2);
	CHECK_U64(fa->win_weight, 107);
	w = test_wait_find(a, fa, 0, &tw);
	CHECK(w != NULL && w->samples == 4 && w->weight == 400 &&
	    w->win_samples == 1 && w->win_weight == 100);
	w = test_wait_find(a, fa, 202, &tw);
	CHECK(w != NULL && w->samples == 1 && w->win_samples == 0 &&
	    w->win_weight == 0);
	/* shrinking the window drops tick 2 at once */
	agg_set_window(a, 1);
	w = test_wait_find(a, fa, 0, &tw);
	CHECK(w != NULL && w->win_samples == 0 && w->samples == 4);
	CHECK_U64(fa->win_samples, 0);
	agg_set_window(a, 3);
	agg_add_blocked(a, 0, test_frame(b, 0x1010), 0, 100);
	agg_tick(a);
	agg_set_window(a, 5);				/* growing keeps it */
	w = test_wait_find(a, fa, 0, &tw);
	CHECK(w != NULL && w->win_samples == 1 && w->samples == 5);

	/* a function the caller names (JIT code) */
	agg_add_blocked(a, 1, test_frame_func(b, 0x7004, &jit_fn), 7, 50);
	agg_add(a, 1, test_frame_func(b, 0x7004, &jit_fn), 50);
	fj = test_find(a, 1, b, &jit_fn);
	CHECK(fj != NULL && fj->samples == 2 && fj->nwaits == 1);
	if (fj != NULL) {
		w = test_wait_find(a, fj, 7, &tw);
		CHECK(w != NULL && w->samples == 1 && w->weight == 50);
	}

	/* zeroing forgets the waits too */
	agg_zero(a);
	CHECK_U64(agg_nfuncs(a), 0);
	agg_add(a, 0, test_frame(b, 0x1000), 1);
	fa = test_find(a, 0, b, alpha);
	CHECK(fa != NULL && fa->nwaits == 0);
	if (fa != NULL) {
		test_wait_find(a, fa, 0, &tw);
		CHECK_U64(tw.n, 0);
	}
	agg_add_blocked(a, 0, test_frame(b, 0x1000), 3, 2);
	agg_tick(a);
	CHECK(fa != NULL && fa->nwaits == 1 && fa->samples == 2);
	if (fa != NULL) {
		w = test_wait_find(a, fa, 3, &tw);
		CHECK(w != NULL && w->samples == 1 && w->win_samples == 1);
	}
out:
	agg_free(a);
	binary_cache_free(c);
}

#define BMODEL_SYS 3

/* The window of blocked samples against a reference model: random running
 * and blocked samples over three system calls, ticks and window changes. */
static void
test_blocked_model(void)
{
	struct binary_cache *c = binary_cache_new();
	struct binary *b = binary_synthetic(c, "one", test_funcs_a, 2);
	const struct symtab_func *alpha = binary_lookup(b, 0x1000);
	static const uint32_t sys[BMODEL_SYS] = { 0, 202, AGG_NOSYS };
	static uint64_t hist_s[MODEL_TICKS + 1][BMODEL_SYS];
	static uint64_t hist_w[MODEL_TICKS + 1][BMODEL_SYS];
	uint64_t cum_s[BMODEL_SYS] = { 0 }, seed = 12345, r, ws, ww, w;
	struct agg *a = agg_new(1, 4);
	unsigned window = 4, kept = 0, ntick = 0, k, j;
	const struct agg_func *f = NULL;
	const struct agg_wait *aw;
	struct test_waits tw;
	int bad = 0, step;

	memset(hist_s, 0, sizeof hist_s);
	memset(hist_w, 0, sizeof hist_w);
	for (step = 0; step < 20000 && ntick < MODEL_TICKS; step++) {
		r = test_rand(&seed);
		if (r % 40 == 0) {
			agg_tick(a);
			ntick++;
			if (kept < window)
				kept++;
		} else if (r % 997 == 1) {
			window = 1 + (unsigned)(test_rand(&seed) % 9);
			agg_set_window(a, window);
			if (kept > window)
				kept = window;
		} else if (r % 3 == 0) {
			agg_add(a, 0, test_frame(b, 0x1000 + test_rand(&seed) % 64), 1);
		} else {
			k = (unsigned)(test_rand(&seed) % BMODEL_SYS);
			w = test_rand(&seed) % 1000;
			agg_add_blocked(a, 0, test_frame(b, 0x1000 + test_rand(&seed) % 64),
			    sys[k], w);
			hist_s[ntick][k]++;
			hist_w[ntick][k] += w;
			cum_s[k]++;
		}
		if (f == NULL)
			f = test_find(a, 0, b, alpha);
		if (step % 89 != 0 || f == NULL)
			continue;
		for (k = 0; k < BMODEL_SYS; k++) {
			ws = hist_s[ntick][k];
			ww = hist_w[ntick][k];
			for (j = 1; j <= kept; j++) {
				ws += hist_s[ntick - j][k];
				ww += hist_w[ntick - j][k];
			}
			aw = test_wait_find(a, f, sys[k], &tw);
			if (cum_s[k] == 0) {
				if (aw != NULL)
					bad++;
				continue;
			}
			if (aw == NULL || aw->samples != cum_s[k] ||
			    aw->win_samples != ws || aw->win_weight != ww)
				bad++;
		}
	}
	CHECK(ntick > 100);
	CHECK_U64(bad, 0);
	agg_free(a);
	binary_cache_free(c);
}

/* Count the addresses agg_func_addrs reports (sum[0]) and their
 * samples (sum[1]). */
static void
test_addr_sum(const struct agg_addr_stat *st, void *arg)
{
	uint64_t *sum = arg;

	sum[0]++;
	sum[1] += st->samples;
}

/*
 * The address budget: 110 addresses counted once (within the cap of
 * 5/4 of the budget: test_addr_cap is past it), then a few hot ones
 * tick after tick. Nothing the window holds goes; once the cold ones are
 * older than the window, they are forgotten down to 3/4 of the budget,
 * the warning is raised, and the function's and event's counts (and
 * the hot addresses') stay exact. A forgotten address comes back anew.
 */
static void
test_addr_budget(void)
{
	static const struct symtab_func one = { 0, 1u << 20, "one" };
	struct binary_cache *c = binary_cache_new();
	struct binary *b = binary_synthetic(c, "jit", &one, 1);
	struct agg *a = agg_new(1, 2);
	struct agg_budget_stats st;
	struct session s;
	const struct agg_func *f;
	struct test_addrs ta;
	uint64_t sum[2];
	char *note;
	int i, t;

	agg_set_addr_budget(a, 100);
	for (i = 0; i < 110; i++)
		agg_add(a, 0, test_frame(b, 0x1000 + (uint64_t)i * 4), 2);
	agg_tick(a);
	agg_budget_stats(a, &st);
	CHECK_U64(st.addrs, 110);		/* the window holds them all */
	CHECK_U64(st.addr_evicted, 0);
	for (t = 0; t < 6; t++) {
		for (i = 0; i < 10; i++)
			agg_add(a, 0, test_frame(b, 0x9000 + (uint64_t)i * 4), 1);
		agg_tick(a);
	}
	agg_budget_stats(a, &st);
	CHECK_U64(st.addr_budget, 100);
	CHECK(st.addrs <= 75);
	CHECK_U64(st.addrs + st.addr_evicted, 120);
	CHECK(st.addr_evicted >= 45);
	CHECK_U64(st.addr_other, 0);
	f = agg_func_at(a, 0);
	CHECK_U64(agg_nfuncs(a), 1);
	CHECK_U64(f->samples, 110 + 60);
	CHECK_U64(f->weight, 220 + 60);
	CHECK_U64(f->win_samples, 20);
	CHECK_U64(agg_event_totals(a, 0)->samples, 170);
	CHECK_U64(agg_event_totals(a, 0)->win_weight, 20);
	/* The hot ones are all kept, with their counts. */
	memset(sum, 0, sizeof sum);
	agg_func_addrs(a, f, test_addr_sum, sum);
	CHECK_U64(sum[0], st.addrs);
	CHECK_U64(sum[1], 60 + (st.addrs - 10));
	memset(&ta, 0, sizeof ta);
	agg_func_addrs(a, f, test_addr_cb, &ta);
	CHECK(ta.n <= 16 && test_addr_find(&ta, 0x9000) != NULL &&
	    test_addr_find(&ta, 0x9000)->samples == 6);
	memset(&s, 0, sizeof s);
	s.agg = a;
	note = session_budget_note(&s);
	CHECK(note != NULL && strstr(note, "cold addresses forgotten") != NULL);
	free(note);
	/* A forgotten address counts anew; the function still adds up. */
	agg_add(a, 0, test_frame(b, 0x1000), 2);
	CHECK_U64(f->samples, 171);
	agg_free(a);
	binary_cache_free(c);
}

/* What test_addr_cap expects of one (event, function) row. */
struct test_cap_row {
	uint64_t samples, weight;
	uint64_t tick_samples[TEST_CAP_TICKS], tick_weight[TEST_CAP_TICKS];
};

/* The window's, the [other addresses] entry's and the hot address's
 * counts of one row, as agg_func_addrs reports them. */
struct test_cap_addrs {
	uint64_t win_samples, win_weight;
	uint64_t other_samples;
	size_t nother;
	bool other_ok;		/* its offset is AGG_OTHER_OFFSET */
	uint64_t hot_samples;
};

/* Add one address to a struct test_cap_addrs. */
static void
test_cap_addr(const struct agg_addr_stat *st, void *arg)
{
	struct test_cap_addrs *ca = arg;

	ca->win_samples += st->win_samples;
	ca->win_weight += st->win_weight;
	if (st->other) {
		ca->nother++;
		ca->other_samples += st->samples;
		ca->other_ok = st->offset == AGG_OTHER_OFFSET;
	} else if ((st->offset & 0xfffff) == 0x10)
		ca->hot_samples = st->samples;
}

/*
 * The hard cap of listed addresses: each tick brings 1,000 fresh
 * addresses over two functions and two events (and a hot address per
 * row), so that the window of 3 ticks holds more than the cap (5/4 of a
 * budget of 2,000). The address array and hash never grow past the
 * cap's sizes; the rows', events' and window's counts stay exact; past
 * the cap each row has one [other addresses] entry, labelled, holding
 * what was not listed; once the window passes, nothing is left in it.
 */
static void
test_addr_cap(void)
{
	static const struct symtab_func funcs[] = {
		{ 0, 0x100000, "one" },
		{ 0x100000, 0x100000, "two" },
	};
	struct binary_cache *c = binary_cache_new();
	struct binary *b = binary_synthetic(c, "jit", funcs, 2);
	struct agg *a = agg_new(2, 3);
	struct test_cap_row rows[2][2], *r;
	struct test_cap_addrs ca;
	struct agg_budget_stats st;
	const struct agg_func *f;
	struct session s;
	uint64_t ws, ww, hot = 0, others;
	unsigned e, t, u, k, fi;
	bool bad;
	char *note;

	memset(rows, 0, sizeof rows);
	agg_set_addr_budget(a, 2000);
	for (t = 0; t < TEST_CAP_TICKS; t++) {
		for (k = 0; t < TEST_CAP_FRESH && k < 1000; k++) {
			fi = k % 2;
			e = (k / 2) % 2;
			agg_add(a, e, test_frame(b, fi * 0x100000 + 0x100 +
			    (uint64_t)(t * 500 + k / 2) * 4), 1 + k % 3);
			rows[e][fi].samples++;
			rows[e][fi].weight += 1 + k % 3;
			rows[e][fi].tick_samples[t]++;
			rows[e][fi].tick_weight[t] += 1 + k % 3;
		}
		for (e = 0; t < TEST_CAP_FRESH && e < 2; e++) {
			for (fi = 0; fi < 2; fi++) {
				agg_add(a, e, test_frame(b, fi * 0x100000 + 0x10), 7);
				rows[e][fi].samples++;
				rows[e][fi].weight += 7;
				rows[e][fi].tick_samples[t]++;
				rows[e][fi].tick_weight[t] += 7;
			}
		}
		hot += t < TEST_CAP_FRESH;
		agg_tick(a);

		agg_budget_stats(a, &st);
		CHECK(st.addr_cap == 2500);
		CHECK(st.addrs - st.addr_others <= 2500);
		CHECK(st.addr_others <= 4);
		CHECK(st.addr_room <= 2500 + 2500 / 16 + 1);
		CHECK(st.addr_slots <= 4096);	/* 2,500 at load 0.7 */
		others = 0;
		bad = false;
		for (e = 0; e < 2; e++) {
			ws = ww = 0;
			for (fi = 0; fi < 2; fi++) {
				r = &rows[e][fi];
				f = test_find(a, e, b, binary_lookup(b,
				    funcs[fi].start));
				if (f == NULL) {
					bad = true;
					continue;
				}
				/* Window: the last 3 closed ticks. */
				uint64_t rs = 0, rw = 0;

				for (u = t >= 2 ? t - 2 : 0; u <= t; u++) {
					rs += r->tick_samples[u];
					rw += r->tick_weight[u];
				}
				bad |= f->samples != r->samples ||
				    f->weight != r->weight ||
				    f->win_samples != rs || f->win_weight != rw;
				memset(&ca, 0, sizeof ca);
				agg_func_addrs(a, f, test_cap_addr, &ca);
				bad |= ca.win_samples != rs || ca.win_weight != rw;
				bad |= ca.hot_samples != hot;
				/* Past the cap (from the third tick on): one
				 * labelled [other addresses] entry. */
				if (t >= 2 && t < TEST_CAP_FRESH)
					bad |= ca.nother != 1 || !ca.other_ok;
				bad |= ca.nother > 1;
				others += ca.other_samples;
				ws += rs;
				ww += rw;
			}
			bad |= agg_event_totals(a, e)->samples !=
			    rows[e][0].samples + rows[e][1].samples;
			bad |= agg_event_totals(a, e)->weight !=
			    rows[e][0].weight + rows[e][1].weight;
			bad |= agg_event_totals(a, e)->win_samples != ws;
			bad |= agg_event_totals(a, e)->win_weight != ww;
		}
		if (t < TEST_CAP_FRESH)
			bad |= others != st.addr_other;
		if (bad)
			printf("test_addr_cap: tick %u: counts differ\n", t);
		CHECK(!bad);
	}
	/* The window passed: nothing in it. */
	agg_budget_stats(a, &st);
	CHECK(st.addr_other > 0);
	for (e = 0; e < 2; e++)
		CHECK_U64(agg_event_totals(a, e)->win_samples, 0);
	memset(&s, 0, sizeof s);
	s.agg = a;
	note = session_budget_note(&s);
	CHECK(note != NULL && strstr(note, "[other addresses]") != NULL &&
	    strstr(note, "cap 2500") != NULL);
	free(note);
	agg_free(a);
	binary_cache_free(c);
}

/* Every row's samples and weight of event ev, added up. */
static void
test_rows_sum(const struct agg *a, unsigned ev, uint64_t *samples,
    uint64_t *weight)
{
	const struct agg_func *f;

	*samples = *weight = 0;
	for (size_t i = 0; i < agg_nfuncs(a); i++) {
		f = agg_func_at(a, i);
		if (f->event == ev) {
			*samples += f->samples;
			*weight += f->weight;
		}
	}
}

/*
 * The row budget: 35 cold rows (one sample each, a blocked one among
 * them) and two hot ones, past a budget of 16 rows: once the cold ones
 * are 60 ticks past the window they are folded into one [evicted] row per
 * event, their waits too; every event's counts and the hot rows' stay
 * exact, the generation changes, the warning is raised. With stacks, a
 * row a stack holds stays, and the callers of the rows that moved are
 * still right.
 */
static void
test_func_budget(void)
{
	struct binary_cache *c = binary_cache_new();
	struct binary *b, *evb;
	struct agg *a = agg_new(2, 2);
	struct agg_budget_stats st;
	const struct agg_func *f, *hot0, *hot1, *main_f, *leaf_f;
	struct agg_edge *edges = NULL;
	struct test_waits tw;
	struct rs_frame fr[2];
	struct session s;
	uint64_t gen, n, w, ts, tw_;
	size_t cap = 0;
	char *note;
	int i, t;

	b = test_many_funcs(c, "lib", "f", 40, &evb);
	agg_set_func_budget(a, 16);
	agg_set_evicted(a, evb, binary_func_at(evb, 0));
	for (i = 0; i < 30; i++)
		agg_add(a, 0, test_frame(b, (uint64_t)i * 0x100), 3);
	agg_add_blocked(a, 0, test_frame(b, 30 * 0x100), 7, 3);
	for (i = 0; i < 4; i++)
		agg_add(a, 1, test_frame(b, (uint64_t)i * 0x100 + 8), 1);
	for (i = 0; i < 3000; i++)
		agg_add(a, 0, test_frame(b, 39 * 0x100), 1);
	for (i = 0; i < 5000; i++)
		agg_add(a, 1, test_frame(b, 38 * 0x100), 1);
	gen = agg_generation(a);
	for (t = 0; t < 70; t++) {
		for (i = 0; i < 10; i++) {
			agg_add(a, 0, test_frame(b, 39 * 0x100 + 4), 1);
			agg_add(a, 1, test_frame(b, 38 * 0x100 + 4), 1);
		}
		agg_tick(a);
		if (t < 60)	/* not cold yet */
			CHECK_U64(agg_nfuncs(a), 37);
	}
	CHECK(agg_generation(a) != gen);
	agg_budget_stats(a, &st);
	CHECK_U64(st.func_budget, 16);
	CHECK_U64(st.funcs_evicted, 35);
	CHECK_U64(agg_nfuncs(a), 4);
	CHECK_U64(agg_event_totals(a, 0)->samples, 31 + 3000 + 700);
	CHECK_U64(agg_event_totals(a, 1)->samples, 4 + 5000 + 700);
	for (unsigned e = 0; e < 2; e++) {
		test_rows_sum(a, e, &n, &w);
		CHECK_U64(n, agg_event_totals(a, e)->samples);
		CHECK_U64(w, agg_event_totals(a, e)->weight);
	}
	f = test_find(a, 0, evb, binary_func_at(evb, 0));
	CHECK(f != NULL && f->samples == 31 && f->weight == 93 && f->win_samples == 0);
	CHECK(f != NULL && test_wait_find(a, f, 7, &tw) != NULL &&
	    test_wait_find(a, f, 7, &tw)->samples == 1);
	f = test_find(a, 1, evb, binary_func_at(evb, 0));
	CHECK(f != NULL && f->samples == 4);
	hot0 = test_find(a, 0, b, binary_lookup(b, 39 * 0x100));
	hot1 = test_find(a, 1, b, binary_lookup(b, 38 * 0x100));
	CHECK(hot0 != NULL && hot0->samples == 3700 && hot0->win_samples == 20);
	CHECK(hot1 != NULL && hot1->samples == 5700);
	memset(&s, 0, sizeof s);
	s.agg = a;
	note = session_budget_note(&s);
	CHECK(note != NULL && strstr(note, "35 cold functions folded into "
	    "[evicted] (budget 16 rows") != NULL);
	free(note);
	/* A folded function counts anew in a row of its own. */
	agg_add(a, 0, test_frame(b, 0), 3);
	f = test_find(a, 0, b, binary_lookup(b, 0));
	CHECK(f != NULL && f->samples == 1);
	agg_free(a);

	/* Stacks: rows 0..29 only counted flat, then main -> leaf. */
	a = agg_new(1, 2);
	agg_keep_stacks(a, 0);
	agg_set_func_budget(a, 16);
	agg_set_evicted(a, evb, binary_func_at(evb, 0));
	for (i = 0; i < 30; i++)
		agg_add(a, 0, test_frame(b, (uint64_t)i * 0x100), 1);
	for (i = 0; i < 5000; i++)
		agg_add(a, 0, test_frame(b, 37 * 0x100), 1);
	fr[0] = *test_frame(b, 36 * 0x100);	/* the leaf */
	fr[1] = *test_frame(b, 35 * 0x100);	/* its caller */
	for (i = 0; i < 5; i++)
		agg_add_stack(a, 0, fr, 2, false, AGG_NOSYS, 1);
	for (t = 0; t < 70; t++) {
		agg_add(a, 0, test_frame(b, 37 * 0x100), 1);
		agg_tick(a);
	}
	agg_budget_stats(a, &st);
	CHECK_U64(st.funcs_evicted, 30);
	CHECK_U64(agg_nfuncs(a), 4);	/* 37, main, leaf, [evicted] */
	main_f = test_find(a, 0, b, binary_lookup(b, 35 * 0x100));
	leaf_f = test_find(a, 0, b, binary_lookup(b, 36 * 0x100));
	CHECK(main_f != NULL && leaf_f != NULL);
	if (main_f != NULL && leaf_f != NULL) {
		CHECK_U64(agg_callers(a, leaf_f, false, &edges, &cap), 1);
		CHECK(edges[0].kind == AGG_EDGE_FUNC && edges[0].f == main_f &&
		    edges[0].samples == 5);
		CHECK_U64(agg_callees(a, main_f, false, &edges, &cap), 1);
		CHECK(edges[0].kind == AGG_EDGE_FUNC && edges[0].f == leaf_f);
		agg_func_total(a, main_f, false, &ts, &tw_);
		CHECK_U64(ts, 5);
	}
	test_rows_sum(a, 0, &n, &w);
	CHECK_U64(n, agg_event_totals(a, 0)->samples);
	/* The stack counts at its new keys. */
	agg_add_stack(a, 0, fr, 2, false, AGG_NOSYS, 1);
	CHECK_U64(agg_nfuncs(a), 4);
	free(edges);
	agg_free(a);
	binary_cache_free(c);
}

/* Run the tests. */
int
main(void)
{
	test_counts();
	test_window();
	test_window_model();
	test_zero();
	test_growth();
	test_blocked();
	test_blocked_model();
	test_addr_budget();
	test_addr_cap();
	test_func_budget();
	return check_exit("test_agg");
}
