/*
 * The caller/callee view's state: the functions it was centred on, one
 * after another (Enter on a caller or callee adds one, Esc goes back one),
 * the rows of the last one (its callers, then its callees, each with its
 * share of the function's total; rebuilt with the table, frozen with it),
 * the selection that stays on its row, and the view's snapshot. Nothing
 * here draws: callers_draw.c does.
 */
#ifndef RS_CALLERS_H
#define RS_CALLERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "agg.h"
#include "ui_int.h"
#include "view.h"

/* A caller or a callee of the function shown. */
struct callers_row {
	enum agg_edge_kind kind;	/* FUNC, or [root], [self], [other] */
	bool callee;			/* below the function (else a caller) */
	const struct binary *bin;	/* FUNC only */
	const struct symtab_func *func;	/* FUNC only; NULL: [unknown] */
	const char *binary;		/* "" where not a function */
	const char *function;		/* or "[root]", "[self]", "[other]" */
	uint64_t samples, weight;
	double pct;			/* weight / the function's total weight * 100 */
};

/* One function the view was centred on, and what was selected there. */
struct callers_step {
	const struct binary *bin;
	const struct symtab_func *func;	/* NULL: the binary's [unknown] */
	const char *binary, *function;
	bool pinned;			/* the selection was moved: keep it */
	struct callers_row sel;		/* the selected row (kind, callee, bin, func) */
};

struct callers {
	struct callers_step *steps;	/* steps[nsteps - 1] is shown */
	size_t nsteps, capsteps;

	/* The function shown, as counted at the last rebuild. */
	unsigned event;
	bool found;			/* it has counts in that event */
	uint64_t samples, weight;	/* its own */
	uint64_t total_samples, total_weight;	/* with its callees */
	double self_pct, total_pct;	/* of the event's weight */

	/* Its callers (rows[0 .. ncallers)), then its callees, hottest first. */
	struct callers_row *rows;
	size_t nrows, ncallers, caprows;
	struct agg_edge *edges;		/* what agg_callers fills */
	size_t capedges;

	size_t sel;			/* the selected row */
	size_t top;			/* the first line on screen (the rows, and
					 * the function's own line after the callers) */
	int page;			/* lines on screen at the last draw */
};

/* The rows of the view (callers and callees; 0 without a view). */
size_t	callers_nrows(const struct ui *ui);

/* The selected row's index, and the row (NULL without rows). */
size_t	callers_sel(const struct ui *ui);
const struct callers_row *callers_selected(const struct ui *ui);

/* The lines on screen at the last draw. */
int	callers_page(const struct ui *ui);

/* Open the view on the function of table row r (a function row; anything
 * else is ignored), with no history before it. */
void	callers_open(struct ui *ui, const struct view_row *r);

/* Centre the view on the function of row idx (a FUNC row; anything else
 * is ignored); Esc comes back to the function shown now. */
void	callers_enter(struct ui *ui, size_t idx);

/* Back to the function shown before, or from the first one to the
 * table. */
void	callers_back(struct ui *ui);

/* Rebuild the rows from the counts the table shows (the same event and
 * window); the selection stays on its row. */
void	callers_refresh(struct ui *ui);

/* After the event shown changed: say so in the status line where the
 * function has no counts in the new one. */
void	callers_follow(struct ui *ui);

/* Make row idx the selection, kept across refreshes. */
void	callers_select(struct ui *ui, size_t idx);

/* The view shows lines lines of rows: keep the selection in sight. */
void	callers_scroll(struct ui *ui, size_t lines);

/* The view as text (what w writes after the snapshot's header lines):
 * binary, function, total, self, then the callers and the callees with
 * their shares. Returns 0, or -1 with *cause set (caller frees). */
int	callers_text(FILE *fp, const struct ui *ui, char **cause);

/* Write the view as text, under the snapshot's default name with
 * -callers before the extension; the status line says where, or why
 * not. */
void	callers_write(struct ui *ui);

/* Release the view. */
void	callers_free(struct ui *ui);

#endif
