/*
 * The drill-down of one function: its sampled addresses (share, bar,
 * samples, offset, instruction, source line, inlined call) or its source
 * lines (perf annotate style), refreshed with the table and frozen with
 * it. The data comes from annotate.h; this file only draws and moves.
 */
#include "config.h"

#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agg.h"
#include "annotate.h"
#include "draw.h"
#include "export.h"
#include "i18n.h"
#include "keys.h"
#include "session.h"
#include "status.h"
#include "ui_int.h"
#include "view.h"
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

/* The rows of the view shown. */
static size_t
drill_nrows(const struct ui *ui)
{
	if (ui->drill == NULL)
		return 0;
	return ui->drill_lines ? ui->drill->nlines : ui->drill->naddrs;
}

/* The base name of a path. */
static const char *
drill_base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

/* Remember the selected address, so that it stays selected as new
 * addresses come in. */
static void
drill_note_sel(struct ui *ui)
{
	if (!ui->drill_lines && ui->drill_sel < ui->drill->naddrs)
		ui->drill_sel_off = ui->drill->addrs[ui->drill_sel].offset;
}

/* Rebuild the drill-down's rows from the counts the table shows (the
 * same event and window); the selection stays on its address. */
void
drill_refresh(struct ui *ui)
{
	struct annotate *an = ui->drill;
	const struct agg_func *af = NULL;
	ssize_t idx;
	size_t i, n;

	if (an == NULL)
		return;
	idx = view_find(&ui->view, an->bin, an->func);
	if (idx >= 0)
		af = ui->view.rows[idx].af;
	annotate_update(an, ui->s->agg, af, ui->vo.window, ui->s->dwarf);
	n = drill_nrows(ui);
	if (!ui->drill_pinned) {
		ui->drill_sel = ui->drill_lines ? an->hot_line : an->hot_addr;
	} else if (!ui->drill_lines) {
		for (i = 0; i < an->naddrs && an->addrs[i].offset < ui->drill_sel_off; i++)
			;
		ui->drill_sel = i;
	}
	if (ui->drill_sel >= n)
		ui->drill_sel = n > 0 ? n - 1 : 0;
}

/* Enter (lines false) or l on the table: drill into the selected
 * function. Its data is read once; opening it again reuses it. */
void
drill_open(struct ui *ui, bool line_view)
{
	const struct view_row *r = table_selected(ui);
	uint64_t reach;

	if (r == NULL || r->kind != VIEW_ROW_FUNC) {
		status_set(ui, false, _("select a function to drill into"));
		return;
	}
	if (!annotate_is(ui->drill, r->bin, r->func)) {
		annotate_free(ui->drill);
		reach = annotate_reach(ui->s->agg, r->af);
		ui->drill = annotate_open(ui->s->dwarf, r->bin, r->func, reach,
		    ui->p->source_dirs, ui->p->nsource_dirs);
	}
	ui->mode = UI_MODE_DRILL;
	ui->drill_lines = line_view;
	ui->drill_pinned = false;
	ui->drill_sel = 0;
	ui->drill_top = 0;
	drill_refresh(ui);
}

/* Esc: back to the table, on the same function. */
void
drill_close(struct ui *ui)
{
	ui->mode = UI_MODE_TABLE;
}

/* H: select the hottest row. */
void
drill_hottest(struct ui *ui)
{
	if (ui->drill == NULL)
		return;
	ui->drill_sel = ui->drill_lines ? ui->drill->hot_line : ui->drill->hot_addr;
	ui->drill_pinned = true;
	drill_note_sel(ui);
}

/* Move the selection in the drill-down. */
int
drill_move(struct ui *ui, int key)
{
	size_t sel = ui->drill_sel;
	size_t page = ui->drill_page > 1 ? (size_t)ui->drill_page - 1 : 1;

	if (!keys_step(key, drill_nrows(ui), page, &sel))
		return 0;
	ui->drill_sel = sel;
	ui->drill_pinned = true;
	drill_note_sel(ui);
	return KEYS_REDRAW;
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
drill_titles(struct ui *ui, int y, const struct drill_layout *l)
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
drill_counts(struct ui *ui, int y, const struct drill_layout *l, double pct,
    uint64_t samples, enum ui_style heat, enum ui_style base)
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
drill_addr_row(struct ui *ui, int y, size_t idx, const struct drill_layout *l)
{
	const struct annotate_addr *r = &ui->drill->addrs[idx];
	bool sel = idx == ui->drill_sel;
	enum ui_style heat = sel ? UI_S_SELECT : draw_heat(r->pct);
	enum ui_style base = sel ? UI_S_SELECT : r->pct >= 10.0 ? UI_S_HOT : UI_S_NORMAL;
	char buf[32], *src;

	if (sel)
		draw_fill(ui, y, 0, COLS, UI_S_SELECT);
	drill_counts(ui, y, l, r->pct, r->samples, heat, sel ? UI_S_SELECT : UI_S_NORMAL);
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
drill_line_row(struct ui *ui, int y, size_t idx, const struct drill_layout *l)
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
	ui->drill_page = (int)rows;
	if (ui->drill_sel < ui->drill_top)
		ui->drill_top = ui->drill_sel;
	if (ui->drill_sel >= ui->drill_top + rows)
		ui->drill_top = ui->drill_sel - rows + 1;
	if (ui->drill_top + rows > n)
		ui->drill_top = n > rows ? n - rows : 0;
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

/* The snapshot's header lines. */
static char *
drill_header(struct ui *ui)
{
	struct session_meta sm;
	char when[64] = "";
	struct tm tm;
	char *out;

	session_meta(ui->s, ui->vo.window, ui->window_len, &sm);
	if (localtime_r(&sm.m.time, &tm) != NULL)
		strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S %z", &tm);
	out = xasprintf("target: %s\nevent: %s\nsampler: %s\nwindow: %s\n"
	    "samples: %" PRIu64 "\ntime: %s\n", sm.m.target,
	    sm.names[ui->vo.event], sm.m.sampler, sm.m.window,
	    ui->s->samples[ui->vo.event], when);
	session_meta_free(&sm);
	return out;
}

/* w, P in the drill-down: write the view shown as text, under the
 * snapshot's default name with -drill before the extension. */
void
drill_write(struct ui *ui)
{
	struct export_file *f = NULL;
	char *name, *path, *dot, *header, *final = NULL, *cause = NULL;
	int rc;

	if (ui->drill == NULL)
		return;
	name = export_default_name(ui->pid, time(NULL), EXPORT_TEXT);
	dot = strrchr(name, '.');
	if (dot != NULL)
		*dot = '\0';
	path = xasprintf("%s-drill.%s", name, export_format_ext(EXPORT_TEXT));
	free(name);
	header = drill_header(ui);
	rc = export_open(&f, path, &cause);
	if (rc == 0) {
		rc = annotate_write(export_stream(f), ui->drill, ui->drill_lines,
		    header, &cause);
		if (rc == 0)
			rc = export_commit(f, &final, &cause);
		else
			export_abort(f);
	}
	if (rc < 0)
		status_set(ui, true, _("cannot write the drill-down: %s"),
		    cause != NULL ? cause : _("unknown error"));
	else
		status_set(ui, false, _("drill-down written to %s"), final);
	free(cause);
	free(final);
	free(header);
	free(path);
}

/* Release the drill-down's data. */
void
drill_free(struct ui *ui)
{
	annotate_free(ui->drill);
	ui->drill = NULL;
}
