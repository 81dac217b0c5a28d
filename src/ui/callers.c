/*
 * The caller/callee view's state: a history of the functions it was
 * centred on; the rows of the last one (agg_callers and agg_callees over
 * the counts the table shows), copied so that they outlive the counts
 * (frozen, or after z); the selection that stays on its row; the view's
 * text snapshot. callers_draw.c draws it.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "binary.h"
#include "callers.h"
#include "events.h"
#include "i18n.h"
#include "session.h"
#include "snap.h"
#include "status.h"
#include "symtab.h"
#include "ui_int.h"
#include "view.h"
#include "xmalloc.h"

#define CALLERS_UNKNOWN	"[unknown]"	/* a function without a name */

/* The function shown: the last step, or NULL. */
static struct callers_step *
callers_step(const struct ui *ui)
{
	const struct callers *cg = ui->callers;

	if (cg == NULL || cg->nsteps == 0)
		return NULL;
	return &cg->steps[cg->nsteps - 1];
}

/* The rows of the view. */
size_t
callers_nrows(const struct ui *ui)
{
	return callers_step(ui) != NULL ? ui->callers->nrows : 0;
}

/* The selected row's index. */
size_t
callers_sel(const struct ui *ui)
{
	return ui->callers != NULL ? ui->callers->sel : 0;
}

/* The selected row, or NULL without rows. */
const struct callers_row *
callers_selected(const struct ui *ui)
{
	const struct callers *cg = ui->callers;

	if (callers_step(ui) == NULL || cg->sel >= cg->nrows)
		return NULL;
	return &cg->rows[cg->sel];
}

/* The lines on screen at the last draw. */
int
callers_page(const struct ui *ui)
{
	return ui->callers != NULL ? ui->callers->page : 0;
}

/* The line of row idx, counting from the first caller: the function's
 * own line comes between its callers and its callees. */
static size_t
callers_line(const struct callers *cg, size_t idx)
{
	return idx < cg->ncallers ? idx : idx + 1;
}

/* Whether rows x and y are the same caller or callee. */
static bool
callers_same(const struct callers_row *x, const struct callers_row *y)
{
	return x->kind == y->kind && x->callee == y->callee &&
	    x->bin == y->bin && x->func == y->func;
}

/* The counts of (bin, func) in event, or NULL. */
static const struct agg_func *
callers_find(const struct agg *a, unsigned event, const struct binary *bin,
    const struct symtab_func *func)
{
	const struct agg_func *af;
	size_t i, n = agg_nfuncs(a);

	for (i = 0; i < n; i++) {
		af = agg_func_at(a, i);
		if (af->event == event && af->bin == bin && af->func == func)
			return af;
	}
	return NULL;
}

/* Percent of total, 0 without a total. */
static double
callers_pct(uint64_t part, uint64_t total)
{
	return total > 0 ? (double)part * 100.0 / (double)total : 0.0;
}

/* Append the n edges in cg->edges as rows, callers or callees. */
static void
callers_add(struct callers *cg, size_t n, bool callee)
{
	const struct agg_edge *e;
	struct callers_row *r;
	const char *name;
	size_t i;

	if (cg->nrows + n > cg->caprows) {
		cg->caprows = cg->nrows + n;
		cg->rows = xreallocarray(cg->rows, cg->caprows, sizeof *cg->rows);
	}
	for (i = 0; i < n; i++) {
		e = &cg->edges[i];
		r = &cg->rows[cg->nrows++];
		memset(r, 0, sizeof *r);
		r->kind = e->kind;
		r->callee = callee;
		r->binary = "";
		r->samples = e->samples;
		r->weight = e->weight;
		r->pct = callers_pct(e->weight, cg->total_weight);
		switch (e->kind) {
		case AGG_EDGE_FUNC:
			r->bin = e->f->bin;
			r->func = e->f->func;
			name = binary_name(e->f->bin);
			r->binary = name != NULL ? name : "";
			r->function = e->f->func != NULL && e->f->func->name != NULL ?
			    e->f->func->name : CALLERS_UNKNOWN;
			break;
		case AGG_EDGE_ROOT:
			r->function = "[root]";
			break;
		case AGG_EDGE_SELF:
			r->function = "[self]";
			break;
		default:
			r->function = "[other]";
			break;
		}
	}
}

/* The row first selected: the hottest callee, else the last caller. */
static size_t
callers_default(const struct callers *cg)
{
	if (cg->ncallers < cg->nrows)
		return cg->ncallers;
	return cg->nrows > 0 ? cg->nrows - 1 : 0;
}

/* Put the selection back on its row after a rebuild (where it was
 * moved), else on the default row. */
static void
callers_keep_sel(struct callers *cg, struct callers_step *st)
{
	size_t i;

	if (st->pinned) {
		for (i = 0; i < cg->nrows; i++) {
			if (callers_same(&cg->rows[i], &st->sel)) {
				cg->sel = i;
				return;
			}
		}
	} else
		cg->sel = callers_default(cg);
	cg->sel = ui_clamp(cg->sel, cg->nrows);
	if (cg->sel < cg->nrows)
		st->sel = cg->rows[cg->sel];
}

/* Rebuild the rows from the counts the table shows. */
void
callers_refresh(struct ui *ui)
{
	struct callers_step *st = callers_step(ui);
	struct callers *cg = ui->callers;
	const struct agg *a;
	const struct agg_totals *t;
	const struct agg_func *af;
	bool w = ui->vo.window;
	uint64_t ev_weight;
	size_t n;

	if (st == NULL)
		return;
	a = ui->s->agg;
	t = agg_event_totals(a, ui->vo.event);
	ev_weight = w ? t->win_weight : t->weight;
	cg->event = ui->vo.event;
	cg->nrows = cg->ncallers = 0;
	cg->samples = cg->weight = 0;
	cg->total_samples = cg->total_weight = 0;
	af = callers_find(a, ui->vo.event, st->bin, st->func);
	cg->found = af != NULL;
	if (af != NULL) {
		cg->samples = w ? af->win_samples : af->samples;
		cg->weight = w ? af->win_weight : af->weight;
		agg_func_total(a, af, w, &cg->total_samples, &cg->total_weight);
		n = agg_callers(a, af, w, &cg->edges, &cg->capedges);
		callers_add(cg, n, false);
		cg->ncallers = cg->nrows;
		n = agg_callees(a, af, w, &cg->edges, &cg->capedges);
		callers_add(cg, n, true);
	}
	cg->self_pct = callers_pct(cg->weight, ev_weight);
	cg->total_pct = callers_pct(cg->total_weight, ev_weight);
	callers_keep_sel(cg, st);
}

/* Centre the view on (bin, func), named binary and function, after the
 * steps there are. */
static void
callers_push(struct ui *ui, const struct binary *bin,
    const struct symtab_func *func, const char *binary, const char *function)
{
	struct callers *cg = ui->callers;
	struct callers_step *st;

	if (cg->nsteps == cg->capsteps) {
		cg->capsteps = cg->capsteps > 0 ? cg->capsteps * 2 : 8;
		cg->steps = xreallocarray(cg->steps, cg->capsteps,
		    sizeof *cg->steps);
	}
	st = &cg->steps[cg->nsteps++];
	memset(st, 0, sizeof *st);
	st->bin = bin;
	st->func = func;
	st->binary = binary;
	st->function = function;
	cg->sel = 0;
	cg->top = 0;
	callers_refresh(ui);
}

/* C on the table: the view of the function of table row r. */
void
callers_open(struct ui *ui, const struct view_row *r)
{
	if (r == NULL || r->kind != VIEW_ROW_FUNC)
		return;
	if (ui->callers == NULL)
		ui->callers = xcalloc(1, sizeof *ui->callers);
	ui->callers->nsteps = 0;
	ui->mode = UI_MODE_CALLERS;
	callers_push(ui, r->bin, r->func, r->binary, r->function);
}

/* Enter on a caller or callee: centre the view on its function. */
void
callers_enter(struct ui *ui, size_t idx)
{
	const struct callers_row *r;

	if (callers_step(ui) == NULL || idx >= ui->callers->nrows)
		return;
	r = &ui->callers->rows[idx];
	if (r->kind != AGG_EDGE_FUNC)
		return;
	callers_push(ui, r->bin, r->func, r->binary, r->function);
}

/* Esc: the function shown before, on the row selected there; from the
 * first one, the table. */
void
callers_back(struct ui *ui)
{
	struct callers *cg = ui->callers;

	if (cg == NULL || cg->nsteps <= 1) {
		if (cg != NULL)
			cg->nsteps = 0;
		ui->mode = UI_MODE_TABLE;
		return;
	}
	cg->nsteps--;
	cg->top = 0;
	callers_refresh(ui);
}

/* After the event shown changed: say so where the function has no
 * counts in it. */
void
callers_follow(struct ui *ui)
{
	const struct callers_step *st = callers_step(ui);

	if (st == NULL || ui->callers->found)
		return;
	if (ui->mode != UI_MODE_CALLERS &&
	    !(ui->mode == UI_MODE_HELP && ui->help_from == UI_MODE_CALLERS))
		return;
	status_set(ui, false, _("%s: no samples in %s"), st->function,
	    events_table[ui->vo.event].name);
}

/* Make row idx the selection, kept across refreshes. */
void
callers_select(struct ui *ui, size_t idx)
{
	struct callers_step *st = callers_step(ui);
	struct callers *cg = ui->callers;

	if (st == NULL || cg->nrows == 0)
		return;
	if (idx >= cg->nrows)
		idx = cg->nrows - 1;
	cg->sel = idx;
	st->pinned = true;
	st->sel = cg->rows[idx];
}

/* The view shows lines lines of rows: keep the selection in sight. */
void
callers_scroll(struct ui *ui, size_t lines)
{
	struct callers *cg = ui->callers;
	size_t n, at;

	if (cg == NULL)
		return;
	n = cg->nrows + 1;	/* the function's own line */
	at = callers_line(cg, cg->sel);
	cg->page = (int)lines;
	if (at < cg->top)
		cg->top = at;
	if (at >= cg->top + lines)
		cg->top = at - lines + 1;
	if (cg->top + lines > n)
		cg->top = n > lines ? n - lines : 0;
}

/* Write rows [from, to) of the view. */
static void
callers_write_rows(FILE *fp, const struct callers *cg, size_t from,
    size_t to)
{
	const struct callers_row *r;
	size_t i;

	fprintf(fp, "%10s %7s  %-20s  %s\n", "SAMPLES", "PCT", "BINARY",
	    "FUNCTION");
	for (i = from; i < to; i++) {
		r = &cg->rows[i];
		fprintf(fp, "%10" PRIu64 " %6.2f%%  %-20s  %s\n", r->samples,
		    r->pct, r->binary, r->function);
	}
}

/* The view as text: the function, its total and self counts, then its
 * callers and its callees with their shares of its total. */
int
callers_text(FILE *fp, const struct ui *ui, char **cause)
{
	const struct callers *cg = ui->callers;
	const struct callers_step *st = callers_step(ui);
	const char *path;

	if (st == NULL) {
		*cause = xstrdup(_("no callers view"));
		return -1;
	}
	path = binary_path(st->bin);
	fprintf(fp, "binary: %s\nfunction: %s\n",
	    path != NULL ? path : st->binary, st->function);
	fprintf(fp, "total: %" PRIu64 " samples, %.2f%%\n", cg->total_samples,
	    cg->total_pct);
	fprintf(fp, "self: %" PRIu64 " samples, %.2f%%\n", cg->samples,
	    cg->self_pct);
	fprintf(fp, "\ncallers (share of the function's total):\n");
	callers_write_rows(fp, cg, 0, cg->ncallers);
	fprintf(fp, "\ncallees (share of the function's total):\n");
	callers_write_rows(fp, cg, cg->ncallers, cg->nrows);
	if (ferror(fp)) {
		*cause = xstrdup(_("write error"));
		return -1;
	}
	return 0;
}

/* The body of the view's snapshot. */
static int
callers_body(FILE *fp, const void *arg, char **cause)
{
	return callers_text(fp, arg, cause);
}

/* w, P in the view: write it as text, under the snapshot's default name
 * with -callers before the extension. */
void
callers_write(struct ui *ui)
{
	if (callers_step(ui) == NULL)
		return;
	snap_save(ui, "callers", callers_body, ui, SNAP_CALLERS);
}

/* Release the view. */
void
callers_free(struct ui *ui)
{
	struct callers *cg = ui->callers;

	if (cg == NULL)
		return;
	free(cg->steps);
	free(cg->rows);
	free(cg->edges);
	free(cg);
	ui->callers = NULL;
}
