/*
 * What a key asks for. keys.c decides it from the key and the state,
 * changing nothing; dispatch.c, the one place that acts on intents, does
 * it and rebuilds or draws as it needs.
 */
#ifndef RS_INTENT_H
#define RS_INTENT_H

#include <stdbool.h>
#include <stddef.h>

#include "ui_int.h"
#include "view.h"

struct binary;

/* What is to happen; the fields of struct intent that it reads are
 * named after the dash. */
enum intent_what {
	INTENT_NONE,		/* nothing: nothing is drawn again */
	INTENT_QUIT,		/* leave the screen */
	INTENT_CLEAR,		/* repaint every cell of the terminal */
	INTENT_STATUS,		/* say something in the status line - msg */
	INTENT_HELP_OPEN,	/* the help screen */
	INTENT_HELP_CLOSE,	/* back to the screen help was opened on */
	INTENT_HELP_SCROLL,	/* the help screen from another entry - row */
	INTENT_EVENT_STEP,	/* the next or previous event, sampled from
				 * now on where it is not yet - dir */
	INTENT_FREEZE,		/* freeze the table, or let it follow again */
	INTENT_SORT,		/* sort by a column, in its own order - sort */
	INTENT_REVERSE,		/* the other order */
	INTENT_GROUP,		/* a subtotal row per binary, or not */
	INTENT_WINDOW,		/* cumulative counts or the rolling window */
	INTENT_ZOOM,		/* the rows of one binary (NULL: all) - zoom */
	INTENT_ZERO,		/* forget the counts */
	INTENT_FILTER_OPEN,	/* the filter prompt, on the current filter */
	INTENT_FILTER_SET,	/* the filter as typed so far - filter */
	INTENT_FILTER_CLOSE,	/* close the prompt, keeping the filter */
	INTENT_FILTER_CLEAR,	/* drop the filter, closing the prompt */
	INTENT_TABLE_SELECT,	/* select a table row - row, pin */
	INTENT_TABLE_HOTTEST,	/* select the function with the largest share */
	INTENT_TABLE_WRITE,	/* write a snapshot of the table */
	INTENT_DRILL_OPEN,	/* drill into the selected function - lines */
	INTENT_DRILL_CLOSE,	/* back to the table */
	INTENT_DRILL_SELECT,	/* select a drill-down row - row */
	INTENT_DRILL_HOTTEST,	/* select the hottest address or line */
	INTENT_DRILL_SWITCH,	/* source lines or addresses */
	INTENT_DRILL_WRITE,	/* write the drill-down's view */
	INTENT_CALLERS_OPEN,	/* the callers and callees of the selected
				 * function */
	INTENT_CALLERS_ENTER,	/* centre the view on the function of one of
				 * its rows - row */
	INTENT_CALLERS_BACK,	/* the function shown before, or the table */
	INTENT_CALLERS_SELECT,	/* select a row of the view - row */
	INTENT_CALLERS_WRITE,	/* write the view */
	INTENT_SETTINGS_SAVE,	/* save the settings to the settings file */
	INTENT_COLS_TOGGLE,	/* the columns view, or the table again */
	INTENT_COLS_SELECT,	/* select a row of the columns view - row */
	INTENT_COLS_SORT,	/* sort it by the key dir steps away - dir */
	INTENT_COLS_WRITE,	/* write the columns view */
	INTENT_DIFF_TOGGLE,	/* the diff view, or the table again */
	INTENT_DIFF_SELECT,	/* select a row of the diff - row */
	INTENT_DIFF_ZOOM,	/* the diff's rows of the selected row's binary,
				 * or all again - pin (true: in) */
	INTENT_DIFF_WRITE,	/* write the diff view */
};

struct intent {
	enum intent_what what;
	const char *msg;		/* a translated message */
	int dir;			/* 1: next, -1: previous */
	enum view_sort sort;
	const struct binary *zoom;
	char filter[UI_FILTER_MAX];
	size_t row;
	bool pin;			/* follow the row across rebuilds */
	bool lines;			/* the line view, not the addresses */
};

#endif
