/*
 * Drawing the function table: SELF% with a heat colour and a bar, TOTAL%,
 * SAMPLES, WAIT where the view has blocked samples, BINARY, FUNCTION
 * (names cut, never wrapped), the rows around the selection.
 */
#include "config.h"

#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "i18n.h"
#include "table.h"
#include "table_draw.h"
#include "ui_int.h"
#include "view.h"
#include "xmalloc.h"

#define TABLE_PCT_W	7	/* "100.00%" */
#define TABLE_SAMPLES_W	10
#define TABLE_BAR_W	DRAW_BAR_MAX	/* cells of the SELF% bar, wide screens */
#define TABLE_BAR_MIN	100	/* columns from which the bar is shown */
#define TABLE_GAP	2
#define TABLE_WAIT_W	10	/* "epoll_wait", "futex+" */
#define TABLE_WAIT_WIDE	16	/* "clock_nanosleep+", on wide screens */
#define TABLE_WAIT_MIN	120	/* columns from which WAIT is wide */

/* Where the columns are on a screen of a given width. */
struct table_layout {
	int bar_x, bar_w;
	int total_x;
	int samples_x;
	int wait_x, wait_w;		/* wait_w 0: no WAIT column */
	int bin_x, bin_w;
	int func_x, func_w;
};

/* The widest binary name among the rows. */
static int
table_bin_width(const struct ui *ui)
{
	size_t i;
	int w, widest = 0;

	for (i = 0; i < ui->view.n; i++) {
		w = draw_width(ui->view.rows[i].binary);
		if (w > widest)
			widest = w;
	}
	return widest;
}

/* Lay the columns out for cols columns. WAIT, shown only where some row
 * has blocked samples (wait-time), takes its room from BINARY first. */
static void
table_layout(const struct ui *ui, int cols, struct table_layout *l)
{
	int max_bin = cols / 4;

	l->bar_w = cols >= TABLE_BAR_MIN ? TABLE_BAR_W : 0;
	l->bar_x = TABLE_PCT_W + 1;
	l->total_x = TABLE_PCT_W + (l->bar_w > 0 ? 1 + l->bar_w : 0) + TABLE_GAP;
	l->samples_x = l->total_x + TABLE_PCT_W + TABLE_GAP;
	l->wait_x = l->samples_x + TABLE_SAMPLES_W + TABLE_GAP;
	l->wait_w = 0;
	l->bin_x = l->wait_x;
	if (ui->view.has_wait) {
		l->wait_w = cols >= TABLE_WAIT_MIN ? TABLE_WAIT_WIDE : TABLE_WAIT_W;
		l->bin_x += l->wait_w + TABLE_GAP;
		max_bin = cols / 5;
	}
	l->bin_w = table_bin_width(ui);
	if (l->bin_w < 6)
		l->bin_w = 6;	/* "BINARY" */
	if (l->bin_w > max_bin)
		l->bin_w = max_bin;
	l->func_x = l->bin_x + l->bin_w + TABLE_GAP;
	l->func_w = cols - l->func_x;
}

/* Draw one column title; the sorted one gets an arrow. */
static void
table_title(const struct ui *ui, int y, int x, int w, const char *label,
    bool right, bool sorted, bool up)
{
	const char *arrow = up ? ui->g.sort_up : ui->g.sort_down;
	char *text;
	int tw;

	if (sorted)
		text = right ? xasprintf("%s%s", arrow, label) :
		    xasprintf("%s%s", label, arrow);
	else
		text = xstrdup(label);
	tw = draw_width(text);
	if (right && tw < w)
		x += w - tw;
	draw_put(ui, y, x, w, text, sorted ? UI_S_TITLE_SORT : UI_S_TITLE);
	free(text);
}

/* The title line. */
static void
table_titles(const struct ui *ui, int y, const struct table_layout *l)
{
	enum view_sort s = ui->vo.sort;
	bool up;

	/* Names sort up (a to z), numbers down; r turns it round. */
	up = (s == VIEW_SORT_FUNCTION || s == VIEW_SORT_BINARY) != ui->vo.reverse;
	draw_fill(ui, y, 0, COLS, UI_S_TITLE);
	table_title(ui, y, 0, TABLE_PCT_W, _("SELF%"), true,
	    s == VIEW_SORT_SELF, up);
	table_title(ui, y, l->total_x, TABLE_PCT_W, _("TOTAL%"), true,
	    s == VIEW_SORT_TOTAL, up);
	table_title(ui, y, l->samples_x, TABLE_SAMPLES_W, _("SAMPLES"), true,
	    s == VIEW_SORT_SAMPLES, up);
	if (l->wait_w > 0)
		table_title(ui, y, l->wait_x, l->wait_w, _("WAIT"), false,
		    false, up);
	table_title(ui, y, l->bin_x, l->bin_w, _("BINARY"), false,
	    s == VIEW_SORT_BINARY, up);
	table_title(ui, y, l->func_x, l->func_w, _("FUNCTION"), false,
	    s == VIEW_SORT_FUNCTION, up);
}

/* How many function rows follow group row idx. */
static size_t
table_group_size(const struct ui *ui, size_t idx)
{
	size_t n = 0, i;

	for (i = idx + 1; i < ui->view.n; i++) {
		if (ui->view.rows[i].kind == VIEW_ROW_GROUP)
			break;
		n++;
	}
	return n;
}

/* Draw a row's WAIT cell: the system call, "+" where others share its
 * blocked samples, the "+" kept where the name is cut. */
static void
table_wait(const struct ui *ui, int y, const struct view_row *r,
    const struct table_layout *l, enum ui_style st)
{
	int used;

	if (l->wait_w <= 0 || r->wait == NULL)
		return;
	if (!r->wait_more) {
		draw_put(ui, y, l->wait_x, l->wait_w, r->wait, st);
		return;
	}
	used = draw_put(ui, y, l->wait_x, l->wait_w - 1, r->wait, st);
	draw_put(ui, y, l->wait_x + used, 1, "+", st);
}

/* Draw row idx on line y. */
static void
table_row(const struct ui *ui, int y, size_t idx, const struct table_layout *l)
{
	const struct view_row *r = &ui->view.rows[idx];
	bool sel = idx == ui->sel, group = r->kind == VIEW_ROW_GROUP;
	enum ui_style base, heat;
	char buf[64], *fn;
	size_t n;

	base = sel ? UI_S_SELECT : group ? UI_S_GROUP : UI_S_NORMAL;
	heat = sel ? UI_S_SELECT : draw_heat(r->self_pct);
	if (sel)
		draw_fill(ui, y, 0, COLS, UI_S_SELECT);

	snprintf(buf, sizeof buf, "%6.2f%%", r->self_pct);
	draw_put(ui, y, 0, TABLE_PCT_W, buf, group && !sel ? base : heat);
	if (l->bar_w > 0)
		draw_bar(ui, y, l->bar_x, l->bar_w, r->self_pct, heat);
	snprintf(buf, sizeof buf, "%6.2f%%", r->total_pct);
	draw_put(ui, y, l->total_x, TABLE_PCT_W, buf, base);
	snprintf(buf, sizeof buf, "%*" PRIu64, TABLE_SAMPLES_W, r->samples);
	draw_put(ui, y, l->samples_x, TABLE_SAMPLES_W, buf, base);
	table_wait(ui, y, r, l, base);
	draw_put(ui, y, l->bin_x, l->bin_w, r->binary, base);
	if (group) {
		n = table_group_size(ui, idx);
		fn = xasprintf(ngettext("[subtotal: %zu function]",
		    "[subtotal: %zu functions]", n), n);
	} else if (ui->vo.group)
		fn = xasprintf("  %s", r->function);
	else
		fn = xstrdup(r->function);
	draw_put(ui, y, l->func_x, l->func_w, fn, base);
	free(fn);
}

/* Draw the table in lines y .. y+h-1: titles, then the rows around the
 * selection. */
void
table_draw(struct ui *ui, int y, int h)
{
	struct table_layout l;
	size_t n = ui->view.n, rows, i;
	const char *msg;

	if (h < 2)
		return;
	rows = (size_t)h - 1;
	table_scroll(ui, rows);
	table_layout(ui, COLS, &l);
	table_titles(ui, y, &l);

	for (i = 0; i < rows && ui->top + i < n; i++)
		table_row(ui, y + 1 + (int)i, ui->top + i, &l);

	if (n == 0) {
		if (ui->view.total_samples == 0)
			msg = ui->exited ? _("no samples: the target exited") :
			    _("no samples yet");
		else
			msg = _("no row matches (Esc clears the filter and the zoom)");
		draw_put(ui, y + 2, TABLE_GAP, COLS - TABLE_GAP, msg, UI_S_NOTICE);
	}
}
