/*
 * Drawing the function table: SELF% with a heat colour and a bar, TOTAL%,
 * SAMPLES, WAIT where the rows have blocked samples, BINARY, FUNCTION;
 * names cut, never wrapped. The rows and the selection are table.h's.
 */
#ifndef RS_TABLE_DRAW_H
#define RS_TABLE_DRAW_H

#include "ui_int.h"

/* Draw the table in lines y .. y+h-1: titles, then the rows around the
 * selection (the rows shown are recorded through table_scroll). */
void	table_draw(struct ui *ui, int y, int h);

#endif
