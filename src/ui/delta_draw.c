/*
 * The diff view on screen: fixed columns for the shares and the change,
 * a change beyond noise marked "!" and coloured (hot when it grew, cool
 * when it shrank), noise in the normal style; binary and function share
 * what is left of the width.
 */
#include "config.h"

#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "delta_draw.h"
#include "draw.h"
#include "i18n.h"
#include "ui_int.h"
#include "xmalloc.h"

#define DELTA_PCT_W	7	/* "100.00%" */
#define DELTA_CHG_W	9	/* "+100.00!" */
#define DELTA_STATE_W	5
#define DELTA_GAP	2

/* Keep the selection in sight in rows lines. */
static void
delta_scroll(struct ui *ui, size_t rows)
{
	ui->diff_page = (int)rows;
	if (ui->diff_sel < ui->diff_top)
		ui->diff_top = ui->diff_sel;
	else if (ui->diff_sel >= ui->diff_top + rows)
		ui->diff_top = ui->diff_sel - rows + 1;
	if (ui->diff_top >= ui->dv.n)
		ui->diff_top = ui->dv.n > rows ? ui->dv.n - rows : 0;
}

/* The x of each column. */
struct delta_layout {
	int now_x, chg_x, tot_x, state_x, bin_x, bin_w, func_x, func_w;
};

/* Lay the columns out in cols. */
static void
delta_layout(const struct ui *ui, int cols, struct delta_layout *l)
{
	int bw = 8, w;
	size_t i;

	for (i = 0; i < ui->dv.n; i++) {
		w = draw_width(ui->dv.rows[i].binary);
		if (w > bw)
			bw = w;
	}
	l->now_x = DELTA_PCT_W + DELTA_GAP;
	l->chg_x = l->now_x + DELTA_PCT_W + DELTA_GAP;
	/* With call graphs, the change of TOTAL% too. */
	l->tot_x = ui->dv.has_total ? l->chg_x + DELTA_CHG_W + DELTA_GAP : -1;
	l->state_x = (ui->dv.has_total ? l->tot_x : l->chg_x) + DELTA_CHG_W +
	    DELTA_GAP;
	l->bin_x = l->state_x + DELTA_STATE_W + DELTA_GAP;
	w = cols - l->bin_x;
	l->bin_w = bw > w / 3 ? w / 3 : bw;
	l->func_x = l->bin_x + l->bin_w + DELTA_GAP;
	l->func_w = cols - l->func_x;
	if (l->func_w < 0)
		l->func_w = 0;
}

/* The titles, the sorted one marked. */
static void
delta_titles(const struct ui *ui, int y, const struct delta_layout *l)
{
	bool by_name = ui->vo.sort == VIEW_SORT_FUNCTION ||
	    ui->vo.sort == VIEW_SORT_BINARY;

	draw_fill(ui, y, 0, COLS, UI_S_TITLE);
	draw_put(ui, y, 0, DELTA_PCT_W, _("BASE%"), UI_S_TITLE);
	draw_put(ui, y, l->now_x, DELTA_PCT_W, _("NOW%"), UI_S_TITLE);
	draw_put(ui, y, l->chg_x, DELTA_CHG_W, _("DELTA"),
	    by_name ? UI_S_TITLE : UI_S_TITLE_SORT);
	if (l->tot_x >= 0)
		draw_put(ui, y, l->tot_x, DELTA_CHG_W, _("TOTAL-D"), UI_S_TITLE);
	draw_put(ui, y, l->state_x, DELTA_STATE_W, _("STATE"), UI_S_TITLE);
	draw_put(ui, y, l->bin_x, l->bin_w, _("BINARY"),
	    ui->vo.sort == VIEW_SORT_BINARY ? UI_S_TITLE_SORT : UI_S_TITLE);
	draw_put(ui, y, l->func_x, l->func_w, _("FUNCTION"),
	    ui->vo.sort == VIEW_SORT_FUNCTION ? UI_S_TITLE_SORT : UI_S_TITLE);
}

/* One row. */
static void
delta_row(const struct ui *ui, int y, size_t idx, const struct delta_layout *l)
{
	const struct diff_row *r = &ui->dv.rows[idx];
	bool sel = idx == ui->diff_sel;
	enum ui_style base, chg;
	char buf[64], *fn;

	base = sel ? UI_S_SELECT : r->group ? UI_S_GROUP : UI_S_NORMAL;
	chg = sel || !r->significant ? base : r->delta_pp > 0 ? UI_S_HOT :
	    UI_S_COOL;
	if (sel)
		draw_fill(ui, y, 0, COLS, UI_S_SELECT);
	snprintf(buf, sizeof buf, "%6.2f%%", r->base_pct);
	draw_put(ui, y, 0, DELTA_PCT_W, buf, base);
	snprintf(buf, sizeof buf, "%6.2f%%", r->now_pct);
	draw_put(ui, y, l->now_x, DELTA_PCT_W, buf, base);
	snprintf(buf, sizeof buf, "%+8.2f%s", r->delta_pp,
	    r->significant ? "!" : " ");
	draw_put(ui, y, l->chg_x, DELTA_CHG_W, buf, chg);
	if (l->tot_x >= 0 && !r->group) {
		snprintf(buf, sizeof buf, "%+8.2f%s", r->delta_total_pp,
		    r->significant_total ? "!" : " ");
		draw_put(ui, y, l->tot_x, DELTA_CHG_W, buf, sel ||
		    !r->significant_total ? base : r->delta_total_pp > 0 ?
		    UI_S_HOT : UI_S_COOL);
	}
	draw_put(ui, y, l->state_x, DELTA_STATE_W, r->state == DIFF_NEW ?
	    _("new") : r->state == DIFF_GONE ? _("gone") : "", base);
	draw_put(ui, y, l->bin_x, l->bin_w, r->binary, base);
	fn = r->group ? xstrdup(_("[subtotal]")) : ui->vo.group ?
	    xasprintf("  %s", r->function) : xstrdup(r->function);
	draw_put(ui, y, l->func_x, l->func_w, fn, base);
	free(fn);
}

/* Draw the diff. */
void
delta_draw(struct ui *ui, int y, int h)
{
	struct delta_layout l;
	size_t rows, i;

	if (h < 2)
		return;
	rows = (size_t)h - 1;
	delta_scroll(ui, rows);
	delta_layout(ui, COLS, &l);
	delta_titles(ui, y, &l);
	for (i = 0; i < rows && ui->diff_top + i < ui->dv.n; i++)
		delta_row(ui, y + 1 + (int)i, ui->diff_top + i, &l);
	if (ui->dv.n == 0)
		draw_put(ui, y + 2, DELTA_GAP, COLS - DELTA_GAP,
		    ui->dv.now_samples == 0 ? _("no samples since the baseline yet") :
		    _("no row matches (Esc clears the filter and the zoom)"),
		    UI_S_NOTICE);
}
