/*
 * Unit tests for the stack table (stacks.c) and the aggregator's call
 * stacks (agg_add_stack, totals, callers, callees, every stack): a call
 * tree known by construction, recursion counted once, blocked samples'
 * system calls, the window, zeroing, and the budget with its "[other]"
 * frames; and a random model that the totals must match.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "binary.h"
#include "check.h"
#include "frame.h"
#include "frames.h"
#include "session.h"
#include "stacks.h"
#include "symtab.h"

enum { F_MAIN, F_OUTER, F_LEFT, F_RIGHT, F_REC, F_BURN, F_N };

static const struct symtab_func test_funcs[F_N] = {
	[F_MAIN] = { 0x1000, 0x100, "main" },
	[F_OUTER] = { 0x2000, 0x100, "outer" },
	[F_LEFT] = { 0x3000, 0x100, "left" },
	[F_RIGHT] = { 0x4000, 0x100, "right" },
	[F_REC] = { 0x5000, 0x100, "recurse" },
	[F_BURN] = { 0x6000, 0x100, "burn" },
};

static struct binary_cache *cache;
static struct binary *app;

/* Add one sample of weight w whose stack is the functions fs[0..n), root
 * first. */
static void
add(struct agg *a, unsigned ev, const int *fs, size_t n, uint64_t w,
    bool blocked, uint32_t sys)
{
	struct rs_frame fr[64];

	for (size_t i = 0; i < n; i++)
		fr[n - 1 - i] = *test_frame(app, test_funcs[fs[i]].start + 4);
	agg_add_stack(a, ev, fr, n, blocked, sys, w);
}

/* The aggregator's entry of function f of event ev, or NULL. */
static const struct agg_func *
func_of(const struct agg *a, unsigned ev, int f)
{
	const struct agg_func *af;

	for (size_t i = 0; i < agg_nfuncs(a); i++) {
		af = agg_func_at(a, i);
		if (af->event == ev && af->func != NULL &&
		    strcmp(af->func->name, test_funcs[f].name) == 0)
			return af;
	}
	return NULL;
}

/* f's total weight. */
static uint64_t
total(const struct agg *a, unsigned ev, int f, bool window)
{
	uint64_t s = 0, w = 0;
	const struct agg_func *af = func_of(a, ev, f);

	if (af != NULL)
		agg_func_total(a, af, window, &s, &w);
	return w;
}

/* The weight of the edge to function f (or of kind k) in e[0..n). */
static uint64_t
edge(const struct agg_edge *e, size_t n, enum agg_edge_kind k, int f)
{
	for (size_t i = 0; i < n; i++)
		if (e[i].kind == k && (k != AGG_EDGE_FUNC ||
		    (e[i].f->func != NULL && strcmp(e[i].f->func->name, test_funcs[f].name) == 0)))
			return e[i].weight;
	return 0;
}

/* main -> outer -> {left 60, right 40}, main -> burn 100 (self in burn
 * and in outer), and totals, callers and callees that add up. */
static void
test_tree(void)
{
	static const int s_left[] = { F_MAIN, F_OUTER, F_LEFT };
	static const int s_right[] = { F_MAIN, F_OUTER, F_RIGHT, F_BURN };
	static const int s_outer[] = { F_MAIN, F_OUTER };
	static const int s_burn[] = { F_MAIN, F_BURN };
	struct agg *a = agg_new(2, 4);
	struct agg_edge *e = NULL;
	size_t cap = 0, n;
	uint64_t s, w;

	agg_keep_stacks(a, 0);
	CHECK(agg_has_stacks(a));
	for (int i = 0; i < 60; i++)
		add(a, 0, s_left, 3, 10, false, 0);
	for (int i = 0; i < 40; i++)
		add(a, 0, s_right, 4, 10, false, 0);
	for (int i = 0; i < 20; i++)
		add(a, 0, s_outer, 2, 10, false, 0);
	for (int i = 0; i < 80; i++)
		add(a, 0, s_burn, 2, 10, false, 0);
	add(a, 1, s_burn, 2, 7, false, 0);	/* another event: apart */

	CHECK_U64(total(a, 0, F_MAIN, false), 2000);
	CHECK_U64(total(a, 0, F_OUTER, false), 1200);
	CHECK_U64(total(a, 0, F_LEFT, false), 600);
	CHECK_U64(total(a, 0, F_RIGHT, false), 400);
	CHECK_U64(total(a, 0, F_BURN, false), 1200);	/* under right and main */
	CHECK_U64(total(a, 1, F_BURN, false), 7);
	agg_func_total(a, func_of(a, 0, F_OUTER), false, &s, &w);
	CHECK_U64(s, 120);
	/* Self counts stay the leaf's. */
	CHECK_U64(func_of(a, 0, F_OUTER)->weight, 200);
	CHECK_U64(func_of(a, 0, F_BURN)->weight, 1200);
	CHECK(func_of(a, 0, F_MAIN) != NULL && func_of(a, 0, F_MAIN)->weight == 0);

	n = agg_callers(a, func_of(a, 0, F_OUTER), false, &e, &cap);
	CHECK_U64(n, 1);
	CHECK_U64(edge(e, n, AGG_EDGE_FUNC, F_MAIN), 1200);
	n = agg_callees(a, func_of(a, 0, F_OUTER), false, &e, &cap);
	CHECK_U64(n, 3);
	CHECK_U64(edge(e, n, AGG_EDGE_FUNC, F_LEFT), 600);
	CHECK_U64(edge(e, n, AGG_EDGE_FUNC, F_RIGHT), 400);
	CHECK_U64(edge(e, n, AGG_EDGE_SELF, 0), 200);
	CHECK(e[0].kind == AGG_EDGE_FUNC && e[0].weight == 600);	/* hottest first */
	n = agg_callers(a, func_of(a, 0, F_MAIN), false, &e, &cap);
	CHECK_U64(n, 1);
	CHECK_U64(edge(e, n, AGG_EDGE_ROOT, 0), 2000);
	n = agg_callers(a, func_of(a, 0, F_BURN), false, &e, &cap);
	CHECK_U64(edge(e, n, AGG_EDGE_FUNC, F_RIGHT), 400);
	CHECK_U64(edge(e, n, AGG_EDGE_FUNC, F_MAIN), 800);
	free(e);
	agg_free(a);
}

/* recurse -> recurse -> recurse -> burn: recurse's total counts each
 * sample once; its callees are itself (the recursion) and nothing else
 * at its outermost occurrence. */
static void
test_recursion(void)
{
	static const int deep[] = { F_MAIN, F_REC, F_REC, F_REC, F_BURN };
	static const int mixed[] = { F_MAIN, F_REC, F_BURN, F_REC };
	struct agg *a = agg_new(1, 4);
	struct agg_edge *e = NULL;
	size_t cap = 0, n;

	agg_keep_stacks(a, 0);
	for (int i = 0; i < 10; i++)
		add(a, 0, deep, 5, 1, false, 0);
	for (int i = 0; i < 5; i++)
		add(a, 0, mixed, 4, 1, false, 0);
	CHECK_U64(total(a, 0, F_REC, false), 15);
	CHECK_U64(total(a, 0, F_BURN, false), 15);
	CHECK_U64(total(a, 0, F_MAIN, false), 15);
	n = agg_callees(a, func_of(a, 0, F_REC), false, &e, &cap);
	CHECK_U64(edge(e, n, AGG_EDGE_FUNC, F_REC), 10);
	CHECK_U64(edge(e, n, AGG_EDGE_FUNC, F_BURN), 5);
	CHECK_U64(edge(e, n, AGG_EDGE_SELF, 0), 0);
	n = agg_callers(a, func_of(a, 0, F_REC), false, &e, &cap);
	CHECK_U64(n, 1);
	CHECK_U64(edge(e, n, AGG_EDGE_FUNC, F_MAIN), 15);
	free(e);
	agg_free(a);
}

/* One stack's frames and count, as agg_each_stack gives them. */
struct seen {
	char text[256];
	uint64_t samples;
	uint64_t weight;
	bool blocked;
	uint32_t sys;
};

struct seen_list {
	struct seen v[32];
	size_t n;
};

/* Keep one stack as "a;b;c". */
static void
collect(const struct agg_func *const *frames, size_t n, bool blocked,
    uint32_t sys, uint64_t samples, uint64_t weight, void *arg)
{
	struct seen_list *l = arg;
	struct seen *s;

	if (l->n == 32)
		return;
	s = &l->v[l->n++];
	s->text[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			strcat(s->text, ";");
		strcat(s->text, frames[i] == NULL ? "[other]" :
		    frames[i]->func != NULL ? frames[i]->func->name : "[unknown]");
	}
	s->samples = samples;
	s->weight = weight;
	s->blocked = blocked;
	s->sys = sys;
}

/* The samples of the stack text in l (blocked or not), 0 if absent. */
static uint64_t
seen(const struct seen_list *l, const char *text, bool blocked, uint32_t sys)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].text, text) == 0 && l->v[i].blocked == blocked &&
		    l->v[i].sys == sys)
			return l->v[i].samples;
	return 0;
}

/* Blocked samples end in their system call; every stack is listed once,
 * root first, per event; the window forgets old ticks; zero forgets all. */
static void
test_each_window_zero(void)
{
	static const int s_read[] = { F_MAIN, F_OUTER, F_LEFT };
	struct agg *a = agg_new(2, 2);
	struct seen_list l = { .n = 0 };
	struct agg_stack_stats st;

	agg_keep_stacks(a, 0);
	add(a, 0, s_read, 3, 5, true, 0);
	add(a, 0, s_read, 3, 5, true, 0);
	add(a, 0, s_read, 3, 5, true, AGG_NOSYS);
	add(a, 0, s_read, 3, 5, false, 0);
	add(a, 1, s_read, 2, 5, false, 0);
	agg_each_stack(a, 0, false, collect, &l);
	CHECK_U64(l.n, 3);
	CHECK_U64(seen(&l, "main;outer;left", true, 0), 2);
	CHECK_U64(seen(&l, "main;outer;left", true, AGG_NOSYS), 1);
	CHECK_U64(seen(&l, "main;outer;left", false, AGG_NOSYS), 1);
	CHECK_U64(l.v[0].weight, 5 * l.v[0].samples);
	/* The function's own counts hold its system calls too. */
	CHECK_U64(func_of(a, 0, F_LEFT)->nwaits, 2);
	CHECK_U64(total(a, 0, F_LEFT, false), 20);

	/* Window of 2 ticks: after two more ticks the first is gone. */
	agg_tick(a);
	add(a, 0, s_read, 2, 1, false, 0);
	agg_tick(a);
	CHECK_U64(total(a, 0, F_OUTER, true), 21);
	agg_tick(a);
	CHECK_U64(total(a, 0, F_OUTER, true), 1);
	CHECK_U64(total(a, 0, F_OUTER, false), 21);
	l.n = 0;
	agg_each_stack(a, 0, true, collect, &l);
	CHECK_U64(l.n, 1);
	CHECK_U64(seen(&l, "main;outer", false, AGG_NOSYS), 1);

	agg_zero(a);
	CHECK(agg_has_stacks(a));
	agg_stack_stats(a, &st);
	CHECK_U64(st.nodes, 0);
	l.n = 0;
	agg_each_stack(a, 0, false, collect, &l);
	CHECK_U64(l.n, 0);
	add(a, 0, s_read, 3, 1, false, 0);
	CHECK_U64(total(a, 0, F_LEFT, false), 1);
	agg_free(a);
}

/* A budget of 4 nodes: what does not fit is "[other]" under the deepest
 * frame known while the reserve lasts (one node here), then the deepest
 * frame itself; both counted as cut; totals still add up at the frames
 * kept. */
static void
test_budget(void)
{
	static const int s1[] = { F_MAIN, F_OUTER, F_LEFT };
	static const int s2[] = { F_MAIN, F_OUTER, F_RIGHT, F_BURN };
	static const int s3[] = { F_MAIN, F_REC, F_BURN };
	struct agg *a = agg_new(1, 4);
	struct seen_list l = { .n = 0 };
	struct agg_stack_stats st;
	struct agg_edge *e = NULL;
	size_t cap = 0, n;

	agg_keep_stacks(a, 4);
	add(a, 0, s1, 3, 1, false, 0);		/* 3 nodes */
	add(a, 0, s2, 4, 1, false, 0);		/* right: the 4th; burn cut */
	add(a, 0, s3, 3, 1, false, 0);		/* rec cut */
	agg_stack_stats(a, &st);
	CHECK_U64(st.budget, 4);
	CHECK_U64(st.cut, 2);
	CHECK_U64(st.nodes, 5);
	CHECK(st.bytes > 0);
	CHECK_U64(total(a, 0, F_MAIN, false), 3);
	CHECK_U64(total(a, 0, F_RIGHT, false), 1);
	n = agg_callees(a, func_of(a, 0, F_RIGHT), false, &e, &cap);
	CHECK_U64(edge(e, n, AGG_EDGE_OTHER, 0), 1);
	agg_each_stack(a, 0, false, collect, &l);
	CHECK_U64(seen(&l, "main;outer;right;[other]", false, AGG_NOSYS), 1);
	CHECK_U64(seen(&l, "main", false, AGG_NOSYS), 1);
	free(e);
	agg_free(a);
}

/*
 * The budget reached with cold stacks: once they are older than the
 * window, the tick evicts them into an "[other]" under the frame they
 * hung from (main keeps its total), the warning is raised, and a new
 * stack finds room again instead of being cut.
 */
static void
test_evict(void)
{
	static const int s1[] = { F_MAIN, F_OUTER, F_LEFT };
	static const int s2[] = { F_MAIN, F_REC, F_BURN };
	static const int hot[] = { F_MAIN, F_RIGHT };
	static const int s3[] = { F_MAIN, F_LEFT, F_BURN };
	struct agg *a = agg_new(1, 2);
	struct session s;
	char *note;
	struct seen_list l = { .n = 0 };
	struct agg_budget_stats st;
	struct agg_edge *e = NULL;
	size_t cap = 0, n;

	agg_keep_stacks(a, 6);
	add(a, 0, s1, 3, 1, false, 0);
	add(a, 0, s2, 3, 1, false, 0);
	for (int t = 0; t < 6; t++) {
		add(a, 0, hot, 2, 1, false, 0);		/* 6 nodes: full */
		agg_tick(a);
	}
	agg_budget_stats(a, &st);
	CHECK_U64(st.nodes_evicted, 4);
	CHECK_U64(st.nodes, 3);			/* main, right, [other] */
	CHECK_U64(st.stacks_cut, 0);
	CHECK_U64(total(a, 0, F_MAIN, false), 8);
	CHECK_U64(total(a, 0, F_MAIN, true), 2);
	CHECK_U64(total(a, 0, F_RIGHT, true), 2);
	CHECK_U64(total(a, 0, F_RIGHT, false), 6);
	CHECK_U64(total(a, 0, F_OUTER, false), 0);
	n = agg_callees(a, func_of(a, 0, F_MAIN), false, &e, &cap);
	CHECK_U64(edge(e, n, AGG_EDGE_OTHER, 0), 2);
	agg_each_stack(a, 0, false, collect, &l);
	CHECK_U64(seen(&l, "main;[other]", false, AGG_NOSYS), 2);
	CHECK_U64(seen(&l, "main;right", false, AGG_NOSYS), 6);
	memset(&s, 0, sizeof s);
	s.agg = a;
	note = session_budget_note(&s);
	CHECK(note != NULL && strstr(note, "4 cold stack nodes") != NULL);
	free(note);
	/* Room again: a new stack is kept whole, not cut. */
	add(a, 0, s3, 3, 1, false, 0);
	agg_budget_stats(a, &st);
	CHECK_U64(st.stacks_cut, 0);
	CHECK_U64(st.nodes, 5);
	CHECK_U64(total(a, 0, F_LEFT, false), 1);
	CHECK_U64(total(a, 0, F_MAIN, false), 9);
	free(e);
	agg_free(a);
}

/* Without stacks kept, a function's total is its own count. */
static void
test_no_stacks(void)
{
	static const int s1[] = { F_MAIN, F_OUTER };
	struct agg *a = agg_new(1, 4);
	struct agg_edge *e = NULL;
	size_t cap = 0;

	add(a, 0, s1, 2, 3, false, 0);
	CHECK(!agg_has_stacks(a));
	CHECK_U64(total(a, 0, F_OUTER, false), 3);
	CHECK(func_of(a, 0, F_MAIN) == NULL);
	CHECK_U64(agg_callers(a, func_of(a, 0, F_OUTER), false, &e, &cap), 0);
	free(e);
	agg_free(a);
}

/* Random stacks of random depth (with repeats: recursion) against a model
 * that counts each function once per sample. */
static void
test_model(void)
{
	struct agg *a = agg_new(1, 3);
	uint64_t model[F_N] = { 0 }, seed = 7, x;
	int fs[20];
	bool in[F_N];
	size_t n;

	agg_keep_stacks(a, 0);
	for (int s = 0; s < 20000; s++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		x = seed >> 20;
		n = 1 + x % 20;
		memset(in, 0, sizeof in);
		for (size_t i = 0; i < n; i++) {
			fs[i] = (int)((x >> (i % 13) * 3) % F_N);
			in[fs[i]] = true;
		}
		add(a, 0, fs, n, 2, false, 0);
		for (int f = 0; f < F_N; f++)
			if (in[f])
				model[f] += 2;
		if (s % 1000 == 999)
			agg_tick(a);
	}
	for (int f = 0; f < F_N; f++)
		CHECK_U64(total(a, 0, f, false), model[f]);
	agg_free(a);
}

/* Run the tests. */
int
main(void)
{
	cache = binary_cache_new();
	app = binary_synthetic(cache, "app", test_funcs, F_N);
	test_tree();
	test_recursion();
	test_each_window_zero();
	test_budget();
	test_evict();
	test_no_stacks();
	test_model();
	binary_cache_free(cache);
	return check_exit("test_stacks");
}
