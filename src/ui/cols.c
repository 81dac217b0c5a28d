/*
 * The columns view's state: the events sampled now as columns (in the
 * order TAB steps through them), the table rebuilt with the view's
 * window, filter and zoom, its own sort key and selection.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cols.h"
#include "columns.h"
#include "i18n.h"
#include "session.h"
#include "snap.h"
#include "status.h"
#include "ui_int.h"
#include "xmalloc.h"

/* The options of the table from the screen's state. */
static void
cols_opts(const struct ui *ui, struct columns_opts *o)
{
	size_t i;

	memset(o, 0, sizeof *o);
	for (i = 0; i < ui->nevents; i++) {
		if (ui->events[i].sampled)
			o->events[o->nevents++] = ui->events[i].ev;
	}
	o->derived[COLUMNS_IPC] = (enum columns_state)ui->p->derived[0];
	o->derived[COLUMNS_CMPKI] = (enum columns_state)ui->p->derived[1];
	o->sort = ui->col_sort < columns_nsort(o) ? ui->col_sort : 0;
	o->reverse = ui->vo.reverse;
	o->window = ui->vo.window;
	o->filter = ui->vo.filter;
	o->zoom = ui->vo.zoom;
}

/* Open or close the view; it opens sorted by the event shown. */
void
cols_toggle(struct ui *ui)
{
	struct columns_opts o;
	size_t i;

	ui->columns = !ui->columns;
	ui->col_sel = 0;
	ui->col_top = 0;
	if (!ui->columns)
		return;
	ui->diff = false;
	cols_opts(ui, &o);
	ui->col_sort = 0;
	for (i = 0; i < o.nevents; i++) {
		if (o.events[i] == ui->vo.event)
			ui->col_sort = i;
	}
	cols_rebuild(ui);
}

/* Rebuild the rows. */
void
cols_rebuild(struct ui *ui)
{
	struct columns_opts o;

	cols_opts(ui, &o);
	ui->col_sort = o.sort;
	columns_build(&ui->cv, ui->s->agg, &o);
	ui->col_sel = ui_clamp(ui->col_sel, ui->cv.n);
}

/* Select a row. */
void
cols_select(struct ui *ui, size_t idx)
{
	ui->col_sel = ui_clamp(idx, ui->cv.n);
}

/* Step the sort key. */
void
cols_sort_step(struct ui *ui, int dir)
{
	size_t n = columns_nsort(&ui->cv.o);

	ui->col_sort = (ui->col_sort + n + (size_t)(dir < 0 ? n - 1 : 1)) % n;
	ui->vo.reverse = false;
	cols_rebuild(ui);
}

/* The selected row. */
const struct columns_row *
cols_selected(const struct ui *ui)
{
	return ui->col_sel < ui->cv.n ? &ui->cv.rows[ui->col_sel] : NULL;
}

/* The sort key's name. */
const char *
cols_sort_name(const struct ui *ui)
{
	const struct columns_opts *o = &ui->cv.o;

	if (o->sort < o->nevents)
		return events_table[o->events[o->sort]].name;
	return o->sort == o->nevents ? "function" : "binary";
}

/* The body of the view's snapshot. */
static int
cols_body(FILE *fp, const void *arg, char **cause)
{
	const struct ui *ui = arg;

	fprintf(fp, "columns: %s\n\n", cols_sort_name(ui));
	columns_write_text(fp, &ui->cv);
	return 0;
}

/* Write the view as text. */
void
cols_write(struct ui *ui)
{
	snap_save(ui, "columns", cols_body, ui, SNAP_VIEW);
}

/* Free the view's state. */
void
cols_free(struct ui *ui)
{
	columns_free(&ui->cv);
}
