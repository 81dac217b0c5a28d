/*
 * Snapshot writers (text, csv, json, folded), all reading the same view
 * rows as the screen, and safe file creation: the snapshot is written to an
 * anonymous temporary file in the target directory (O_TMPFILE, else a
 * hidden mkstemp file) and linked into place at the end. link never
 * replaces an existing name and never follows a symbolic link there, so a
 * snapshot never overwrites anything and appears complete or not at all.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agg.h"
#include "binary.h"
#include "dwarf.h"
#include "echo.h"
#include "export.h"
#include "i18n.h"
#include "pprof.h"
#include "symtab.h"
#include "view.h"
#include "xmalloc.h"

/* Tests build with -DEXPORT_NO_TMPFILE to exercise the fallback. */
#if defined(O_TMPFILE) && !defined(EXPORT_NO_TMPFILE)
#define EXPORT_HAVE_TMPFILE 1
#endif

#define EXPORT_MAX_SUFFIX 10000

/* The forms of export_time. */
enum { EXPORT_TIME_TEXT, EXPORT_TIME_ISO, EXPORT_TIME_NAME };

struct export_file {
	FILE *fp;
	int fd;
	char *path;			/* the name asked for */
	char *tmp;			/* mkstemp name; NULL with O_TMPFILE */
	char *fallback;			/* in the current directory, where path's
					 * directory takes no name; or NULL */
};

static const char *const export_names[EXPORT_COUNT] = {
	[EXPORT_TEXT] = "text",
	[EXPORT_CSV] = "csv",
	[EXPORT_JSON] = "json",
	[EXPORT_FOLDED] = "folded",
	[EXPORT_PPROF] = "pprof",
};

static const char *const export_exts[EXPORT_COUNT] = {
	[EXPORT_TEXT] = "txt",
	[EXPORT_CSV] = "csv",
	[EXPORT_JSON] = "json",
	[EXPORT_FOLDED] = "folded",
	[EXPORT_PPROF] = "pb.gz",
};

/* The format named name, or -1. */
int
export_format_parse(const char *name)
{
	int i;

	if (name == NULL)
		return -1;
	for (i = 0; i < EXPORT_COUNT; i++) {
		if (strcmp(name, export_names[i]) == 0)
			return i;
	}
	return -1;
}

/* The name of format f. */
const char *
export_format_name(enum export_format f)
{
	if ((unsigned)f >= EXPORT_COUNT)
		return "?";
	return export_names[f];
}

/* The file name extension of format f. */
const char *
export_format_ext(enum export_format f)
{
	if ((unsigned)f >= EXPORT_COUNT)
		return "txt";
	return export_exts[f];
}

/* Entry e of one of m's per-event tables, or dflt. */
static const char *
export_event_str(const struct export_meta *m, const char *const *v,
    unsigned e, const char *dflt)
{
	if (v != NULL && e < m->nevents && v[e] != NULL)
		return v[e];
	return dflt;
}

/* The name of event e, or a placeholder. */
static const char *
export_event_name(const struct export_meta *m, unsigned e)
{
	return export_event_str(m, m->event_names, e, "?");
}

/* The lost count of event e. */
static uint64_t
export_lost(const struct export_meta *m, unsigned e)
{
	if (m->lost != NULL && e < m->nevents)
		return m->lost[e];
	return 0;
}

/* Whether event e goes into csv and json. */
static bool
export_sampled(const struct export_meta *m, unsigned e)
{
	if (m->sampled == NULL)
		return true;
	return m->sampled[e] != 0;
}

/* A string or "" for NULL. */
static const char *
export_str(const char *s)
{
	return s != NULL ? s : "";
}

/* Format t as local time in one form; false if only epoch seconds fit. */
static bool
export_time(char *buf, size_t len, time_t t, int form)
{
	struct tm tm;
	size_t n = 0;

	if (localtime_r(&t, &tm) != NULL) {
		switch (form) {
		case EXPORT_TIME_TEXT:
			n = strftime(buf, len, "%Y-%m-%d %H:%M:%S %z", &tm);
			break;
		case EXPORT_TIME_ISO:
			n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S%z", &tm);
			break;
		case EXPORT_TIME_NAME:
			n = strftime(buf, len, "%Y%m%d-%H%M%S", &tm);
			break;
		}
	}
	if (n == 0) {
		snprintf(buf, len, "%lld", (long long)t);
		return false;
	}
	return true;
}

/* Build the view of one event with o's sort, filter, zoom and window. */
static void
export_view(struct view *v, const struct agg *a, const struct view_opts *o,
    unsigned event, bool group)
{
	struct view_opts eo = *o;

	eo.event = event;
	eo.group = group;
	view_build(v, a, &eo);
}

/* Write a name on one line: control characters as '?', ';' in frames as ':'. */
static void
export_put_name(FILE *fp, const char *s, bool frame)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			fputc('?', fp);
		else if (frame && *s == ';')
			fputc(':', fp);
		else
			fputc(*s, fp);
	}
}

/* Write one "key: value" header line. */
static void
export_text_kv(FILE *fp, const char *key, const char *value)
{
	fprintf(fp, "%s: ", key);
	export_put_name(fp, value, false);
	fputc('\n', fp);
}

/* The WAIT column's text of a row, as the screen shows it: the system
 * call, "+" where others share the row's blocked samples; "" for none. */
static void
export_wait_text(char *buf, size_t len, const struct view_row *r)
{
	if (r->wait == NULL)
		buf[0] = '\0';
	else
		snprintf(buf, len, "%s%s", r->wait, r->wait_more ? "+" : "");
}

/* Write the text snapshot: header lines, a blank line, the table (with
 * a WAIT column where the event has blocked samples). */
static void
export_text(FILE *fp, const struct agg *a, const struct view_opts *o,
    const struct export_meta *m)
{
	struct view v = { 0 };
	const struct view_row *r;
	char tbuf[64], wbuf[64];
	size_t i, bw = strlen("BINARY"), ww = strlen("WAIT"), len;

	export_view(&v, a, o, o->event, o->group);
	export_time(tbuf, sizeof tbuf, m->time, EXPORT_TIME_TEXT);

	export_text_kv(fp, "target", export_str(m->target));
	export_text_kv(fp, "event", export_event_name(m, o->event));
	export_text_kv(fp, "sampler", export_str(m->sampler));
	export_text_kv(fp, "call graph", m->callgraph != NULL ? m->callgraph : "none");
	if (m->debuginfod != NULL)
		fprintf(fp, "%s\n", m->debuginfod);
	export_text_kv(fp, "window", export_str(m->window));
	if (m->budgets != NULL)
		export_text_kv(fp, "budgets", m->budgets);
	fprintf(fp, "samples: %" PRIu64 "\n", v.total_samples);
	fprintf(fp, "lost: %" PRIu64, export_lost(m, o->event));
	if (m->lost_ns > 0)
		fprintf(fp, " (%.2f s not sampled)", m->lost_ns / 1e9);
	fputc('\n', fp);
	export_text_kv(fp, "time", tbuf);
	fputc('\n', fp);

	for (i = 0; i < v.n; i++) {
		len = strlen(v.rows[i].binary);
		if (len > bw)
			bw = len;
		export_wait_text(wbuf, sizeof wbuf, &v.rows[i]);
		if (strlen(wbuf) > ww)
			ww = strlen(wbuf);
	}
	fprintf(fp, "%7s  %7s  %10s  ", "SELF%", "TOTAL%", "SAMPLES");
	if (v.has_wait)
		fprintf(fp, "%-*s  ", (int)ww, "WAIT");
	fprintf(fp, "%-*s  %s\n", (int)bw, "BINARY", "FUNCTION");
	for (i = 0; i < v.n; i++) {
		r = &v.rows[i];
		fprintf(fp, "%6.2f%%  %6.2f%%  %10" PRIu64 "  ", r->self_pct,
		    r->total_pct, r->samples);
		if (v.has_wait) {
			export_wait_text(wbuf, sizeof wbuf, r);
			fprintf(fp, "%-*s  ", (int)ww, wbuf);
		}
		export_put_name(fp, r->binary, false);
		if (*r->function != '\0') {
			for (len = strlen(r->binary); len < bw + 2; len++)
				fputc(' ', fp);
			export_put_name(fp, r->function, false);
		}
		fputc('\n', fp);
	}
	view_free(&v);
}

/* Write one csv field, quoted where RFC 4180 asks for it. */
void
export_csv_field(FILE *fp, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

/* Write the csv snapshot: every sampled event, never grouped. */
static void
export_csv(FILE *fp, const struct agg *a, const struct view_opts *o,
    const struct export_meta *m)
{
	struct view v = { 0 };
	const struct view_row *r;
	const char *name;
	unsigned e;
	size_t i;

	fputs("event,binary,function,samples,self_pct,total_pct,address,wait\n",
	    fp);
	for (e = 0; e < m->nevents; e++) {
		if (!export_sampled(m, e))
			continue;
		name = export_event_name(m, e);
		export_view(&v, a, o, e, false);
		for (i = 0; i < v.n; i++) {
			r = &v.rows[i];
			export_csv_field(fp, name);
			fputc(',', fp);
			export_csv_field(fp, r->binary);
			fputc(',', fp);
			export_csv_field(fp, r->function);
			fprintf(fp, ",%" PRIu64 ",%.2f,%.2f,", r->samples,
			    r->self_pct, r->total_pct);
			if (r->has_address)
				fprintf(fp, "0x%llx",
				    (unsigned long long)r->address);
			fputc(',', fp);
			if (r->wait != NULL)
				export_csv_field(fp, r->wait);
			fputc('\n', fp);
		}
	}
	view_free(&v);
}

/* The length of the valid UTF-8 sequence at s, or 0 if it is not one. */
static size_t
export_utf8_len(const unsigned char *s)
{
	uint32_t cp;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* Write s as a JSON string (null for NULL); invalid UTF-8 becomes U+FFFD. */
void
export_json_str(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	if (s == NULL) {
		fputs("null", fp);
		return;
	}
	fputc('"', fp);
	while (*p != '\0') {
		if (*p == '"' || *p == '\\') {
			fputc('\\', fp);
			fputc(*p++, fp);
		} else if (*p < 0x20) {
			fprintf(fp, "\\u%04x", *p++);
		} else if ((n = export_utf8_len(p)) == 0) {
			fputs("\\ufffd", fp);
			p++;
		} else {
			fwrite(p, 1, n, fp);
			p += n;
		}
	}
	fputc('"', fp);
}

/* Samples per source line of one function, for the json snapshot. */
struct export_line {
	const char *file;	/* owned by the binary (dwarf.c) */
	int line;
	uint64_t samples;
};

struct export_lines {
	struct binary *bin;
	bool window;
	struct export_line *v;
	size_t n;
	size_t cap;
};

/* Add one sampled address's samples to its source line. */
static void
export_lines_add(const struct agg_addr_stat *st, void *arg)
{
	struct export_lines *ls = arg;
	uint64_t samples = ls->window ? st->win_samples : st->samples;
	struct dwarf_line dl;
	size_t i;

	if (samples == 0 || st->other ||
	    dwarf_line(ls->bin, st->offset, &dl, NULL) < 0 ||
	    dl.file == NULL || dl.line <= 0)
		return;
	for (i = 0; i < ls->n; i++) {
		if (ls->v[i].line == dl.line && (ls->v[i].file == dl.file ||
		    strcmp(ls->v[i].file, dl.file) == 0)) {
			ls->v[i].samples += samples;
			return;
		}
	}
	if (ls->n == ls->cap) {
		ls->cap = ls->cap ? ls->cap * 2 : 16;
		ls->v = xreallocarray(ls->v, ls->cap, sizeof *ls->v);
	}
	ls->v[ls->n].file = dl.file;
	ls->v[ls->n].line = dl.line;
	ls->v[ls->n].samples = samples;
	ls->n++;
}

/* Hottest line first; then by file and line. */
static int
export_line_cmp(const void *a, const void *b)
{
	const struct export_line *x = a, *y = b;
	int c;

	if (x->samples != y->samples)
		return x->samples > y->samples ? -1 : 1;
	if ((c = strcmp(x->file, y->file)) != 0)
		return c;
	return (x->line > y->line) - (x->line < y->line);
}

/* Write the "lines" array of one function row. */
static void
export_json_lines(FILE *fp, const struct agg *a, const struct view_row *r,
    const struct view_opts *o, bool lines)
{
	struct export_lines ls = { 0 };

	fputs(",\"lines\":[", fp);
	if (lines && r->af != NULL && r->func != NULL) {
		ls.bin = r->af->bin;
		ls.window = o->window;
		if (binary_path(ls.bin)[0] == '/')
			agg_func_addrs(a, r->af, export_lines_add, &ls);
		if (ls.n > 1)
			qsort(ls.v, ls.n, sizeof *ls.v, export_line_cmp);
		for (size_t i = 0; i < ls.n; i++) {
			fputs(i == 0 ? "{\"file\":" : ",{\"file\":", fp);
			export_json_str(fp, ls.v[i].file);
			fprintf(fp, ",\"line\":%d,\"samples\":%" PRIu64 "}",
			    ls.v[i].line, ls.v[i].samples);
		}
		free(ls.v);
	}
	fputc(']', fp);
}

/* Write the "wait" array of one function row: its system calls, hottest
 * first, with their share of the row's weight. */
static void
export_json_waits(FILE *fp, struct view *v, const struct agg *a,
    const struct view_row *r, struct view_wait **w, size_t *cap)
{
	size_t n = view_row_waits(v, a, r, w, cap), i;

	fputs(",\"wait\":[", fp);
	for (i = 0; i < n; i++) {
		fputs(i == 0 ? "{\"syscall\":" : ",{\"syscall\":", fp);
		export_json_str(fp, (*w)[i].name);
		fprintf(fp, ",\"samples\":%" PRIu64 ",\"pct\":%.2f}",
		    (*w)[i].samples, (*w)[i].pct);
	}
	fputc(']', fp);
}

/* The names of an edge's other end, as the exports show them. */
static void
export_edge_names(const struct agg_edge *e, const char **binary,
    const char **function)
{
	*binary = "";
	switch (e->kind) {
	case AGG_EDGE_FUNC:
		*binary = binary_name(e->f->bin);
		*function = e->f->func != NULL && e->f->func->name != NULL ?
		    e->f->func->name : "[unknown]";
		break;
	case AGG_EDGE_ROOT:
		*function = "[root]";
		break;
	case AGG_EDGE_SELF:
		*function = "[self]";
		break;
	default:
		*function = "[other]";
		break;
	}
}

/* Write the "callers" or "callees" array of one function row: each with
 * its share of the function's total. */
static void
export_json_edges(FILE *fp, const struct agg *a, const struct view_row *r,
    const struct view_opts *o, const char *key, struct agg_edge **e,
    size_t *cap)
{
	const char *binary, *function;
	size_t n = 0, i;

	fprintf(fp, ",\"%s\":[", key);
	if (r->af != NULL)
		n = strcmp(key, "callers") == 0 ?
		    agg_callers(a, r->af, o->window, e, cap) :
		    agg_callees(a, r->af, o->window, e, cap);
	for (i = 0; i < n; i++) {
		export_edge_names(&(*e)[i], &binary, &function);
		fputs(i == 0 ? "{\"binary\":" : ",{\"binary\":", fp);
		export_json_str(fp, binary);
		fputs(",\"function\":", fp);
		export_json_str(fp, function);
		fprintf(fp, ",\"samples\":%" PRIu64 ",\"pct\":%.2f}",
		    (*e)[i].samples, r->total_weight == 0 ? 0.0 :
		    100.0 * (double)(*e)[i].weight / (double)r->total_weight);
	}
	fputc(']', fp);
}

/* Write the json snapshot: every sampled event, never grouped. */
static void
export_json(FILE *fp, const struct agg *a, const struct view_opts *o,
    const struct export_meta *m)
{
	struct view v = { 0 };
	const struct view_row *r;
	struct agg_edge *edges = NULL;
	size_t ecap = 0;
	struct view_wait *w = NULL;
	char tbuf[64];
	size_t i, len, wcap = 0;
	unsigned e;
	bool first_event = true, local;

	/* ISO 8601 wants the offset as +hh:mm; strftime gives +hhmm. */
	local = export_time(tbuf, sizeof tbuf, m->time, EXPORT_TIME_ISO);
	len = strlen(tbuf);
	if (local && len >= 5 && len + 1 < sizeof tbuf &&
	    (tbuf[len - 5] == '+' || tbuf[len - 5] == '-')) {
		memmove(tbuf + len - 1, tbuf + len - 2, 3);
		tbuf[len - 2] = ':';
	}

	fputs("{\"target\":", fp);
	export_json_str(fp, m->target);
	fputs(",\"sampler\":", fp);
	export_json_str(fp, m->sampler);
	fputs(",\"call_graph\":", fp);
	export_json_str(fp, m->callgraph != NULL ? m->callgraph : "none");
	fputs(",\"window\":", fp);
	export_json_str(fp, m->window);
	fputs(",\"time\":", fp);
	export_json_str(fp, tbuf);
	fprintf(fp, ",\"lost_time_s\":%.3f", m->lost_ns / 1e9);
	fputs(",\"events\":[", fp);
	for (e = 0; e < m->nevents; e++) {
		if (!export_sampled(m, e))
			continue;
		export_view(&v, a, o, e, false);
		fputs(first_event ? "\n" : ",\n", fp);
		first_event = false;
		fputs("{\"name\":", fp);
		export_json_str(fp, export_event_name(m, e));
		fprintf(fp, ",\"samples\":%" PRIu64 ",\"lost\":%" PRIu64
		    ",\"functions\":[", v.total_samples, export_lost(m, e));
		for (i = 0; i < v.n; i++) {
			r = &v.rows[i];
			fputs(i == 0 ? "\n" : ",\n", fp);
			fputs("{\"binary\":", fp);
			export_json_str(fp, r->binary);
			fputs(",\"function\":", fp);
			export_json_str(fp, r->function);
			fprintf(fp, ",\"samples\":%" PRIu64 ",\"self_pct\":%.2f"
			    ",\"total_pct\":%.2f,\"address\":", r->samples,
			    r->self_pct, r->total_pct);
			if (r->has_address)
				fprintf(fp, "\"0x%llx\"",
				    (unsigned long long)r->address);
			else
				fputs("null", fp);
			export_json_lines(fp, a, r, o, m->want_lines);
			export_json_waits(fp, &v, a, r, &w, &wcap);
			if (agg_has_stacks(a)) {
				export_json_edges(fp, a, r, o, "callers", &edges, &ecap);
				export_json_edges(fp, a, r, o, "callees", &edges, &ecap);
			}
			fputc('}', fp);
		}
		fputs("]}", fp);
	}
	free(w);
	free(edges);
	view_free(&v);
	fputs("]}\n", fp);
}

/* Write one folded line: binary;function[;[leaf]] COUNT. */
static void
export_folded_line(FILE *fp, const struct view_row *r, const char *leaf,
    uint64_t count)
{
	export_put_name(fp, r->binary, true);
	fputc(';', fp);
	export_put_name(fp, r->function, true);
	if (leaf != NULL) {
		fputs(";[", fp);
		export_put_name(fp, leaf, true);
		fputc(']', fp);
	}
	fprintf(fp, " %" PRIu64 "\n", count);
}

/* One line of the folded snapshot with call stacks. */
struct export_stack {
	char *text;		/* frames, root first, ';' separated */
	uint64_t samples;	/* the count written: its weight in samples */
};

/* The stacks being gathered for the folded snapshot. */
struct export_stacks {
	struct view *v;		/* for system call names */
	const struct view_opts *o;
	double per_sample;	/* the event's mean weight of one sample */
	struct export_stack *s;
	size_t n, cap;
};

/* Whether a frame's function or binary has filter in it (no case). */
static bool
export_frame_match(const struct agg_func *f, const char *filter)
{
	return f != NULL && ((f->func != NULL && f->func->name != NULL &&
	    strcasestr(f->func->name, filter) != NULL) ||
	    strcasestr(binary_name(f->bin), filter) != NULL);
}

/* A frame's name: the function, [BINARY] where it has none (made in
 * *made, caller frees), [unknown] in no mapping, [other] for frames cut
 * short. */
static const char *
export_frame_label(const struct agg_func *f, char **made)
{
	*made = NULL;
	if (f == NULL)
		return "[other]";
	if (f->func != NULL && f->func->name != NULL)
		return f->func->name;
	if (binary_kind(f->bin) == BINARY_ANON)
		return "[unknown]";	/* where a stack was cut short, its root */
	*made = xasprintf("[%s]", binary_name(f->bin));
	return *made;
}

/* Put one frame's name (export_frame_label) into a stream. */
static void
export_frame_name(FILE *fp, const struct agg_func *f)
{
	char *made;

	export_put_name(fp, export_frame_label(f, &made), true);
	free(made);
}

/* Whether o's filter and zoom let a stack (frames[0..n)) through. */
static bool
export_stack_kept(const struct agg_func *const *frames, size_t n,
    const struct view_opts *o)
{
	bool keep = o->filter == NULL || o->filter[0] == '\0';
	bool zoom = o->zoom == NULL;
	size_t i;

	for (i = 0; i < n && (!keep || !zoom); i++) {
		if (!keep && export_frame_match(frames[i], o->filter))
			keep = true;
		if (!zoom && frames[i] != NULL && frames[i]->bin == o->zoom)
			zoom = true;
	}
	return keep && zoom;
}

/* Gather one stack (agg_each_stack), where the filter and zoom let it. */
static void
export_stack_add(const struct agg_func *const *frames, size_t n, bool blocked,
    uint32_t sys, uint64_t samples, uint64_t weight, void *arg)
{
	struct export_stacks *es = arg;
	struct export_stack *st;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *mem;

	if (!export_stack_kept(frames, n, es->o) ||
	    (mem = open_memstream(&buf, &len)) == NULL)
		return;
	for (i = 0; i < n; i++) {
		if (i > 0)
			fputc(';', mem);
		export_frame_name(mem, frames[i]);
	}
	if (blocked) {
		fputs(";[", mem);
		export_put_name(mem, sys == AGG_NOSYS ? "fault" :
		    view_syscall_name(es->v, sys), true);
		fputc(']', mem);
	}
	if (fclose(mem) != 0 || buf == NULL) {
		free(buf);
		return;
	}
	if (es->n == es->cap) {
		es->cap = es->cap ? es->cap * 2 : 256;
		es->s = xreallocarray(es->s, es->cap, sizeof *es->s);
	}
	st = &es->s[es->n++];
	st->text = buf;
	/* In samples of the event's mean weight, so that a sample counts for
	 * what it stands for (wait-time's blocked ones for more than a tick,
	 * say), at least 1. */
	st->samples = es->per_sample > 0 ?
	    (uint64_t)((double)weight / es->per_sample + 0.5) : samples;
	if (st->samples == 0)
		st->samples = 1;
}

/* By text. */
static int
export_stack_text_cmp(const void *x, const void *y)
{
	const struct export_stack *a = x, *b = y;

	return strcmp(a->text, b->text);
}

/* Hottest first, then by text. */
static int
export_stack_cmp(const void *x, const void *y)
{
	const struct export_stack *a = x, *b = y;

	if (a->samples != b->samples)
		return a->samples > b->samples ? -1 : 1;
	return strcmp(a->text, b->text);
}

/* Write the folded snapshot from the call stacks: one line per distinct
 * stack, root first, hottest first, its count the stack's weight in
 * units of the event's mean sample weight. Stacks with the same names (two
 * unnamed frames of one binary, say) are one line. */
static void
export_folded_stacks(FILE *fp, const struct agg *a, const struct view_opts *o)
{
	struct view v = { 0 };
	struct export_stacks es = { .v = &v, .o = o };
	const struct agg_totals *t = agg_event_totals(a, o->event);
	uint64_t ts = o->window ? t->win_samples : t->samples;
	uint64_t tw = o->window ? t->win_weight : t->weight;
	size_t i, j;

	es.per_sample = ts > 0 ? (double)tw / (double)ts : 0;
	agg_each_stack(a, o->event, o->window, export_stack_add, &es);
	/* Equal texts side by side, merged; then hottest first. */
	if (es.n > 1)
		qsort(es.s, es.n, sizeof *es.s, export_stack_text_cmp);
	for (i = 0, j = 0; i < es.n; i++) {
		if (j > 0 && strcmp(es.s[j - 1].text, es.s[i].text) == 0) {
			es.s[j - 1].samples += es.s[i].samples;
			free(es.s[i].text);
		} else
			es.s[j++] = es.s[i];
	}
	es.n = j;
	if (es.n > 1)
		qsort(es.s, es.n, sizeof *es.s, export_stack_cmp);
	for (i = 0; i < es.n; i++) {
		fprintf(fp, "%s %" PRIu64 "\n", es.s[i].text, es.s[i].samples);
		free(es.s[i].text);
	}
	free(es.s);
	view_free(&v);
}

/* Write the folded snapshot: binary;function COUNT per function; its
 * blocked samples (wait-time) one frame deeper, under the system call
 * they wait in (binary;function;[read] COUNT; [fault] outside any),
 * hottest first. The counts add up to the function's samples. */
static void
export_folded(FILE *fp, const struct agg *a, const struct view_opts *o)
{
	struct view v = { 0 };
	const struct view_row *r;
	struct view_wait *w = NULL;
	size_t i, k, n, wcap = 0;
	uint64_t ran;

	if (agg_has_stacks(a)) {
		export_folded_stacks(fp, a, o);
		return;
	}
	export_view(&v, a, o, o->event, false);
	for (i = 0; i < v.n; i++) {
		r = &v.rows[i];
		n = view_row_waits(&v, a, r, &w, &wcap);
		ran = r->samples;
		for (k = 0; k < n; k++)
			ran -= w[k].samples;
		if (ran > 0 || n == 0)
			export_folded_line(fp, r, NULL, ran);
		for (k = 0; k < n; k++)
			export_folded_line(fp, r, w[k].sys == AGG_NOSYS ?
			    "fault" : w[k].name, w[k].samples);
	}
	free(w);
	view_free(&v);
}

/* A pprof profile being built from the aggregator (export_pprof). */
struct export_pp {
	struct pprof *p;
	const struct view_opts *o;
	const struct export_meta *m;
	struct view *v;			/* system call names */
	uint64_t *maps;			/* mapping id by binary id; 0: none yet */
	size_t nmaps;
	uint64_t *locs;			/* one stack's locations, leaf first */
	size_t loccap;
	int64_t *values;		/* one sample's values */
	size_t col;			/* the event's first value */
	struct pprof_line *lines;	/* one location's lines */
	size_t linecap;
};

/* The pprof mapping of a binary: its path, build-id; addresses are file
 * offsets, so it starts at 0 with file offset 0 and reaches as far as its
 * locations. */
static uint64_t
export_pp_mapping(struct export_pp *pp, struct binary *bin)
{
	struct pprof_mapping_info mi = { .cover = true };
	const uint8_t *id;
	char *hex = NULL;
	size_t i, len, b = binary_id(bin);

	if (b >= pp->nmaps) {
		pp->maps = xreallocarray(pp->maps, b + 1, sizeof *pp->maps);
		memset(pp->maps + pp->nmaps, 0,
		    (b + 1 - pp->nmaps) * sizeof *pp->maps);
		pp->nmaps = b + 1;
	}
	if (pp->maps[b] != 0)
		return pp->maps[b];
	if ((id = binary_build_id(bin, &len)) != NULL && len > 0) {
		hex = xmalloc(2 * len + 1);
		for (i = 0; i < len; i++)
			snprintf(hex + 2 * i, 3, "%02x", id[i]);
		mi.build_id = hex;
	}
	mi.file = binary_path(bin)[0] != '\0' ? binary_path(bin) :
	    binary_name(bin);
	pp->maps[b] = pprof_mapping(pp->p, &mi);
	free(hex);
	return pp->maps[b];
}

/* The lines of a location: at offset in f's function where exact (its
 * inline chain, innermost first), else at the function's start. */
static size_t
export_pp_lines(struct export_pp *pp, const struct agg_func *f,
    const char *name, uint64_t offset, bool exact)
{
	struct dwarf_line dl, start;
	size_t n = 1, k;
	bool have = false;

	if (pp->linecap == 0) {
		pp->linecap = 8;
		pp->lines = xreallocarray(NULL, pp->linecap, sizeof *pp->lines);
	}
	memset(&pp->lines[0], 0, sizeof pp->lines[0]);
	pp->lines[0].function = name;
	if (f == NULL || !pp->m->want_lines || f->func == NULL ||
	    binary_path(f->bin)[0] != '/' ||
	    dwarf_line(f->bin, f->func->start, &start, NULL) < 0)
		return 1;
	if (exact)
		have = dwarf_line(f->bin, offset, &dl, NULL) == 0;
	if (!have) {
		pp->lines[0].file = start.file;
		pp->lines[0].start_line = start.line;
		pp->lines[0].line = start.line;
		return 1;
	}
	n = dl.ninlined + 1;
	if (n > pp->linecap) {
		pp->linecap = n;
		pp->lines = xreallocarray(pp->lines, n, sizeof *pp->lines);
	}
	/* Line k is in the function of inlined[k] (the symbol's function
	 * last), at the call site inlined[k - 1] names (dl itself for k 0). */
	for (k = 0; k < n; k++) {
		memset(&pp->lines[k], 0, sizeof pp->lines[k]);
		pp->lines[k].file = k == 0 ? dl.file : dl.inlined[k - 1].file;
		pp->lines[k].line = k == 0 ? dl.line : dl.inlined[k - 1].line;
		if (k + 1 < n) {
			pp->lines[k].function = dl.inlined[k].function != NULL ?
			    dl.inlined[k].function : name;
			continue;
		}
		pp->lines[k].function = name;
		pp->lines[k].file = start.file;
		pp->lines[k].start_line = start.line;
	}
	return n;
}

/* The location of a frame (NULL: cut short) at offset, or at its
 * function's start where not exact (call stacks keep functions only). */
static uint64_t
export_pp_location(struct export_pp *pp, const struct agg_func *f,
    uint64_t offset, bool exact)
{
	const char *name;
	char *made;
	uint64_t id, map = 0;
	size_t n;

	name = export_frame_label(f, &made);
	if (f != NULL) {
		map = export_pp_mapping(pp, f->bin);
		if (!exact)
			offset = f->func != NULL ? f->func->start : 0;
	} else
		offset = 0;
	n = export_pp_lines(pp, f, name, offset, exact);
	id = pprof_location(pp->p, map, offset, pp->lines, n);
	free(made);
	return id;
}

/* Add one sample of the event being written. */
static void
export_pp_sample(struct export_pp *pp, size_t nlocs, uint64_t samples,
    uint64_t weight, const char *key, const char *str)
{
	size_t nv = pprof_nsample_types(pp->p);

	memset(pp->values, 0, nv * sizeof *pp->values);
	pp->values[pp->col] = (int64_t)samples;
	pp->values[pp->col + 1] = (int64_t)weight;
	pprof_sample(pp->p, pp->locs, nlocs, pp->values, key, str);
}

/* One sampled address of a function (export_pprof, without stacks). */
struct export_pp_addr {
	struct export_pp *pp;
	const struct agg_func *f;
};

/* Add the samples of one address as a one-frame stack. */
static void
export_pp_addr(const struct agg_addr_stat *st, void *arg)
{
	struct export_pp_addr *pa = arg;
	struct export_pp *pp = pa->pp;
	uint64_t samples = pp->o->window ? st->win_samples : st->samples;
	uint64_t weight = pp->o->window ? st->win_weight : st->weight;

	if (samples == 0)
		return;
	/* [other addresses]: at the function, as call stacks' frames. */
	pp->locs[0] = export_pp_location(pp, pa->f, st->offset, !st->other);
	export_pp_sample(pp, 1, samples, weight, NULL, NULL);
}

/* Add one call stack (agg_each_stack), where the filter and zoom let it,
 * leaf first; a blocked one labelled with its system call. */
static void
export_pp_stack(const struct agg_func *const *frames, size_t n, bool blocked,
    uint32_t sys, uint64_t samples, uint64_t weight, void *arg)
{
	struct export_pp *pp = arg;
	size_t i;

	if (n == 0 || !export_stack_kept(frames, n, pp->o))
		return;
	if (n > pp->loccap) {
		pp->loccap = n;
		pp->locs = xreallocarray(pp->locs, n, sizeof *pp->locs);
	}
	for (i = 0; i < n; i++)
		pp->locs[i] = export_pp_location(pp, frames[n - 1 - i], 0, false);
	export_pp_sample(pp, n, samples, weight, blocked ? "syscall" : NULL,
	    blocked ? view_syscall_name(pp->v, sys) : NULL);
}

/* The unit of event e's weight. */
static const char *
export_unit(const struct export_meta *m, unsigned e)
{
	return export_event_str(m, m->event_units, e, "count");
}

/* Add one comment line to the pprof profile. */
static void __attribute__((format(printf, 2, 3)))
export_pp_comment(struct export_pp *pp, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (s != NULL)
		pprof_comment(pp->p, s);
	free(s);
}

/* The types, period and comments of the pprof profile: two values per
 * sampled event (EVENT-samples in count, EVENT in its unit); the default
 * type is the weight of the event o shows (else the first sampled), the
 * period its mean weight of one sample; the comments are the text
 * snapshot's header lines. */
static void
export_pp_head(struct export_pp *pp, const struct agg *a)
{
	const struct export_meta *m = pp->m;
	const struct agg_totals *t;
	uint64_t ts, tw;
	char tbuf[64], *s;
	unsigned e, dflt = m->nevents;

	export_pp_comment(pp, "target: %s", export_str(m->target));
	for (e = 0; e < m->nevents; e++) {
		if (!export_sampled(m, e))
			continue;
		if (dflt == m->nevents || e == pp->o->event)
			dflt = e;
		s = xasprintf("%s-samples", export_event_name(m, e));
		pprof_sample_type(pp->p, s, "count");
		free(s);
		pprof_sample_type(pp->p, export_event_name(m, e),
		    export_unit(m, e));
		t = agg_event_totals(a, e);
		export_pp_comment(pp, "event: %s, samples: %" PRIu64
		    ", lost: %" PRIu64, export_event_name(m, e), pp->o->window ?
		    t->win_samples : t->samples, export_lost(m, e));
	}
	if (dflt < m->nevents) {
		pprof_default_type(pp->p, export_event_name(m, dflt));
		t = agg_event_totals(a, dflt);
		ts = pp->o->window ? t->win_samples : t->samples;
		tw = pp->o->window ? t->win_weight : t->weight;
		pprof_period(pp->p, export_event_name(m, dflt),
		    export_unit(m, dflt), ts == 0 ? 0 :
		    (int64_t)((tw + ts / 2) / ts));
	}
	pprof_time(pp->p, m->time_nanos, m->duration_nanos);
	export_pp_comment(pp, "sampler: %s", export_str(m->sampler));
	export_pp_comment(pp, "call graph: %s", m->callgraph != NULL ?
	    m->callgraph : "none");
	export_pp_comment(pp, "window: %s", export_str(m->window));
	export_time(tbuf, sizeof tbuf, m->time, EXPORT_TIME_TEXT);
	export_pp_comment(pp, "time: %s", tbuf);
}

/* Write the pprof snapshot: every sampled event, with o's filter, zoom
 * and window; call stacks where the aggregator keeps them, else each
 * sampled address as a one-frame stack. */
static int
export_pprof(FILE *fp, const struct agg *a, const struct view_opts *o,
    const struct export_meta *m, char **cause)
{
	struct export_pp pp = { .o = o, .m = m };
	struct export_pp_addr pa = { .pp = &pp };
	struct view v = { 0 };
	unsigned e;
	size_t i;
	int rc;

	pp.p = pprof_new();
	pp.v = &v;
	export_pp_head(&pp, a);
	pp.values = xreallocarray(NULL, pprof_nsample_types(pp.p) + 1,
	    sizeof *pp.values);
	pp.loccap = 1;
	pp.locs = xreallocarray(NULL, pp.loccap, sizeof *pp.locs);
	for (e = 0; e < m->nevents; e++) {
		if (!export_sampled(m, e))
			continue;
		export_view(&v, a, o, e, false);
		if (agg_has_stacks(a)) {
			agg_each_stack(a, e, o->window, export_pp_stack, &pp);
		} else {
			for (i = 0; i < v.n; i++) {
				pa.f = v.rows[i].af;
				if (pa.f != NULL)
					agg_func_addrs(a, pa.f, export_pp_addr, &pa);
			}
		}
		pp.col += 2;
	}
	rc = pprof_write(pp.p, fp, cause);
	pprof_free(pp.p);
	view_free(&v);
	free(pp.maps);
	free(pp.locs);
	free(pp.values);
	free(pp.lines);
	return rc;
}

/* Write a snapshot of a to fp. */
int
export_write(FILE *fp, enum export_format fmt, const struct agg *a,
    const struct view_opts *o, const struct export_meta *m, char **cause)
{
	static const struct export_meta no_meta;
	int err;

	if (m == NULL)
		m = &no_meta;
	switch (fmt) {
	case EXPORT_TEXT:
		export_text(fp, a, o, m);
		break;
	case EXPORT_CSV:
		export_csv(fp, a, o, m);
		break;
	case EXPORT_JSON:
		export_json(fp, a, o, m);
		break;
	case EXPORT_FOLDED:
		export_folded(fp, a, o);
		break;
	case EXPORT_PPROF:
		if (export_pprof(fp, a, o, m, cause) < 0)
			return -1;
		break;
	default:
		*cause = xasprintf(_("unknown snapshot format %d"), (int)fmt);
		return -1;
	}

	errno = 0;
	if (fflush(fp) != 0 || ferror(fp)) {
		err = errno != 0 ? errno : EIO;
		*cause = xasprintf(_("cannot write snapshot: %s"),
		    strerror(err));
		return -1;
	}
	return 0;
}

/* The directory part of path ("." when there is none). */
static char *
export_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	while (slash > path && slash[-1] == '/')
		slash--;
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* Open an unnamed (or hidden) temporary file in dir; -1 with errno. */
static int
export_tmpfile(const char *dir, char **tmp)
{
	mode_t mask;
	int fd, err;

	*tmp = NULL;
#ifdef EXPORT_HAVE_TMPFILE
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0644);
	if (fd != -1)
		return fd;
	if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
		return -1;
#endif
	*tmp = xasprintf("%s/.rrstat-top-XXXXXX", dir);
	fd = mkostemp(*tmp, O_CLOEXEC);
	if (fd == -1) {
		err = errno;
		free(*tmp);
		*tmp = NULL;
		errno = err;
		return -1;
	}
	/* mkstemp makes 0600; give the file what the umask allows (if this
	 * fails the snapshot is only less readable). */
	mask = umask(022);
	umask(mask);
	(void)fchmod(fd, 0644 & ~mask);
	return fd;
}

/* Refuse a path where something other than a regular file (or a link
 * to one) is, or a name too long to be a file's. */
int
export_check_path(const char *path, char **cause)
{
	struct stat st;
	const char *what;

	if (stat(path, &st) != 0) {
		if (errno != ENAMETOOLONG)
			return 0;	/* nothing there: export_open will see */
		*cause = xasprintf(_("cannot write a snapshot to %s: %s"),
		    ECHO(path), strerror(errno));
		return -1;
	}
	if (S_ISREG(st.st_mode))
		return 0;
	if (S_ISDIR(st.st_mode))
		what = _("a directory");
	else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
		what = _("a device");
	else
		what = _("not a regular file");
	*cause = xasprintf(_("cannot write a snapshot to %s: it is %s (give a file name)"),
	    ECHO(path), what);
	return -1;
}

/* Start writing a snapshot file for path. */
int
export_open(struct export_file **out, const char *path, char **cause)
{
	struct export_file *f;
	const char *base;
	char *dir, *tmp;
	FILE *fp;
	int fd, err;

	*out = NULL;
	if (export_check_path(path, cause) < 0)
		return -1;
	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	if (*base == '\0' || strcmp(base, ".") == 0 ||
	    strcmp(base, "..") == 0) {
		*cause = xasprintf(_("cannot write %s: %s"), ECHO(path),
		    strerror(EISDIR));
		return -1;
	}

	dir = export_dirname(path);
	fd = export_tmpfile(dir, &tmp);
	err = errno;
	free(dir);
	if (fd == -1) {
		*cause = xasprintf(_("cannot write %s: %s"), ECHO(path),
		    strerror(err));
		return -1;
	}
	fp = fdopen(fd, "w");
	if (fp == NULL) {
		err = errno;
		if (tmp != NULL)
			unlink(tmp);
		free(tmp);
		close(fd);
		*cause = xasprintf(_("cannot write %s: %s"), ECHO(path),
		    strerror(err));
		return -1;
	}

	f = xcalloc(1, sizeof *f);
	f->fp = fp;
	f->fd = fd;
	f->path = xstrdup(path);
	f->tmp = tmp;
	*out = f;
	return 0;
}

/* The stream to write the snapshot to. */
FILE *
export_stream(struct export_file *f)
{
	return f->fp;
}

/* Where path's extension starts (".pb.gz" counts as one), or NULL. */
static const char *
export_ext_start(const char *path)
{
	static const char pbgz[] = ".pb.gz";
	const char *base, *dot;
	size_t len;

	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	len = strlen(base);
	if (len > sizeof pbgz - 1 &&
	    strcmp(base + len - (sizeof pbgz - 1), pbgz) == 0)
		return base + len - (sizeof pbgz - 1);
	dot = strrchr(base, '.');
	return dot == NULL || dot == base ? NULL : dot;
}

/* The n-th name to try for path: path itself, then name-N.ext, the name
 * cut short where name-N.ext would pass NAME_MAX or the path PATH_MAX;
 * NULL where no cut makes it fit. */
static char *
export_candidate(const char *path, unsigned n)
{
	const char *base, *ext;
	char sfx[16];
	size_t dir, stem, len, cut = 0;

	if (n == 0)
		return xstrdup(path);
	snprintf(sfx, sizeof sfx, "-%u", n);
	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	dir = (size_t)(base - path);
	ext = export_ext_start(path);	/* ".pb.gz" is one extension */
	if (ext == NULL)
		ext = base + strlen(base);
	for (int pass = 0; pass < 2; pass++) {
		stem = (size_t)(ext - base);
		len = stem + strlen(sfx) + strlen(ext);
		cut = len > NAME_MAX ? len - NAME_MAX : 0;
		if (dir + len > PATH_MAX - 1 && dir + len - (PATH_MAX - 1) > cut)
			cut = dir + len - (PATH_MAX - 1);
		if (cut < stem)
			break;
		ext = base + strlen(base);	/* too long an extension: cut into it */
	}
	if (cut >= stem)
		return NULL;
	stem -= cut;
	while (stem > 0 && ((unsigned char)base[stem] & 0xc0) == 0x80)
		stem--;		/* not inside a UTF-8 character */
	if (stem == 0)
		return NULL;
	return xasprintf("%.*s%.*s%s%s", (int)dir, path, (int)stem, base, sfx,
	    ext);
}

/* The format a file name's extension names (.txt, .csv, .json,
 * .folded, .pb.gz), or -1. */
int
export_format_of_path(const char *path)
{
	const char *dot = export_ext_start(path);
	int i;

	for (i = 0; dot != NULL && i < EXPORT_COUNT; i++)
		if (strcmp(dot + 1, export_exts[i]) == 0)
			return i;
	return -1;
}

/* The file for format f beside path. */
char *
export_path_for(const char *path, enum export_format f)
{
	const char *dot = export_ext_start(path);
	int i;

	for (i = 0; dot != NULL && i < EXPORT_COUNT; i++) {
		if (strcmp(dot + 1, export_exts[i]) == 0 ||
		    strcmp(dot + 1, export_names[i]) == 0)
			return xasprintf("%.*s.%s", (int)(dot - path), path,
			    export_format_ext(f));
	}
	return xasprintf("%s.%s", path, export_format_ext(f));
}

/* Give the temporary file the name name; never replaces anything. */
static int
export_link(struct export_file *f, const char *name)
{
	char proc[64];
	int err;

	if (f->tmp != NULL)
		return link(f->tmp, name);
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", f->fd);
	if (linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0)
		return 0;
	err = errno;
	if (err == ENOENT && access("/proc/self/fd", F_OK) != 0) {
		/* No /proc: this needs CAP_DAC_READ_SEARCH. */
		return linkat(f->fd, "", AT_FDCWD, name, AT_EMPTY_PATH);
	}
	errno = err;
	return -1;
}

/* Link f's file in under path or its first free path-N.ext: 0 with
 * *name set, or an errno. */
static int
export_place(struct export_file *f, const char *path, char **name)
{
	int err = EEXIST;

	*name = NULL;
	for (unsigned n = 0; n < EXPORT_MAX_SUFFIX; n++) {
		char *try = export_candidate(path, n);

		if (try == NULL)
			return ENAMETOOLONG;
		if (export_link(f, try) == 0) {
			*name = try;
			return 0;
		}
		err = errno;
		free(try);
		if (err != EEXIST)
			break;
	}
	return err;
}

/* Copy f's file into a new temporary file in the current directory and
 * link that in under f->fallback (or a suffixed name): 0 with *name set,
 * or an errno. */
static int
export_place_fallback(struct export_file *f, char **name)
{
	struct export_file g = { .fp = NULL, .fd = -1 };
	char buf[8192];
	off_t off = 0;
	ssize_t r = 0;
	int err = 0;

	*name = NULL;
	g.fd = export_tmpfile(".", &g.tmp);
	if (g.fd == -1)
		return errno;
	while (err == 0 && (r = pread(f->fd, buf, sizeof buf, off)) > 0) {
		for (ssize_t w, done = 0; done < r; done += w) {
			if ((w = write(g.fd, buf + done, (size_t)(r - done))) < 0) {
				err = errno;
				break;
			}
		}
		off += r;
	}
	if (err == 0 && r < 0)
		err = errno;
	if (err == 0 && fsync(g.fd) != 0 && errno != EINVAL)
		err = errno;
	if (err == 0)
		err = export_place(&g, f->fallback, name);
	close(g.fd);
	if (g.tmp != NULL)
		unlink(g.tmp);
	free(g.tmp);
	return err;
}

/* Flush the snapshot and link it into place under path or path-N.ext,
 * else under the fallback name in the current directory. */
int
export_commit(struct export_file *f, char **final_path, char **cause)
{
	char *name = NULL;
	int err;

	*final_path = NULL;
	errno = 0;
	if (fflush(f->fp) != 0 || ferror(f->fp)) {
		err = errno != 0 ? errno : EIO;
		goto fail;
	}
	if (fsync(f->fd) != 0 && errno != EINVAL) {
		err = errno;
		goto fail;
	}

	err = export_place(f, f->path, &name);
	if (name == NULL && f->fallback != NULL &&
	    strcmp(f->fallback, f->path) != 0)
		(void)export_place_fallback(f, &name);
	if (name == NULL)
		goto fail;
	export_abort(f);
	*final_path = name;
	return 0;

fail:
	*cause = xasprintf(_("cannot write %s: %s"), ECHO(f->path),
	    strerror(err));
	export_abort(f);
	return -1;
}

/* Where path's directory takes no name at commit, use name in the
 * current directory. */
void
export_fallback(struct export_file *f, const char *name)
{
	free(f->fallback);
	f->fallback = xstrdup(name);
}

/* Drop the temporary file. */
void
export_abort(struct export_file *f)
{
	if (f == NULL)
		return;
	fclose(f->fp);
	if (f->tmp != NULL)
		unlink(f->tmp);
	free(f->tmp);
	free(f->path);
	free(f->fallback);
	free(f);
}

/* rrstat-top-PID-YYYYmmdd-HHMMSS.EXT in local time. */
char *
export_default_name(pid_t pid, time_t t, enum export_format f)
{
	char tbuf[32];

	export_time(tbuf, sizeof tbuf, t, EXPORT_TIME_NAME);
	return xasprintf("rrstat-top-%ld-%s.%s", (long)pid, tbuf,
	    export_format_ext(f));
}
