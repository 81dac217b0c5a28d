/*
 * The function table's state: its rows (view_build over the counts), the
 * selection that stays on its function across rebuilds, the rows on
 * screen, and its snapshot (w). Nothing here draws: table_draw.c does.
 */
#ifndef RS_TABLE_H
#define RS_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "ui_int.h"
#include "view.h"

/* Rebuild the rows from the counts, keeping the selection on its row. */
void	table_rebuild(struct ui *ui);

/* Make row idx the selection; pinned, it is followed across rebuilds. */
void	table_select(struct ui *ui, size_t idx, bool pin);

/* Select the function row with the largest share, whatever the sort. */
void	table_hottest(struct ui *ui);

/* The selected row, or NULL when there are no rows. */
const struct view_row *table_selected(const struct ui *ui);

/* The table shows rows rows: the first one shown moves as little as it
 * must to keep the selection in sight. */
void	table_scroll(struct ui *ui, size_t rows);

/* Write a snapshot of what the table shows (the -o file, or one named
 * after the pid); the status line says where, or why not. */
void	table_write(struct ui *ui);

#endif
