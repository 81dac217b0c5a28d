/*
 * One page of the screen (a full frame): what goes where (the size
 * notice, the help screen, or the header, the table, the drill-down or
 * the caller/callee view, and the footer), sent to the terminal as the
 * difference from the last one.
 */
#ifndef RS_UI_PAGE_H
#define RS_UI_PAGE_H

#include "ui_int.h"

/* Draw the screen as the state is now (ui->too_small says whether the
 * terminal was too small for more than a notice). */
void	page_draw(struct ui *ui);

#endif
