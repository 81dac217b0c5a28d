/*
 * A baseline to diff against: a json snapshot written earlier
 * (--baseline FILE), one diff side per event it holds; the live side of
 * an event from the aggregator; and the diff snapshots (text, csv, json)
 * that batch mode and -o write when a baseline is given.
 */
#ifndef RS_BASELINE_H
#define RS_BASELINE_H

#include <stdbool.h>
#include <stdio.h>

#include "diff.h"
#include "events.h"
#include "export.h"

struct agg;
struct view_opts;

struct baseline {
	char *path;
	char *target;			/* the snapshot's "target", or "" */
	char *time;			/* its "time", or "" */
	struct diff_side sides[EVENT_COUNT];
	bool has[EVENT_COUNT];
};

/* Load the json snapshot at path. Returns 0, or -1 with *cause set (no
 * such file, not JSON, not a snapshot, no event rrstat-top knows). */
int baseline_load(struct baseline *b, const char *path, char **cause);
void baseline_free(struct baseline *b);

/* The live side of vo's event: every function, vo's window (filter,
 * zoom and grouping are the diff's). */
void baseline_now(const struct agg *a, const struct view_opts *vo,
    struct diff_side *out);

/* The diff options of a view's. */
void baseline_opts(const struct view_opts *vo, const char *zoom,
    struct diff_opts *out);

/* Write the diff of the live profile against b: text (vo's event, with
 * the header lines and a "baseline:" line), csv or json (every sampled
 * event the baseline has). Other formats are the caller's. Returns 0,
 * or -1 with *cause set. */
int baseline_write(FILE *fp, enum export_format fmt, const struct baseline *b,
    const struct agg *a, const struct view_opts *vo,
    const struct export_meta *m, char **cause);

#endif
