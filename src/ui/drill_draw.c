/*
 * Drawing the drill-down of one function: its sampled addresses (share,
 * bar, samples, offset, instruction, source line, inlined call) or its
 * source lines (perf annotate style), the hottest row marked by the
 * selection, the reasons where lines or code are unavailable.
 */
#include "config.h"

#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annotate.h"
#include "draw.h"
#include "drill.h"
#include "drill_draw.h"
#include "i18n.h"
#include "ui_int.h"
#include "xmalloc.h"

#define DRILL_PCT_W	7	/* "100.00%" */
#define DRILL_BAR_W	DRAW_BAR_MAX
#define DRILL_BAR_MIN	100	/* columns from which the bar is shown */
#define DRILL_SAMPLES_W	8
#define DRILL_OFF_W	10
#define DRILL_INSN_MAX	36
#define DRILL_LOC_MAX	28
#define DRILL_GAP	2
#define DRILL_HEAD	3	/* title, notice, column titles */

/* Where the columns are. */
struct drill_layout {
	int bar_x, bar_w;
	int samples_x;
	int off_x;
	int insn_x, insn_w;	/* address view */
	int src_x, src_w;	/* address view: source; line view: location */
	int text_x, text_w;	/* line view: source text */
};

/* The base name of a path. */
static const char *
drill_base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

/* Lay the columns out for cols columns. */
static void
drill_layout(const struct ui *ui, int cols, struct drill_layout *l)
{
	const struct annotate *an = ui->drill;
	int rest, w;
	size_t i;

	l->bar_w = cols >= DRILL_BAR_MIN ? DRILL_BAR_W : 0;
	l->bar_x = DRILL_PCT_W + 1;
	l->samples_x = DRILL_PCT_W + (l->bar_w > 0 ? 1 + l->bar_w : 0) + 1;
	l->off_x = l->samples_x + DRILL_SAMPLES_W + DRILL_GAP;
	/* Address view: offset, instruction, source. */
	l->insn_x = l->off_x + DRILL_OFF_W + DRILL_GAP;
	rest = cols - l->insn_x;
	l->insn_w = rest * 45 / 100;
	if (l->insn_w > DRILL_INSN_MAX)
		l->insn_w = DRILL_INSN_MAX;
	/* Line view: location, then the text. */
	l->src_x = ui->drill_lines ? l->off_x : l->insn_x + l->insn_w + DRILL_GAP;
	if (ui->drill_lines) {
		l->src_w = 4;
		for (i = 0; i < an->nlines; i++) {
			char loc[64];

			snprintf(loc, sizeof loc, "%s:%d", drill_base(an->lines[i].file),
			    an->lines[i].line);
			w = draw_width(loc);
			if (w > l->src_w)
				l->src_w = w;
		}
		if (l->src_w > DRILL_LOC_MAX)
			l->src_w = DRILL_LOC_MAX;
		l->text_x = l->src_x + l->src_w + DRILL_GAP;
		l->text_w = cols - l->text_x;
	} else {
		l->src_w = cols - l->src_x;
		l->text_x = cols;
		l->text_w = 0;
	}
}

/* The title, the notice line and the column titles. */
static void
drill_titles(const struct ui *ui, int y, const struct drill_layout *l)
{
	const struct annotate *an = ui->drill;
	const char *why = NULL;
	char *t;
	int x;

	t = xasprintf(_("%s  in %s"), an->function, an->binary);
	x = draw_put(ui, y, 0, COLS - 24, t, UI_S_VALUE);
	free(t);
	t = xasprintf(ngettext("  %s, %" PRIu64 " sample", "  %s, %" PRIu64 " samples",
	    an->samples), ui->drill_lines ? _("source lines") : _("addresses"),
	    an->samples);
	x += draw_put(ui, y, x, COLS - 24 - x, t, UI_S_LABEL);
	free(t);
	draw_put(ui, y, COLS - 22, 22, _("Esc: back to the table"), UI_S_LABEL);

	if (an->code_why != NULL)
		why = an->code_why;
	else if (an->insn_why != NULL && !ui->drill_lines)
		why = an->insn_why;
	else if (an->lines_why != NULL) {
		t = xasprintf(_("source lines unavailable: %s"), an->lines_why);
		draw_put(ui, y + 1, 0, COLS, t, UI_S_NOTICE);
		free(t);
	} else if (ui->drill_lines && an->source_why != NULL)
		why = an->source_why;
	else if (an->main_file != NULL)
		draw_put(ui, y + 1, 0, COLS, an->main_file, UI_S_LABEL);
	if (why != NULL)
		draw_put(ui, y + 1, 0, COLS, why, UI_S_NOTICE);

	draw_fill(ui, y + 2, 0, COLS, UI_S_TITLE);
	draw_put(ui, y + 2, 0, DRILL_PCT_W, _("   PCT%"), UI_S_TITLE);
	t = xasprintf("%*s", DRILL_SAMPLES_W, _("SAMPLES"));
	draw_put(ui, y + 2, l->samples_x, DRILL_SAMPLES_W, t, UI_S_TITLE);
	free(t);
	if (ui->drill_lines) {
		draw_put(ui, y + 2, l->src_x, l->src_w, _("LINE"), UI_S_TITLE);
		draw_put(ui, y + 2, l->text_x, l->text_w, _("SOURCE"), UI_S_TITLE);
	} else {
		draw_put(ui, y + 2, l->off_x, DRILL_OFF_W, _("OFFSET"), UI_S_TITLE);
		draw_put(ui, y + 2, l->insn_x, l->insn_w, _("INSTRUCTION"),
		    UI_S_TITLE);
		draw_put(ui, y + 2, l->src_x, l->src_w, _("SOURCE"), UI_S_TITLE);
	}
}

/* The share, bar and samples of a row. */
static void
drill_counts(const struct ui *ui, int y, const struct drill_layout *l,
    double pct, uint64_t samples, enum ui_style heat, enum ui_style base)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%6.2f%%", pct);
	draw_put(ui, y, 0, DRILL_PCT_W, buf, heat);
	if (l->bar_w > 0)
		draw_bar(ui, y, l->bar_x, l->bar_w, pct, heat);
	snprintf(buf, sizeof buf, "%*" PRIu64, DRILL_SAMPLES_W, samples);
	draw_put(ui, y, l->samples_x, DRILL_SAMPLES_W, buf, base);
}

/* Draw address row idx on line y. */
static void
drill_addr_row(const struct ui *ui, int y, size_t idx,
    const struct drill_layout *l)
{
	const struct annotate_addr *r = &ui->drill->addrs[idx];
	bool sel = idx == ui->drill_sel;
	enum ui_style heat = sel ? UI_S_SELECT : draw_heat(r->pct);
	enum ui_style base = sel ? UI_S_SELECT : r->pct >= 10.0 ? UI_S_HOT : UI_S_NORMAL;
	char buf[32], *src;

	if (sel)
		draw_fill(ui, y, 0, COLS, UI_S_SELECT);
	drill_counts(ui, y, l, r->pct, r->samples, heat, sel ? UI_S_SELECT : UI_S_NORMAL);
	if (r->other)
		snprintf(buf, sizeof buf, "-");
	else
		snprintf(buf, sizeof buf, "%#" PRIx64, r->offset);
	draw_put(ui, y, l->off_x, DRILL_OFF_W, buf, sel ? UI_S_SELECT : UI_S_LABEL);
	draw_put(ui, y, l->insn_x, l->insn_w, r->insn != NULL ? r->insn : "?", base);
	if (r->file != NULL && r->inlined != NULL)
		src = xasprintf(_("%s:%d  inlined from %s"), drill_base(r->file),
		    r->line, r->inlined);
	else if (r->file != NULL)
		src = xasprintf("%s:%d", drill_base(r->file), r->line);
	else
		src = xstrdup("");
	draw_put(ui, y, l->src_x, l->src_w, src, sel ? UI_S_SELECT : UI_S_NORMAL);
	free(src);
}

/* Draw line row idx on line y: cold lines dimmed. */
static void
drill_line_row(const struct ui *ui, int y, size_t idx,
    const struct drill_layout *l)
{
	const struct annotate_line *r = &ui->drill->lines[idx];
	bool sel = idx == ui->drill_sel;
	enum ui_style heat = sel ? UI_S_SELECT : draw_heat(r->pct);
	enum ui_style base;
	char loc[64];

	if (sel)
		base = UI_S_SELECT;
	else if (r->samples == 0)
		base = UI_S_DIM;
	else
		base = r->pct >= 10.0 ? UI_S_HOT : UI_S_NORMAL;
	if (sel)
		draw_fill(ui, y, 0, COLS, UI_S_SELECT);
	if (r->samples > 0)
		drill_counts(ui, y, l, r->pct, r->samples, heat, base);
	snprintf(loc, sizeof loc, "%s:%d", drill_base(r->file), r->line);
	draw_put(ui, y, l->src_x, l->src_w, loc, sel ? UI_S_SELECT :
	    r->samples == 0 ? UI_S_DIM : UI_S_LABEL);
	if (r->text != NULL)
		draw_put(ui, y, l->text_x, l->text_w, r->text, base);
}

/* Draw the drill-down in lines y .. y+h-1. */
void
drill_draw(struct ui *ui, int y, int h)
{
	struct drill_layout l;
	size_t n = drill_nrows(ui), rows, i;
	const char *msg;

	if (ui->drill == NULL || h < DRILL_HEAD + 1)
		return;
	drill_layout(ui, COLS, &l);
	drill_titles(ui, y, &l);
	rows = (size_t)(h - DRILL_HEAD);
	drill_scroll(ui, rows);
	for (i = 0; i < rows && ui->drill_top + i < n; i++) {
		if (ui->drill_lines)
			drill_line_row(ui, y + DRILL_HEAD + (int)i, ui->drill_top + i, &l);
		else
			drill_addr_row(ui, y + DRILL_HEAD + (int)i, ui->drill_top + i, &l);
	}
	if (n == 0) {
		if (ui->drill_lines)
			msg = ui->drill->lines_why != NULL ?
			    _("no source lines to show") : _("no source lines sampled yet");
		else
			msg = _("no samples of this function now (Esc goes back)");
		draw_put(ui, y + DRILL_HEAD + 1, DRILL_GAP, COLS - DRILL_GAP, msg,
		    UI_S_NOTICE);
	}
}
