/*
 * The rows that the screen and every export show: one event's functions,
 * filtered, zoomed, grouped and sorted. The one model both sides read.
 *
 * What blocked threads wait in (wait-time): a function row whose samples
 * include blocked ones names the system call holding most of their weight
 * (wait), says whether others share it (wait_more) and how much of the
 * row's weight is blocked (wait_pct). System calls are named as
 * procstat_syscall_name names them, "syscall_N" where it does not know
 * the number, and a wait outside any system call (in practice a page
 * fault) is VIEW_WAIT_FAULT, "(fault)": short enough for the screen's
 * column, and never a system call's name.
 */
#ifndef RS_VIEW_H
#define RS_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct agg;
struct agg_func;
struct view_sysname;
struct binary;
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
	const struct binary *zoom;	/* only this binary; NULL = all */
};

enum view_row_kind { VIEW_ROW_FUNC, VIEW_ROW_GROUP };

struct view_row {
	enum view_row_kind kind;
	const struct agg_func *af;	/* NULL for group rows */
	struct binary *bin;
	const struct symtab_func *func;	/* NULL: [unknown], or a group row */
	const char *binary;		/* display name of bin */
	const char *function;		/* "[unknown]" where func is NULL; "" on group rows */
	uint64_t samples;
	uint64_t weight;
	double self_pct;		/* weight / event total weight * 100 */
	uint64_t total_samples;		/* samples whose stack holds it (once per
					 * sample); without call graphs, samples */
	uint64_t total_weight;
	double total_pct;		/* total_weight / event total weight * 100 */
	bool has_address;
	uint64_t address;		/* function start, offset in its binary */
	const char *wait;		/* the system call holding most of the row's
					 * blocked weight; NULL where none is blocked
					 * (and on group rows) */
	bool wait_more;			/* other system calls have blocked samples too */
	double wait_pct;		/* blocked weight / row weight * 100 */
};

/* What a blocked thread waits in outside any system call. */
#define VIEW_WAIT_FAULT "(fault)"

/* One system call of a row, in the view's counts (view_row_waits). */
struct view_wait {
	uint32_t sys;			/* number, or AGG_NOSYS (agg.h) */
	const char *name;		/* as view_syscall_name names it */
	uint64_t samples;
	uint64_t weight;
	double pct;			/* weight / row weight * 100 */
};

struct view {
	struct view_row *rows;
	size_t n;
	size_t cap;
	uint64_t total_samples;		/* of the event, before filtering */
	uint64_t total_weight;
	uint64_t shown_samples;		/* sum over the function rows kept */
	bool window;			/* built from window counts */
	bool has_wait;			/* some function of the event has blocked
					 * samples (filter and zoom aside) */
	struct view_sysname *sysnames;	/* names made up for unknown numbers */
	size_t nsysnames;
};

/* Rebuild v (reusing its memory) from a. */
void view_build(struct view *v, const struct agg *a, const struct view_opts *o);
void view_free(struct view *v);

/* The name of system call sys (AGG_NOSYS: VIEW_WAIT_FAULT); valid until
 * view_free. */
const char *view_syscall_name(struct view *v, uint32_t sys);

/* The system calls that function row r of v (built from a) waited in,
 * hottest first (the first is r->wait), into *out, grown as needed (*cap
 * its room; caller frees). Returns how many: 0 for a row that only ran. */
size_t view_row_waits(struct view *v, const struct agg *a,
    const struct view_row *r, struct view_wait **out, size_t *cap);

/* The row of (bin, func) (func NULL: [unknown]), or -1: keeps a selection on
 * the same function across refreshes and event switches. */
ssize_t view_find(const struct view *v, const struct binary *bin,
    const struct symtab_func *func);

#endif
