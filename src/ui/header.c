/*
 * The header: the target and its threads, live or frozen; the event, its
 * rate, samples and lost samples; the window, sort, grouping, zoom and
 * filter; then the notice lines: the call graph (with -g: how stacks are
 * walked, and how many were cut short), the target's exit, debug files
 * being fetched (debuginfod), event fallbacks.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "binary.h"
#include "cols.h"
#include "delta.h"
#include "draw.h"
#include "events.h"
#include "header.h"
#include "i18n.h"
#include "sampler.h"
#include "session.h"
#include "symtab.h"
#include "ui_int.h"
#include "view.h"
#include "xmalloc.h"

#define HEADER_FIXED	3	/* lines before the notices */

/* How many notice lines there are: the call graph's, the target's exit,
 * debuginfod's fetches, then main's notices. */
static size_t
header_nnotices(const struct ui *ui)
{
	char *budgets = session_budget_note(ui->s);
	size_t n = budgets != NULL ? 1 : 0;

	free(budgets);
	return (ui->s->callgraph != NULL ? 1 : 0) + (ui->exited ? 1 : 0) + n +
	    (ui->fetch_note != NULL ? 1 : 0) + ui->p->nnotices;
}

/* The lines the header takes. */
int
header_height(const struct ui *ui)
{
	size_t n = header_nnotices(ui);

	if (n > UI_NOTICE_LINES)
		n = UI_NOTICE_LINES;
	return HEADER_FIXED + (int)n;
}

/* Put "label value" at *x on line y (two spaces after what is there),
 * within lim columns. Returns false once the line is full. */
static bool
header_kv(const struct ui *ui, int y, int *x, int lim, const char *label,
    const char *value, enum ui_style st)
{
	if (*x > 0)
		*x += 2;
	if (*x >= lim)
		return false;
	*x += draw_put(ui, y, *x, lim - *x, label, UI_S_LABEL);
	if (*x + 1 >= lim)
		return false;
	*x += 1;
	*x += draw_put(ui, y, *x, lim - *x, value, st);
	return *x < lim;
}

/* Line 1: the target, the sampler, and LIVE or FROZEN at the right. */
static void
header_target(const struct ui *ui, int y)
{
	unsigned long long since;
	char *text, *badge;
	int x, bw;

	if (ui->frozen) {
		since = ui->s->samples[ui->vo.event] - ui->frozen_base;
		badge = xasprintf(ngettext("FROZEN, %llu sample since",
		    "FROZEN, %llu samples since", since), since);
	} else
		badge = xstrdup(_("LIVE"));
	bw = draw_width(badge) + 2;
	if (ui->exited)
		text = xasprintf(_("%s, exited"), ui->target);
	else
		text = xasprintf(ngettext("%s, %zu thread", "%s, %zu threads",
		    ui->threads), ui->target, ui->threads);
	x = draw_put(ui, y, 0, COLS - bw - 1, text,
	    ui->exited ? UI_S_NOTICE : UI_S_VALUE);
	/* A screen drawn without a sampler (the unit tests') names none. */
	header_kv(ui, y, &x, COLS - bw - 1, _("sampler:"),
	    ui->s->sampler != NULL ? sampler_name(ui->s->sampler) : "-",
	    UI_S_VALUE);
	draw_fill(ui, y, COLS - bw, bw, ui->frozen ? UI_S_FROZEN : UI_S_LIVE);
	draw_put(ui, y, COLS - bw + 1, bw - 1, badge,
	    ui->frozen ? UI_S_FROZEN : UI_S_LIVE);
	free(text);
	free(badge);
}

/* Line 2: the event (and since when the screen samples it), its rate,
 * samples and lost samples. */
static void
header_event(const struct ui *ui, int y)
{
	const struct ui_event *e = &ui->events[ui->cur];
	unsigned ev = ui->vo.event;
	struct sampler_stats st = { 0 };
	char *v, when[16];
	struct tm tm;
	int x = 0;

	if (ui->s->sampler != NULL)
		sampler_stats(ui->s->sampler, &st);
	if (e->since != 0 && localtime_r(&e->since, &tm) != NULL &&
	    strftime(when, sizeof when, "%H:%M:%S", &tm) > 0)
		v = xasprintf(_("%s (since %s)"), events_table[ev].name, when);
	else
		v = xstrdup(events_table[ev].name);
	header_kv(ui, y, &x, COLS, _("event:"), v, UI_S_VALUE);
	free(v);

	if (ui->p->rate.period != 0)
		v = xasprintf(_("%.0f/s (-c %llu)"), e->rate,
		    (unsigned long long)ui->p->rate.period);
	else
		v = xasprintf(_("%.0f/s (-F %llu)"), e->rate,
		    (unsigned long long)ui->p->rate.freq);
	header_kv(ui, y, &x, COLS, _("rate:"), v, UI_S_VALUE);
	free(v);

	v = xasprintf("%llu", (unsigned long long)ui->s->samples[ev]);
	header_kv(ui, y, &x, COLS, _("samples:"), v, UI_S_VALUE);
	free(v);

	if (st.lost_ns > 0)
		v = xasprintf(_("%llu (%.1f s not sampled)"),
		    (unsigned long long)st.lost[ev], st.lost_ns / 1e9);
	else
		v = xasprintf("%llu", (unsigned long long)st.lost[ev]);
	header_kv(ui, y, &x, COLS, _("lost:"), v,
	    st.lost[ev] > 0 || st.lost_ns > 0 ? UI_S_ERROR : UI_S_VALUE);
	free(v);
}

/* Line 3: how the rows are chosen: window, sort, group, zoom, filter. */
static void
header_view(const struct ui *ui, int y)
{
	const struct view_opts *vo = &ui->vo;
	const char *name;
	char *v;
	int x = 0;

	if (ui->diff) {
		v = delta_describe(ui);
		header_kv(ui, y, &x, COLS, _("diff against:"), v, UI_S_NOTICE);
		free(v);
	}
	if (vo->window)
		v = xasprintf(_("last %g s"), ui->window_len);
	else
		v = xstrdup(_("cumulative"));
	header_kv(ui, y, &x, COLS, _("window:"), v, UI_S_VALUE);
	free(v);

	/* The diff sorts by the change where the table sorts by a count. */
	name = ui->columns ? cols_sort_name(ui) : !ui->diff ||
	    vo->sort == VIEW_SORT_FUNCTION || vo->sort == VIEW_SORT_BINARY ?
	    view_sort_names[vo->sort] : "delta";
	if (vo->reverse)
		v = xasprintf(_("%s, reversed"), name);
	else
		v = xstrdup(name);
	header_kv(ui, y, &x, COLS, _("sort:"), v, UI_S_VALUE);
	free(v);

	if (vo->group)
		header_kv(ui, y, &x, COLS, _("group:"), _("by binary"), UI_S_VALUE);
	if (ui->diff && ui->diff_zoom != NULL)
		header_kv(ui, y, &x, COLS, _("zoom:"), ui->diff_zoom, UI_S_NOTICE);
	else if (vo->zoom != NULL) {
		name = binary_name(vo->zoom);
		header_kv(ui, y, &x, COLS, _("zoom:"), name != NULL ? name : "?",
		    UI_S_NOTICE);
	}
	if (vo->filter != NULL && *vo->filter != '\0')
		header_kv(ui, y, &x, COLS, _("filter:"), vo->filter, UI_S_NOTICE);
	if (ui->view.total_samples > 0 || ui->view.n > 0) {
		v = xasprintf("%zu", ui->view.n);
		header_kv(ui, y, &x, COLS, _("rows:"), v, UI_S_VALUE);
		free(v);
	}
}

/* The call graph's line: how stacks are walked (the text may be cut),
 * then, once stacks have come, the share of them cut short. */
static void
header_callgraph(const struct ui *ui, int y)
{
	const struct session *s = ui->s;
	char *v = NULL;
	double pct;
	int x = 0, lim = COLS;

	if (s->stack_samples > 0) {
		pct = (double)s->stack_truncated * 100.0 / (double)s->stack_samples;
		if (s->stack_truncated > 0 && pct < 1.0)
			v = xstrdup("<1%");
		else
			v = xasprintf("%.0f%%", pct);
		/* Room for "  truncated stacks N%" after the call graph. */
		lim -= 2 + draw_width(_("truncated stacks")) + 1 + draw_width(v);
	}
	header_kv(ui, y, &x, lim, _("call graph:"), s->callgraph, UI_S_VALUE);
	if (v != NULL) {
		header_kv(ui, y, &x, COLS, _("truncated stacks"), v,
		    s->stack_truncated > 0 ? UI_S_NOTICE : UI_S_VALUE);
		free(v);
	}
}

/* Notice line i on line y: the call graph's, the target's exit, a
 * memory budget's warning, debuginfod's fetches, then main's notices. */
static void
header_notice(const struct ui *ui, int y, size_t i)
{
	char *msg;

	if (ui->s->callgraph != NULL) {
		if (i == 0) {
			header_callgraph(ui, y);
			return;
		}
		i--;
	}
	if (ui->exited) {
		if (i == 0) {
			msg = xasprintf(_("%s exited: its last data stays on screen until q"),
			    ui->target);
			draw_put(ui, y, 0, COLS, msg, UI_S_NOTICE);
			free(msg);
			return;
		}
		i--;
	}
	if ((msg = session_budget_note(ui->s)) != NULL) {
		if (i == 0) {
			draw_put(ui, y, 0, COLS, msg, UI_S_NOTICE);
			free(msg);
			return;
		}
		free(msg);
		i--;
	}
	if (ui->fetch_note != NULL) {
		if (i == 0) {
			draw_put(ui, y, 0, COLS, ui->fetch_note, UI_S_NOTICE);
			return;
		}
		i--;
	}
	draw_put(ui, y, 0, COLS, ui->p->notices[i], UI_S_NOTICE);
}

/* The notice lines; the last one counts those that do not fit. */
static void
header_notices(const struct ui *ui, int y)
{
	size_t total = header_nnotices(ui), shown = 0, i;
	char *msg;

	for (i = 0; i < total; i++) {
		if (shown + 1 == UI_NOTICE_LINES && total > UI_NOTICE_LINES) {
			msg = xasprintf(ngettext("(%zu more notice)",
			    "(%zu more notices)", total - shown), total - shown);
			draw_put(ui, y + (int)shown, 0, COLS, msg, UI_S_NOTICE);
			free(msg);
			return;
		}
		header_notice(ui, y + (int)shown, i);
		shown++;
	}
}

/* Draw the header from line y. */
void
header_draw(const struct ui *ui, int y)
{
	header_target(ui, y);
	header_event(ui, y + 1);
	header_view(ui, y + 2);
	header_notices(ui, y + HEADER_FIXED);
}
