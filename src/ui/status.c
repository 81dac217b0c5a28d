/*
 * The status line's message: what it says, whether it is an error, and
 * until when it stays.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "status.h"
#include "ui_int.h"

/* Show a message in the status line for a while. */
void
status_set(struct ui *ui, bool error, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (msg == NULL)
		return;
	free(ui->status);
	ui->status = msg;
	ui->status_error = error;
	ui->status_until = ui_now() + (error ? 2 : 1) * UI_STATUS_SECS;
}

/* Drop the message once its time is up. */
bool
status_expire(struct ui *ui, double now)
{
	if (ui->status == NULL || now < ui->status_until)
		return false;
	free(ui->status);
	ui->status = NULL;
	return true;
}
