/*
 * The one place where intents become work. Each intent is done on the
 * state (directly for a view option, through table.h, drill.h,
 * callers.h, state.h and status.h for the rest) and answers with
 * reaction flags, which are acted on at the end in one place: rebuild,
 * repaint, draw, quit.
 */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "agg.h"
#include "callers.h"
#include "cols.h"
#include "delta.h"
#include "dispatch.h"
#include "drill.h"
#include "i18n.h"
#include "intent.h"
#include "screen.h"
#include "session.h"
#include "settings.h"
#include "state.h"
#include "status.h"
#include "table.h"
#include "ui_int.h"

/* What is left to do once an intent has changed the state. */
#define DISPATCH_REDRAW		0x01	/* draw the screen again */
#define DISPATCH_REBUILD	0x02	/* rebuild the rows, then draw */
#define DISPATCH_CLEAR		0x04	/* repaint every cell of the terminal */
#define DISPATCH_QUIT		0x08	/* leave the screen */
#define DISPATCH_FOLLOW		0x10	/* the event changed: say where the
					 * caller/callee view's function
					 * has no counts in it */
/* The flags after which the screen is drawn again. */
#define DISPATCH_DRAW	(DISPATCH_REDRAW | DISPATCH_REBUILD | DISPATCH_CLEAR)

/* Close the help screen, back to the screen it was opened on; the
 * drill-down's or the caller/callee view's rows catch up with the counts
 * unless frozen. */
static int
dispatch_help_close(struct ui *ui)
{
	if (ui->help_from == UI_MODE_DRILL || ui->help_from == UI_MODE_CALLERS)
		ui->mode = ui->help_from;
	else
		ui->mode = UI_MODE_TABLE;
	if (ui->mode != UI_MODE_TABLE && !ui->frozen)
		return DISPATCH_REBUILD;
	return DISPATCH_REDRAW;
}

/* Freeze the table, or let it follow the counts again. */
static int
dispatch_freeze(struct ui *ui)
{
	ui->frozen = !ui->frozen;
	if (!ui->frozen) {
		delta_release(ui);
		return DISPATCH_REBUILD;
	}
	ui->frozen_base = ui->s->samples[ui->vo.event];
	delta_capture(ui);
	if (ui->diff)
		delta_rebuild(ui);
	return DISPATCH_REDRAW;
}

/* Do what in asks on the state. Returns DISPATCH_* flags. */
static int
dispatch_do(struct ui *ui, const struct intent *in)
{
	switch (in->what) {
	case INTENT_NONE:
		return 0;
	case INTENT_QUIT:
		return DISPATCH_QUIT;
	case INTENT_CLEAR:
		return DISPATCH_CLEAR | DISPATCH_REDRAW;
	case INTENT_STATUS:
		status_set(ui, false, "%s", in->msg);
		return DISPATCH_REDRAW;
	case INTENT_HELP_OPEN:
		ui->help_from = ui->mode;
		ui->mode = UI_MODE_HELP;
		ui->help_top = 0;
		return DISPATCH_REDRAW;
	case INTENT_HELP_SCROLL:
		ui->help_top = in->row;
		return DISPATCH_REDRAW;
	case INTENT_HELP_CLOSE:
		return dispatch_help_close(ui);
	case INTENT_EVENT_STEP:
		if (state_event_step(ui, in->dir))
			return DISPATCH_REBUILD | DISPATCH_FOLLOW;
		return DISPATCH_REDRAW;
	case INTENT_FREEZE:
		return dispatch_freeze(ui);
	case INTENT_SORT:
		ui->vo.sort = in->sort;
		ui->vo.reverse = false;
		return DISPATCH_REBUILD;
	case INTENT_REVERSE:
		ui->vo.reverse = !ui->vo.reverse;
		return DISPATCH_REBUILD;
	case INTENT_GROUP:
		ui->vo.group = !ui->vo.group;
		return DISPATCH_REBUILD;
	case INTENT_WINDOW:
		ui->vo.window = !ui->vo.window;
		return DISPATCH_REBUILD;
	case INTENT_ZOOM:
		ui->vo.zoom = in->zoom;
		return DISPATCH_REBUILD;
	case INTENT_ZERO:
		/* The rows must be rebuilt: agg_func pointers die with the
		 * counts. */
		session_zero(ui->s);
		status_set(ui, false, _("counts zeroed"));
		return DISPATCH_REBUILD;
	case INTENT_FILTER_OPEN:
		ui->mode = UI_MODE_FILTER;
		return DISPATCH_REDRAW;
	case INTENT_FILTER_SET:
		memcpy(ui->filter, in->filter, sizeof ui->filter);
		ui->vo.filter = ui->filter[0] != '\0' ? ui->filter : NULL;
		return DISPATCH_REBUILD;
	case INTENT_FILTER_CLOSE:
		ui->mode = UI_MODE_TABLE;
		return DISPATCH_REDRAW;
	case INTENT_FILTER_CLEAR:
		ui->mode = UI_MODE_TABLE;
		ui->filter[0] = '\0';
		ui->vo.filter = NULL;
		return DISPATCH_REBUILD;
	case INTENT_TABLE_SELECT:
		table_select(ui, in->row, in->pin);
		return DISPATCH_REDRAW;
	case INTENT_TABLE_HOTTEST:
		table_hottest(ui);
		return DISPATCH_REDRAW;
	case INTENT_TABLE_WRITE:
		table_write(ui);
		return DISPATCH_REDRAW;
	case INTENT_COLS_TOGGLE:
		cols_toggle(ui);
		return DISPATCH_REDRAW;
	case INTENT_COLS_SELECT:
		cols_select(ui, in->row);
		return DISPATCH_REDRAW;
	case INTENT_COLS_SORT:
		cols_sort_step(ui, in->dir);
		return DISPATCH_REDRAW;
	case INTENT_COLS_WRITE:
		cols_write(ui);
		return DISPATCH_REDRAW;
	case INTENT_DIFF_TOGGLE:
		if (!ui->diff)
			ui->columns = false;
		delta_toggle(ui);
		return DISPATCH_REDRAW;
	case INTENT_DIFF_SELECT:
		delta_select(ui, in->row);
		return DISPATCH_REDRAW;
	case INTENT_DIFF_ZOOM:
		delta_zoom(ui, in->pin);
		return DISPATCH_REDRAW;
	case INTENT_DIFF_WRITE:
		delta_write(ui);
		return DISPATCH_REDRAW;
	case INTENT_SETTINGS_SAVE:
		settings_save(ui);
		return DISPATCH_REDRAW;
	case INTENT_DRILL_OPEN:
		drill_open(ui, table_selected(ui), in->lines);
		return DISPATCH_REDRAW;
	case INTENT_DRILL_CLOSE:
		drill_close(ui);
		return DISPATCH_REDRAW;
	case INTENT_DRILL_SELECT:
		drill_select(ui, in->row);
		return DISPATCH_REDRAW;
	case INTENT_DRILL_HOTTEST:
		drill_hottest(ui);
		return DISPATCH_REDRAW;
	case INTENT_DRILL_SWITCH:
		drill_switch(ui);
		return DISPATCH_REDRAW;
	case INTENT_DRILL_WRITE:
		drill_write(ui);
		return DISPATCH_REDRAW;
	case INTENT_CALLERS_OPEN:
		callers_open(ui, table_selected(ui));
		return DISPATCH_REDRAW;
	case INTENT_CALLERS_ENTER:
		callers_enter(ui, in->row);
		return DISPATCH_REDRAW;
	case INTENT_CALLERS_BACK:
		callers_back(ui);
		return DISPATCH_REDRAW;
	case INTENT_CALLERS_SELECT:
		callers_select(ui, in->row);
		return DISPATCH_REDRAW;
	case INTENT_CALLERS_WRITE:
		callers_write(ui);
		return DISPATCH_REDRAW;
	}
	return 0;
}

/* Do what in asks, then what its flags leave to do. */
bool
dispatch_intent(struct ui *ui, const struct intent *in, bool *quit)
{
	int flags = dispatch_do(ui, in);

	if (flags & DISPATCH_QUIT)
		*quit = true;
	if (flags & DISPATCH_REBUILD)
		state_rebuild(ui);
	if (flags & DISPATCH_FOLLOW)
		callers_follow(ui);
	if (flags & DISPATCH_CLEAR)
		screen_clear();
	return (flags & DISPATCH_DRAW) != 0;
}
