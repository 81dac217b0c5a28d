/*
 * Drawing the caller/callee view of one function, gprof style: its
 * callers above its own line, its callees below (their names indented),
 * each with its share of the function's total (with a bar), samples,
 * binary and function; "[root]", "[self]" and "[other]" where the other
 * end is no function.
 */
#include "config.h"

#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "callers.h"
#include "callers_draw.h"
#include "draw.h"
#include "events.h"
#include "i18n.h"
#include "ui_int.h"
#include "xmalloc.h"

#define CALLERS_PCT_W		7	/* "100.00%" */
#define CALLERS_BAR_W		DRAW_BAR_MAX
#define CALLERS_SAMPLES_W	10
#define CALLERS_GAP		2
#define CALLERS_BIN_MIN		6	/* "BINARY" */
#define CALLERS_BACK_MAX	30	/* columns of "Esc: back to ..." */
#define CALLERS_HEAD		2	/* title, column titles */
#define CALLERS_INDENT		2	/* callers' and callees' names */

/* Where the columns are. */
struct callers_layout {
	int bar_x;
	int samples_x;
	int bin_x, bin_w;
	int func_x, func_w;
};

/* Lay the columns out for cols columns: BINARY as wide as the widest
 * name shown, within a quarter of the screen. */
static void
callers_layout(const struct callers *cg, const char *binary, int cols,
    struct callers_layout *l)
{
	size_t i;
	int w;

	l->bar_x = CALLERS_PCT_W + 1;
	l->samples_x = l->bar_x + CALLERS_BAR_W;
	l->bin_x = l->samples_x + CALLERS_SAMPLES_W + CALLERS_GAP;
	l->bin_w = draw_width(binary);
	for (i = 0; i < cg->nrows; i++) {
		w = draw_width(cg->rows[i].binary);
		if (w > l->bin_w)
			l->bin_w = w;
	}
	if (l->bin_w < CALLERS_BIN_MIN)
		l->bin_w = CALLERS_BIN_MIN;
	if (l->bin_w > cols / 4)
		l->bin_w = cols / 4;
	l->func_x = l->bin_x + l->bin_w + CALLERS_GAP;
	l->func_w = cols - l->func_x;
}

/* The title: the function, its binary, its shares of the event, and
 * where Esc goes. */
static void
callers_title(const struct ui *ui, int y)
{
	const struct callers *cg = ui->callers;
	const struct callers_step *st = &cg->steps[cg->nsteps - 1];
	char *t;
	int x, bw;

	if (cg->nsteps > 1)
		t = xasprintf(_("Esc: back to %s"), cg->steps[cg->nsteps - 2].function);
	else
		t = xstrdup(_("Esc: back to the table"));
	bw = draw_width(t);
	if (bw > CALLERS_BACK_MAX)
		bw = CALLERS_BACK_MAX;
	draw_put(ui, y, COLS - bw, bw, t, UI_S_LABEL);
	free(t);

	t = xasprintf(_("%s  in %s"), st->function, st->binary);
	x = draw_put(ui, y, 0, COLS - bw - CALLERS_GAP, t, UI_S_VALUE);
	free(t);
	t = xasprintf(_("  TOTAL %.2f%%  SELF %.2f%%  of %s"), cg->total_pct,
	    cg->self_pct, events_table[cg->event].name);
	draw_put(ui, y, x, COLS - bw - CALLERS_GAP - x, t, UI_S_LABEL);
	free(t);
}

/* The column titles. */
static void
callers_titles(const struct ui *ui, int y, const struct callers_layout *l)
{
	char *t;

	draw_fill(ui, y, 0, COLS, UI_S_TITLE);
	draw_put(ui, y, 0, CALLERS_PCT_W, _(" SHARE%"), UI_S_TITLE);
	t = xasprintf("%*s", CALLERS_SAMPLES_W, _("SAMPLES"));
	draw_put(ui, y, l->samples_x, CALLERS_SAMPLES_W, t, UI_S_TITLE);
	free(t);
	draw_put(ui, y, l->bin_x, l->bin_w, _("BINARY"), UI_S_TITLE);
	draw_put(ui, y, l->func_x, l->func_w,
	    _("CALLERS above, CALLEES below"), UI_S_TITLE);
}

/* One line: share, samples, binary, function (indented by indent). */
static void
callers_put(const struct ui *ui, int y, const struct callers_layout *l,
    double pct, uint64_t samples, const char *binary, const char *function,
    int indent, enum ui_style heat, enum ui_style base)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%6.2f%%", pct);
	draw_put(ui, y, 0, CALLERS_PCT_W, buf, heat);
	snprintf(buf, sizeof buf, "%*" PRIu64, CALLERS_SAMPLES_W, samples);
	draw_put(ui, y, l->samples_x, CALLERS_SAMPLES_W, buf, base);
	draw_put(ui, y, l->bin_x, l->bin_w, binary, base);
	draw_put(ui, y, l->func_x + indent, l->func_w - indent, function, base);
}

/* Row idx (a caller or a callee) on line y. */
static void
callers_row(const struct ui *ui, int y, size_t idx,
    const struct callers_layout *l)
{
	const struct callers_row *r = &ui->callers->rows[idx];
	bool sel = idx == ui->callers->sel;
	enum ui_style base, heat;

	if (sel)
		base = UI_S_SELECT;
	else
		base = r->kind == AGG_EDGE_FUNC ? UI_S_NORMAL : UI_S_DIM;
	heat = sel ? UI_S_SELECT : draw_heat(r->pct);
	if (sel)
		draw_fill(ui, y, 0, COLS, UI_S_SELECT);
	callers_put(ui, y, l, r->pct, r->samples, r->binary, r->function,
	    CALLERS_INDENT, heat, base);
	draw_bar(ui, y, l->bar_x, CALLERS_BAR_W, r->pct, heat);
}

/* The function's own line, between its callers and its callees: all of
 * its total, no bar, its name not indented. */
static void
callers_self(const struct ui *ui, int y, const struct callers_layout *l)
{
	const struct callers *cg = ui->callers;
	const struct callers_step *st = &cg->steps[cg->nsteps - 1];

	callers_put(ui, y, l, cg->total_weight > 0 ? 100.0 : 0.0,
	    cg->total_samples, st->binary, st->function, 0, UI_S_GROUP,
	    UI_S_GROUP);
}

/* Why there are no rows. */
static void
callers_empty(const struct ui *ui, int y)
{
	const struct callers *cg = ui->callers;
	const struct callers_step *st = &cg->steps[cg->nsteps - 1];
	char *msg;

	if (!cg->found)
		msg = xasprintf(_("%s has no samples in %s (TAB: another event, "
		    "Esc: back)"), st->function, events_table[cg->event].name);
	else
		msg = xasprintf(_("no call stacks through %s in these counts"),
		    st->function);
	draw_put(ui, y, CALLERS_GAP, COLS - CALLERS_GAP, msg, UI_S_NOTICE);
	free(msg);
}

/* Draw the view in lines y .. y+h-1. */
void
callers_draw(struct ui *ui, int y, int h)
{
	struct callers *cg = ui->callers;
	struct callers_layout l;
	size_t lines, n, i, at;
	int ly;

	if (cg == NULL || cg->nsteps == 0 || h < CALLERS_HEAD + 1)
		return;
	callers_layout(cg, cg->steps[cg->nsteps - 1].binary, COLS, &l);
	callers_title(ui, y);
	callers_titles(ui, y + 1, &l);
	lines = (size_t)(h - CALLERS_HEAD);
	callers_scroll(ui, lines);
	n = cg->nrows + 1;
	for (i = 0; i < lines && cg->top + i < n; i++) {
		at = cg->top + i;
		ly = y + CALLERS_HEAD + (int)i;
		if (at < cg->ncallers)
			callers_row(ui, ly, at, &l);
		else if (at == cg->ncallers)
			callers_self(ui, ly, &l);
		else
			callers_row(ui, ly, at - 1, &l);
	}
	if (cg->nrows == 0)
		callers_empty(ui, y + CALLERS_HEAD + 2);
}
