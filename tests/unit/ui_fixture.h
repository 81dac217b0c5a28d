/*
 * A screen's state for the tests of the dispatcher and of the views,
 * without a terminal: made over a session the test fills (its aggregator
 * and sample counts), on the table, events 0 and 1 sampled, event 0
 * shown; and a key pressed through keys_intent and dispatch_intent.
 */
#ifndef RS_TEST_UI_FIXTURE_H
#define RS_TEST_UI_FIXTURE_H

#include <stdbool.h>
#include <string.h>

#include "dispatch.h"
#include "intent.h"
#include "keys.h"
#include "state.h"
#include "ui.h"
#include "ui_int.h"

/* The state of a screen over session s with parameters p: the table of
 * event 0 (events 0 and 1 sampled), its rows built. */
static inline void
test_ui_init(struct ui *ui, const struct ui_params *p, struct session *s)
{
	memset(ui, 0, sizeof *ui);
	ui->p = p;
	ui->s = s;
	ui->mode = UI_MODE_TABLE;
	ui->events[0].ev = 0;
	ui->events[0].sampled = true;
	ui->events[1].ev = 1;
	ui->events[1].sampled = true;
	ui->nevents = 2;
	ui->vo.event = 0;
	state_rebuild(ui);
}

/* Press key: ask keys_intent, carry it out. Returns whether the screen
 * is to be drawn again; sets *quit where the key asks to leave. */
static inline bool
test_ui_key(struct ui *ui, int key, bool *quit)
{
	struct intent in = keys_intent(ui, key);

	return dispatch_intent(ui, &in, quit);
}

#endif
