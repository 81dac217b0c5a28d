/* rrstat-top: wiring, signals, the batch loop and exit codes. */
#include "config.h"

#include <limits.h>
#include <locale.h>
#include <malloc.h>
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
#include "baseline.h"
#include "binary.h"
#include "columns.h"
#include "events.h"
#include "export.h"
#include "i18n.h"
#include "options.h"
#include "rcfile.h"
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
#define MAIN_MMAP_THRESHOLD (128 * 1024)	/* bytes: blocks this big are mappings */

static volatile sig_atomic_t main_quit;

/* The fatal signals: a line on stderr, then the signal's own action. */
static const int main_fatal_sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
#define MAIN_NFATAL (sizeof main_fatal_sigs / sizeof main_fatal_sigs[0])
static struct sigaction main_fatal_old[MAIN_NFATAL];
static char *main_fatal_msg[MAIN_NFATAL];	/* made before any signal */

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

/* A fatal signal (the screen has given the terminal back first): say so
 * in one line, then let the signal take its course with the action it
 * had before (the default, or a sanitizer's). The kernel detaches a dead
 * tracer's tracees and closes its perf events: the target runs on. */
static void
main_on_fatal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	for (size_t i = 0; i < MAIN_NFATAL; i++) {
		if (main_fatal_sigs[i] != sig)
			continue;
		if (write(STDERR_FILENO, main_fatal_msg[i], strlen(main_fatal_msg[i])) < 0) {
			/* Nothing more to do about it. */
		}
		sigaction(sig, &main_fatal_old[i], NULL);
	}
	/* A fault comes back when the instruction runs again; a signal that
	 * was sent must be sent again. */
	if (si == NULL || si->si_code <= 0 || sig == SIGABRT)
		raise(sig);
}

/* The test hook RRSTAT_TOP_TEST_CRASH=segv: a crash after the first
 * refresh, with the target attached and the screen up. */
static void
main_test_crash(void)
{
	static unsigned ticks;

	if (++ticks == 1)
		raise(SIGSEGV);
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
	sa.sa_handler = NULL;
	sa.sa_sigaction = main_on_fatal;
	sa.sa_flags = SA_SIGINFO;
	for (size_t i = 0; i < MAIN_NFATAL; i++) {
		if (main_fatal_sigs[i] == SIGABRT)
			main_fatal_msg[i] = xstrdup(_("rrstat-top: aborted (SIGABRT); the target is left running and untraced\n"));
		else
			main_fatal_msg[i] = xasprintf(_("rrstat-top: crashed (SIG%s); the target is left running and untraced\n"),
			    sigabbrev_np(main_fatal_sigs[i]));
		sigaction(main_fatal_sigs[i], &sa, &main_fatal_old[i]);
	}
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
	const char *notices[EVENT_COUNT + 3];	/* for the screen's header */
	size_t nnotices;
	bool exited;
	struct view_opts final;	/* the screen's view at quit, for -o */
	struct baseline *baseline;	/* --baseline, or NULL */
	int derived[COLUMNS_NDERIVED];	/* enum columns_state, for --columns */
	char *rcfile;		/* the settings file's path, or NULL */
	char *rc_notice;	/* the header's note on its ignored lines */
	bool have_final;
	char *callgraph;	/* the header's "call graph:" text until the session has it */
	void (*after_tick)(void);	/* the test hook, or NULL */
};

/* The view options for one shown event. */
static void
main_view_opts(const struct run *r, unsigned ev, struct view_opts *vo)
{
	memset(vo, 0, sizeof *vo);
	vo->event = ev;
	vo->sort = r->o->sort;
	vo->reverse = r->o->reverse;
	vo->group = r->o->group;
	vo->window = r->o->window > 0;
}

/* The columns table's options: the events shown, in order. */
static void
main_columns_opts(const struct run *r, const struct view_opts *vo,
    struct columns_opts *co)
{
	memset(co, 0, sizeof *co);
	memcpy(co->events, r->shown, r->nshown * sizeof *r->shown);
	co->nevents = r->nshown;
	co->derived[COLUMNS_IPC] = (enum columns_state)r->derived[COLUMNS_IPC];
	co->derived[COLUMNS_CMPKI] = (enum columns_state)r->derived[COLUMNS_CMPKI];
	co->reverse = vo->reverse;
	co->window = vo->window;
	co->filter = vo->filter;
	co->zoom = vo->zoom;
	for (size_t i = 0; i < r->nshown; i++) {
		if (r->shown[i] == vo->event)
			co->sort = i;
	}
	if (vo->sort == VIEW_SORT_FUNCTION)
		co->sort = co->nevents;
	else if (vo->sort == VIEW_SORT_BINARY)
		co->sort = co->nevents + 1;
}

/* Write the columns table (text or csv) with the text header lines. */
static int
main_write_columns(struct run *r, FILE *fp, enum export_format fmt,
    const struct view_opts *vo, const struct export_meta *m)
{
	struct columns_opts co;
	struct columns c = { 0 };
	char when[64] = "";
	struct tm tm;

	main_columns_opts(r, vo, &co);
	columns_build(&c, r->session.agg, &co);
	if (fmt == EXPORT_CSV)
		columns_write_csv(fp, &c);
	else {
		if (localtime_r(&m->time, &tm) != NULL)
			strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S %z", &tm);
		fprintf(fp, "target: %s\nevents:", m->target);
		for (size_t i = 0; i < co.nevents; i++)
			fprintf(fp, "%s%s", i ? "," : " ",
			    events_table[co.events[i]].name);
		fprintf(fp, "\nsampler: %s\ncall graph: %s\nwindow: %s\n"
		    "time: %s\n", m->sampler, m->callgraph != NULL ?
		    m->callgraph : "none", m->window, when);
		for (size_t d = 0; d < COLUMNS_NDERIVED; d++) {
			if (co.derived[d] == COLUMNS_NO_PMU)
				fprintf(fp, "%s: %s\n", columns_derived_name(d),
				    _("no numbers: its hardware events fell back "
				    "to cpu-clock (no PMU)"));
		}
		fputc('\n', fp);
		columns_write_text(fp, &c);
	}
	columns_free(&c);
	return ferror(fp) ? -1 : 0;
}

/* Which derived columns the events asked for make, and whether the PMU
 * events behind them opened as themselves. */
static void
main_derived(struct run *r, const struct sampler_event *se, size_t n)
{
	static const unsigned need[COLUMNS_NDERIVED][2] = {
		{ EVENT_CPU_CYCLES, EVENT_INSTRUCTIONS },
		{ EVENT_CACHE_MISSES, EVENT_INSTRUCTIONS },
	};
	size_t d, k, i, found;
	bool fell;

	for (d = 0; d < COLUMNS_NDERIVED; d++) {
		found = 0;
		fell = false;
		for (k = 0; k < 2; k++) {
			for (i = 0; i < n; i++) {
				if (se[i].requested != need[d][k])
					continue;
				found++;
				fell |= se[i].effective != se[i].requested;
			}
		}
		r->derived[d] = found < 2 ? COLUMNS_ABSENT : fell ?
		    COLUMNS_NO_PMU : COLUMNS_OK;
	}
}

/* Batch mode: print one block per shown event. Returns -1 on a write error. */
static int
main_print(struct run *r)
{
	struct session_meta meta;
	char *cause = NULL;
	int rc = 0;

	session_meta(&r->session, r->o->window > 0, r->o->window, &meta);
	if (r->o->columns && r->baseline == NULL) {
		struct view_opts vo;

		main_view_opts(r, r->shown[0], &vo);
		rc = main_write_columns(r, stdout, EXPORT_TEXT, &vo, &meta.m);
		if (rc == 0 && fputc('\n', stdout) == EOF)
			rc = -1;
	}
	for (size_t i = 0; i < r->nshown && rc == 0 &&
	    !(r->o->columns && r->baseline == NULL); i++) {
		struct view_opts vo;

		main_view_opts(r, r->shown[i], &vo);
		if (r->baseline != NULL && !r->baseline->has[vo.event])
			continue;
		if (r->baseline != NULL ? baseline_write(stdout, EXPORT_TEXT,
		    r->baseline, r->session.agg, &vo, &meta.m, &cause) < 0 :
		    export_write(stdout, EXPORT_TEXT, r->session.agg, &vo, &meta.m, &cause) < 0) {
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

/* Write the diff against the baseline (or, columns, the columns table)
 * to path, safely. */
static int
main_other_snapshot(struct run *r, const char *path, const struct view_opts *vo,
    bool columns, char **final, char **cause)
{
	struct view_opts dvo = *vo;
	struct export_file *f;
	struct session_meta meta;
	int rc;

	/* Text shows one event: the one shown, else one the baseline has. */
	for (size_t i = 0; !columns && i < r->nshown &&
	    !r->baseline->has[dvo.event]; i++)
		dvo.event = r->shown[i];
	if (export_open(&f, path, cause) < 0)
		return -1;
	session_meta(&r->session, dvo.window, r->o->window > 0 ?
	    r->o->window : DEFAULT_WINDOW, &meta);
	if (columns) {
		rc = main_write_columns(r, export_stream(f), r->o->format,
		    &dvo, &meta.m);
		if (rc < 0)
			*cause = xasprintf(_("cannot write %s"), path);
	} else
		rc = baseline_write(export_stream(f), r->o->format, r->baseline,
		    r->session.agg, &dvo, &meta.m, cause);
	session_meta_free(&meta);
	if (rc < 0) {
		export_abort(f);
		return -1;
	}
	return export_commit(f, final, cause);
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
	if (r->baseline != NULL && r->o->nformats == 1 &&
	    (r->o->format == EXPORT_TEXT || r->o->format == EXPORT_CSV ||
	    r->o->format == EXPORT_JSON)) {
		if (main_other_snapshot(r, path, &vo, false, &final, cause) < 0)
			return -1;
	} else if (r->o->columns && r->o->nformats == 1 &&
	    (r->o->format == EXPORT_TEXT || r->o->format == EXPORT_CSV)) {
		if (main_other_snapshot(r, path, &vo, true, &final, cause) < 0)
			return -1;
	} else if (session_snapshot(&r->session, path, r->o->formats, r->o->nformats, &vo,
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
		if (target_attach(&r->target, o->pids, o->npids, &cause) < 0 ||
		    target_check(&r->target, &cause) < 0)
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
		main_die(EXIT_RUNTIME, _("out of memory: cannot allocate the sample ring (see ulimit -v)"));
	if (sampler_open(&r->sampler, &r->target, r->ring, &so, &cause) < 0) {
		target_end(&r->target);
		main_die_cause(EXIT_RUNTIME, cause);
	}
	if (o->notice[0] != '\0' && o->batch)
		fprintf(stderr, "rrstat-top: %s\n", o->notice);
	else if (o->notice[0] != '\0')
		r->notices[r->nnotices++] = o->notice;
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
	main_derived(r, se, n);
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
	if (!o->no_debuginfod)
		session_debuginfod(&r->session, !o->batch);
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

/* Batch mode: say on stderr what the debuginfod fetches have to say. */
static void
main_fetch_messages(struct run *r)
{
	char *msg;

	if (!r->o->batch)
		return;
	while ((msg = session_fetch_message(&r->session)) != NULL) {
		fprintf(stderr, "rrstat-top: %s\n", msg);
		free(msg);
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
		main_fetch_messages(r);
		drain = main_now() + every;
		if (o->batch && main_print(r) < 0)
			break;
		if (r->after_tick != NULL)
			r->after_tick();
		if (o->iterations > 0 && ++iter >= o->iterations)
			break;
	}
}

/*
 * Read the settings file into o under the command line, unless
 * --no-config; print a line for each setting ignored, and make the
 * header's note on them (*notice, NULL where none). Returns the file's
 * path for the S key (NULL where there is no home), caller frees.
 */
static char *
main_settings(struct options *o, char **notice)
{
	struct rcfile rc;
	char *path = rcfile_path(), *cause = NULL, **warn = NULL;
	size_t nwarn = 0, i;

	*notice = NULL;
	if (path == NULL || o->no_config)
		return path;
	if (rcfile_read(path, &rc, &cause) < 0) {
		fprintf(stderr, _("rrstat-top: settings file ignored: %s\n"),
		    cause);
		*notice = xasprintf(_("settings file ignored: %s"), cause);
		free(cause);
		return path;
	}
	options_settings(o, &rc, path, &warn, &nwarn);
	rcfile_free(&rc);
	for (i = 0; i < nwarn; i++) {
		fprintf(stderr, "rrstat-top: %s\n", warn[i]);
		free(warn[i]);
	}
	free(warn);
	if (nwarn > 0)
		*notice = xasprintf(ngettext("settings file: %zu line ignored "
		    "(%s)", "settings file: %zu lines ignored (%s)", nwarn),
		    nwarn, path);
	return path;
}

/* Load --baseline, which must hold one of the events asked for; a bad
 * file is a usage error. */
static struct baseline *
main_baseline(const struct options *o)
{
	struct baseline *b = xmalloc(sizeof *b);
	char *cause = NULL;
	size_t i;

	if (baseline_load(b, o->baseline, &cause) < 0) {
		free(b);
		main_die(EXIT_USAGE, _("--baseline: %s"), cause);
	}
	for (i = 0; i < o->nevents; i++) {
		if (b->has[o->events[i]])
			return b;
	}
	baseline_free(b);
	free(b);
	main_die(EXIT_USAGE, _("--baseline: %s has none of the events asked for (-e %s)"),
	    o->baseline, events_table[o->events[0]].name);
	return NULL;
}

/* Run a profiling session; returns the exit status. */
static int
main_run(struct options *o, char *rcfile, char *rc_notice)
{
	struct run r;
	char *cause = NULL, *desc;
	int status = 0;
	uint64_t total = 0;

	memset(&r, 0, sizeof r);
	r.o = o;
	r.rcfile = rcfile;
	r.rc_notice = rc_notice;
	if (rc_notice != NULL)
		r.notices[r.nnotices++] = rc_notice;
	if (getenv("RRSTAT_TOP_TEST_CRASH") != NULL &&
	    strcmp(getenv("RRSTAT_TOP_TEST_CRASH"), "segv") == 0)
		r.after_tick = main_test_crash;
	if (!o->batch && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)))
		main_die(EXIT_USAGE, _("the interactive screen needs a terminal: use -b for batch mode"));
	if (o->output != NULL)
		main_check_output(o->output);
	if (o->baseline != NULL)
		r.baseline = main_baseline(o);
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
		up.reverse = o->reverse;
		up.group = o->group;
		up.rcfile = r.rcfile;
		up.baseline = r.baseline;
		up.columns = o->columns;
		up.derived[0] = r.derived[COLUMNS_IPC];
		up.derived[1] = r.derived[COLUMNS_CMPKI];
		up.call_graph = options_cg_name(o->call_graph);
		up.window_secs = o->window;
		up.default_window = DEFAULT_WINDOW;
		up.output = o->output;
		up.formats = o->formats;
		up.nformats = o->nformats;
		up.no_color = o->no_color;
		up.no_color_env = getenv("NO_COLOR") != NULL &&
		    getenv("NO_COLOR")[0] != '\0';
		up.shown = r.shown;
		up.nshown = r.nshown;
		up.notices = r.notices;
		up.nnotices = r.nnotices;
		up.quit = &main_quit;
		up.after_tick = r.after_tick;
		if (ui_run(&up, &cause) < 0) {
			sampler_stop(r.sampler);
			target_end(&r.target);
			main_die_cause(EXIT_RUNTIME, cause);
		}
		r.have_final = true;
	}

	sampler_stop(r.sampler);
	session_stop_fetching(&r.session);
	session_tick(&r.session);
	main_fetch_messages(&r);
	if (!r.exited && !target_poll(&r.target))
		r.exited = true;
	desc = target_describe(&r.target);
	if (main_quit != 0 && !r.exited && !r.target.spawned)
		fprintf(stderr, _("rrstat-top: ended by SIG%s; %s is left running, untraced\n"),
		    sigabbrev_np(main_quit), desc);
	else if (main_quit != 0)
		fprintf(stderr, _("rrstat-top: ended by SIG%s\n"), sigabbrev_np(main_quit));
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
	free(r.rcfile);
	free(r.rc_notice);
	if (r.baseline != NULL)
		baseline_free(r.baseline);
	free(r.baseline);
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
	char *cause = NULL, *rcfile, *rc_notice = NULL;

#ifdef M_MMAP_THRESHOLD
	/* Fixed thresholds (glibc raises them as big blocks are freed):
	 * the big tables and their temporaries get mappings of their own,
	 * given back when freed, rather than fragmenting the heap over a
	 * long run (the soak's RSS kept growing while its live heap did
	 * not). */
	mallopt(M_MMAP_THRESHOLD, MAIN_MMAP_THRESHOLD);
	mallopt(M_TRIM_THRESHOLD, MAIN_MMAP_THRESHOLD);
#endif
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
	rcfile = main_settings(&o, &rc_notice);
	return main_run(&o, rcfile, rc_notice);
}
