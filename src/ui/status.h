/*
 * The status line's message: set where something is worth saying (a
 * snapshot written, a key that does not work here), dropped when its time
 * is up. State only: footer.c draws it.
 */
#ifndef RS_STATUS_H
#define RS_STATUS_H

#include <stdbool.h>

#include "ui_int.h"

/* Show a message in the status line for a while (an error twice as
 * long). */
void	status_set(struct ui *ui, bool error, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* Drop the message once its time is up at now; true if one was dropped. */
bool	status_expire(struct ui *ui, double now);

#endif
