/*
 * The help screen, generated from the key table: one line per entry, its
 * keys and what they do.
 */
#ifndef RS_HELP_H
#define RS_HELP_H

#include "ui_int.h"

/* Draw the help screen. */
void	help_draw(struct ui *ui);

/* The help screen as plain text, one line per entry (caller frees). */
char   *help_text(void);

#endif
