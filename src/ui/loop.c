/*
 * The screen's loop, htop style: the refresh tick is the input timeout,
 * so one loop does tick, draw, key. Keys typed together are taken before
 * drawing; each becomes an intent (keys.c) that dispatch.c carries out.
 * The loop ends on q, a signal from main, -n ticks or --duration.
 */
#include "config.h"

#include <math.h>
#include <stdbool.h>

#include "dispatch.h"
#include "draw.h"
#include "intent.h"
#include "keys.h"
#include "page.h"
#include "screen.h"
#include "session.h"
#include "state.h"
#include "status.h"
#include "ui.h"
#include "ui_int.h"

#define LOOP_BURST	64	/* keys handled before a draw, at most */
#define LOOP_MAX_WAIT	3600.0	/* seconds one wait for a key lasts, at most */
#define LOOP_DRAIN	0.1	/* seconds between drains of the ring, with call stacks */

/* Run the screen. */
int
ui_run(const struct ui_params *p, char **cause)
{
	struct ui ui;
	struct intent in;
	double start, next, end, now, wake, drain;
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
	/* With call stacks, records are big: the ring is drained between
	 * ticks too. */
	drain = ui.s->stk.on && p->delay > LOOP_DRAIN ? start + LOOP_DRAIN : 0;
	while (!quit && !*p->quit) {
		if (redraw) {
			page_draw(&ui);
			redraw = false;
		}
		now = ui_now();
		wake = end > 0 && end < next ? end : next;
		if (ui.status != NULL && ui.status_until < wake)
			wake = ui.status_until;
		if (drain > 0 && drain < wake)
			wake = drain;
		if (wake - now > LOOP_MAX_WAIT)
			wake = now + LOOP_MAX_WAIT;
		ms = wake > now ? (int)ceil((wake - now) * 1000.0) : 0;
		key = screen_key(ms);
		for (burst = 0; key != -1 && !quit; burst++) {
			in = keys_intent(&ui, key);
			redraw |= dispatch_intent(&ui, &in, &quit);
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
		if (drain > 0 && now >= drain) {
			if (now < next)
				session_drain(ui.s);
			drain = now + LOOP_DRAIN;
		}
		if (now >= next) {
			state_tick(&ui);
			if (p->after_tick != NULL)
				p->after_tick();
			/* The help screen and the size notice do not change. */
			if (ui.mode != UI_MODE_HELP && !ui.too_small)
				redraw = true;
			next += p->delay;
			if (next <= now)
				next = now + p->delay;
			if (p->iterations > 0 && ui.ticks >= p->iterations) {
				page_draw(&ui);
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
