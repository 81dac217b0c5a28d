/*
 * The screen's loop, htop style: the refresh tick is the input timeout,
 * so one loop does tick, draw, key. Keys typed together are taken before
 * drawing; each is routed to its action, whose reaction flags are acted
 * on here, in one place. The loop ends on q, a signal from main, -n
 * ticks or --duration.
 */
#include "config.h"

#include <curses.h>
#include <math.h>
#include <stdbool.h>

#include "draw.h"
#include "frame.h"
#include "i18n.h"
#include "keys.h"
#include "screen.h"
#include "state.h"
#include "status.h"
#include "ui.h"
#include "ui_int.h"

#define LOOP_BURST	64	/* keys handled before a draw, at most */
#define LOOP_MAX_WAIT	3600.0	/* seconds one wait for a key lasts, at most */

/* Route one key: a resize, the help screen (any key closes it), the
 * filter prompt, or the key table (the entries that work on the screen
 * shown). Returns reaction flags. */
static int
loop_key(struct ui *ui, int key)
{
	const struct keys_entry *e;
	int where;

	if (key == KEY_RESIZE)
		return KEYS_CLEAR | KEYS_REDRAW;
	if (ui->mode == UI_MODE_HELP) {
		ui->mode = ui->help_from == UI_MODE_DRILL ? UI_MODE_DRILL :
		    UI_MODE_TABLE;
		if (ui->mode == UI_MODE_DRILL && !ui->frozen)
			return KEYS_REBUILD;
		return KEYS_REDRAW;
	}
	if (ui->mode == UI_MODE_FILTER)
		return keys_prompt(ui, key);
	e = keys_find(key);
	if (e == NULL)
		return 0;
	where = ui->mode == UI_MODE_DRILL ? KEYS_IN_DRILL : KEYS_IN_TABLE;
	if (!(e->where & where)) {
		status_set(ui, false,
		    _("not in the drill-down (Esc goes back to the table)"));
		return KEYS_REDRAW;
	}
	return e->action(ui, key);
}

/* The one place where reaction flags become work. Returns true where the
 * screen must be drawn again; *quit is set for KEYS_QUIT. */
static bool
loop_react(struct ui *ui, int flags, bool *quit)
{
	if (flags & KEYS_QUIT)
		*quit = true;
	if (flags & KEYS_REBUILD)
		state_rebuild(ui);
	if (flags & KEYS_CLEAR)
		screen_clear();
	return (flags & (KEYS_REDRAW | KEYS_REBUILD | KEYS_CLEAR)) != 0;
}

/* Run the screen. */
int
ui_run(const struct ui_params *p, char **cause)
{
	struct ui ui;
	double start, next, end, now, wake;
	bool redraw = true, quit = false;
	int key, ms, burst;

	state_init(&ui, p);
	draw_glyphs(&ui);
	if (screen_setup(cause) < 0) {
		screen_teardown();
		state_free(&ui);
		return -1;
	}
	draw_colors(&ui);
	state_rebuild(&ui);

	start = ui_now();
	next = start + p->delay;
	end = p->duration > 0 ? start + p->duration : 0;
	while (!quit && !*p->quit) {
		if (redraw) {
			frame_draw(&ui);
			redraw = false;
		}
		now = ui_now();
		wake = end > 0 && end < next ? end : next;
		if (ui.status != NULL && ui.status_until < wake)
			wake = ui.status_until;
		if (wake - now > LOOP_MAX_WAIT)
			wake = now + LOOP_MAX_WAIT;
		ms = wake > now ? (int)ceil((wake - now) * 1000.0) : 0;
		key = screen_key(ms);
		for (burst = 0; key != -1 && !quit; burst++) {
			redraw |= loop_react(&ui, loop_key(&ui, key), &quit);
			if (burst == LOOP_BURST || quit)
				break;
			/* Take what else is typed before drawing. */
			key = screen_key(0);
		}
		if (quit || *p->quit)
			break;
		now = ui_now();
		if (status_expire(&ui, now))
			redraw = true;
		if (now >= next) {
			state_tick(&ui);
			/* The help screen and the size notice do not change. */
			if (ui.mode != UI_MODE_HELP && !ui.too_small)
				redraw = true;
			next += p->delay;
			if (next <= now)
				next = now + p->delay;
			if (p->iterations > 0 && ui.ticks >= p->iterations) {
				frame_draw(&ui);
				break;
			}
		}
		if (end > 0 && now >= end)
			break;
	}
	screen_teardown();
	if (p->final != NULL) {
		*p->final = ui.vo;
		p->final->filter = NULL;
		p->final->zoom = NULL;
		p->final->group = false;
	}
	state_free(&ui);
	return 0;
}
