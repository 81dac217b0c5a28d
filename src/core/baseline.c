/*
 * The --baseline file and the diff snapshots: the json read once at start
 * into one side per event; each write builds the live side from the
 * aggregator and the diff with the view's sort, order, filter and
 * grouping.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agg.h"
#include "baseline.h"
#include "i18n.h"
#include "json.h"
#include "view.h"
#include "xmalloc.h"

/* Load a baseline. */
int
baseline_load(struct baseline *b, const char *path, char **cause)
{
	struct json root;
	char *why = NULL;
	unsigned e;
	int rc, found = 0;

	memset(b, 0, sizeof *b);
	if (json_load(path, &root, cause) < 0)
		return -1;
	for (e = 0; e < EVENT_COUNT; e++) {
		rc = diff_side_from_json(&b->sides[e], &root,
		    events_table[e].name, &why);
		if (rc < 0) {
			*cause = xasprintf("%s: %s", path, why);
			free(why);
			json_free(&root);
			baseline_free(b);
			return -1;
		}
		b->has[e] = rc == 0;
		found += rc == 0;
	}
	if (found == 0) {
		*cause = xasprintf(_("%s: no event rrstat-top knows in this snapshot"),
		    path);
		json_free(&root);
		baseline_free(b);
		return -1;
	}
	b->path = xstrdup(path);
	b->target = xstrdup(json_str(json_get(&root, "target")) != NULL ?
	    json_str(json_get(&root, "target")) : "");
	b->time = xstrdup(json_str(json_get(&root, "time")) != NULL ?
	    json_str(json_get(&root, "time")) : "");
	json_free(&root);
	return 0;
}

/* Free a baseline. */
void
baseline_free(struct baseline *b)
{
	unsigned e;

	for (e = 0; e < EVENT_COUNT; e++)
		diff_side_free(&b->sides[e]);
	free(b->path);
	free(b->target);
	free(b->time);
	memset(b, 0, sizeof *b);
}

/* The live side of an event. */
void
baseline_now(const struct agg *a, const struct view_opts *vo,
    struct diff_side *out)
{
	struct view_opts all = { .event = vo->event, .window = vo->window };
	struct view v = { 0 };

	view_build(&v, a, &all);
	diff_side_from_view(out, &v);
	out->has_total = agg_has_stacks(a);
	view_free(&v);
}

/* The diff options of a view's. */
void
baseline_opts(const struct view_opts *vo, const char *zoom,
    struct diff_opts *out)
{
	memset(out, 0, sizeof *out);
	/* The table's keys map onto the diff's: self/total/samples sort by
	 * the change, function and binary by name. */
	out->sort = vo->sort == VIEW_SORT_FUNCTION ? DIFF_SORT_FUNCTION :
	    vo->sort == VIEW_SORT_BINARY ? DIFF_SORT_BINARY : DIFF_SORT_DELTA;
	out->reverse = vo->reverse;
	out->group = vo->group;
	out->filter = vo->filter;
	out->zoom = zoom;
}

/* The diff of one event (caller frees d and now). */
static void
baseline_diff(const struct baseline *b, const struct agg *a,
    const struct view_opts *vo, unsigned ev, bool group,
    struct diff_side *now, struct diff *d)
{
	struct view_opts evo = *vo;
	struct diff_opts o;

	evo.event = ev;
	baseline_now(a, &evo, now);
	baseline_opts(&evo, NULL, &o);
	o.group = group;
	diff_build(d, &b->sides[ev], now, &o);
}

/* A "key: value" header line. */
static void
baseline_kv(FILE *fp, const char *key, const char *value)
{
	fprintf(fp, "%s: %s\n", key, value != NULL ? value : "");
}

/* The text diff of vo's event. */
static int
baseline_text(FILE *fp, const struct baseline *b, const struct agg *a,
    const struct view_opts *vo, const struct export_meta *m, char **cause)
{
	struct diff_side now;
	struct diff d = { 0 };
	char when[64] = "";
	struct tm tm;

	if (!b->has[vo->event]) {
		*cause = xasprintf(_("the baseline %s has no %s samples"),
		    b->path, m->event_names[vo->event]);
		return -1;
	}
	baseline_diff(b, a, vo, vo->event, vo->group, &now, &d);
	if (localtime_r(&m->time, &tm) != NULL)
		strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S %z", &tm);
	baseline_kv(fp, "target", m->target);
	baseline_kv(fp, "event", m->event_names[vo->event]);
	baseline_kv(fp, "sampler", m->sampler);
	baseline_kv(fp, "call graph", m->callgraph != NULL ? m->callgraph :
	    "none");
	baseline_kv(fp, "window", m->window);
	fprintf(fp, "samples: %" PRIu64 "\n", now.samples);
	fprintf(fp, "lost: %" PRIu64 "\n", m->lost[vo->event]);
	baseline_kv(fp, "time", when);
	fprintf(fp, "baseline: %s (%s, %s, %" PRIu64 " samples)\n", b->path,
	    b->target, b->time, b->sides[vo->event].samples);
	fprintf(fp, "diff: %s\n", _("! marks a change beyond sampling noise (99 %)"));
	fputc('\n', fp);
	diff_write_text(fp, &d);
	diff_free(&d);
	diff_side_free(&now);
	return 0;
}

/* Write a diff snapshot. */
int
baseline_write(FILE *fp, enum export_format fmt, const struct baseline *b,
    const struct agg *a, const struct view_opts *vo,
    const struct export_meta *m, char **cause)
{
	struct diff_side now;
	struct diff d = { 0 };
	bool first = true;
	unsigned e;

	if (fmt == EXPORT_TEXT)
		return baseline_text(fp, b, a, vo, m, cause);
	if (fmt == EXPORT_JSON) {
		fputs("{\"target\":", fp);
		export_json_str(fp, m->target);
		fputs(",\"baseline\":{\"path\":", fp);
		export_json_str(fp, b->path);
		fputs(",\"target\":", fp);
		export_json_str(fp, b->target);
		fputs(",\"time\":", fp);
		export_json_str(fp, b->time);
		fputs("},\"events\":[", fp);
	}
	for (e = 0; e < m->nevents && e < EVENT_COUNT; e++) {
		if ((m->sampled != NULL && !m->sampled[e]) || !b->has[e])
			continue;
		baseline_diff(b, a, vo, e, false, &now, &d);
		if (fmt == EXPORT_CSV)
			diff_write_csv(fp, &d, m->event_names[e], first);
		else {
			fputs(first ? "\n" : ",\n", fp);
			diff_write_json(fp, &d, m->event_names[e]);
		}
		first = false;
		diff_side_free(&now);
	}
	diff_free(&d);
	if (fmt == EXPORT_JSON)
		fputs("]}\n", fp);
	if (fmt == EXPORT_CSV && first)
		diff_write_csv(fp, &d, "", true);
	return 0;
}
