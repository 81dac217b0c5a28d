/*
 * Drawing the diff view: column titles, then one line per function (or
 * binary subtotal): BASE%, NOW%, the change with "!" where it is beyond
 * sampling noise, new/gone, BINARY, FUNCTION.
 */
#ifndef RS_UI_DELTA_DRAW_H
#define RS_UI_DELTA_DRAW_H

struct ui;

/* Draw the diff in lines y .. y+h-1. */
void	delta_draw(struct ui *ui, int y, int h);

#endif
