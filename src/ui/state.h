/*
 * The screen's state as a whole: made from main's parameters (with the
 * events TAB steps through, probed once), moved on by each tick, rebuilt
 * where it follows the counts, released.
 */
#ifndef RS_STATE_H
#define RS_STATE_H

#include <stdbool.h>

#include "ui.h"
#include "ui_int.h"

/* The state of a new screen for p, the events probed. */
void	state_init(struct ui *ui, const struct ui_params *p);

/* Rebuild the table's rows from the counts, and the drill-down's or the
 * caller/callee view's where it is shown (or under the help screen). */
void	state_rebuild(struct ui *ui);

/* One tick: drain the samples, look at the target, the events' rates,
 * then rebuild (unless frozen). */
void	state_tick(struct ui *ui);
/* What state_tick does after the session's tick: the rows rebuilt unless
 * frozen, and even then where the aggregator's rows died (agg_generation). */
void	state_refresh(struct ui *ui);

/* Show the next (dir 1) or previous (dir -1) event that can be sampled,
 * starting its sampling where it is not sampled yet; the status line
 * says why where one cannot. True if the event shown changed. */
bool	state_event_step(struct ui *ui, int dir);

/* Release the state. */
void	state_free(struct ui *ui);

#endif
