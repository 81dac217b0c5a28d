/*
 * The snapshots of the screen's views (the drill-down, the caller/callee
 * view): the header lines each starts with (as the table's text snapshot
 * has them) and the safe file it goes to, named after the table's
 * default snapshot with a suffix before the extension.
 */
#ifndef RS_SNAP_H
#define RS_SNAP_H

#include <stdio.h>

#include "ui_int.h"

/* Write a view's body (what follows the header lines) to fp. Returns 0,
 * or -1 with *cause set. */
typedef int (*snap_body_fn)(FILE *fp, const void *arg, char **cause);

/* Write a view as text to rrstat-top-PID-YYYYmmdd-HHMMSS-SUFFIX.txt
 * (never over a file, never through a link: export_open): the header
 * lines, then the body fn writes; then say on the status line how it
 * went, naming the view as what is (a view of the table's snapshot
 * kind, the callers view, the drill-down). */
enum snap_what {
	SNAP_VIEW,
	SNAP_CALLERS,
	SNAP_DRILL,
};

void	snap_save(struct ui *ui, const char *suffix, snap_body_fn fn,
	    const void *arg, enum snap_what what);

#endif
