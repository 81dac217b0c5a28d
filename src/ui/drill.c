/*
 * The drill-down's state: one function's sampled addresses or source
 * lines (annotate.h), refreshed with the table and frozen with it; the
 * selection that stays on its address; the view's snapshot. The data
 * comes from annotate.h; drill_draw.c draws it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "agg.h"
#include "annotate.h"
#include "drill.h"
#include "i18n.h"
#include "session.h"
#include "snap.h"
#include "status.h"
#include "ui_int.h"
#include "view.h"

/* The rows of the view shown. */
size_t
drill_nrows(const struct ui *ui)
{
	if (ui->drill == NULL)
		return 0;
	return ui->drill_lines ? ui->drill->nlines : ui->drill->naddrs;
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
	annotate_update(an, ui->s->agg, af, ui->vo.window);
	n = drill_nrows(ui);
	if (!ui->drill_pinned) {
		ui->drill_sel = ui->drill_lines ? an->hot_line : an->hot_addr;
	} else if (!ui->drill_lines) {
		for (i = 0; i < an->naddrs && an->addrs[i].offset < ui->drill_sel_off; i++)
			;
		ui->drill_sel = i;
	}
	ui->drill_sel = ui_clamp(ui->drill_sel, n);
}

/* Enter (lines false) or l on the table: drill into the function of row
 * r. Its data is read once; opening it again reuses it. */
void
drill_open(struct ui *ui, const struct view_row *r, bool lines)
{
	uint64_t reach;

	if (r == NULL || r->kind != VIEW_ROW_FUNC)
		return;
	if (!annotate_is(ui->drill, r->bin, r->func)) {
		annotate_free(ui->drill);
		reach = annotate_reach(ui->s->agg, r->af);
		ui->drill = annotate_open(r->bin, r->func, reach,
		    ui->p->source_dirs, ui->p->nsource_dirs);
	}
	ui->mode = UI_MODE_DRILL;
	ui->drill_lines = lines;
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

/* Make row idx the selection, kept across refreshes. */
void
drill_select(struct ui *ui, size_t idx)
{
	ui->drill_sel = idx;
	ui->drill_pinned = true;
	drill_note_sel(ui);
}

/* H: select the hottest row. */
void
drill_hottest(struct ui *ui)
{
	if (ui->drill == NULL)
		return;
	drill_select(ui, ui->drill_lines ? ui->drill->hot_line :
	    ui->drill->hot_addr);
}

/* l: the other view, on its hottest row, which follows the counts. */
void
drill_switch(struct ui *ui)
{
	ui->drill_lines = !ui->drill_lines;
	drill_hottest(ui);
	ui->drill_pinned = false;
}

/* The drill-down shows rows rows: keep the selection in sight. */
void
drill_scroll(struct ui *ui, size_t rows)
{
	size_t n = drill_nrows(ui);

	ui->drill_page = (int)rows;
	if (ui->drill_sel < ui->drill_top)
		ui->drill_top = ui->drill_sel;
	if (ui->drill_sel >= ui->drill_top + rows)
		ui->drill_top = ui->drill_sel - rows + 1;
	if (ui->drill_top + rows > n)
		ui->drill_top = n > rows ? n - rows : 0;
}

/* The drill-down's body: annotate's text of the view shown. */
static int
drill_body(FILE *fp, const void *arg, char **cause)
{
	const struct ui *ui = arg;

	return annotate_write(fp, ui->drill, ui->drill_lines, NULL, cause);
}

/* w, P in the drill-down: write the view shown as text, under the
 * snapshot's default name with -drill before the extension. */
void
drill_write(struct ui *ui)
{
	if (ui->drill == NULL)
		return;
	snap_save(ui, "drill", drill_body, ui, SNAP_DRILL);
}

/* Release the drill-down's data. */
void
drill_free(struct ui *ui)
{
	annotate_free(ui->drill);
	ui->drill = NULL;
}
