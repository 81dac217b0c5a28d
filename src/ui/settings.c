/*
 * The S key: the screen's settings as the settings file's key=value
 * lines (the keys options.c reads), updated in the file in one atomic
 * replace that keeps the file's other lines.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "i18n.h"
#include "rcfile.h"
#include "settings.h"
#include "status.h"
#include "ui_int.h"
#include "view.h"
#include "xmalloc.h"

#define SETTINGS_MAX	10

/* Add key=value (value formatted, owned by the list). */
static void
settings_add(struct rcfile_entry *e, size_t *n, const char *key, char *value)
{
	e[*n].key = (char *)key;
	e[*n].value = value;
	e[*n].line = 0;
	(*n)++;
}

/* The events as -e lists them: the one shown first, then the others
 * sampled from the start (caller frees). */
static char *
settings_events(const struct ui *ui)
{
	unsigned cur = ui->events[ui->cur].ev;
	char *out = xstrdup(events_table[cur].name), *tmp;
	size_t i;

	for (i = 0; i < ui->p->nshown; i++) {
		if (ui->p->shown[i] == cur)
			continue;
		tmp = xasprintf("%s,%s", out, events_table[ui->p->shown[i]].name);
		free(out);
		out = tmp;
	}
	return out;
}

/* Save the settings. */
void
settings_save(struct ui *ui)
{
	const struct ui_params *p = ui->p;
	struct rcfile_entry e[SETTINGS_MAX];
	char *cause = NULL;
	size_t n = 0, i;

	settings_add(e, &n, "event", settings_events(ui));
	if (p->rate.freq != 0)
		settings_add(e, &n, "freq", xasprintf("%llu",
		    (unsigned long long)p->rate.freq));
	settings_add(e, &n, "delay", xasprintf("%g", p->delay));
	settings_add(e, &n, "sort", xstrdup(view_sort_names[ui->vo.sort]));
	settings_add(e, &n, "reverse", xstrdup(ui->vo.reverse ? "yes" : "no"));
	settings_add(e, &n, "window", ui->vo.window ?
	    xasprintf("%g", ui->window_len) : xstrdup("0"));
	settings_add(e, &n, "group", xstrdup(ui->vo.group ? "yes" : "no"));
	settings_add(e, &n, "color", xstrdup(p->no_color ? "no" : "yes"));
	settings_add(e, &n, "columns", xstrdup(ui->columns ? "yes" : "no"));
	if (p->call_graph != NULL)
		settings_add(e, &n, "call-graph", xstrdup(p->call_graph));
	if (rcfile_update(p->rcfile, e, n, &cause) < 0) {
		status_set(ui, true, _("settings not saved: %s"), cause);
		free(cause);
	} else
		status_set(ui, false, _("settings saved to %s"), p->rcfile);
	for (i = 0; i < n; i++)
		free(e[i].value);
}
