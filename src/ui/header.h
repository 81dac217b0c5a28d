/*
 * Drawing the header: the target and its threads, live or frozen; the
 * event, its rate, samples and lost samples; the window, sort, grouping,
 * zoom and filter; then the notices.
 */
#ifndef RS_HEADER_H
#define RS_HEADER_H

#include "ui_int.h"

/* The lines the header takes. */
int	header_height(const struct ui *ui);

/* Draw the header from line y. */
void	header_draw(const struct ui *ui, int y);

#endif
