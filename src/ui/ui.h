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

struct baseline;
struct session;

struct ui_params {
	struct session *session;	/* drained by the UI each tick (session_tick) */
	double delay;			/* seconds per tick (-d) */
	struct events_rate rate;	/* -F or -c, for the header and probing */
	unsigned long iterations;	/* exit after this many ticks; 0 = never (-n) */
	double duration;		/* exit after this many seconds; 0 = never */
	enum view_sort sort;		/* -s */
	bool reverse;			/* the other order (settings file) */
	bool group;			/* a subtotal row per binary (settings file) */
	double window_secs;		/* --window; 0 = start cumulative */
	double default_window;		/* the rolling window's length when --window is 0 */
	const char *output;		/* -o FILE (also what w writes), or NULL */
	const enum export_format *formats;	/* --format, for -o and w: one file each */
	size_t nformats;
	bool no_color;			/* --no-color (or the settings file) */
	bool no_color_env;		/* NO_COLOR set, not empty: no colours
					 * shown, none saved as a setting */
	const char *rcfile;		/* the settings file S writes, or NULL */
	const struct baseline *baseline;	/* --baseline, or NULL */
	bool columns;			/* --columns: open in the columns view */
	int derived[2];			/* enum columns_state of IPC and CM/KI */
	const char *call_graph;		/* -g's mode as asked ("auto" where it chose) */
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
