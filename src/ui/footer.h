/*
 * Drawing the footer: the status line (the message, or the filter
 * prompt) and the key hints, generated from the key table.
 */
#ifndef RS_FOOTER_H
#define RS_FOOTER_H

#include "ui_int.h"

/* Draw the status line on y and the hints on y + 1. */
void	footer_draw(const struct ui *ui, int y);

/* The table's hints as plain text for width columns (caller frees). */
char   *footer_text(int width);

/* The hints of the screen where (KEYS_IN_*) as plain text for width
 * columns (caller frees). */
char   *footer_text_where(int width, int where);

#endif
