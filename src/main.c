/* rrstat-top: wiring, signals, the batch loop and exit codes. */
#include "config.h"

#include <limits.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agg.h"
#include "binary.h"
#include "events.h"
#include "export.h"
#include "i18n.h"
#include "options.h"
#include "ring.h"
#include "sampler.h"
#include "session.h"
#include "symtab.h"
#include "target.h"
#include "ui.h"
#include "unwind.h"
#include "view.h"
#include "xmalloc.h"

#define EXIT_RUNTIME	1
#define EXIT_USAGE	2
#define RING_CAPACITY	(1u << 16)
#define MAIN_DRAIN_SECS	0.1	/* between ticks, with call stacks */
#define MAIN_RING_SAMPLES 512	/* samples the ring holds at their largest: 0.1 s
				 * of five busy threads at 1 kHz between drains */
#define MAIN_RING_MAX	(1u << 20)	/* slots at most (40 MB) */
#define DEFAULT_WINDOW	10.0	/* seconds, for the rolling view when --window is 0 */

static volatile sig_atomic_t main_quit;

/* Print one line on stderr and exit with status. */
static void __attribute__((noreturn, format(printf, 2, 3)))
main_die(int status, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("rrstat-top: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

/* Print a message that came back from the core and exit. */
static void __attribute__((noreturn))
main_die_cause(int status, char *cause)
{
	main_die(status, "%s", cause != NULL ? cause : _("unknown error"));
}

/* --list-events: each event and whether it can be sampled here. */
static int
main_list_events(const struct options *o)
{
	pid_t pid = o->npids > 0 ? o->pids[0] : 0;

	for (unsigned i = 0; i < EVENT_COUNT; i++) {
		char *reason = NULL;

		const char *via = NULL;

		if (sampler_kind_probe(o->sampler, i, pid, &o->rate, &via, &reason) == 0 &&
		    via != NULL)
			printf("%-18s %s (%s)\n", events_table[i].name, _("supported"), via);
		else if (reason == NULL)
			printf("%-18s %s\n", events_table[i].name, _("supported"));
		else
			printf("%-18s %s (%s)\n", events_table[i].name, _("unsupported"),
			    reason);
		free(reason);
	}
	return fflush(stdout) == 0 ? 0 : EXIT_RUNTIME;
}

/* The demo workload: beside this binary (build tree), else installed. */
static char *
main_demo_path(void)
{
	char self[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);

	if (len > 0) {
		char *slash, *p;

		self[len] = '\0';
		slash = strrchr(self, '/');
		if (slash != NULL) {
			*slash = '\0';
			p = xasprintf("%s/rrstat-demo", self);
			if (access(p, X_OK) == 0)
				return p;
			free(p);
		}
	}
	return xstrdup(PKGLIBEXECDIR "/rrstat-demo");
}

/* Signal handler: ask the loop to end. */
static void
main_on_signal(int sig)
{
	main_quit = sig;
}

/* Install the handlers that end the loop cleanly. */
static void
main_signals(void)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = main_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* SIGCHLD stays blocked in every thread: the ptrace sampler takes its
	 * tracees' stops through a signalfd (a spawned target unblocks it). */
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

/* Seconds on the monotonic clock. */
static double
main_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sleep until the monotonic time t, or a signal. */
static void
main_sleep_until(double t)
{
	struct timespec ts;

	ts.tv_sec = (time_t)t;
	ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
	if (ts.tv_nsec >= 1000000000L)
		ts.tv_nsec = 999999999L;
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

/* Everything one run holds. */
struct run {
	struct options *o;
	struct target target;
	struct ring *ring;
	struct sampler *sampler;
	struct session session;
	unsigned shown[EVENT_COUNT];	/* effective events, in the order shown */
	size_t nshown;
	const char *notices[EVENT_COUNT + 2];	/* for the screen's header */
	size_t nnotices;
	bool exited;
	struct view_opts final;	/* the screen's view at quit, for -o */
	bool have_final;
	char *callgraph;	/* the header's "call graph:" text until the session has it */
};

/* The view options for one shown event. */
static void
main_view_opts(const struct run *r, unsigned ev, struct view_opts *vo)
{
	memset(vo, 0, sizeof *vo);
	vo->event = ev;
	vo->sort = r->o->sort;
	vo->window = r->o->window > 0;
}

/* Batch mode: print one block per shown event. Returns -1 on a write error. */
static int
main_print(struct run *r)
{
	struct session_meta meta;
	char *cause = NULL;
	int rc = 0;

	session_meta(&r->session, r->o->window > 0, r->o->window, &meta);
	for (size_t i = 0; i < r->nshown && rc == 0; i++) {
		struct view_opts vo;

		main_view_opts(r, r->shown[i], &vo);
		if (export_write(stdout, EXPORT_TEXT, r->session.agg, &vo, &meta.m, &cause) < 0) {
			free(cause);
			rc = -1;
		} else if (fputc('\n', stdout) == EOF) {
			rc = -1;
		}
	}
	if (fflush(stdout) != 0)
		rc = -1;
	session_meta_free(&meta);
	return rc;
}

/* Write the -o snapshot and say where it went. */
static int
main_snapshot(struct run *r, const char *path, char **cause)
{
	struct view_opts vo;
	char *final = NULL;

	main_view_opts(r, r->shown[0], &vo);
	if (r->have_final)
		vo = r->final;	/* what the screen showed last */
	if (session_snapshot(&r->session, path, r->o->format, &vo,
	    r->o->window > 0 ? r->o->window : DEFAULT_WINDOW,
	    &final, cause) < 0)
		return -1;
	fprintf(stderr, _("rrstat-top: snapshot written to %s\n"), final);
	free(final);
	return 0;
}

/* Check early that -o can be written, so a long session does not end in
 * an unwritable path. */
static void
main_check_output(const char *path)
{
	struct export_file *f;
	char *cause = NULL;

	if (export_open(&f, path, &cause) < 0)
		main_die_cause(EXIT_RUNTIME, cause);
	export_abort(f);
}

/*
 * What -g alone takes: fp where the target's program keeps frame pointers
 * in most of its functions, else dwarf; *why (allocated) says which and
 * why, for the header and the snapshots.
 */
static enum sampler_callgraph
main_choose_callgraph(const struct target *t, char **why)
{
	char *exe = target_exe(t);
	const char *name;
	int share = exe != NULL ? unwind_fp_share(exe) : -1;

	name = t->n > 0 && !t->spawned && t->procs[0].comm[0] != '\0' ?
	    t->procs[0].comm : exe != NULL && strrchr(exe, '/') != NULL ?
	    strrchr(exe, '/') + 1 : _("the program");
	if (share >= UNWIND_FP_ENOUGH) {
		*why = xasprintf(_("fp (chosen: %s keeps frame pointers)"), name);
		free(exe);
		return SAMPLER_CG_FP;
	}
	if (share < 0)
		*why = xasprintf(_("dwarf (chosen: the functions of %s cannot be read)"), name);
	else
		*why = xasprintf(_("dwarf (chosen: %s lacks frame pointers)"), name);
	free(exe);
	return SAMPLER_CG_DWARF;
}

/* Ring slots for about MAIN_RING_SAMPLES samples of the size o's samples
 * take, a power of two, at least RING_CAPACITY. */
static size_t
main_ring_capacity(const struct sampler_opts *o)
{
	size_t want = sampler_slots_per_sample(o) * MAIN_RING_SAMPLES, cap = RING_CAPACITY;

	while (cap < want && cap < MAIN_RING_MAX)
		cap *= 2;
	return cap;
}

/* Set up target, sampler and session. */
static void
main_setup(struct run *r)
{
	struct options *o = r->o;
	struct sampler_opts so;
	const struct sampler_event *se;
	char *cause = NULL;
	size_t n;

	target_init(&r->target);
	if (o->npids > 0) {
		if (target_attach(&r->target, o->pids, o->npids, &cause) < 0)
			main_die_cause(EXIT_RUNTIME, cause);
	} else {
		char *demo_argv[2] = { NULL, NULL };
		char **argv = o->command;

		if (o->demo) {
			demo_argv[0] = main_demo_path();
			argv = demo_argv;
		}
		if (target_spawn(&r->target, argv, &cause) < 0)
			main_die_cause(EXIT_RUNTIME, cause);
		free(demo_argv[0]);
	}

	memset(&so, 0, sizeof so);
	memcpy(so.events, o->events, sizeof so.events);
	so.nevents = o->nevents;
	so.rate = o->rate;
	so.no_kernel = o->no_kernel;
	so.kind = o->sampler;
	options_callgraph(o, &so);
	if (so.callgraph == SAMPLER_CG_AUTO)
		so.callgraph = main_choose_callgraph(&r->target, &r->callgraph);
	else if (so.callgraph != SAMPLER_CG_NONE)
		r->callgraph = xstrdup(so.callgraph == SAMPLER_CG_FP ? "fp" : "dwarf");
	r->ring = ring_new(main_ring_capacity(&so));
	if (r->ring == NULL)
		main_die(EXIT_RUNTIME, _("cannot allocate the sample ring"));
	if (sampler_open(&r->sampler, &r->target, r->ring, &so, &cause) < 0) {
		target_end(&r->target);
		main_die_cause(EXIT_RUNTIME, cause);
	}
	if (sampler_notice(r->sampler) != NULL) {
		if (o->batch)
			fprintf(stderr, "rrstat-top: %s\n", sampler_notice(r->sampler));
		else
			r->notices[r->nnotices++] = sampler_notice(r->sampler);
	}
	se = sampler_events(r->sampler, &n);
	for (size_t i = 0; i < n; i++) {
		size_t j;

		if (se[i].notice != NULL && o->batch)
			fprintf(stderr, "rrstat-top: %s\n", se[i].notice);
		else if (se[i].notice != NULL)
			r->notices[r->nnotices++] = se[i].notice;
		for (j = 0; j < r->nshown; j++)
			if (r->shown[j] == se[i].effective)
				break;
		if (j == r->nshown)
			r->shown[r->nshown++] = se[i].effective;
	}
	if (!o->no_kernel && !sampler_kernel(r->sampler) &&
	    strcmp(sampler_name(r->sampler), "perf") == 0) {
		const char *kernel_notice = _("kernel samples are not allowed here (perf_event_paranoid): showing user space only");
		if (o->batch)
			fprintf(stderr, "rrstat-top: %s\n", kernel_notice);
		else
			r->notices[r->nnotices++] = kernel_notice;
	}

	session_init(&r->session, &r->target, r->ring, r->sampler,
	    (unsigned)ceil((o->window > 0 ? o->window : DEFAULT_WINDOW) / o->delay));
	for (size_t i = 0; i < o->ndebug_dirs; i++) {
		binary_cache_add_debug_dir(r->session.bins, o->debug_dirs[i]);
	}
	if (so.callgraph != SAMPLER_CG_NONE) {
		session_keep_stacks(&r->session, so.callgraph == SAMPLER_CG_FP ?
		    RESOLVE_WALK_FP : RESOLVE_WALK_CFI, so.max_stack);
		r->session.callgraph = r->callgraph;
		r->callgraph = NULL;
	}
	if (sampler_start(r->sampler, &cause) < 0) {
		target_end(&r->target);
		main_die_cause(EXIT_RUNTIME, cause);
	}
	if (target_go(&r->target, &cause) < 0) {
		sampler_free(r->sampler);
		main_die_cause(EXIT_RUNTIME, cause);
	}
}

/* The refresh loop of batch mode. */
static void
main_loop(struct run *r)
{
	struct options *o = r->o;
	double start = main_now(), next = start + o->delay;
	double end = o->duration > 0 ? start + o->duration : 0;
	/* With stacks, records are big: the ring is drained between ticks. */
	double every = r->session.stk.on && o->delay > MAIN_DRAIN_SECS ?
	    MAIN_DRAIN_SECS : 0, drain = start + every;
	unsigned long iter = 0;

	while (!main_quit) {
		double wake = end > 0 && end < next ? end : next;

		if (every > 0 && drain < wake)
			wake = drain;
		main_sleep_until(wake);
		if (main_quit)
			break;
		if (!target_poll(&r->target)) {
			r->exited = true;
			break;
		}
		if (end > 0 && main_now() >= end)
			break;
		if (main_now() < next) {
			if (every > 0 && main_now() >= drain) {
				session_drain(&r->session);
				drain = main_now() + every;
			}
			continue;
		}
		next += o->delay;
		if (next < main_now())
			next = main_now() + o->delay;
		session_tick(&r->session);
		drain = main_now() + every;
		if (o->batch && main_print(r) < 0)
			break;
		if (o->iterations > 0 && ++iter >= o->iterations)
			break;
	}
}

/* Run a profiling session; returns the exit status. */
static int
main_run(struct options *o)
{
	struct run r;
	char *cause = NULL, *desc;
	int status = 0;
	uint64_t total = 0;

	memset(&r, 0, sizeof r);
	r.o = o;
	if (!o->batch && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)))
		main_die(EXIT_USAGE, _("the interactive screen needs a terminal: use -b for batch mode"));
	if (o->output != NULL)
		main_check_output(o->output);
	main_signals();
	main_setup(&r);
	if (o->batch) {
		main_loop(&r);
	} else {
		struct ui_params up;

		memset(&up, 0, sizeof up);
		up.session = &r.session;
		up.delay = o->delay;
		up.rate = o->rate;
		up.source_dirs = o->source_dirs;
		up.nsource_dirs = o->nsource_dirs;
		up.final = &r.final;
		up.iterations = o->iterations;
		up.duration = o->duration;
		up.sort = o->sort;
		up.window_secs = o->window;
		up.default_window = DEFAULT_WINDOW;
		up.output = o->output;
		up.format = o->format;
		up.no_color = o->no_color || getenv("NO_COLOR") != NULL;
		up.shown = r.shown;
		up.nshown = r.nshown;
		up.notices = r.notices;
		up.nnotices = r.nnotices;
		up.quit = &main_quit;
		if (ui_run(&up, &cause) < 0) {
			sampler_stop(r.sampler);
			target_end(&r.target);
			main_die_cause(EXIT_RUNTIME, cause);
		}
		r.have_final = true;
	}

	sampler_stop(r.sampler);
	session_tick(&r.session);
	if (!r.exited && !target_poll(&r.target))
		r.exited = true;
	desc = target_describe(&r.target);
	if (r.exited && o->batch) {
		fprintf(stderr, _("rrstat-top: %s exited\n"), desc);
		if (o->batch && main_print(&r) < 0)
			status = 0;
	}
	for (unsigned e = 0; e < EVENT_COUNT; e++)
		total += r.session.samples[e];
	if (total == 0 && r.exited) {
		fprintf(stderr, _("rrstat-top: %s exited before the first sample\n"), desc);
		status = EXIT_RUNTIME;
	}
	if (o->output != NULL && main_snapshot(&r, o->output, &cause) < 0) {
		fprintf(stderr, "rrstat-top: %s\n", cause);
		free(cause);
		status = EXIT_RUNTIME;
	}
	free(desc);
	target_end(&r.target);
	session_free(&r.session);
	sampler_free(r.sampler);
	ring_free(r.ring);
	target_free(&r.target);
	return status;
}

/* The locale: messages and glyphs from the environment, numbers in C
 * (options such as -d 0.5 and the csv and json snapshots use a decimal
 * point everywhere); the catalog from RRSTAT_TOP_LOCALEDIR if set (an
 * uninstalled build), ignored where the program runs with privileges. */
static void
main_locale(void)
{
	const char *dir = secure_getenv("RRSTAT_TOP_LOCALEDIR");

	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	bindtextdomain(PACKAGE, dir != NULL && *dir != '\0' ? dir : LOCALEDIR);
	textdomain(PACKAGE);
}

int
main(int argc, char **argv)
{
	struct options o;
	char *cause = NULL;

	main_locale();

	switch (options_parse(&o, argc, argv, &cause)) {
	case OPTIONS_RUN:
		break;
	case OPTIONS_HELP:
		fputs(options_usage(), stdout);
		return 0;
	case OPTIONS_VERSION:
		printf("rrstat-top %s\n", PACKAGE_VERSION);
		return 0;
	default:
		main_die_cause(EXIT_USAGE, cause);
	}
	if (o.list_events)
		return main_list_events(&o);
	return main_run(&o);
}
