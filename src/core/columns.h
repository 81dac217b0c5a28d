/*
 * Several events side by side: one row per function, one share column
 * per event (each event's SELF%), sortable by any of them or by name;
 * and the derived columns where the PMU events behind them were sampled
 * as themselves: IPC (instructions per cycle) and cache misses per 1,000
 * instructions. Where an event behind a derived column fell back (no
 * PMU), the column is marked as such and carries no numbers.
 */
#ifndef RS_COLUMNS_H
#define RS_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "events.h"

struct agg;
struct binary;
struct symtab_func;

/* The derived columns. */
enum columns_derived { COLUMNS_IPC, COLUMNS_CMPKI, COLUMNS_NDERIVED };

/* What a derived column can show. */
enum columns_state {
	COLUMNS_ABSENT,		/* its events were not asked for */
	COLUMNS_OK,		/* sampled as themselves: numbers */
	COLUMNS_NO_PMU,		/* asked for, but fell back: no numbers */
};

struct columns_opts {
	unsigned events[EVENT_COUNT];	/* the share columns, in order */
	size_t nevents;
	enum columns_state derived[COLUMNS_NDERIVED];
	size_t sort;			/* < nevents: that event's share;
					 * nevents: function; nevents + 1: binary */
	bool reverse;
	bool window;
	const char *filter;
	const struct binary *zoom;
};

struct columns_row {
	struct binary *bin;
	const struct symtab_func *func;
	const char *binary;
	const char *function;
	double pct[EVENT_COUNT];	/* by column */
	uint64_t samples[EVENT_COUNT];
	double derived[COLUMNS_NDERIVED];
	bool has_derived[COLUMNS_NDERIVED];	/* both events had samples */
};

struct columns {
	struct columns_row *rows;
	size_t n, cap;
	struct columns_opts o;
	uint64_t total[EVENT_COUNT];	/* samples, by column */
};

/* The number of sort keys: each event, then function and binary. */
size_t columns_nsort(const struct columns_opts *o);

/* Rebuild c (reusing its memory) from a. */
void columns_build(struct columns *c, const struct agg *a,
    const struct columns_opts *o);
void columns_free(struct columns *c);

/* The title of derived column d: "IPC", "CM/KI". */
const char *columns_derived_name(enum columns_derived d);

/* The table as text, every row, names never cut (the header lines are
 * the caller's), or as csv (one row per function: binary, function,
 * then EVENT_pct and EVENT_samples per event, then ipc and cm_per_ki
 * where asked for; "no PMU" cells where they fell back). */
void columns_write_text(FILE *fp, const struct columns *c);
void columns_write_csv(FILE *fp, const struct columns *c);

#endif
