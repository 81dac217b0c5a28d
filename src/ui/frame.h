/*
 * One frame of the screen: what goes where (the size notice, the help
 * screen, or the header, the table or the drill-down, and the footer),
 * sent to the terminal as the difference from the last one.
 */
#ifndef RS_FRAME_H
#define RS_FRAME_H

#include "ui_int.h"

/* Draw the screen as the state is now (ui->too_small says whether the
 * terminal was too small for more than a notice). */
void	frame_draw(struct ui *ui);

#endif
