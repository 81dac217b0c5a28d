/*
 * The command line: getopt_long over one table, a parser for each kind of
 * value, and the checks between options. Every failure is a usage error,
 * returned as a message; main.c prints it and exits with status 2.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "agg.h"
#include "echo.h"
#include "debuginfod.h"
#include "i18n.h"
#include "options.h"
#include "sample.h"
#include "xmalloc.h"

/* The --help text (made once). */
const char *
options_usage(void)
{
	static char *text;

	if (text != NULL)
		return text;
	text = xasprintf(_("Usage: rrstat-top [OPTIONS] -p PID[,PID...]\n"
	    "       rrstat-top [OPTIONS] -- COMMAND [ARG...]\n"
	    "       rrstat-top [OPTIONS] --demo\n"
	    "       rrstat-top [-p PID] [--sampler KIND] --list-events\n"
	    "\n"
	    "Show, refresh by refresh, which functions of which binaries of the\n"
	    "target burn CPU, fault pages, switch context or wait (-e wait-time):\n"
	    "on a live top-style screen (press h there for the keys), or as text\n"
	    "with -b.\n"
	    "\n"
	    "Target:\n"
	    "  -p, --pid PID[,PID...]    every thread of each process, and threads created\n"
	    "                            later\n"
	    "      --demo                profile the bundled demo workload\n"
	    "  -- COMMAND [ARG...]       start COMMAND and profile it from its first\n"
	    "                            instruction\n"
	    "\n"
	    "Sampling:\n"
	    "  -e, --event NAME[,NAME...]\n"
	    "                            events to sample; the first is shown (default\n"
	    "                            cpu-clock)\n"
	    "  -F, --freq HZ             samples per second per thread (default 1000); the\n"
	    "                            perf sampler lowers it, with a notice, to\n"
	    "                            kernel.perf_event_max_sample_rate where above\n"
	    "  -c, --count N             one sample every N occurrences (instead of -F)\n"
	    "      --sampler KIND        perf, ptrace, or auto: perf, else ptrace where the\n"
	    "                            kernel refuses perf events (default auto)\n"
	    "  -g, --call-graph [MODE]   call stacks with each sample: fp (frame pointers),\n"
	    "                            dwarf (user stacks unwound with .eh_frame) or none;\n"
	    "                            -g alone (or auto) chooses (default none)\n"
	    "      --max-stack N         deepest stack kept, in frames (default 127)\n"
	    "      --stack-size BYTES    user stack copied per sample, dwarf (default 8192)\n"
	    "      --no-kernel           leave kernel samples out\n"
	    "      --list-events         list the events and whether this machine supports\n"
	    "                            them\n"
	    "\n"
	    "Display and output:\n"
	    "  -d, --delay SECS          refresh interval, decimals allowed (default 1.0)\n"
	    "  -n, --iterations N        exit after N refreshes\n"
	    "      --duration SECS       exit after SECS\n"
	    "  -b, --batch               no screen: print the table to stdout every refresh\n"
	    "  -o, --output FILE         write the final snapshot to FILE on exit (never over\n"
	    "                            a file: FILE-1...; not a directory or a device)\n"
	    "      --format FMT[,FMT...]\n"
	    "                            text, csv, json, folded or pprof (gzip\n"
	    "                            profile.proto); several: one file each of the\n"
	    "                            same counts, the first -o FILE, the others beside\n"
	    "                            it with their own extension (default: what FILE's\n"
	    "                            extension names, .txt .csv .json .folded .pb.gz;\n"
	    "                            else text)\n"
	    "  -s, --sort KEY            self, total, samples, function or binary (default\n"
	    "                            self)\n"
	    "      --window SECS         rolling window; 0 = cumulative since start (default\n"
	    "                            0; at most 3,600 refreshes: longer is cut, with a\n"
	    "                            notice)\n"
	    "      --columns             one share column per event, IPC and cache misses per\n"
	    "                            1,000 instructions with PMU events (key m)\n"
	    "      --baseline FILE       diff against a json snapshot written earlier (key\n"
	    "                            D; -b and -o write the diff: base_pct, now_pct,\n"
	    "                            delta_pp)\n"
	    "      --debug-dir DIR       also look for separate debug info under DIR\n"
	    "      --no-debuginfod       %s\n"
	    "      --source-dir DIR      also look for source files under DIR\n"
	    "      --no-color            no colours (also where NO_COLOR is set)\n"
	    "      --no-config           ignore the settings file\n"
	    "                            ($XDG_CONFIG_HOME/rrstat-top/rrstat-toprc)\n"
	    "  -h, --help                this help\n"
	    "  -V, --version             the version\n"
	    "\n"
	    "Exit status: 0 done, 1 runtime failure, 2 usage error.\n"),
	    dbgd_built_in() ?
	    _("do not fetch missing debug info from the servers\n"
	    "                            that $DEBUGINFOD_URLS names") :
	    _("(not built in: accepted, does nothing)"));
	return text;
}

/* --format: a comma-separated list of formats, each once. */
static int
options_formats(struct options *o, const char *arg, char **cause)
{
	const char *p = arg, *comma;
	char name[16];
	size_t len, i;
	int v;

	o->nformats = 0;
	for (;;) {
		comma = strchr(p, ',');
		len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		v = -1;
		if (len < sizeof name) {
			memcpy(name, p, len);
			name[len] = '\0';
			v = export_format_parse(name);
		}
		if (v < 0) {
			char *item = xstrndup(p, len);

			*cause = xasprintf(_("unknown format '%s' (text, csv, json, folded or pprof)"),
			    ECHO(item));
			free(item);
			return -1;
		}
		for (i = 0; i < o->nformats; i++) {
			if (o->formats[i] == (enum export_format)v) {
				*cause = xasprintf(_("format '%s' is given twice"),
				    name);
				return -1;
			}
		}
		o->formats[o->nformats++] = (enum export_format)v;
		if (comma == NULL)
			return 0;
		p = comma + 1;
	}
}

/* Parse a whole positive number of at most max into *out. */
static int
options_count(const char *opt, const char *arg, unsigned long long max,
    unsigned long long *out, char **cause)
{
	unsigned long long v;
	char *end;

	errno = 0;
	if (arg[0] < '0' || arg[0] > '9')	/* no sign, no blank */
		goto bad;
	v = strtoull(arg, &end, 10);
	if (errno != 0 || *end != '\0' || v == 0 || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	*cause = xasprintf(_("%s needs a whole number from 1 to %llu, not '%s'"),
	    opt, max, ECHO(arg));
	return -1;
}

/* Parse seconds (decimals allowed) into *out; zero only where allow_zero. */
static int
options_secs(const char *opt, const char *arg, bool allow_zero, double *out,
    char **cause)
{
	double v;
	char *end;

	errno = 0;
	v = strtod(arg, &end);
	if (errno != 0 || end == arg || *end != '\0' || !isfinite(v) || v < 0 ||
	    v > 1e7 || (!allow_zero && v <= 0)) {
		*cause = xasprintf(allow_zero ?
		    _("%s needs a number of seconds, 0 or more, not '%s'") :
		    _("%s needs a number of seconds above 0, not '%s'"),
		    opt, ECHO(arg));
		return -1;
	}
	*out = v;
	return 0;
}

/* Parse "PID[,PID...]", adding to the pids of o. */
static int
options_pids(struct options *o, const char *arg, char **cause)
{
	char *copy = xstrdup(arg), *rest = copy, *tok;
	unsigned long long v;

	if (*arg == '\0') {
		*cause = xstrdup(_("-p needs a pid, not ''"));
		free(copy);
		return -1;
	}
	while ((tok = strsep(&rest, ",")) != NULL) {
		if (*tok == '\0') {
			*cause = xasprintf(_("-p needs pids separated by single commas, not '%s'"),
			    ECHO(arg));
			free(copy);
			return -1;
		}
		if (o->npids == OPTIONS_MAX_PIDS) {
			*cause = xasprintf(_("too many pids (at most %d)"),
			    OPTIONS_MAX_PIDS);
			free(copy);
			return -1;
		}
		if (options_count("-p", tok, INT_MAX, &v, cause) < 0) {
			free(copy);
			return -1;
		}
		o->pids[o->npids++] = (pid_t)v;
	}
	free(copy);
	return 0;
}

/* A --window of more refreshes than the window keeps is cut to what it
 * keeps at this -d, with a notice (after any other). */
static void
options_window_fit(struct options *o)
{
	double most = AGG_MAX_WINDOW * o->delay;
	size_t len = strlen(o->notice);

	if (o->window <= 0 || ceil(o->window / o->delay) <= AGG_MAX_WINDOW)
		return;
	snprintf(o->notice + len, sizeof o->notice - len,
	    _("%s--window %g s is more than %d refreshes of %g s: the window is %g s"),
	    len > 0 ? "; " : "", o->window, AGG_MAX_WINDOW, o->delay, most);
	o->window = most;
}

/* Parse -e's list into o; a notice where an event is named twice. */
static int
options_events(struct options *o, const char *arg, char **cause)
{
	char *notice = NULL;

	if (events_parse_list(arg, o->events, EVENT_COUNT, &o->nevents,
	    &notice, cause) < 0)
		return -1;
	o->notice[0] = '\0';
	if (notice != NULL)
		snprintf(o->notice, sizeof o->notice, "%s", notice);
	free(notice);
	return 0;
}

/* Take -o's file: a name, and not a directory or a device. */
static int
options_output(struct options *o, const char *arg, char **cause)
{
	if (arg[0] == '\0') {
		*cause = xstrdup(_("-o needs a file name"));
		return -1;
	}
	if (export_check_path(arg, cause) < 0)
		return -1;
	o->output = arg;
	return 0;
}

/* The call-graph modes by name. */
static const struct {
	const char *name;
	enum sampler_callgraph mode;
} options_cg_modes[] = {
	{ "none", SAMPLER_CG_NONE },
	{ "fp", SAMPLER_CG_FP },
	{ "dwarf", SAMPLER_CG_DWARF },
	{ "auto", SAMPLER_CG_AUTO },
};

/* A call-graph mode's name -> enum sampler_callgraph, or -1. */
static int
options_cg_mode(const char *arg)
{
	for (size_t i = 0; i < sizeof options_cg_modes /
	    sizeof options_cg_modes[0]; i++)
		if (strcmp(arg, options_cg_modes[i].name) == 0)
			return (int)options_cg_modes[i].mode;
	return -1;
}

/* A call-graph mode's name, as -g takes it. */
const char *
options_cg_name(enum sampler_callgraph mode)
{
	for (size_t i = 0; i < sizeof options_cg_modes /
	    sizeof options_cg_modes[0]; i++)
		if (options_cg_modes[i].mode == mode)
			return options_cg_modes[i].name;
	return "none";
}

/* Parse -g's mode: attached (-gfp, --call-graph=fp), else the next word
 * of argv where it is exactly a mode's name (-g fp), else auto (-g). */
static int
options_call_graph(struct options *o, const char *arg, int argc, char **argv,
    char **cause)
{
	int v;

	if (arg == NULL) {
		o->call_graph = SAMPLER_CG_AUTO;
		if (optind < argc && (v = options_cg_mode(argv[optind])) >= 0) {
			o->call_graph = (enum sampler_callgraph)v;
			optind++;
		}
		return 0;
	}
	if ((v = options_cg_mode(arg)) < 0) {
		*cause = xasprintf(_("unknown call-graph mode '%s' (none, fp, dwarf or auto)"),
		    ECHO(arg));
		return -1;
	}
	o->call_graph = (enum sampler_callgraph)v;
	return 0;
}

/* Parse --stack-size: 1..RS_STACK_MAX_BYTES, rounded up to a multiple of
 * 8 (as perf does). */
static int
options_stack_size(struct options *o, const char *arg, char **cause)
{
	unsigned long long n;

	if (options_count("--stack-size", arg, RS_STACK_MAX_BYTES, &n,
	    cause) < 0)
		return -1;
	o->stack_size = (unsigned)((n + 7) & ~7ull);
	return 0;
}

/* Copy the call-graph options into the sampler's. */
void
options_callgraph(const struct options *o, struct sampler_opts *so)
{
	so->callgraph = o->call_graph;
	so->max_stack = o->max_stack;
	so->stack_size = o->stack_size;
}

/* Add a --debug-dir (debug) or a --source-dir, if it can be read. */
static int
options_dir(struct options *o, bool debug, const char *arg, char **cause)
{
	if (access(arg, R_OK | X_OK) < 0) {
		*cause = xasprintf(_("cannot read directory '%s': %s"), ECHO(arg),
		    strerror(errno));
		return -1;
	}
	if (debug) {
		if (o->ndebug_dirs == OPTIONS_MAX_DIRS) {
			*cause = xasprintf(_("too many --debug-dir options (at most %zu)"),
			    (size_t)OPTIONS_MAX_DIRS);
			return -1;
		}
		o->debug_dirs[o->ndebug_dirs++] = arg;
	} else {
		if (o->nsource_dirs == OPTIONS_MAX_DIRS) {
			*cause = xasprintf(_("too many --source-dir options (at most %zu)"),
			    (size_t)OPTIONS_MAX_DIRS);
			return -1;
		}
		o->source_dirs[o->nsource_dirs++] = arg;
	}
	return 0;
}

enum {
	OPT_DURATION = 256,
	OPT_FORMAT,
	OPT_WINDOW,
	OPT_SAMPLER,
	OPT_DEBUG_DIR,
	OPT_SOURCE_DIR,
	OPT_NO_KERNEL,
	OPT_NO_DEBUGINFOD,
	OPT_NO_COLOR,
	OPT_DEMO,
	OPT_LIST_EVENTS,
	OPT_MAX_STACK,
	OPT_STACK_SIZE,
	OPT_NO_CONFIG,
	OPT_BASELINE,
	OPT_COLUMNS,
};

static const struct option options_long[] = {
	{ "pid", required_argument, NULL, 'p' },
	{ "event", required_argument, NULL, 'e' },
	{ "freq", required_argument, NULL, 'F' },
	{ "count", required_argument, NULL, 'c' },
	{ "delay", required_argument, NULL, 'd' },
	{ "iterations", required_argument, NULL, 'n' },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "batch", no_argument, NULL, 'b' },
	{ "output", required_argument, NULL, 'o' },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "sort", required_argument, NULL, 's' },
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ "sampler", required_argument, NULL, OPT_SAMPLER },
	{ "call-graph", optional_argument, NULL, 'g' },
	{ "max-stack", required_argument, NULL, OPT_MAX_STACK },
	{ "stack-size", required_argument, NULL, OPT_STACK_SIZE },
	{ "debug-dir", required_argument, NULL, OPT_DEBUG_DIR },
	{ "source-dir", required_argument, NULL, OPT_SOURCE_DIR },
	{ "no-kernel", no_argument, NULL, OPT_NO_KERNEL },
	{ "no-debuginfod", no_argument, NULL, OPT_NO_DEBUGINFOD },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "no-config", no_argument, NULL, OPT_NO_CONFIG },
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "columns", no_argument, NULL, OPT_COLUMNS },
	{ "demo", no_argument, NULL, OPT_DEMO },
	{ "list-events", no_argument, NULL, OPT_LIST_EVENTS },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* Apply option c (its value in arg) to o: 0, -1 with *cause set, or 1
 * when c is none of the table's. */
static int
options_one(struct options *o, int c, const char *arg, int argc, char **argv,
    bool *freq_set, char **cause)
{
	unsigned long long n;
	int v;

	switch (c) {
	case 'p':
		return options_pids(o, arg, cause);
	case 'e':
		return options_events(o, arg, cause);
	case 'F':
		if (options_count("-F", arg, 1000000, &n, cause) < 0)
			return -1;
		o->rate.freq = n;
		*freq_set = true;
		return 0;
	case 'c':
		/* The kernel takes periods below 2^63. */
		if (options_count("-c", arg, INT64_MAX, &n, cause) < 0)
			return -1;
		o->rate.period = n;
		return 0;
	case 'd':
		if (options_secs("-d", arg, false, &o->delay, cause) < 0)
			return -1;
		if (o->delay < 0.01) {
			*cause = xasprintf(_("-d must be at least 0.01 seconds, not '%s'"),
			    ECHO(arg));
			return -1;
		}
		return 0;
	case 'n':
		if (options_count("-n", arg, ULONG_MAX, &n, cause) < 0)
			return -1;
		o->iterations = (unsigned long)n;
		return 0;
	case OPT_DURATION:
		return options_secs("--duration", arg, false, &o->duration,
		    cause);
	case 'b':
		o->batch = true;
		return 0;
	case 'o':
		return options_output(o, arg, cause);
	case OPT_FORMAT:
		return options_formats(o, arg, cause);
	case 's':
		if ((v = view_sort_parse(arg)) < 0) {
			*cause = xasprintf(_("unknown sort key '%s' (self, total, samples, function or binary)"),
			    ECHO(arg));
			return -1;
		}
		o->sort = (enum view_sort)v;
		return 0;
	case OPT_WINDOW:
		return options_secs("--window", arg, true, &o->window, cause);
	case OPT_SAMPLER:
		if ((v = sampler_kind_parse(arg)) < 0) {
			*cause = xasprintf(_("unknown sampler '%s' (auto, perf or ptrace)"),
			    ECHO(arg));
			return -1;
		}
		o->sampler = (enum sampler_kind)v;
		return 0;
	case 'g':
		return options_call_graph(o, arg, argc, argv, cause);
	case OPT_MAX_STACK:
		if (options_count("--max-stack", arg, RS_STACK_MAX_ENTRIES, &n,
		    cause) < 0)
			return -1;
		o->max_stack = (unsigned)n;
		return 0;
	case OPT_STACK_SIZE:
		return options_stack_size(o, arg, cause);
	case OPT_DEBUG_DIR:
	case OPT_SOURCE_DIR:
		return options_dir(o, c == OPT_DEBUG_DIR, arg, cause);
	case OPT_NO_KERNEL:
		o->no_kernel = true;
		return 0;
	case OPT_NO_DEBUGINFOD:
		o->no_debuginfod = true;
		return 0;
	case OPT_NO_COLOR:
		o->no_color = true;
		return 0;
	case OPT_NO_CONFIG:
		o->no_config = true;
		return 0;
	case OPT_COLUMNS:
		o->columns = true;
		return 0;
	case OPT_BASELINE:
		if (arg[0] == '\0') {
			*cause = xstrdup(_("--baseline needs a file name"));
			return -1;
		}
		o->baseline = arg;
		return 0;
	case OPT_DEMO:
		o->demo = true;
		return 0;
	case OPT_LIST_EVENTS:
		o->list_events = true;
		return 0;
	}
	return 1;
}

/* The settings file's keys: the option each stands for (options_one's
 * code; 0 for a yes/no of the screen's own), and a second option that
 * gives the same setting on the command line. */
static const struct options_key {
	const char *key;
	int code;
	int also;
} options_keys[] = {
	{ "event", 'e', 0 },
	{ "freq", 'F', 'c' },
	{ "delay", 'd', 0 },
	{ "sort", 's', 0 },
	{ "reverse", 0, 's' },	/* the order of the file's own sort key */
	{ "window", OPT_WINDOW, 0 },
	{ "group", 0, 0 },
	{ "color", 0, OPT_NO_COLOR },
	{ "columns", 0, OPT_COLUMNS },
	{ "call-graph", 'g', 0 },
	{ "sampler", OPT_SAMPLER, 0 },
	{ "max-stack", OPT_MAX_STACK, 0 },
	{ "stack-size", OPT_STACK_SIZE, 0 },
};
#define OPTIONS_NKEYS	(sizeof options_keys / sizeof options_keys[0])

/* The bits of o->given that option c sets. */
static unsigned long
options_given_bit(int c)
{
	unsigned long bits = 0;
	size_t i;

	for (i = 0; i < OPTIONS_NKEYS; i++) {
		if (c != 0 && (options_keys[i].code == c ||
		    options_keys[i].also == c))
			bits |= 1UL << i;
	}
	return bits;
}

/* Parse a yes/no value: 1, 0, or -1. */
static int
options_yesno(const char *v)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
		if (strcasecmp(v, no[i]) == 0)
			return 0;
	}
	return -1;
}

/* Apply one setting to o: 0, or -1 with *cause set (o unchanged). */
static int
options_setting(struct options *o, const struct options_key *k,
    const char *value, char **cause)
{
	struct options tmp = *o;
	bool freq_set = false;
	int yn;

	if (k->code != 0) {
		if (options_one(&tmp, k->code, value, 0, NULL, &freq_set,
		    cause) != 0)
			return -1;
		*o = tmp;
		return 0;
	}
	if ((yn = options_yesno(value)) < 0) {
		*cause = xasprintf(_("'%s' is not yes or no"), value);
		return -1;
	}
	if (strcmp(k->key, "reverse") == 0)
		o->reverse = yn;
	else if (strcmp(k->key, "group") == 0)
		o->group = yn;
	else if (strcmp(k->key, "columns") == 0)
		o->columns = yn;
	else
		o->no_color = !yn;
	return 0;
}

/* Add one warning line to the list. */
static void
options_warn(char ***warn, size_t *nwarn, char *line)
{
	*warn = xreallocarray(*warn, *nwarn + 1, sizeof **warn);
	(*warn)[(*nwarn)++] = line;
}

/* Apply the settings file. */
void
options_settings(struct options *o, const struct rcfile *rc,
    const char *path, char ***warn, size_t *nwarn)
{
	const struct rcfile_entry *e;
	char *cause;
	size_t i, k;

	for (i = 0; i < rc->nbad; i++)
		options_warn(warn, nwarn, xasprintf(_("%s:%u: %s (ignored)"),
		    path, rc->bad[i].line, rc->bad[i].why));
	for (i = 0; i < rc->nentries; i++) {
		e = &rc->entries[i];
		for (k = 0; k < OPTIONS_NKEYS; k++) {
			if (strcmp(options_keys[k].key, e->key) == 0)
				break;
		}
		if (k == OPTIONS_NKEYS) {
			options_warn(warn, nwarn, xasprintf(_("%s:%u: unknown "
			    "setting '%.64s' (ignored)"), path, e->line,
			    e->key));
			continue;
		}
		if (o->given & (1UL << k))
			continue;
		cause = NULL;
		if (options_setting(o, &options_keys[k], e->value, &cause) < 0) {
			options_warn(warn, nwarn, xasprintf(_("%s:%u: %s: %s "
			    "(ignored)"), path, e->line, e->key, cause));
			free(cause);
		}
	}
}

/* Parse the command line into o. */
int
options_parse(struct options *o, int argc, char **argv, char **cause)
{
	bool freq_set = false;
	int c, rc;

	memset(o, 0, sizeof *o);
	o->events[0] = EVENT_CPU_CLOCK;
	o->nevents = 1;
	o->rate.freq = 1000;
	o->delay = 1.0;
	o->format = EXPORT_TEXT;
	o->sort = VIEW_SORT_SELF;
	o->call_graph = SAMPLER_CG_NONE;
	o->max_stack = SAMPLER_MAX_STACK;
	o->stack_size = SAMPLER_STACK_SIZE;

	opterr = 0;
	optind = 0;	/* from argv[1], afresh (a test parses many lines) */
	while ((c = getopt_long(argc, argv, "+:p:e:F:c:d:n:bo:s:g::hV",
	    options_long, NULL)) != -1) {
		switch (c) {
		case 'h':
			return OPTIONS_HELP;
		case 'V':
			return OPTIONS_VERSION;
		case ':':
			*cause = xasprintf(_("option '%s' needs a value (see --help)"),
			    ECHO(argv[optind - 1]));
			return -1;
		default:
			rc = options_one(o, c, optarg, argc, argv, &freq_set, cause);
			if (rc < 0)
				return -1;
			o->given |= options_given_bit(c);
			if (rc > 0) {
				*cause = xasprintf(_("unknown option '%s' (see --help)"),
				    ECHO(argv[optind - 1]));
				return -1;
			}
			break;
		}
	}
	if (freq_set && o->rate.period != 0) {
		*cause = xstrdup(_("-F and -c exclude each other: give one"));
		return -1;
	}
	if (o->rate.period != 0)
		o->rate.freq = 0;
	options_window_fit(o);
	if (o->nformats == 0) {
		int f = o->output != NULL ? export_format_of_path(o->output) : -1;

		o->formats[o->nformats++] = f >= 0 ? (enum export_format)f :
		    EXPORT_TEXT;
	}
	o->format = o->formats[0];
	if (optind < argc)
		o->command = &argv[optind];
	if (o->list_events)
		return OPTIONS_RUN;
	if ((o->npids > 0) + (o->command != NULL) + o->demo != 1) {
		*cause = xstrdup(o->npids || o->command || o->demo ?
		    _("give one target: -p PID, --demo or -- COMMAND") :
		    _("no target: give -p PID, --demo or -- COMMAND (see --help)"));
		return -1;
	}
	return OPTIONS_RUN;
}
