/*
 * The columns table: each event's view built alone (window, filter and
 * zoom applied), their rows gathered and sorted by (binary, function),
 * merged into one row per function, then sorted by the chosen column.
 * Derived columns divide the weights (sums of sample periods, that is
 * estimated event counts) of two events of the same function.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "export.h"
#include "i18n.h"
#include "view.h"
#include "xmalloc.h"

/* One view row of one event, before the merge. */
struct columns_part {
	const struct view_row *r;
	size_t col;
};

/* The number of sort keys. */
size_t
columns_nsort(const struct columns_opts *o)
{
	return o->nevents + 2;
}

/* The title of a derived column. */
const char *
columns_derived_name(enum columns_derived d)
{
	return d == COLUMNS_IPC ? "IPC" : "CM/KI";
}

/* Order of parts by binary, then function (pointers: one agg). */
static int
columns_part_cmp(const void *x, const void *y)
{
	const struct columns_part *a = x, *b = y;

	if (a->r->bin != b->r->bin)
		return (uintptr_t)a->r->bin < (uintptr_t)b->r->bin ? -1 : 1;
	if (a->r->func != b->r->func)
		return (uintptr_t)a->r->func < (uintptr_t)b->r->func ? -1 : 1;
	return 0;
}

static const struct columns_opts *columns_cmp_opts;	/* for qsort */

/* Order of rows by the sort key; ties by name. */
static int
columns_row_cmp(const void *x, const void *y)
{
	const struct columns_row *a = x, *b = y;
	const struct columns_opts *o = columns_cmp_opts;
	size_t k = o->sort;
	int c = 0;

	if (k < o->nevents)
		c = a->pct[k] > b->pct[k] ? -1 : a->pct[k] < b->pct[k] ? 1 : 0;
	else if (k == o->nevents)
		c = strcmp(a->function, b->function);
	else
		c = strcmp(a->binary, b->binary);
	if (c == 0)
		c = strcmp(a->function, b->function);
	if (c == 0)
		c = strcmp(a->binary, b->binary);
	return o->reverse ? -c : c;
}

/* The column of event ev, or -1. */
static int
columns_col(const struct columns_opts *o, unsigned ev)
{
	size_t i;

	for (i = 0; i < o->nevents; i++) {
		if (o->events[i] == ev)
			return (int)i;
	}
	return -1;
}

/* Fill in a row's derived columns from its weights by column. */
static void
columns_derive(const struct columns_opts *o, struct columns_row *row,
    const uint64_t *w)
{
	static const unsigned num[COLUMNS_NDERIVED] = { EVENT_INSTRUCTIONS,
	    EVENT_CACHE_MISSES };
	static const unsigned den[COLUMNS_NDERIVED] = { EVENT_CPU_CYCLES,
	    EVENT_INSTRUCTIONS };
	static const double scale[COLUMNS_NDERIVED] = { 1, 1000 };
	int cn, cd;
	size_t d;

	for (d = 0; d < COLUMNS_NDERIVED; d++) {
		row->has_derived[d] = false;
		if (o->derived[d] != COLUMNS_OK)
			continue;
		cn = columns_col(o, num[d]);
		cd = columns_col(o, den[d]);
		if (cn < 0 || cd < 0 || w[cd] == 0)
			continue;
		row->derived[d] = (double)w[cn] / (double)w[cd] * scale[d];
		row->has_derived[d] = true;
	}
}

/* Build the table. */
void
columns_build(struct columns *c, const struct agg *a,
    const struct columns_opts *o)
{
	struct view *v = xcalloc(o->nevents ? o->nevents : 1, sizeof *v);
	struct columns_part *parts = NULL;
	struct columns_row *row = NULL;
	uint64_t w[EVENT_COUNT];
	size_t np = 0, cap = 0, i, j;

	c->n = 0;
	c->o = *o;
	for (i = 0; i < o->nevents; i++) {
		struct view_opts vo = { .event = o->events[i],
		    .window = o->window, .filter = o->filter, .zoom = o->zoom };

		view_build(&v[i], a, &vo);
		c->total[i] = v[i].total_samples;
		for (j = 0; j < v[i].n; j++) {
			if (np == cap) {
				cap = cap ? cap * 2 : 256;
				parts = xreallocarray(parts, cap, sizeof *parts);
			}
			parts[np++] = (struct columns_part){ &v[i].rows[j], i };
		}
	}
	if (np > 1)
		qsort(parts, np, sizeof *parts, columns_part_cmp);
	for (i = 0; i < np; i++) {
		if (row == NULL || columns_part_cmp(&parts[i - 1], &parts[i]) != 0) {
			if (row != NULL)
				columns_derive(o, row, w);
			if (c->n == c->cap) {
				c->cap = c->cap ? c->cap * 2 : 64;
				c->rows = xreallocarray(c->rows, c->cap,
				    sizeof *c->rows);
			}
			row = &c->rows[c->n++];
			memset(row, 0, sizeof *row);
			memset(w, 0, sizeof w);
			row->bin = parts[i].r->bin;
			row->func = parts[i].r->func;
			row->binary = parts[i].r->binary;
			row->function = parts[i].r->function;
		}
		row->pct[parts[i].col] = parts[i].r->self_pct;
		row->samples[parts[i].col] = parts[i].r->samples;
		w[parts[i].col] = parts[i].r->weight;
	}
	if (row != NULL)
		columns_derive(o, row, w);
	free(parts);
	/* The names point into the views' symbols, which outlive them. */
	for (i = 0; i < o->nevents; i++)
		view_free(&v[i]);
	free(v);
	columns_cmp_opts = o;
	if (c->n > 1)
		qsort(c->rows, c->n, sizeof *c->rows, columns_row_cmp);
	columns_cmp_opts = NULL;
}

/* Free the table. */
void
columns_free(struct columns *c)
{
	free(c->rows);
	memset(c, 0, sizeof *c);
}

/* A derived cell: the number, "-" without one, "no PMU". */
static void
columns_derived_cell(char *buf, size_t len, const struct columns *c,
    const struct columns_row *r, size_t d)
{
	if (c->o.derived[d] == COLUMNS_NO_PMU)
		snprintf(buf, len, "%s", _("no PMU"));
	else if (!r->has_derived[d])
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, d == COLUMNS_IPC ? "%.2f" : "%.1f",
		    r->derived[d]);
}

/* The table as text. */
void
columns_write_text(FILE *fp, const struct columns *c)
{
	const struct columns_row *r;
	size_t i, k, bw = strlen("BINARY"), len;
	char buf[64];

	for (i = 0; i < c->n; i++) {
		len = strlen(c->rows[i].binary);
		if (len > bw)
			bw = len;
	}
	for (k = 0; k < c->o.nevents; k++)
		fprintf(fp, "%*s  ", 16, events_table[c->o.events[k]].name);
	for (k = 0; k < COLUMNS_NDERIVED; k++) {
		if (c->o.derived[k] != COLUMNS_ABSENT)
			fprintf(fp, "%8s  ", columns_derived_name(k));
	}
	fprintf(fp, "%-*s  FUNCTION\n", (int)bw, "BINARY");
	for (i = 0; i < c->n; i++) {
		r = &c->rows[i];
		for (k = 0; k < c->o.nevents; k++)
			fprintf(fp, "%15.2f%%  ", r->pct[k]);
		for (k = 0; k < COLUMNS_NDERIVED; k++) {
			if (c->o.derived[k] == COLUMNS_ABSENT)
				continue;
			columns_derived_cell(buf, sizeof buf, c, r, k);
			fprintf(fp, "%8s  ", buf);
		}
		fprintf(fp, "%-*s  %s\n", (int)bw, r->binary, r->function);
	}
}

/* The table as csv. */
void
columns_write_csv(FILE *fp, const struct columns *c)
{
	const struct columns_row *r;
	static const char *const dnames[COLUMNS_NDERIVED] = { "ipc",
	    "cm_per_ki" };
	size_t i, k;
	char buf[64];

	fputs("binary,function", fp);
	for (k = 0; k < c->o.nevents; k++)
		fprintf(fp, ",%s_pct,%s_samples", events_table[c->o.events[k]].name,
		    events_table[c->o.events[k]].name);
	for (k = 0; k < COLUMNS_NDERIVED; k++) {
		if (c->o.derived[k] != COLUMNS_ABSENT)
			fprintf(fp, ",%s", dnames[k]);
	}
	fputs("\r\n", fp);
	for (i = 0; i < c->n; i++) {
		r = &c->rows[i];
		export_csv_field(fp, r->binary);
		fputc(',', fp);
		export_csv_field(fp, r->function);
		for (k = 0; k < c->o.nevents; k++)
			fprintf(fp, ",%.2f,%" PRIu64, r->pct[k], r->samples[k]);
		for (k = 0; k < COLUMNS_NDERIVED; k++) {
			if (c->o.derived[k] == COLUMNS_ABSENT)
				continue;
			if (c->o.derived[k] == COLUMNS_NO_PMU)
				fputs(",no PMU", fp);
			else if (!r->has_derived[k])
				fputc(',', fp);
			else {
				snprintf(buf, sizeof buf, "%.3f", r->derived[k]);
				fprintf(fp, ",%s", buf);
			}
		}
		fputs("\r\n", fp);
	}
}
