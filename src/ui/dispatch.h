/*
 * The one place where what a key asks for (intent.h) becomes work: the
 * state modules do it, the rows are rebuilt where it changed what they
 * show, the terminal repainted where it asked for that.
 */
#ifndef RS_DISPATCH_H
#define RS_DISPATCH_H

#include <stdbool.h>

#include "intent.h"
#include "ui_int.h"

/* Do what in asks. Returns true where the screen must be drawn again;
 * sets *quit where it asks to leave. */
bool	dispatch_intent(struct ui *ui, const struct intent *in, bool *quit);

#endif
