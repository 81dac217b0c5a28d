/*
 * The diff: two profiles' functions merged by name (both sorted, then
 * walked side by side), each pair's shares, change and p-value; filter,
 * zoom, grouping and sorting as the table has them; and its writers.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diff.h"
#include "export.h"
#include "i18n.h"
#include "json.h"
#include "view.h"
#include "xmalloc.h"

#define DIFF_EXACT_MAX	1000	/* exact binomial test up to this many */

const char *const diff_sort_names[DIFF_SORT_COUNT] = {
	[DIFF_SORT_DELTA] = "delta",
	[DIFF_SORT_BASE] = "base",
	[DIFF_SORT_NOW] = "now",
	[DIFF_SORT_FUNCTION] = "function",
	[DIFF_SORT_BINARY] = "binary",
};

/* Add one function to a side. */
static void
diff_side_add(struct diff_side *s, size_t *cap, const char *binary,
    const char *function, uint64_t samples, uint64_t total_samples,
    double weight, double total_weight)
{
	struct diff_fn *f;

	if (s->n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		s->fns = xreallocarray(s->fns, *cap, sizeof *s->fns);
	}
	f = &s->fns[s->n++];
	f->binary = xstrdup(binary);
	f->function = xstrdup(function);
	f->samples = samples;
	f->total_samples = total_samples;
	f->weight = weight;
	f->total_weight = total_weight;
}

/* The side of a view. */
void
diff_side_from_view(struct diff_side *s, const struct view *v)
{
	const struct view_row *r;
	size_t i, cap = 0;

	memset(s, 0, sizeof *s);
	s->samples = v->total_samples;
	s->weight = (double)v->total_weight;
	for (i = 0; i < v->n; i++) {
		r = &v->rows[i];
		if (r->kind != VIEW_ROW_FUNC)
			continue;
		diff_side_add(s, &cap, r->binary, r->function, r->samples,
		    r->total_samples, (double)r->weight,
		    (double)r->total_weight);
	}
}

/* The largest sample count a snapshot may give: whole numbers up to
 * 2^53 are exact in a double (json numbers are read as doubles). */
#define DIFF_COUNT_MAX	9007199254740992.0

/* A count of samples in j: a whole number 0..2^53. */
static bool
diff_json_count(const struct json *j, double *out)
{
	return json_num(j, out) && *out >= 0 && *out <= DIFF_COUNT_MAX &&
	    *out == floor(*out);
}

/* A share in j: a number 0..100 (a little over for rounding). */
static bool
diff_json_pct(const struct json *j, double *out)
{
	return json_num(j, out) && *out >= 0 && *out <= 100.01;
}

/* The side of one event of a json snapshot. */
int
diff_side_from_json(struct diff_side *s, const struct json *root,
    const char *event, char **cause)
{
	const struct json *events = json_get(root, "events"), *e = NULL, *fns;
	const struct json *f;
	const char *name, *bin, *fn, *cg;
	double samples, self_pct, total_pct, n;
	size_t i, cap = 0;

	memset(s, 0, sizeof *s);
	if (events == NULL || events->type != JSON_ARRAY) {
		*cause = xstrdup(_("not an rrstat-top json snapshot (no \"events\")"));
		return -1;
	}
	for (i = 0; i < events->n; i++) {
		name = json_str(json_get(&events->items[i], "name"));
		if (name != NULL && strcmp(name, event) == 0) {
			e = &events->items[i];
			break;
		}
	}
	if (e == NULL)
		return 1;
	fns = json_get(e, "functions");
	if (!diff_json_count(json_get(e, "samples"), &samples) ||
	    fns == NULL || fns->type != JSON_ARRAY) {
		*cause = xasprintf(_("event %s: no \"samples\" (a whole number "
		    "from 0) or \"functions\""), event);
		return -1;
	}
	s->samples = (uint64_t)samples;
	s->weight = 100;
	cg = json_str(json_get(root, "call_graph"));
	s->has_total = cg != NULL && strcmp(cg, "none") != 0;
	for (i = 0; i < fns->n; i++) {
		f = &fns->items[i];
		bin = json_str(json_get(f, "binary"));
		fn = json_str(json_get(f, "function"));
		if (bin == NULL || fn == NULL ||
		    !diff_json_count(json_get(f, "samples"), &n) ||
		    !diff_json_pct(json_get(f, "self_pct"), &self_pct)) {
			*cause = xasprintf(_("event %s: function %zu lacks "
			    "\"binary\", \"function\", \"samples\" (a whole "
			    "number from 0) or \"self_pct\" (0 to 100)"), event,
			    i + 1);
			diff_side_free(s);
			return -1;
		}
		if (!diff_json_pct(json_get(f, "total_pct"), &total_pct)) {
			total_pct = self_pct;
			s->has_total = false;
		}
		diff_side_add(s, &cap, bin, fn, (uint64_t)n,
		    (uint64_t)llround(total_pct / 100 * samples), self_pct,
		    total_pct);
	}
	return 0;
}

/* Order of functions by binary, then function name. */
static int
diff_fn_cmp(const void *x, const void *y)
{
	const struct diff_fn *a = *(const struct diff_fn *const *)x;
	const struct diff_fn *b = *(const struct diff_fn *const *)y;
	int c = strcmp(a->binary, b->binary);

	return c != 0 ? c : strcmp(a->function, b->function);
}

/* The functions of s in name order (caller frees). */
static const struct diff_fn **
diff_sorted(const struct diff_side *s)
{
	const struct diff_fn **v = xreallocarray(NULL, s->n ? s->n : 1,
	    sizeof *v);
	size_t i;

	for (i = 0; i < s->n; i++)
		v[i] = &s->fns[i];
	if (s->n > 1)
		qsort(v, s->n, sizeof *v, diff_fn_cmp);
	return v;
}

/* Walk a and b merged by name: fn(a's, b's, arg), either NULL where the
 * other side alone has the function. */
static void
diff_merge(const struct diff_side *a, const struct diff_side *b,
    void (*fn)(const struct diff_fn *, const struct diff_fn *, void *),
    void *arg)
{
	const struct diff_fn **va = diff_sorted(a), **vb = diff_sorted(b);
	size_t i = 0, j = 0;
	int c;

	while (i < a->n || j < b->n) {
		if (i == a->n)
			c = 1;
		else if (j == b->n)
			c = -1;
		else
			c = diff_fn_cmp(&va[i], &vb[j]);
		if (c == 0)
			fn(va[i++], vb[j++], arg);
		else if (c < 0)
			fn(va[i++], NULL, arg);
		else
			fn(NULL, vb[j++], arg);
	}
	free(va);
	free(vb);
}

struct diff_since {
	struct diff_side *out;
	size_t cap;
};

/* One function of now less then. */
static void
diff_since_one(const struct diff_fn *now, const struct diff_fn *then,
    void *arg)
{
	struct diff_since *ds = arg;
	bool sub;

	if (now == NULL)
		return;
	sub = then != NULL && then->samples <= now->samples &&
	    then->weight <= now->weight;
	diff_side_add(ds->out, &ds->cap, now->binary, now->function,
	    now->samples - (sub ? then->samples : 0),
	    now->total_samples - (sub && then->total_samples <=
	    now->total_samples ? then->total_samples : 0),
	    now->weight - (sub ? then->weight : 0),
	    now->total_weight - (sub && then->total_weight <=
	    now->total_weight ? then->total_weight : 0));
}

/* What arrived between then and now. */
void
diff_side_since(struct diff_side *out, const struct diff_side *now,
    const struct diff_side *then)
{
	struct diff_since ds = { .out = out };
	bool sub = then->samples <= now->samples && then->weight <= now->weight;

	memset(out, 0, sizeof *out);
	out->samples = now->samples - (sub ? then->samples : 0);
	out->weight = now->weight - (sub ? then->weight : 0);
	out->has_total = now->has_total;
	if (!sub) {
		/* The counts were zeroed since: all of now is new. */
		static const struct diff_side none;

		diff_merge(now, &none, diff_since_one, &ds);
		return;
	}
	diff_merge(now, then, diff_since_one, &ds);
}

/* Free a side. */
void
diff_side_free(struct diff_side *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->fns[i].binary);
		free(s->fns[i].function);
	}
	free(s->fns);
	memset(s, 0, sizeof *s);
}

/* The test's p-value. */
double
diff_pvalue(uint64_t b, uint64_t B, uint64_t n, uint64_t N)
{
	uint64_t m = b + n, k;
	double p0, q0, mu, sd, z, lp, lpb, sum, lr;

	if (B == 0 || N == 0 || m == 0)
		return 1.0;
	p0 = (double)B / ((double)B + (double)N);
	q0 = 1 - p0;
	if (m > DIFF_EXACT_MAX) {
		mu = (double)m * p0;
		sd = sqrt((double)m * p0 * q0);
		z = (fabs((double)b - mu) - 0.5) / sd;
		return z <= 0 ? 1.0 : erfc(z / M_SQRT2);
	}
	/* Exact: the mass of every outcome no likelier than b (as R's
	 * binom.test), the pmf stepped by its ratio in log space. */
	lr = log(p0) - log(q0);
	lp = (double)m * log(q0);		/* log pmf(0) */
	lpb = lgamma((double)m + 1) - lgamma((double)b + 1) -
	    lgamma((double)(m - b) + 1) + (double)b * log(p0) +
	    (double)(m - b) * log(q0);
	sum = 0;
	for (k = 0; k <= m; k++) {
		if (lp <= lpb + 1e-7)
			sum += exp(lp);
		if (k < m)
			lp += log((double)(m - k)) - log((double)(k + 1)) + lr;
	}
	return sum > 1 ? 1.0 : sum;
}

struct diff_fill {
	struct diff *d;
	const struct diff_side *base, *now;
	const struct diff_opts *o;
};

/* Whether the names pass the filter and zoom. */
static bool
diff_keep(const struct diff_opts *o, const char *binary, const char *function)
{
	if (o->zoom != NULL && strcmp(o->zoom, binary) != 0)
		return false;
	if (o->filter == NULL || o->filter[0] == '\0')
		return true;
	return strcasestr(binary, o->filter) != NULL ||
	    strcasestr(function, o->filter) != NULL;
}

/* A new row at the end of d. */
static struct diff_row *
diff_row_new(struct diff *d)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->rows = xreallocarray(d->rows, d->cap, sizeof *d->rows);
	}
	memset(&d->rows[d->n], 0, sizeof d->rows[d->n]);
	return &d->rows[d->n++];
}

/* The share of weight w of total, in percent. */
static double
diff_pct(double w, double total)
{
	return total > 0 ? w / total * 100 : 0;
}

/* Fill in a row's shares, change and test from its counts and weights. */
static void
diff_row_stats(struct diff_row *r, const struct diff_side *base,
    const struct diff_side *now, double bw, double nw, double btw,
    double ntw, uint64_t bt, uint64_t nt)
{
	r->base_pct = diff_pct(bw, base->weight);
	r->now_pct = diff_pct(nw, now->weight);
	r->delta_pp = r->now_pct - r->base_pct;
	r->p = diff_pvalue(r->base_samples, base->samples, r->now_samples,
	    now->samples);
	r->significant = r->p < DIFF_ALPHA;
	r->base_total_pct = diff_pct(btw, base->weight);
	r->now_total_pct = diff_pct(ntw, now->weight);
	r->delta_total_pp = r->now_total_pct - r->base_total_pct;
	r->p_total = diff_pvalue(bt, base->samples, nt, now->samples);
	r->significant_total = r->p_total < DIFF_ALPHA;
}

/* One pair of functions into a row. */
static void
diff_fill_one(const struct diff_fn *b, const struct diff_fn *n, void *arg)
{
	struct diff_fill *df = arg;
	const struct diff_fn *any = b != NULL ? b : n;
	struct diff_row *r;

	if (!diff_keep(df->o, any->binary, any->function))
		return;
	r = diff_row_new(df->d);
	r->binary = any->binary;
	r->function = any->function;
	r->state = b == NULL ? DIFF_NEW : n == NULL ? DIFF_GONE : DIFF_BOTH;
	r->base_samples = b != NULL ? b->samples : 0;
	r->now_samples = n != NULL ? n->samples : 0;
	diff_row_stats(r, df->base, df->now, b != NULL ? b->weight : 0,
	    n != NULL ? n->weight : 0, b != NULL ? b->total_weight : 0,
	    n != NULL ? n->total_weight : 0, b != NULL ? b->total_samples : 0,
	    n != NULL ? n->total_samples : 0);
}

static const struct diff_opts *diff_cmp_opts;	/* for qsort */

/* Order of two rows by the sort key (groups and functions alike). */
static int
diff_row_cmp(const void *x, const void *y)
{
	const struct diff_row *a = x, *b = y;
	double ka, kb;
	int c = 0;

	switch (diff_cmp_opts->sort) {
	case DIFF_SORT_FUNCTION:
		c = strcmp(a->function, b->function);
		break;
	case DIFF_SORT_BINARY:
		c = strcmp(a->binary, b->binary);
		break;
	case DIFF_SORT_BASE:
	case DIFF_SORT_NOW:
	case DIFF_SORT_DELTA:
	case DIFF_SORT_COUNT:
		ka = diff_cmp_opts->sort == DIFF_SORT_BASE ? a->base_pct :
		    diff_cmp_opts->sort == DIFF_SORT_NOW ? a->now_pct :
		    fabs(a->delta_pp);
		kb = diff_cmp_opts->sort == DIFF_SORT_BASE ? b->base_pct :
		    diff_cmp_opts->sort == DIFF_SORT_NOW ? b->now_pct :
		    fabs(b->delta_pp);
		c = ka > kb ? -1 : ka < kb ? 1 : 0;
		break;
	}
	if (c == 0)
		c = strcmp(a->binary, b->binary);
	if (c == 0)
		c = strcmp(a->function, b->function);
	return diff_cmp_opts->reverse ? -c : c;
}

/* Regroup d's rows: each binary's subtotal, its functions below it. */
static void
diff_group(struct diff *d, const struct diff_side *base,
    const struct diff_side *now)
{
	struct diff g = { 0 }, out = { 0 };
	struct diff_row *r;
	double *bw, *nw;
	size_t i, j;

	/* Subtotals, one per binary (rows are in name order here). */
	bw = xcalloc(d->n + 1, sizeof *bw);
	nw = xcalloc(d->n + 1, sizeof *nw);
	for (i = 0; i < d->n; i++) {
		if (g.n == 0 || strcmp(g.rows[g.n - 1].binary,
		    d->rows[i].binary) != 0) {
			r = diff_row_new(&g);
			r->group = true;
			r->binary = d->rows[i].binary;
			r->function = "";
			r->state = DIFF_BOTH;
		}
		r = &g.rows[g.n - 1];
		r->base_samples += d->rows[i].base_samples;
		r->now_samples += d->rows[i].now_samples;
		bw[g.n - 1] += d->rows[i].base_pct;
		nw[g.n - 1] += d->rows[i].now_pct;
	}
	for (i = 0; i < g.n; i++) {
		r = &g.rows[i];
		diff_row_stats(r, base, now, bw[i] * base->weight / 100,
		    nw[i] * now->weight / 100, 0, 0, 0, 0);
		if (r->base_samples == 0)
			r->state = DIFF_NEW;
		else if (r->now_samples == 0)
			r->state = DIFF_GONE;
	}
	if (g.n > 1)
		qsort(g.rows, g.n, sizeof *g.rows, diff_row_cmp);
	if (d->n > 1)
		qsort(d->rows, d->n, sizeof *d->rows, diff_row_cmp);
	for (i = 0; i < g.n; i++) {
		*diff_row_new(&out) = g.rows[i];
		for (j = 0; j < d->n; j++) {
			if (strcmp(d->rows[j].binary, g.rows[i].binary) == 0)
				*diff_row_new(&out) = d->rows[j];
		}
	}
	free(bw);
	free(nw);
	free(g.rows);
	free(d->rows);
	d->rows = out.rows;
	d->n = out.n;
	d->cap = out.cap;
}

/* Build the diff. */
void
diff_build(struct diff *d, const struct diff_side *base,
    const struct diff_side *now, const struct diff_opts *o)
{
	struct diff_fill df = { .d = d, .base = base, .now = now, .o = o };

	d->n = 0;
	d->base_samples = base->samples;
	d->now_samples = now->samples;
	d->has_total = base->has_total && now->has_total;
	diff_merge(base, now, diff_fill_one, &df);
	diff_cmp_opts = o;
	if (o->group)
		diff_group(d, base, now);
	else if (d->n > 1)
		qsort(d->rows, d->n, sizeof *d->rows, diff_row_cmp);
	diff_cmp_opts = NULL;
}

/* Free a diff's rows. */
void
diff_free(struct diff *d)
{
	free(d->rows);
	memset(d, 0, sizeof *d);
}

/* A row's state as a word: "new", "gone" or "". */
static const char *
diff_state_word(const struct diff_row *r)
{
	return r->state == DIFF_NEW ? "new" : r->state == DIFF_GONE ?
	    "gone" : "";
}

/* The diff as text: one row per line, names never cut. A "!" after a
 * change marks it beyond sampling noise. */
void
diff_write_text(FILE *fp, const struct diff *d)
{
	const struct diff_row *r;
	size_t i, bw = strlen("BINARY");

	for (i = 0; i < d->n; i++) {
		if (strlen(d->rows[i].binary) > bw)
			bw = strlen(d->rows[i].binary);
	}
	fputs("  BASE%    NOW%     DELTA  ", fp);
	if (d->has_total)
		fputs(" TOTAL-BASE%  TOTAL-NOW%  TOTAL-DELTA  ", fp);
	fprintf(fp, "STATE        BASE       NOW  %-*s  FUNCTION\n", (int)bw,
	    "BINARY");
	for (i = 0; i < d->n; i++) {
		r = &d->rows[i];
		fprintf(fp, "%6.2f%% %6.2f%% %+8.2f%c  ", r->base_pct,
		    r->now_pct, r->delta_pp, r->significant ? '!' : ' ');
		if (d->has_total && !r->group)
			fprintf(fp, "     %6.2f%%     %6.2f%%    %+8.2f%c  ",
			    r->base_total_pct, r->now_total_pct,
			    r->delta_total_pp, r->significant_total ? '!' : ' ');
		else if (d->has_total)
			fprintf(fp, "%37s", "");
		fprintf(fp, "%-5s %9" PRIu64 " %9" PRIu64 "  %-*s  %s\n",
		    diff_state_word(r), r->base_samples, r->now_samples,
		    (int)bw, r->binary, r->group ? _("(subtotal)") :
		    r->function);
	}
}

/* The diff's function rows as csv. */
void
diff_write_csv(FILE *fp, const struct diff *d, const char *event, bool header)
{
	const struct diff_row *r;
	size_t i;

	if (header)
		fputs("event,binary,function,base_pct,now_pct,delta_pp,"
		    "significant,p_value,state,base_samples,now_samples,"
		    "base_total_pct,now_total_pct,delta_total_pp,"
		    "significant_total\r\n", fp);
	for (i = 0; i < d->n; i++) {
		r = &d->rows[i];
		if (r->group)
			continue;
		export_csv_field(fp, event);
		fputc(',', fp);
		export_csv_field(fp, r->binary);
		fputc(',', fp);
		export_csv_field(fp, r->function);
		fprintf(fp, ",%.2f,%.2f,%.2f,%d,%.3g,%s,%" PRIu64 ",%" PRIu64,
		    r->base_pct, r->now_pct, r->delta_pp, r->significant,
		    r->p, diff_state_word(r), r->base_samples, r->now_samples);
		if (d->has_total)
			fprintf(fp, ",%.2f,%.2f,%.2f,%d\r\n", r->base_total_pct,
			    r->now_total_pct, r->delta_total_pp,
			    r->significant_total);
		else
			fputs(",,,,\r\n", fp);
	}
}

/* The diff of one event as a json object. */
void
diff_write_json(FILE *fp, const struct diff *d, const char *event)
{
	const struct diff_row *r;
	size_t i;
	bool first = true;

	fputs("{\"name\":", fp);
	export_json_str(fp, event);
	fprintf(fp, ",\"base_samples\":%" PRIu64 ",\"now_samples\":%" PRIu64
	    ",\"functions\":[", d->base_samples, d->now_samples);
	for (i = 0; i < d->n; i++) {
		r = &d->rows[i];
		if (r->group)
			continue;
		fputs(first ? "\n{\"binary\":" : ",\n{\"binary\":", fp);
		first = false;
		export_json_str(fp, r->binary);
		fputs(",\"function\":", fp);
		export_json_str(fp, r->function);
		fprintf(fp, ",\"base_pct\":%.2f,\"now_pct\":%.2f,"
		    "\"delta_pp\":%.2f,\"significant\":%s,\"p_value\":%.3g,"
		    "\"state\":\"%s\",\"base_samples\":%" PRIu64
		    ",\"now_samples\":%" PRIu64, r->base_pct, r->now_pct,
		    r->delta_pp, r->significant ? "true" : "false", r->p,
		    r->state == DIFF_NEW ? "new" : r->state == DIFF_GONE ?
		    "gone" : "both", r->base_samples, r->now_samples);
		if (d->has_total)
			fprintf(fp, ",\"base_total_pct\":%.2f,"
			    "\"now_total_pct\":%.2f,\"delta_total_pp\":%.2f,"
			    "\"significant_total\":%s", r->base_total_pct,
			    r->now_total_pct, r->delta_total_pp,
			    r->significant_total ? "true" : "false");
		fputc('}', fp);
	}
	fputs("]}", fp);
}
