/*
 * The diff view's state: the baseline sides captured at the freeze, the
 * live side and the diff rebuilt from them on each tick (frozen or not),
 * the selection and the zoom by binary name.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "binary.h"
#include "delta.h"
#include "diff.h"
#include "i18n.h"
#include "session.h"
#include "snap.h"
#include "status.h"
#include "ui_int.h"
#include "xmalloc.h"

/* Keep every event's baseline at the freeze. */
void
delta_capture(struct ui *ui)
{
	struct view_opts vo = ui->vo, cum = ui->vo;
	unsigned e;

	delta_release(ui);
	cum.window = false;
	for (e = 0; e < EVENT_COUNT; e++) {
		vo.event = cum.event = e;
		baseline_now(ui->s->agg, &vo, &ui->diff_base[e]);
		baseline_now(ui->s->agg, &cum, &ui->diff_then[e]);
	}
	ui->diff_captured = true;
}

/* Drop the captured baseline. */
void
delta_release(struct ui *ui)
{
	unsigned e;

	for (e = 0; e < EVENT_COUNT; e++) {
		diff_side_free(&ui->diff_base[e]);
		diff_side_free(&ui->diff_then[e]);
	}
	ui->diff_captured = false;
}

/* Whether a baseline exists for the event shown. */
bool
delta_available(const struct ui *ui, const char **why)
{
	const struct baseline *b = ui->p->baseline;

	if (ui->frozen && ui->diff_captured)
		return true;
	if (b != NULL && b->has[ui->vo.event])
		return true;
	*why = b != NULL ? _("the --baseline file has no samples of this event") :
	    _("no baseline: freeze (space) first, or start with --baseline FILE");
	return false;
}

/* Open or close the view. */
void
delta_toggle(struct ui *ui)
{
	ui->diff = !ui->diff;
	ui->diff_sel = 0;
	ui->diff_top = 0;
	if (ui->diff)
		delta_rebuild(ui);
}

/* The zoomed binary's name, from the table's zoom (a binary). */
static const char *
delta_zoom_name(const struct ui *ui)
{
	if (ui->diff_zoom != NULL)
		return ui->diff_zoom;
	return ui->vo.zoom != NULL ? binary_name(ui->vo.zoom) : NULL;
}

/* Rebuild the rows. */
void
delta_rebuild(struct ui *ui)
{
	const struct diff_side *base;
	struct diff_side live;
	struct view_opts vo = ui->vo;
	struct diff_opts o;
	unsigned e = ui->vo.event;

	diff_side_free(&ui->diff_now);
	if (ui->frozen && ui->diff_captured) {
		/* What arrived since the freeze, against the table then. */
		vo.window = false;
		baseline_now(ui->s->agg, &vo, &live);
		diff_side_since(&ui->diff_now, &live, &ui->diff_then[e]);
		diff_side_free(&live);
		base = &ui->diff_base[e];
	} else if (ui->p->baseline != NULL && ui->p->baseline->has[e]) {
		baseline_now(ui->s->agg, &vo, &ui->diff_now);
		base = &ui->p->baseline->sides[e];
	} else {
		/* No baseline any more (unfrozen): leave the view. */
		ui->diff = false;
		diff_free(&ui->dv);
		return;
	}
	baseline_opts(&ui->vo, delta_zoom_name(ui), &o);
	diff_build(&ui->dv, base, &ui->diff_now, &o);
	ui->diff_sel = ui_clamp(ui->diff_sel, ui->dv.n);
}

/* Select a row. */
void
delta_select(struct ui *ui, size_t idx)
{
	ui->diff_sel = ui_clamp(idx, ui->dv.n);
}

/* Zoom in or out by binary name. */
void
delta_zoom(struct ui *ui, bool in)
{
	char *name = NULL;

	if (in && ui->diff_sel < ui->dv.n)
		name = xstrdup(ui->dv.rows[ui->diff_sel].binary);
	free(ui->diff_zoom);
	ui->diff_zoom = name;
	ui->diff_sel = 0;
	ui->diff_top = 0;
	delta_rebuild(ui);
}

/* What the diff is against. */
char *
delta_describe(const struct ui *ui)
{
	if (ui->frozen && ui->diff_captured)
		return xstrdup(_("the frozen table"));
	if (ui->p->baseline != NULL)
		return xstrdup(ui->p->baseline->path);
	return xstrdup("");
}

/* Free the view's state. */
void
delta_free(struct ui *ui)
{
	delta_release(ui);
	diff_side_free(&ui->diff_now);
	diff_free(&ui->dv);
	free(ui->diff_zoom);
	ui->diff_zoom = NULL;
}

/* The body of the diff's snapshot: what it is against, then the rows. */
static int
delta_body(FILE *fp, const void *arg, char **cause)
{
	const struct ui *ui = arg;
	char *against = delta_describe(ui);

	fprintf(fp, "baseline: %s\n", against);
	fprintf(fp, "diff: %s\n\n", _("! marks a change beyond sampling noise (99 %)"));
	diff_write_text(fp, &ui->dv);
	free(against);
	return 0;
}

/* Write the diff view as text. */
void
delta_write(struct ui *ui)
{
	snap_save(ui, "diff", delta_body, ui, SNAP_VIEW);
}
