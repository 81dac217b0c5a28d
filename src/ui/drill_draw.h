/*
 * Drawing the drill-down: a title with the function and its binary, the
 * notice why lines or code are unavailable, then per address its share,
 * bar, samples, offset, instruction, source line and inlined call, or per
 * source line its share and text (cold lines dimmed). The state is
 * drill.h's.
 */
#ifndef RS_DRILL_DRAW_H
#define RS_DRILL_DRAW_H

#include "ui_int.h"

/* Draw the drill-down in lines y .. y+h-1 (the rows shown are recorded
 * through drill_scroll). */
void	drill_draw(struct ui *ui, int y, int h);

#endif
