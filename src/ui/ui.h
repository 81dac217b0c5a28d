/*
 * The interactive screen: a top-style table of the hottest functions,
 * refreshed every tick, driven by one key table. main.c calls ui_run
 * after the sampler has started; everything else here is the UI's own.
 */
#ifndef RS_UI_H
#define RS_UI_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "events.h"
#include "export.h"
#include "view.h"

struct session;

struct ui_params {
	struct session *session;	/* drained by the UI each tick (session_tick) */
	double delay;			/* seconds per tick (-d) */
	struct events_rate rate;	/* -F or -c, for the header and probing */
	unsigned long iterations;	/* exit after this many ticks; 0 = never (-n) */
	double duration;		/* exit after this many seconds; 0 = never */
	enum view_sort sort;		/* -s */
	double window_secs;		/* --window; 0 = start cumulative */
	double default_window;		/* the rolling window's length when --window is 0 */
	const char *output;		/* -o FILE (also what w writes), or NULL */
	enum export_format format;	/* --format, for -o */
	bool no_color;			/* --no-color or NO_COLOR set */
	const unsigned *shown;		/* events sampled from the start, first shown first */
	size_t nshown;
	const char *const *notices;	/* one-line notices for the header (fallbacks) */
	size_t nnotices;
	const char *const *source_dirs;	/* --source-dir DIRs, for the drill-down's
					 * line view (sources at DIR/PATH and
					 * DIR/ + each suffix of PATH) */
	size_t nsource_dirs;
	volatile sig_atomic_t *quit;	/* set by main's SIGINT/SIGTERM/SIGHUP handlers */
	void (*after_tick)(void);	/* if not NULL, called after each refresh (a test hook) */
	struct view_opts *final;	/* if not NULL, gets what the screen showed last
					 * (event, sort, order, window; no filter or zoom) */
};

/* Run the screen until the user quits, a signal sets *quit, or -n or
 * --duration is reached. The terminal is restored before returning, on
 * every path (and by the UI's fatal-signal handlers). Returns 0, or -1
 * with *cause set (caller frees) when the terminal cannot be used. */
int ui_run(const struct ui_params *p, char **cause);

#endif
