/*
 * The screen's state as a whole: made from main's parameters, the events
 * TAB steps through (probed once), each tick's drain and rates, the
 * rebuild of what follows the counts, the release.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agg.h"
#include "callers.h"
#include "cols.h"
#include "delta.h"
#include "drill.h"
#include "events.h"
#include "i18n.h"
#include "sampler.h"
#include "session.h"
#include "state.h"
#include "status.h"
#include "table.h"
#include "target.h"
#include "ui_int.h"
#include "view.h"

/* The events TAB steps through: the shown ones first (sampled from the
 * start), then every other one this machine can sample on the target,
 * probed once. */
static void
state_events(struct ui *ui)
{
	const struct ui_params *p = ui->p;
	struct events_rate rate = p->rate;
	bool used[EVENT_COUNT] = { false };
	struct ui_event *e;
	char *reason;
	size_t i;
	unsigned ev;

	for (i = 0; i < p->nshown && ui->nevents < EVENT_COUNT; i++) {
		ev = p->shown[i];
		if (ev >= EVENT_COUNT || used[ev])
			continue;
		used[ev] = true;
		e = &ui->events[ui->nevents++];
		e->ev = ev;
		e->sampled = true;
	}
	for (ev = 0; ev < EVENT_COUNT; ev++) {
		if (used[ev])
			continue;
		e = &ui->events[ui->nevents];
		e->ev = ev;
		if (sampler_has_event(ui->s->sampler, ev)) {
			e->sampled = true;
		} else {
			reason = NULL;
			if (sampler_probe(ui->s->sampler, ev, ui->pid, &rate, &reason) < 0) {
				free(reason);
				continue;
			}
			free(reason);
		}
		used[ev] = true;
		ui->nevents++;
	}
	if (ui->nevents == 0) {
		ui->events[0].ev = EVENT_CPU_CLOCK;
		ui->events[0].sampled = true;
		ui->nevents = 1;
	}
	for (i = 0; i < ui->nevents; i++)
		ui->events[i].last = ui->s->samples[ui->events[i].ev];
	ui->cur = 0;
	ui->vo.event = ui->events[0].ev;
}

/* The state of a new screen. */
void
state_init(struct ui *ui, const struct ui_params *p)
{
	struct target *t = p->session->target;

	memset(ui, 0, sizeof *ui);
	ui->p = p;
	ui->s = p->session;
	ui->pid = t->n > 0 ? t->procs[0].pid : 0;
	ui->target = target_describe(t);
	ui->vo.sort = p->sort;
	ui->vo.reverse = p->reverse;
	ui->vo.group = p->group;
	ui->vo.window = p->window_secs > 0;
	ui->window_len = p->window_secs > 0 ? p->window_secs : p->default_window;
	ui->exited = !target_poll(t);
	ui->threads = ui->exited ? 0 : target_polled_threads(t);
	ui->mode = UI_MODE_TABLE;
	ui->last_tick = ui_now();
	state_events(ui);
	if (p->columns)
		cols_toggle(ui);
}

/* Rebuild the rows, and the drill-down's or the caller/callee view's
 * where it is on screen (or under the help screen). */
void
state_rebuild(struct ui *ui)
{
	enum ui_mode shown = ui->mode == UI_MODE_HELP ? ui->help_from : ui->mode;

	table_rebuild(ui);
	if (ui->diff)
		delta_rebuild(ui);
	if (ui->columns)
		cols_rebuild(ui);
	if (shown == UI_MODE_DRILL)
		drill_refresh(ui);
	else if (shown == UI_MODE_CALLERS)
		callers_refresh(ui);
}

/* What the debuginfod fetches have to say: the header's note, and in
 * the status line the messages said once (the first, and how many more). */
static void
state_fetches(struct ui *ui)
{
	char *first, *msg;
	size_t more = 0;

	free(ui->fetch_note);
	ui->fetch_note = session_fetch_note(ui->s);
	if ((first = session_fetch_message(ui->s)) == NULL)
		return;
	while ((msg = session_fetch_message(ui->s)) != NULL) {
		free(msg);
		more++;
	}
	if (more == 0)
		status_set(ui, true, "%s", first);
	else
		status_set(ui, true, ngettext("%s (and %zu more)",
		    "%s (and %zu more)", more), first, more);
	free(first);
}

/* One tick: drain the samples, look at the target, rebuild the rows
 * (unless frozen). Once every target process is gone the window stops
 * rolling, so the last data stays on screen. */
void
state_tick(struct ui *ui)
{
	struct session *s = ui->s;
	double now = ui_now(), dt = now - ui->last_tick;
	struct ui_event *e;
	uint64_t n;
	size_t i;

	if (ui->exited)
		session_drain(s);
	else
		session_tick(s);
	if (!ui->exited && !target_poll(s->target))
		ui->exited = true;
	ui->threads = ui->exited ? 0 : target_polled_threads(s->target);
	for (i = 0; i < ui->nevents; i++) {
		e = &ui->events[i];
		n = s->samples[e->ev];
		e->rate = dt > 0 ? (double)(n - e->last) / dt : 0;
		e->last = n;
	}
	state_fetches(ui);
	ui->last_tick = now;
	ui->ticks++;
	state_refresh(ui);
}

/* After a tick: rebuild the rows unless frozen; where the aggregator
 * folded rows (its budget), its agg_func pointers died, so a frozen
 * table is rebuilt too, as the z key does. */
void
state_refresh(struct ui *ui)
{
	if (!ui->frozen || agg_generation(ui->s->agg) != ui->agg_gen)
		state_rebuild(ui);
	else if (ui->diff)
		delta_rebuild(ui);
}

/* Show the next (dir 1) or previous (dir -1) supported event, starting
 * its sampling when it is not sampled yet. */
bool
state_event_step(struct ui *ui, int dir)
{
	size_t n = ui->nevents, i = ui->cur, tries;
	struct ui_event *e;
	char *cause = NULL;

	for (tries = 1; tries < n; tries++) {
		i = (i + n + (size_t)dir) % n;
		e = &ui->events[i];
		if (e->refused)
			continue;
		if (!e->sampled) {
			if (sampler_add_event(ui->s->sampler, e->ev, &cause) < 0) {
				status_set(ui, true, _("cannot sample %s: %s"),
				    events_table[e->ev].name,
				    cause != NULL ? cause : _("unknown error"));
				free(cause);
				cause = NULL;
				e->refused = true;
				continue;
			}
			e->sampled = true;
			e->since = time(NULL);
			e->last = ui->s->samples[e->ev];
			e->rate = 0;
		}
		ui->cur = i;
		ui->vo.event = e->ev;
		return true;
	}
	if (ui->status == NULL)
		status_set(ui, false, _("no other event can be sampled here"));
	return false;
}

/* Release the screen's state. */
void
state_free(struct ui *ui)
{
	drill_free(ui);
	callers_free(ui);
	delta_free(ui);
	cols_free(ui);
	view_free(&ui->view);
	free(ui->target);
	free(ui->fetch_note);
	free(ui->status);
	memset(ui, 0, sizeof *ui);
}
