/*
 * The drill-down's state: one function's data (annotate.h, kept after
 * Esc and reused when the same function is opened again), the view shown
 * (addresses or source lines), its selection and first row on screen, and
 * its snapshot. Nothing here draws: drill_draw.c does.
 */
#ifndef RS_DRILL_H
#define RS_DRILL_H

#include <stdbool.h>
#include <stddef.h>

#include "ui_int.h"
#include "view.h"

/* The rows of the view shown (0 without data). */
size_t	drill_nrows(const struct ui *ui);

/* Drill into the function of table row r (a function row; anything else
 * is ignored): its addresses, or with lines its source lines. */
void	drill_open(struct ui *ui, const struct view_row *r, bool lines);

/* Back to the table, on the same function. */
void	drill_close(struct ui *ui);

/* Rebuild the drill-down's rows from the counts the table shows (the
 * same event and window); the selection stays on its address. Call after
 * table_rebuild. */
void	drill_refresh(struct ui *ui);

/* Make row idx the selection, kept across refreshes. */
void	drill_select(struct ui *ui, size_t idx);

/* Select the hottest row of the view shown. */
void	drill_hottest(struct ui *ui);

/* The other view (lines or addresses), on its hottest row. */
void	drill_switch(struct ui *ui);

/* The drill-down shows rows rows: keep the selection in sight. */
void	drill_scroll(struct ui *ui, size_t rows);

/* Write the view shown as text, under the snapshot's default name with
 * -drill before the extension; the status line says where, or why not. */
void	drill_write(struct ui *ui);

/* Release the drill-down's data. */
void	drill_free(struct ui *ui);

#endif
