/*
 * The columns view (key m, --columns): one row per function, one share
 * column per sampled event, and IPC and cache misses per 1,000
 * instructions where the PMU events behind them were asked for. State
 * only: cols_draw.c draws it.
 */
#ifndef RS_UI_COLS_H
#define RS_UI_COLS_H

#include <stdbool.h>
#include <stddef.h>

struct ui;
struct columns_row;

/* Open or close the view. */
void	cols_toggle(struct ui *ui);
/* Rebuild the rows from the counts. */
void	cols_rebuild(struct ui *ui);
/* Select row idx. */
void	cols_select(struct ui *ui, size_t idx);
/* Sort by the key dir steps away (events, function, binary). */
void	cols_sort_step(struct ui *ui, int dir);
/* The selected row, or NULL. */
const struct columns_row *cols_selected(const struct ui *ui);
/* The title of the sort key (an event's name, "function", "binary"). */
const char *cols_sort_name(const struct ui *ui);
/* Write the view as a text snapshot; the status line says where. */
void	cols_write(struct ui *ui);
/* Free what the view holds. */
void	cols_free(struct ui *ui);

#endif
