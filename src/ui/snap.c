/*
 * The snapshots of the screen's views: the header lines (target, event,
 * sampler, window, samples, time, call graph), the file named after the
 * table's default snapshot with a suffix, written safely (export_open,
 * then export_commit, or export_abort where the body failed).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "export.h"
#include "i18n.h"
#include "session.h"
#include "snap.h"
#include "status.h"
#include "ui_int.h"
#include "xmalloc.h"

/* The snapshot's header lines (caller frees). */
static char *
snap_header(struct ui *ui)
{
	struct session_meta sm;
	char when[64] = "";
	struct tm tm;
	char *out;

	session_meta(ui->s, ui->vo.window, ui->window_len, &sm);
	if (localtime_r(&sm.m.time, &tm) != NULL)
		strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S %z", &tm);
	out = xasprintf("target: %s\nevent: %s\nsampler: %s\nwindow: %s\n"
	    "samples: %" PRIu64 "\ntime: %s\ncall graph: %s\n", sm.m.target,
	    sm.names[ui->vo.event], sm.m.sampler, sm.m.window,
	    ui->s->samples[ui->vo.event], when,
	    sm.m.callgraph != NULL ? sm.m.callgraph : "none");
	session_meta_free(&sm);
	return out;
}

/* Write a view as text under the default name with -suffix: 0, or -1
 * with *cause set. */
static int
snap_write(struct ui *ui, const char *suffix, snap_body_fn fn,
    const void *arg, char **final, char **cause)
{
	struct export_file *f = NULL;
	char *name, *path, *dot, *header;
	int rc;

	name = export_default_name(ui->pid, time(NULL), EXPORT_TEXT);
	dot = strrchr(name, '.');
	if (dot != NULL)
		*dot = '\0';
	path = xasprintf("%s-%s.%s", name, suffix,
	    export_format_ext(EXPORT_TEXT));
	free(name);
	header = snap_header(ui);
	rc = export_open(&f, path, cause);
	if (rc == 0) {
		fputs(header, export_stream(f));
		rc = fn(export_stream(f), arg, cause);
		if (rc == 0)
			rc = export_commit(f, final, cause);
		else
			export_abort(f);
	}
	free(header);
	free(path);
	return rc;
}

/* Write a view as text and say how it went on the status line. */
void
snap_save(struct ui *ui, const char *suffix, snap_body_fn fn,
    const void *arg, enum snap_what what)
{
	char *final = NULL, *cause = NULL;
	const char *why;

	if (snap_write(ui, suffix, fn, arg, &final, &cause) == 0) {
		if (what == SNAP_CALLERS)
			status_set(ui, false, _("callers view written to %s"),
			    final);
		else if (what == SNAP_DRILL)
			status_set(ui, false, _("drill-down written to %s"),
			    final);
		else
			status_set(ui, false, _("snapshot written to %s"),
			    final);
		free(final);
		return;
	}
	why = cause != NULL ? cause : _("unknown error");
	if (what == SNAP_CALLERS)
		status_set(ui, true, _("cannot write the callers view: %s"),
		    why);
	else if (what == SNAP_DRILL)
		status_set(ui, true, _("cannot write the drill-down: %s"), why);
	else
		status_set(ui, true, _("cannot write the snapshot: %s"), why);
	free(cause);
}
