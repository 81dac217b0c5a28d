/*
 * What changed: one event's functions in a baseline profile beside the
 * same functions now, matched by (binary, function) name, with each
 * share's change in percentage points and whether that change is beyond
 * sampling noise.
 *
 * The test: a function's samples in the two profiles, b of B and n of N,
 * are two Poisson counts; with no change in its share, of the m = b + n
 * samples it has in both, the baseline's number is binomial(m, B/(B+N)).
 * The two-sided p-value of b under that law (exact up to m = 1000, the
 * normal approximation with continuity correction above) below 0.01
 * marks the change significant at 99 %.
 */
#ifndef RS_DIFF_H
#define RS_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct json;
struct view;

#define DIFF_ALPHA	0.01	/* significance level of the test */

/* One function of one profile. */
struct diff_fn {
	char *binary;
	char *function;
	uint64_t samples;		/* its own samples */
	uint64_t total_samples;		/* samples whose stack holds it */
	double weight;			/* its own share's numerator */
	double total_weight;
};

/* One profile of one event. */
struct diff_side {
	struct diff_fn *fns;
	size_t n;
	uint64_t samples;		/* every sample of the event */
	double weight;			/* the shares' denominator */
	bool has_total;			/* with call graphs: totals known */
};

enum diff_sort {
	DIFF_SORT_DELTA,	/* the largest change first, either way */
	DIFF_SORT_BASE,
	DIFF_SORT_NOW,
	DIFF_SORT_FUNCTION,
	DIFF_SORT_BINARY,
	DIFF_SORT_COUNT
};

/* "delta", "base", "now", "function", "binary" */
extern const char *const diff_sort_names[DIFF_SORT_COUNT];

enum diff_state { DIFF_BOTH, DIFF_NEW, DIFF_GONE };

struct diff_row {
	bool group;			/* a binary's subtotal (self only) */
	const char *binary;
	const char *function;		/* "" on group rows */
	enum diff_state state;
	uint64_t base_samples, now_samples;
	double base_pct, now_pct, delta_pp;
	double p;			/* the test's two-sided p-value */
	bool significant;		/* p < DIFF_ALPHA */
	double base_total_pct, now_total_pct, delta_total_pp;
	double p_total;
	bool significant_total;
};

struct diff_opts {
	enum diff_sort sort;
	bool reverse;
	bool group;			/* a subtotal row above each binary's */
	const char *filter;		/* substring of function or binary, any case */
	const char *zoom;		/* only this binary (display name) */
};

struct diff {
	struct diff_row *rows;
	size_t n, cap;
	uint64_t base_samples, now_samples;
	bool has_total;			/* both sides have totals */
};

/* The side of view v (built ungrouped and unfiltered): its rows'
 * counts, names copied; has_total is the caller's to set (call graphs). */
void diff_side_from_view(struct diff_side *s, const struct view *v);

/* The side of event in a json snapshot (as export.c writes them).
 * Returns 0, 1 where the snapshot has no such event, or -1 with *cause
 * set where it is no rrstat-top snapshot. */
int diff_side_from_json(struct diff_side *s, const struct json *root,
    const char *event, char **cause);

/* out = now less then, function by function: what arrived between the
 * two (of counts that only grew; a function that shrank, after the
 * counts were zeroed, keeps now's). */
void diff_side_since(struct diff_side *out, const struct diff_side *now,
    const struct diff_side *then);

void diff_side_free(struct diff_side *s);

/* Rebuild d (reusing its memory) from base and now, which must outlive
 * it (rows point to their names). */
void diff_build(struct diff *d, const struct diff_side *base,
    const struct diff_side *now, const struct diff_opts *o);
void diff_free(struct diff *d);

/* The test's two-sided p-value for b samples of B against n of N. */
double diff_pvalue(uint64_t b, uint64_t B, uint64_t n, uint64_t N);

/* The diff as text (header lines first, from the caller), csv rows
 * (header row only where header) or a json object for event. */
void diff_write_text(FILE *fp, const struct diff *d);
void diff_write_csv(FILE *fp, const struct diff *d, const char *event,
    bool header);
void diff_write_json(FILE *fp, const struct diff *d, const char *event);

#endif
