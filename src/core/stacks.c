/*
 * The stack table: a tree of frames in one growable array, found through
 * an open-addressing hash of (parent, key). Nodes are only ever added
 * (until stacks_zero), children after their parents, so ids grow from the
 * root down: inclusive sums are one pass over the ids in reverse.
 *
 * The window works as the aggregator's does: the nodes a tick touched are
 * listed with what they gained (a node points at its entry), the list
 * becomes the tick's bucket, and the bucket that falls out of the window
 * is subtracted.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "evict.h"
#include "stacks.h"
#include "xmalloc.h"

#define STACKS_MAX_WINDOW	3600
#define STACKS_MIN_SLOTS	1024u
#define STACKS_RESERVE(b)	((b) / 8 + 1)	/* "[other]" nodes past the budget */

struct stacks_ent {
	struct stacks_node pub;
	uint32_t touch;			/* its entry in the touched list */
	uint32_t stamp;			/* tick a sample last went through it:
					 * never later than its parent's */
};

/* What one node gained in one tick. */
struct stacks_delta {
	uint32_t id;
	uint64_t samples;
	uint64_t weight;
};

struct stacks_bucket {
	struct stacks_delta *d;
	size_t n, cap;
};

struct stacks {
	size_t budget;
	struct stacks_ent *v;
	size_t n, cap;
	uint32_t *slots;		/* node id + 1; 0: empty */
	size_t nslots;			/* a power of two */
	uint32_t roots;			/* first root frame (siblings chained) */
	uint64_t cut;
	uint64_t evicted;		/* cold nodes folded into "[other]" */
	uint32_t tick;			/* ticks closed */

	struct stacks_delta *touched;
	size_t ntouched, ctouched;
	struct stacks_bucket *bk;
	unsigned window, bk_head, bk_n;

	struct stacks_sum *sums;	/* cache of stacks_sums */
	size_t nsums;
	bool sums_ok, sums_window;
};

/* Clamp a window length to what is kept. */
static unsigned
stacks_clamp(unsigned w)
{
	return w < 1 ? 1 : w > STACKS_MAX_WINDOW ? STACKS_MAX_WINDOW : w;
}

/* A new, empty table. */
struct stacks *
stacks_new(size_t budget, unsigned window_ticks)
{
	struct stacks *s = xcalloc(1, sizeof *s);

	s->budget = budget != 0 ? budget : STACKS_BUDGET;
	s->window = stacks_clamp(window_ticks);
	s->bk = xcalloc(s->window, sizeof *s->bk);
	s->roots = STACKS_NONE;
	return s;
}

/* Free the nodes, the hash, the window and the sums. */
static void
stacks_clear(struct stacks *s)
{
	for (unsigned i = 0; i < s->window; i++) {
		free(s->bk[i].d);
		s->bk[i].d = NULL;
		s->bk[i].n = s->bk[i].cap = 0;
	}
	free(s->v);
	free(s->slots);
	free(s->touched);
	free(s->sums);
	s->v = NULL;
	s->n = s->cap = 0;
	s->slots = NULL;
	s->nslots = 0;
	s->touched = NULL;
	s->ntouched = s->ctouched = 0;
	s->sums = NULL;
	s->nsums = 0;
	s->sums_ok = false;
	s->roots = STACKS_NONE;
	s->cut = 0;
	s->evicted = 0;
	s->bk_head = s->bk_n = 0;
}

/* Free a table. */
void
stacks_free(struct stacks *s)
{
	if (s == NULL)
		return;
	stacks_clear(s);
	free(s->bk);
	free(s);
}

/* Forget every stack. */
void
stacks_zero(struct stacks *s)
{
	stacks_clear(s);
}

/* Hash a (parent, key) pair. */
static inline uint64_t
stacks_hash(uint32_t parent, uint32_t key)
{
	uint64_t x = ((uint64_t)parent << 32 | key) * 0x9e3779b97f4a7c15ULL;

	return x ^ (x >> 29);
}

/* Double the hash. */
static void
stacks_grow_slots(struct stacks *s)
{
	size_t n = s->nslots ? s->nslots * 2 : STACKS_MIN_SLOTS, mask = n - 1, j;
	uint32_t *slots = xcalloc(n, sizeof *slots);

	for (size_t i = 0; i < s->n; i++) {
		const struct stacks_node *p = &s->v[i].pub;

		for (j = stacks_hash(p->parent, p->key) & mask; slots[j] != 0;
		    j = (j + 1) & mask)
			;
		slots[j] = (uint32_t)i + 1;
	}
	free(s->slots);
	s->slots = slots;
	s->nslots = n;
}

/* Mark used[key] for every function key (below n) a node has. */
void
stacks_keys_used(const struct stacks *s, bool *used, size_t n)
{
	uint32_t key;

	for (size_t i = 0; i < s->n; i++) {
		key = s->v[i].pub.key;
		if (key < STACKS_SYS && key < n)
			used[key] = true;
	}
}

/* Give every node's function key k the key map[k] (k below n), then
 * rehash: map must be one-to-one on the keys in use. */
void
stacks_rekey(struct stacks *s, const uint32_t *map, size_t n)
{
	struct stacks_node *p;

	for (size_t i = 0; i < s->n; i++) {
		p = &s->v[i].pub;
		if (p->key < STACKS_SYS && p->key < n)
			p->key = map[p->key];
	}
	if (s->nslots > 0) {
		s->nslots /= 2;
		stacks_grow_slots(s);
	}
}

/* The child of parent with key, or STACKS_NONE; *slot: where a new one
 * would go. */
static uint32_t
stacks_find(const struct stacks *s, uint32_t parent, uint32_t key,
    size_t *slot)
{
	size_t mask = s->nslots - 1, j;
	const struct stacks_node *p;

	for (j = stacks_hash(parent, key) & mask; s->slots[j] != 0;
	    j = (j + 1) & mask) {
		p = &s->v[s->slots[j] - 1].pub;
		if (p->parent == parent && p->key == key)
			return s->slots[j] - 1;
	}
	*slot = j;
	return STACKS_NONE;
}

/* Whether key is a function's (not a system call, not the cut frames). */
static inline bool
stacks_is_func(uint32_t key)
{
	return key < STACKS_SYS;
}

/* A new child of parent with key, in hash slot slot. */
static uint32_t
stacks_new_node(struct stacks *s, uint32_t parent, uint32_t key, size_t slot)
{
	struct stacks_node *p;
	uint32_t id, a;

	if (s->n == s->cap) {
		/* Doubling, but never past what the budget allows. */
		s->cap = s->cap ? s->cap * 2 : 1024;
		if (s->cap > s->budget + STACKS_RESERVE(s->budget))
			s->cap = s->budget + STACKS_RESERVE(s->budget);
		s->v = xreallocarray(s->v, s->cap, sizeof *s->v);
	}
	id = (uint32_t)s->n++;
	memset(&s->v[id], 0, sizeof s->v[id]);
	s->v[id].touch = UINT32_MAX;
	s->v[id].stamp = parent != STACKS_NONE ? s->v[parent].stamp : s->tick;
	p = &s->v[id].pub;
	p->parent = parent;
	p->key = key;
	p->first_child = STACKS_NONE;
	p->outermost = stacks_is_func(key);
	for (a = parent; p->outermost && a != STACKS_NONE; a = s->v[a].pub.parent)
		if (s->v[a].pub.key == key)
			p->outermost = false;
	if (parent == STACKS_NONE) {
		p->next_sibling = s->roots;
		s->roots = id;
	} else {
		p->next_sibling = s->v[parent].pub.first_child;
		s->v[parent].pub.first_child = id;
	}
	s->slots[slot] = id + 1;
	if (s->n * 2 > s->nslots)
		stacks_grow_slots(s);
	return id;
}

/* Count one sample. */
uint32_t
stacks_add(struct stacks *s, const uint32_t *keys, size_t n, uint64_t weight)
{
	uint32_t node = STACKS_NONE, child;
	struct stacks_ent *e;
	struct stacks_delta *d;
	size_t i, slot = 0;

	if (s->nslots == 0)
		stacks_grow_slots(s);
	if (n > STACKS_MAX_DEPTH)
		n = STACKS_MAX_DEPTH;
	for (i = 0; i < n; i++) {
		child = stacks_find(s, node, keys[i], &slot);
		if (child == STACKS_NONE) {
			if (s->n >= s->budget) {
				/* Full: the rest of the stack is "[other]"
				 * under the deepest frame known, where the
				 * reserve allows one. */
				s->cut++;
				child = stacks_find(s, node, STACKS_OTHER, &slot);
				if (child == STACKS_NONE &&
				    s->n < s->budget + STACKS_RESERVE(s->budget))
					child = stacks_new_node(s, node, STACKS_OTHER, slot);
				if (child != STACKS_NONE) {
					node = child;
					s->v[node].stamp = s->tick;
				}
				break;
			}
			child = stacks_new_node(s, node, keys[i], slot);
		}
		node = child;
		s->v[node].stamp = s->tick;
	}
	if (node == STACKS_NONE)
		return STACKS_NONE;
	e = &s->v[node];
	e->pub.samples++;
	e->pub.weight += weight;
	e->pub.win_samples++;
	e->pub.win_weight += weight;
	if (e->touch >= s->ntouched || s->touched[e->touch].id != node) {
		if (s->ntouched == s->ctouched) {
			s->ctouched = s->ctouched ? s->ctouched * 2 : 256;
			s->touched = xreallocarray(s->touched, s->ctouched,
			    sizeof *s->touched);
		}
		e->touch = (uint32_t)s->ntouched;
		d = &s->touched[s->ntouched++];
		d->id = node;
		d->samples = 0;
		d->weight = 0;
	}
	d = &s->touched[e->touch];
	d->samples++;
	d->weight += weight;
	s->sums_ok = false;
	return node;
}

/* Take a closed tick's gains out of the window counts. */
static void
stacks_expire_oldest(struct stacks *s)
{
	struct stacks_bucket *b = &s->bk[s->bk_head];
	struct stacks_node *p;

	for (size_t i = 0; i < b->n; i++) {
		p = &s->v[b->d[i].id].pub;
		p->win_samples -= b->d[i].samples;
		p->win_weight -= b->d[i].weight;
	}
	b->n = 0;
	s->bk_head = (s->bk_head + 1) % s->window;
	s->bk_n--;
}

/* Whether node i may be evicted at all: not the window's (older than it),
 * not a root "[other]" (where evicted roots go). */
static inline bool
stacks_evictable(const struct stacks *s, size_t i, uint32_t *age)
{
	const struct stacks_ent *e = &s->v[i];

	*age = s->tick - e->stamp;
	return *age > s->window + 1 &&
	    !(e->pub.key == STACKS_OTHER && e->pub.parent == STACKS_NONE);
}

/* The age from which nodes go so that at most keep are left, the oldest
 * first; 0: none may go. A node is never younger than its children, so
 * all that is that old is whole subtrees. */
static uint32_t
stacks_evict_age(const struct stacks *s, size_t keep)
{
	size_t need = s->n - keep, n = 0;
	uint32_t *ages, age, thr;

	ages = xreallocarray(NULL, s->n, sizeof *ages);
	for (size_t i = 0; i < s->n; i++)
		if (stacks_evictable(s, i, &age))
			ages[n++] = age;
	thr = evict_age(ages, n, need, s->window + 2);
	free(ages);
	return thr;
}

/* Relink the survivors' children, siblings and roots, and rehash them. */
static void
stacks_relink(struct stacks *s)
{
	struct stacks_node *p;
	size_t i;

	s->roots = STACKS_NONE;
	for (i = 0; i < s->n; i++)
		s->v[i].pub.first_child = STACKS_NONE;
	for (i = s->n; i-- > 0;) {
		p = &s->v[i].pub;
		if (p->parent == STACKS_NONE) {
			p->next_sibling = s->roots;
			s->roots = (uint32_t)i;
		} else {
			p->next_sibling = s->v[p->parent].pub.first_child;
			s->v[p->parent].pub.first_child = (uint32_t)i;
		}
	}
	s->nslots /= 2;
	stacks_grow_slots(s);
}

/* Add a cold subtree's counts to the "[other]" child of parent (made
 * where it has none). */
static void
stacks_fold(struct stacks *s, uint32_t parent, const struct stacks_sum *sum)
{
	size_t slot = 0;
	uint32_t o;

	if (sum->samples == 0 && sum->weight == 0)
		return;
	if ((o = stacks_find(s, parent, STACKS_OTHER, &slot)) == STACKS_NONE)
		o = stacks_new_node(s, parent, STACKS_OTHER, slot);
	s->v[o].pub.samples += sum->samples;
	s->v[o].pub.weight += sum->weight;
}

/*
 * At the budget, evict the coldest stacks (none the window holds) until
 * 3/4 of it is left: each evicted subtree's samples go to an "[other]"
 * child of the frame it hung from (a root "[other]" for whole stacks),
 * so every frame that stays keeps its inclusive count. The survivors
 * move down in order (parents still before children), the links, the
 * hash and the window's buckets are redone with their new ids. Called
 * between ticks (nothing touched).
 */
static void
stacks_evict(struct stacks *s)
{
	struct stacks_sum *acc, root = { 0, 0 };
	uint32_t *map, *top, thr, age, nk = 0, t;
	struct stacks_node *p;
	size_t i, k, n = s->n;

	if (n < s->budget ||
	    (thr = stacks_evict_age(s, s->budget / 4 * 3)) == 0)
		return;
	map = xreallocarray(NULL, n, sizeof *map);
	top = xreallocarray(NULL, n, sizeof *top);
	acc = xcalloc(n, sizeof *acc);
	for (i = 0; i < n; i++) {
		p = &s->v[i].pub;
		if (!stacks_evictable(s, i, &age) || age < thr) {
			map[i] = nk;
			top[i] = STACKS_NONE;
			s->v[i].pub.parent = p->parent == STACKS_NONE ?
			    STACKS_NONE : map[p->parent];
			s->v[nk++] = s->v[i];
			continue;
		}
		/* Its parent went before it, or stays: where its samples go. */
		map[i] = STACKS_NONE;
		top[i] = p->parent == STACKS_NONE || map[p->parent] != STACKS_NONE ?
		    p->parent : top[p->parent];
		t = top[i];
		if (t == STACKS_NONE) {
			root.samples += p->samples;
			root.weight += p->weight;
		} else {
			acc[t].samples += p->samples;
			acc[t].weight += p->weight;
		}
	}
	s->evicted += n - nk;
	s->n = nk;
	stacks_relink(s);
	for (i = 0; i < n; i++)
		if (map[i] != STACKS_NONE)
			stacks_fold(s, map[i], &acc[i]);
	stacks_fold(s, STACKS_NONE, &root);
	for (i = 0; i < s->window; i++)
		for (k = 0; k < s->bk[i].n; k++)
			s->bk[i].d[k].id = map[s->bk[i].d[k].id];
	free(acc);
	free(top);
	free(map);
	s->sums_ok = false;
}

/* Close the tick. */
void
stacks_tick(struct stacks *s)
{
	struct stacks_bucket *b;

	if (s->bk_n == s->window)
		stacks_expire_oldest(s);
	b = &s->bk[(s->bk_head + s->bk_n) % s->window];
	s->bk_n++;
	if (b->cap < s->ntouched) {
		free(b->d);
		b->cap = s->ntouched;
		b->d = xreallocarray(NULL, b->cap, sizeof *b->d);
	}
	if (s->ntouched != 0)
		memcpy(b->d, s->touched, s->ntouched * sizeof *b->d);
	b->n = s->ntouched;
	s->ntouched = 0;
	s->sums_ok = false;
	s->tick++;
	stacks_evict(s);
}

/* Change the window length; ticks kept count as far as they go. */
void
stacks_set_window(struct stacks *s, unsigned window_ticks)
{
	unsigned w = stacks_clamp(window_ticks), i;
	struct stacks_bucket *bk;

	if (w == s->window)
		return;
	while (s->bk_n > w)
		stacks_expire_oldest(s);
	bk = xcalloc(w, sizeof *bk);
	for (i = 0; i < s->bk_n; i++) {
		bk[i] = s->bk[(s->bk_head + i) % s->window];
		s->bk[(s->bk_head + i) % s->window].d = NULL;
	}
	for (i = 0; i < s->window; i++)
		free(s->bk[i].d);
	free(s->bk);
	s->bk = bk;
	s->bk_head = 0;
	s->window = w;
	s->sums_ok = false;
}

/* How many nodes there are. */
size_t
stacks_count(const struct stacks *s)
{
	return s->n;
}

/* The budget of nodes. */
size_t
stacks_budget(const struct stacks *s)
{
	return s->budget;
}

/* Cold nodes evicted so far. */
uint64_t
stacks_evicted(const struct stacks *s)
{
	return s->evicted;
}

/* Samples whose stack was cut short by the budget. */
uint64_t
stacks_cut(const struct stacks *s)
{
	return s->cut;
}

/* Bytes held by the table (nodes, hash, window lists, sums). */
size_t
stacks_memory(const struct stacks *s)
{
	size_t m = s->cap * sizeof *s->v + s->nslots * sizeof *s->slots +
	    s->ctouched * sizeof *s->touched + s->nsums * sizeof *s->sums;

	for (unsigned i = 0; i < s->window; i++)
		m += s->bk[i].cap * sizeof *s->bk[i].d;
	return m;
}

/* Node id. */
const struct stacks_node *
stacks_node(const struct stacks *s, uint32_t id)
{
	return id < s->n ? &s->v[id].pub : NULL;
}

/* The inclusive sums, children before parents (ids run root down). */
const struct stacks_sum *
stacks_sums(struct stacks *s, bool window)
{
	const struct stacks_node *p;
	size_t i;

	if (s->sums_ok && s->sums_window == window)
		return s->sums;
	if (s->nsums < s->n) {
		free(s->sums);
		s->nsums = s->cap;
		s->sums = xreallocarray(NULL, s->nsums, sizeof *s->sums);
	}
	for (i = 0; i < s->n; i++) {
		p = &s->v[i].pub;
		s->sums[i].samples = window ? p->win_samples : p->samples;
		s->sums[i].weight = window ? p->win_weight : p->weight;
	}
	for (i = s->n; i-- > 0;) {
		p = &s->v[i].pub;
		if (p->parent != STACKS_NONE) {
			s->sums[p->parent].samples += s->sums[i].samples;
			s->sums[p->parent].weight += s->sums[i].weight;
		}
	}
	s->sums_ok = true;
	s->sums_window = window;
	return s->sums;
}
