/*
 * The rows that the screen and every export show: one event's functions,
 * filtered, zoomed, grouped and sorted. The one model both sides read.
 */
#ifndef RS_VIEW_H
#define RS_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct agg;
struct agg_func;
struct symtab_bin;
struct symtab_func;

enum view_sort {
	VIEW_SORT_SELF,		/* descending by default */
	VIEW_SORT_TOTAL,	/* descending */
	VIEW_SORT_SAMPLES,	/* descending */
	VIEW_SORT_FUNCTION,	/* ascending */
	VIEW_SORT_BINARY,	/* ascending, then self descending */
	VIEW_SORT_COUNT
};

/* "self", "total", "samples", "function", "binary" */
extern const char *const view_sort_names[VIEW_SORT_COUNT];
/* The sort key named name, or -1. */
int view_sort_parse(const char *name);

struct view_opts {
	unsigned event;
	enum view_sort sort;
	bool reverse;		/* the other order of the sort key */
	bool window;		/* window counts rather than cumulative */
	bool group;		/* a subtotal row per binary above its functions */
	const char *filter;	/* case-insensitive substring of function or binary; NULL or "" = all */
	const struct symtab_bin *zoom;	/* only this binary; NULL = all */
};

enum view_row_kind { VIEW_ROW_FUNC, VIEW_ROW_GROUP };

struct view_row {
	enum view_row_kind kind;
	const struct agg_func *af;	/* NULL for group rows */
	const struct symtab_bin *bin;
	const struct symtab_func *func;	/* NULL: [unknown], or a group row */
	const char *binary;		/* display name of bin */
	const char *function;		/* "[unknown]" where func is NULL; "" on group rows */
	uint64_t samples;
	uint64_t weight;
	double self_pct;		/* weight / event total weight * 100 */
	double total_pct;		/* with call graphs; equals self_pct until then */
	bool has_address;
	uint64_t address;		/* function start, offset in its binary */
};

struct view {
	struct view_row *rows;
	size_t n;
	size_t cap;
	uint64_t total_samples;		/* of the event, before filtering */
	uint64_t total_weight;
	uint64_t shown_samples;		/* sum over the function rows kept */
};

/* Rebuild v (reusing its memory) from a. */
void view_build(struct view *v, const struct agg *a, const struct view_opts *o);
void view_free(struct view *v);

/* The row of (bin, func) (func NULL: [unknown]), or -1: keeps a selection on
 * the same function across refreshes and event switches. */
ssize_t view_find(const struct view *v, const struct symtab_bin *bin,
    const struct symtab_func *func);

#endif
