/*
 * The rows that the screen and every export read: one event's functions
 * from the aggregator, zoomed, filtered, sorted and optionally grouped by
 * binary; function rows with blocked samples annotated with what they
 * wait in.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agg.h"
#include "binary.h"
#include "procstat.h"
#include "symtab.h"
#include "view.h"
#include "xmalloc.h"

#define VIEW_UNKNOWN "[unknown]"

const char *const view_sort_names[VIEW_SORT_COUNT] = {
	[VIEW_SORT_SELF] = "self",
	[VIEW_SORT_TOTAL] = "total",
	[VIEW_SORT_SAMPLES] = "samples",
	[VIEW_SORT_FUNCTION] = "function",
	[VIEW_SORT_BINARY] = "binary",
};

/* A name made up for a system call number that procstat does not know. */
struct view_sysname {
	uint32_t sys;
	char *name;
};

/* A row's blocked samples, summed while its system calls are walked. */
struct view_waitsum {
	bool window;
	size_t n;			/* system calls with samples */
	uint32_t best_sys;
	uint64_t best_samples, best_weight;
	uint64_t weight;		/* all blocked weight */
};

/* One binary's subtotal while grouping. */
struct view_group {
	struct view_row row;
	size_t count;			/* function rows */
	size_t next;			/* where its next function row goes */
};

/* The sort key named name, or -1. */
int
view_sort_parse(const char *name)
{
	int i;

	if (name == NULL)
		return -1;
	for (i = 0; i < VIEW_SORT_COUNT; i++) {
		if (strcasecmp(name, view_sort_names[i]) == 0)
			return i;
	}
	return -1;
}

/* Compare two numbers, larger first. */
static int
view_cmp_desc(uint64_t x, uint64_t y)
{
	return x > y ? -1 : x < y;
}

/* Compare two names: case-insensitively, then exactly. */
static int
view_cmp_name(const char *x, const char *y)
{
	int r = strcasecmp(x, y);

	return r != 0 ? r : strcmp(x, y);
}

/* Compare two rows by the sort key alone, in its default direction. */
static int
view_cmp_key(const struct view_row *x, const struct view_row *y,
    enum view_sort sort)
{
	switch (sort) {
	case VIEW_SORT_SELF:
		return view_cmp_desc(x->weight, y->weight);
	case VIEW_SORT_TOTAL:
		if (x->total_pct != y->total_pct)
			return x->total_pct > y->total_pct ? -1 : 1;
		return view_cmp_desc(x->weight, y->weight);
	case VIEW_SORT_SAMPLES:
		return view_cmp_desc(x->samples, y->samples);
	case VIEW_SORT_FUNCTION:
		return view_cmp_name(x->function, y->function);
	case VIEW_SORT_BINARY:
		return view_cmp_name(x->binary, y->binary);
	default:
		return 0;
	}
}

/* Compare rows by key (maybe reversed), weight, binary, function, identity. */
static int
view_cmp(const void *xp, const void *yp, void *arg)
{
	const struct view_row *x = xp, *y = yp;
	const struct view_opts *o = arg;
	uint32_t xi, yi;
	int r;

	r = view_cmp_key(x, y, o->sort);
	if (o->reverse)
		r = -r;
	if (r != 0)
		return r;
	if ((r = view_cmp_desc(x->weight, y->weight)) != 0)
		return r;
	if ((r = view_cmp_name(x->binary, y->binary)) != 0)
		return r;
	if ((r = view_cmp_name(x->function, y->function)) != 0)
		return r;
	xi = binary_id(x->bin);
	yi = binary_id(y->bin);
	if (xi != yi)
		return xi < yi ? -1 : 1;
	if (x->has_address != y->has_address)
		return x->has_address ? 1 : -1;
	if (x->address != y->address)
		return x->address < y->address ? -1 : 1;
	return 0;
}

/* Percent of total, 0 when there is no total. */
static double
view_pct(uint64_t part, uint64_t total)
{
	if (total == 0)
		return 0.0;
	return (double)part * 100.0 / (double)total;
}

/* Whether system call x (samples xs, weight xw) is hotter than y. */
static bool
view_wait_hotter(uint32_t xsys, uint64_t xs, uint64_t xw, uint32_t ysys,
    uint64_t ys, uint64_t yw)
{
	if (xw != yw)
		return xw > yw;
	if (xs != ys)
		return xs > ys;
	return xsys < ysys;
}

/* agg_func_waits callback: add one system call to a struct view_waitsum. */
static void
view_wait_sum(const struct agg_wait *w, void *arg)
{
	struct view_waitsum *ws = arg;
	uint64_t samples = ws->window ? w->win_samples : w->samples;
	uint64_t weight = ws->window ? w->win_weight : w->weight;

	if (samples == 0)
		return;
	if (ws->n++ == 0 || view_wait_hotter(w->sys, samples, weight,
	    ws->best_sys, ws->best_samples, ws->best_weight)) {
		ws->best_sys = w->sys;
		ws->best_samples = samples;
		ws->best_weight = weight;
	}
	ws->weight += weight;
}

/* The name of system call sys. */
const char *
view_syscall_name(struct view *v, uint32_t sys)
{
	struct view_sysname *sn;
	const char *name;
	size_t i;

	if (sys == AGG_NOSYS)
		return VIEW_WAIT_FAULT;
	if ((name = procstat_syscall_name((long)sys)) != NULL)
		return name;
	for (i = 0; i < v->nsysnames; i++) {
		if (v->sysnames[i].sys == sys)
			return v->sysnames[i].name;
	}
	v->sysnames = xreallocarray(v->sysnames, v->nsysnames + 1,
	    sizeof *v->sysnames);
	sn = &v->sysnames[v->nsysnames++];
	sn->sys = sys;
	sn->name = xasprintf("syscall_%" PRIu32, sys);
	return sn->name;
}

/* Sum the blocked samples of af in the view's counts into *ws; false
 * where it has none. */
static bool
view_wait_sum_func(const struct view *v, const struct agg *a,
    const struct agg_func *af, struct view_waitsum *ws)
{
	if (af->nwaits == 0)
		return false;
	memset(ws, 0, sizeof *ws);
	ws->window = v->window;
	agg_func_waits(a, af, view_wait_sum, ws);
	return ws->n > 0;
}

/* Annotate function row r with what its blocked samples wait in. */
static void
view_wait_row(struct view *v, const struct view_waitsum *ws,
    struct view_row *r)
{
	r->wait = view_syscall_name(v, ws->best_sys);
	r->wait_more = ws->n > 1;
	r->wait_pct = view_pct(ws->weight, r->weight);
}

/* view_row_waits' state while walking the system calls. */
struct view_waitlist {
	struct view *v;
	const struct view_row *r;
	struct view_wait *w;
	size_t n, cap;
};

/* agg_func_waits callback: add one system call to a struct view_waitlist. */
static void
view_wait_list(const struct agg_wait *w, void *arg)
{
	struct view_waitlist *wl = arg;
	uint64_t samples = wl->v->window ? w->win_samples : w->samples;
	struct view_wait *out;

	if (samples == 0)
		return;
	if (wl->n == wl->cap) {
		wl->cap = wl->cap ? wl->cap * 2 : 4;
		wl->w = xreallocarray(wl->w, wl->cap, sizeof *wl->w);
	}
	out = &wl->w[wl->n++];
	out->sys = w->sys;
	out->name = NULL;
	out->samples = samples;
	out->weight = wl->v->window ? w->win_weight : w->weight;
	out->pct = view_pct(out->weight, wl->r->weight);
}

/* Hottest system call first, as view_wait_row picks it. */
static int
view_wait_cmp(const void *xp, const void *yp)
{
	const struct view_wait *x = xp, *y = yp;

	if (x->sys == y->sys)
		return 0;
	return view_wait_hotter(x->sys, x->samples, x->weight, y->sys,
	    y->samples, y->weight) ? -1 : 1;
}

/* The system calls of function row r, hottest first. */
size_t
view_row_waits(struct view *v, const struct agg *a, const struct view_row *r,
    struct view_wait **out, size_t *cap)
{
	struct view_waitlist wl = { .v = v, .r = r, .w = *out, .cap = *cap };
	size_t i;

	if (r->kind != VIEW_ROW_FUNC || r->af == NULL || r->af->nwaits == 0)
		return 0;
	agg_func_waits(a, r->af, view_wait_list, &wl);
	if (wl.n > 1)
		qsort(wl.w, wl.n, sizeof *wl.w, view_wait_cmp);
	for (i = 0; i < wl.n; i++)
		wl.w[i].name = view_syscall_name(v, wl.w[i].sys);
	*out = wl.w;
	*cap = wl.cap;
	return wl.n;
}

/* Make room for n rows. */
static void
view_reserve(struct view *v, size_t n)
{
	if (v->cap >= n)
		return;
	v->cap = n < 64 ? 64 : n;
	v->rows = xreallocarray(v->rows, v->cap, sizeof *v->rows);
}

/* Whether a row passes the filter. */
static int
view_match(const struct view_row *r, const char *filter)
{
	if (filter == NULL || *filter == '\0')
		return 1;
	return strcasestr(r->function, filter) != NULL ||
	    strcasestr(r->binary, filter) != NULL;
}

/* Put a subtotal row above each binary's (sorted) function rows. */
static void
view_group_rows(struct view *v, const struct view_opts *o)
{
	struct view_group *g = NULL, *grp;
	struct view_row *out, *r;
	size_t *slot_of, ngroups = 0, i, pos, nf = v->n;
	uint32_t id, max_id = 0;

	if (nf == 0)
		return;
	for (i = 0; i < nf; i++) {
		id = binary_id(v->rows[i].bin);
		if (id > max_id)
			max_id = id;
	}
	slot_of = xreallocarray(NULL, (size_t)max_id + 1, sizeof *slot_of);
	for (i = 0; i <= max_id; i++)
		slot_of[i] = (size_t)-1;

	g = xreallocarray(NULL, nf, sizeof *g);
	for (i = 0; i < nf; i++) {
		r = &v->rows[i];
		id = binary_id(r->bin);
		if (slot_of[id] == (size_t)-1) {
			slot_of[id] = ngroups;
			grp = &g[ngroups++];
			memset(grp, 0, sizeof *grp);
			grp->row.kind = VIEW_ROW_GROUP;
			grp->row.bin = r->bin;
			grp->row.binary = r->binary;
			grp->row.function = "";
		}
		grp = &g[slot_of[id]];
		grp->count++;
		grp->row.samples += r->samples;
		grp->row.weight += r->weight;
	}
	for (i = 0; i < ngroups; i++) {
		g[i].row.self_pct = view_pct(g[i].row.weight, v->total_weight);
		g[i].row.total_pct = g[i].row.self_pct;
	}
	qsort_r(g, ngroups, sizeof *g, view_cmp, (void *)o);

	out = xreallocarray(NULL, nf + ngroups, sizeof *out);
	pos = 0;
	for (i = 0; i < ngroups; i++) {
		slot_of[binary_id(g[i].row.bin)] = i;
		out[pos] = g[i].row;
		g[i].next = pos + 1;
		pos += 1 + g[i].count;
	}
	for (i = 0; i < nf; i++) {
		grp = &g[slot_of[binary_id(v->rows[i].bin)]];
		out[grp->next++] = v->rows[i];
	}

	free(v->rows);
	v->rows = out;
	v->n = v->cap = nf + ngroups;
	free(g);
	free(slot_of);
}

/* Rebuild v from a. */
void
view_build(struct view *v, const struct agg *a, const struct view_opts *o)
{
	const struct agg_totals *t = agg_event_totals(a, o->event);
	const struct agg_func *af;
	struct view_row *r;
	struct view_waitsum ws;
	size_t n = agg_nfuncs(a), i;
	uint64_t samples, weight, tsamples, tweight;
	bool blocked;

	v->n = 0;
	v->total_samples = o->window ? t->win_samples : t->samples;
	v->total_weight = o->window ? t->win_weight : t->weight;
	v->shown_samples = 0;
	v->window = o->window;
	v->has_wait = false;
	view_reserve(v, n);

	for (i = 0; i < n; i++) {
		af = agg_func_at(a, i);
		if (af->event != o->event)
			continue;
		samples = o->window ? af->win_samples : af->samples;
		weight = o->window ? af->win_weight : af->weight;
		agg_func_total(a, af, o->window, &tsamples, &tweight);
		if (samples == 0 && tsamples == 0)
			continue;
		blocked = view_wait_sum_func(v, a, af, &ws);
		if (blocked)
			v->has_wait = true;
		if (o->zoom != NULL && af->bin != o->zoom)
			continue;

		r = &v->rows[v->n];
		memset(r, 0, sizeof *r);
		r->kind = VIEW_ROW_FUNC;
		r->af = af;
		r->bin = af->bin;
		r->func = af->func;
		r->binary = binary_name(af->bin);
		if (r->binary == NULL)
			r->binary = "";
		r->function = af->func != NULL ? af->func->name : VIEW_UNKNOWN;
		if (r->function == NULL)
			r->function = VIEW_UNKNOWN;
		if (!view_match(r, o->filter))
			continue;
		r->samples = samples;
		r->weight = weight;
		r->self_pct = view_pct(weight, v->total_weight);
		r->total_samples = tsamples;
		r->total_weight = tweight;
		r->total_pct = view_pct(tweight, v->total_weight);
		if (af->func != NULL) {
			r->has_address = true;
			r->address = af->func->start;
		}
		if (blocked)
			view_wait_row(v, &ws, r);
		v->shown_samples += samples;
		v->n++;
	}

	if (v->n > 1)
		qsort_r(v->rows, v->n, sizeof *v->rows, view_cmp, (void *)o);
	if (o->group)
		view_group_rows(v, o);
}

/* Free the rows of v. */
void
view_free(struct view *v)
{
	size_t i;

	for (i = 0; i < v->nsysnames; i++)
		free(v->sysnames[i].name);
	free(v->sysnames);
	free(v->rows);
	memset(v, 0, sizeof *v);
}

/* The function row of (bin, func), or -1. */
ssize_t
view_find(const struct view *v, const struct binary *bin,
    const struct symtab_func *func)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		if (v->rows[i].kind == VIEW_ROW_FUNC &&
		    v->rows[i].bin == bin && v->rows[i].func == func)
			return (ssize_t)i;
	}
	return -1;
}
