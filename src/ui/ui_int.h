/*
 * The screen's own state, shared by its modules (each declares its
 * functions in its own header). Types only, and the clock. Nothing
 * outside src/ui includes this.
 */
#ifndef RS_UI_INT_H
#define RS_UI_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include <wchar.h>

#include "columns.h"
#include "diff.h"
#include "events.h"
#include "ui.h"
#include "view.h"

struct annotate;
struct binary;
struct callers;
struct symtab_func;

#define UI_MIN_COLS	80	/* smaller than this: "terminal too small" */
#define UI_MIN_LINES	24
#define UI_FILTER_MAX	128	/* bytes of filter text */
#define UI_STATUS_SECS	6.0	/* how long a status message stays */
#define UI_NOTICE_LINES	3	/* header lines for notices, at most */

/* What the keys are going to: the table, the filter prompt, help, the
 * drill-down of one function, or the callers and callees of one. */
enum ui_mode {
	UI_MODE_TABLE,
	UI_MODE_FILTER,
	UI_MODE_HELP,
	UI_MODE_DRILL,
	UI_MODE_CALLERS,
};

/* The styles the screen draws with; draw.c maps them to colours, or to
 * plain attributes without colour. */
enum ui_style {
	UI_S_NORMAL,
	UI_S_HOT,		/* SELF% heat: high */
	UI_S_WARM,
	UI_S_COOL,
	UI_S_TITLE,		/* the column titles */
	UI_S_TITLE_SORT,	/* the sorted column's title */
	UI_S_KEY,		/* a key in the footer */
	UI_S_GROUP,		/* a binary's subtotal row */
	UI_S_ERROR,
	UI_S_NOTICE,
	UI_S_LIVE,
	UI_S_FROZEN,
	UI_S_SELECT,		/* the selected row */
	UI_S_LABEL,		/* "event:", "window:" in the header */
	UI_S_VALUE,		/* their values */
	UI_S_PROMPT,
	UI_S_DIM,		/* cold source lines in the drill-down */
	UI_S_COUNT
};

/* Glyphs, with an ASCII form for locales that are not UTF-8. */
struct ui_glyphs {
	const char *ellipsis;
	const char *sort_down;
	const char *sort_up;
	const char *const *bar;	/* 9 strings: 0/8 .. 8/8 of a cell */
	const char *cursor;
	wchar_t ell[4];		/* the ellipsis, decoded */
	int ell_n;		/* its characters */
	int ell_w;		/* its columns */
};

/* One event that TAB and Shift-TAB step through. */
struct ui_event {
	unsigned ev;
	bool sampled;		/* being sampled now */
	bool refused;		/* the sampler could not add it */
	time_t since;		/* started by the UI at this time; 0: from the start */
	double rate;		/* samples per second over the last tick */
	uint64_t last;		/* session samples at the last tick */
};

struct ui {
	const struct ui_params *p;
	struct session *s;
	pid_t pid;			/* the first target process */
	char *target;			/* target_describe, once */

	/* What the table shows. */
	struct view view;
	struct view_opts vo;
	char filter[UI_FILTER_MAX];
	double window_len;		/* seconds of the rolling window */

	/* The events TAB steps through; cur is the one shown. */
	struct ui_event events[EVENT_COUNT];
	size_t nevents;
	size_t cur;

	/* Selection: an index, and the row it names, so that it stays on
	 * the same function across rebuilds once the user has moved it. */
	size_t sel;
	size_t top;			/* first row on screen */
	bool pinned;
	bool sel_group;
	const struct binary *sel_bin;
	const struct symtab_func *sel_func;
	int page;			/* table rows on screen at the last draw */

	/* The drill-down: the function's data (kept after Esc, reused when
	 * the same function is opened again), its view and selection. */
	struct annotate *drill;
	bool drill_lines;		/* the line view, not the address view */
	size_t drill_sel;
	size_t drill_top;
	bool drill_pinned;		/* the selection was moved: keep it */
	uint64_t drill_sel_off;		/* the selected address (address view) */
	int drill_page;			/* rows on screen at the last draw */

	/* The caller/callee view (callers.h): its history of functions,
	 * rows and selection; kept allocated once made. */
	struct callers *callers;

	/* The diff view (D, delta.h): the baseline captured at the freeze
	 * (each event's table then, and its cumulative counts then, to
	 * count what arrived since), or --baseline's; its rows now. */
	bool diff;
	bool diff_captured;
	struct diff_side diff_base[EVENT_COUNT];
	struct diff_side diff_then[EVENT_COUNT];
	struct diff_side diff_now;
	struct diff dv;
	size_t diff_sel;
	size_t diff_top;
	int diff_page;
	char *diff_zoom;		/* only this binary's rows, or NULL */

	/* The columns view (m, cols.h): one share column per event. */
	bool columns;
	struct columns cv;
	size_t col_sort;		/* columns_opts.sort */
	size_t col_sel;
	size_t col_top;
	int col_page;

	/* State shown in the header. */
	bool frozen;
	uint64_t agg_gen;		/* agg_generation the rows were built at */
	uint64_t frozen_base;		/* event samples when the table was built */
	bool exited;			/* every target process is gone */
	char *fetch_note;		/* debuginfod's, from the last tick; NULL: none */
	size_t threads;
	uint64_t ticks;
	double last_tick;

	/* The status line. */
	char *status;
	bool status_error;
	double status_until;

	/* The terminal. */
	enum ui_mode mode;
	enum ui_mode help_from;		/* the mode help returns to */
	size_t help_top;		/* first key entry on the help screen */
	int help_page;			/* entries on screen at the last draw */
	bool utf8;
	bool color;
	bool too_small;
	struct ui_glyphs g;
};

/* Seconds on the monotonic clock: the loop's ticks, the status line's
 * time. */
static inline double
ui_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A row index kept inside a list of n rows (0 for an empty one). */
static inline size_t
ui_clamp(size_t idx, size_t n)
{
	return idx < n ? idx : n > 0 ? n - 1 : 0;
}

#endif
