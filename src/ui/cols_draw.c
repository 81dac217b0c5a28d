/*
 * The columns view on screen: each event's share in a column as wide as
 * its name allows (names cut to fit), the hottest shares coloured as the
 * table's SELF%, derived columns with their numbers or why not ("no
 * PMU"), then binary and function in what is left.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cols.h"
#include "cols_draw.h"
#include "draw.h"
#include "i18n.h"
#include "ui_int.h"
#include "xmalloc.h"

#define COLS_PCT_W	9	/* "100.00%" and a name's first letters */
#define COLS_DER_W	7
#define COLS_GAP	2

/* Keep the selection in sight in rows lines. */
static void
cols_scroll(struct ui *ui, size_t rows)
{
	ui->col_page = (int)rows;
	if (ui->col_sel < ui->col_top)
		ui->col_top = ui->col_sel;
	else if (ui->col_sel >= ui->col_top + rows)
		ui->col_top = ui->col_sel - rows + 1;
	if (ui->col_top >= ui->cv.n)
		ui->col_top = ui->cv.n > rows ? ui->cv.n - rows : 0;
}

/* The x where the binary column starts. */
static int
cols_bin_x(const struct ui *ui)
{
	const struct columns_opts *o = &ui->cv.o;
	int x = (int)o->nevents * (COLS_PCT_W + COLS_GAP);
	size_t d;

	for (d = 0; d < COLUMNS_NDERIVED; d++) {
		if (o->derived[d] != COLUMNS_ABSENT)
			x += COLS_DER_W + COLS_GAP;
	}
	return x;
}

/* The width of the binary column. */
static int
cols_bin_w(const struct ui *ui, int x)
{
	int bw = 8, w;
	size_t i;

	for (i = 0; i < ui->cv.n; i++) {
		w = draw_width(ui->cv.rows[i].binary);
		if (w > bw)
			bw = w;
	}
	w = (COLS - x) / 3;
	return bw > w ? w : bw;
}

/* A derived cell's text. */
static void
cols_derived_text(char *buf, size_t len, const struct ui *ui,
    const struct columns_row *r, size_t d)
{
	if (ui->cv.o.derived[d] == COLUMNS_NO_PMU)
		snprintf(buf, len, "%s", _("no PMU"));
	else if (!r->has_derived[d])
		snprintf(buf, len, "%*s", COLS_DER_W, "-");
	else
		snprintf(buf, len, d == COLUMNS_IPC ? "%*.2f" : "%*.1f",
		    COLS_DER_W, r->derived[d]);
}

/* Draw the view. */
void
cols_draw(struct ui *ui, int y, int h)
{
	const struct columns_opts *o = &ui->cv.o;
	const struct columns_row *r;
	int x, bx, bw, fx;
	size_t rows, i, k;
	enum ui_style base;
	char buf[64];
	bool sel;

	if (h < 2)
		return;
	rows = (size_t)h - 1;
	cols_scroll(ui, rows);
	bx = cols_bin_x(ui);
	bw = cols_bin_w(ui, bx);
	fx = bx + bw + COLS_GAP;

	draw_fill(ui, y, 0, COLS, UI_S_TITLE);
	for (k = 0, x = 0; k < o->nevents; k++, x += COLS_PCT_W + COLS_GAP)
		draw_put(ui, y, x, COLS_PCT_W, events_table[o->events[k]].name,
		    o->sort == k ? UI_S_TITLE_SORT : UI_S_TITLE);
	for (k = 0; k < COLUMNS_NDERIVED; k++) {
		if (o->derived[k] == COLUMNS_ABSENT)
			continue;
		draw_put(ui, y, x, COLS_DER_W, columns_derived_name(k),
		    UI_S_TITLE);
		x += COLS_DER_W + COLS_GAP;
	}
	draw_put(ui, y, bx, bw, _("BINARY"), o->sort == o->nevents + 1 ?
	    UI_S_TITLE_SORT : UI_S_TITLE);
	draw_put(ui, y, fx, COLS - fx, _("FUNCTION"), o->sort == o->nevents ?
	    UI_S_TITLE_SORT : UI_S_TITLE);

	for (i = 0; i < rows && ui->col_top + i < ui->cv.n; i++) {
		r = &ui->cv.rows[ui->col_top + i];
		sel = ui->col_top + i == ui->col_sel;
		base = sel ? UI_S_SELECT : UI_S_NORMAL;
		if (sel)
			draw_fill(ui, y + 1 + (int)i, 0, COLS, UI_S_SELECT);
		for (k = 0, x = 0; k < o->nevents;
		    k++, x += COLS_PCT_W + COLS_GAP) {
			snprintf(buf, sizeof buf, "%8.2f%%", r->pct[k]);
			draw_put(ui, y + 1 + (int)i, x, COLS_PCT_W, buf,
			    sel ? base : draw_heat(r->pct[k]));
		}
		for (k = 0; k < COLUMNS_NDERIVED; k++) {
			if (o->derived[k] == COLUMNS_ABSENT)
				continue;
			cols_derived_text(buf, sizeof buf, ui, r, k);
			draw_put(ui, y + 1 + (int)i, x, COLS_DER_W, buf,
			    o->derived[k] == COLUMNS_NO_PMU && !sel ?
			    UI_S_DIM : base);
			x += COLS_DER_W + COLS_GAP;
		}
		draw_put(ui, y + 1 + (int)i, bx, bw, r->binary, base);
		draw_put(ui, y + 1 + (int)i, fx, COLS - fx, r->function, base);
	}
	if (ui->cv.n == 0)
		draw_put(ui, y + 2, COLS_GAP, COLS - COLS_GAP,
		    _("no samples yet"), UI_S_NOTICE);
}
