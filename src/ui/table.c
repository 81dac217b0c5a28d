/*
 * The function table's state: rows from view_build, the selection that
 * stays on its function across rebuilds, the first row on screen, and the
 * snapshot of what the table shows.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "agg.h"
#include "export.h"
#include "i18n.h"
#include "session.h"
#include "status.h"
#include "table.h"
#include "ui_int.h"
#include "view.h"
#include "xmalloc.h"

/* Make row idx the selection; pinned, it is followed across rebuilds. */
void
table_select(struct ui *ui, size_t idx, bool pin)
{
	const struct view_row *r;

	ui->pinned = pin;
	if (ui->view.n == 0) {
		ui->sel = 0;
		return;
	}
	if (idx >= ui->view.n)
		idx = ui->view.n - 1;
	r = &ui->view.rows[idx];
	ui->sel = idx;
	ui->sel_group = r->kind == VIEW_ROW_GROUP;
	ui->sel_bin = r->bin;
	ui->sel_func = r->func;
}

/* Select the function row with the largest share (H), whatever the
 * sort order. */
void
table_hottest(struct ui *ui)
{
	size_t i, best = 0;
	bool found = false;

	for (i = 0; i < ui->view.n; i++) {
		if (ui->view.rows[i].kind != VIEW_ROW_FUNC)
			continue;
		if (!found || ui->view.rows[i].weight > ui->view.rows[best].weight) {
			best = i;
			found = true;
		}
	}
	if (found)
		table_select(ui, best, true);
}

/* The selected row, or NULL when there are no rows. */
const struct view_row *
table_selected(const struct ui *ui)
{
	if (ui->sel >= ui->view.n)
		return NULL;
	return &ui->view.rows[ui->sel];
}

/* The row of the remembered selection, or -1. */
static ssize_t
table_find(const struct ui *ui)
{
	size_t i;

	if (!ui->sel_group)
		return view_find(&ui->view, ui->sel_bin, ui->sel_func);
	for (i = 0; i < ui->view.n; i++) {
		if (ui->view.rows[i].kind == VIEW_ROW_GROUP &&
		    ui->view.rows[i].bin == ui->sel_bin)
			return (ssize_t)i;
	}
	return -1;
}

/* Rebuild the rows from the counts, keeping the selection on its row. */
void
table_rebuild(struct ui *ui)
{
	ssize_t idx;

	view_build(&ui->view, ui->s->agg, &ui->vo);
	ui->agg_gen = agg_generation(ui->s->agg);
	if (ui->frozen)
		ui->frozen_base = ui->s->samples[ui->vo.event];
	if (ui->view.n == 0) {
		ui->sel = 0;
		ui->top = 0;
		return;
	}
	if (!ui->pinned) {
		table_select(ui, 0, false);
		return;
	}
	idx = table_find(ui);
	if (idx >= 0)
		ui->sel = (size_t)idx;
	else
		table_select(ui, ui->sel, true);
}

/* The table shows rows rows: keep the selection in sight. */
void
table_scroll(struct ui *ui, size_t rows)
{
	size_t n = ui->view.n;

	ui->page = (int)rows;
	if (ui->sel < ui->top)
		ui->top = ui->sel;
	if (ui->sel >= ui->top + rows)
		ui->top = ui->sel - rows + 1;
	if (ui->top + rows > n)
		ui->top = n > rows ? n - rows : 0;
}

/* w, P: write a snapshot of what the table shows: to -o FILE, else
 * under the default name; in the --format formats (text without). */
void
table_write(struct ui *ui)
{
	const struct ui_params *p = ui->p;
	static const enum export_format text = EXPORT_TEXT;
	const enum export_format *fmts = &text;
	size_t nfmts = 1;
	char *path, *final = NULL, *cause = NULL;

	if (p->nformats > 0) {
		fmts = p->formats;
		nfmts = p->nformats;
	}
	if (p->output != NULL)
		path = xstrdup(p->output);
	else
		path = export_default_name(ui->pid, time(NULL), fmts[0]);
	if (session_snapshot(ui->s, path, fmts, nfmts, &ui->vo, ui->window_len,
	    &final, &cause) < 0) {
		status_set(ui, true, _("cannot write the snapshot: %s"),
		    cause != NULL ? cause : _("unknown error"));
		free(cause);
	} else {
		status_set(ui, false, _("snapshot written to %s"), final);
		free(final);
	}
	free(path);
}
