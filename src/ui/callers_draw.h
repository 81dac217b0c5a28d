/*
 * Drawing the caller/callee view: a title with the function, its binary,
 * its TOTAL% and SELF% of the event; the column titles; its callers, its
 * own line, its callees, each with its share of the function's total (a
 * bar), samples, binary and function. The state is callers.h's.
 */
#ifndef RS_CALLERS_DRAW_H
#define RS_CALLERS_DRAW_H

#include "ui_int.h"

/* Draw the view in lines y .. y+h-1 (the lines shown are recorded
 * through callers_scroll). */
void	callers_draw(struct ui *ui, int y, int h);

#endif
