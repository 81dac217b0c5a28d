/*
 * Drawing the columns view: a share column per event (the sorted one's
 * title marked), the derived columns, BINARY, FUNCTION.
 */
#ifndef RS_UI_COLS_DRAW_H
#define RS_UI_COLS_DRAW_H

struct ui;

/* Draw the columns view in lines y .. y+h-1. */
void	cols_draw(struct ui *ui, int y, int h);

#endif
