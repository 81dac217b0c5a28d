/*
 * The sampler front: chooses the backend (--sampler, auto's fallback)
 * from the table of backends, and owns the sampler thread, the worker,
 * for every backend. The worker opens the backend (so that ptrace's
 * tracer is the worker), runs its loop, serves the other threads'
 * requests (start, add an event) and, when stopped, lets the backend
 * read its buffers one last time and detach. Its counters are published
 * to the other threads with relaxed atomics after every pass.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <unistd.h>

#include "events.h"
#include "i18n.h"
#include "sampler.h"
#include "sampler_int.h"
#include "xmalloc.h"

/* A request from another thread, served by the worker. */
enum sampler_req {
	SAMPLER_REQ_NONE,
	SAMPLER_REQ_START,
	SAMPLER_REQ_ADD,
	SAMPLER_REQ_FLUSH,
};

struct sampler {
	const struct sampler_ops *ops;
	void *be;			/* the backend's state */
	struct sampler_event evs[EVENT_COUNT];	/* as requested, after fallbacks */
	size_t nevs;
	bool kernel;
	char *notice;			/* why this backend (auto fell back), or NULL */

	/* What the worker opens. */
	struct target *target;
	struct ring *ring;
	struct sampler_opts opts;

	/* The worker, as its creator sees it. */
	pthread_t thread;
	bool joinable;
	int wakefd;			/* readable: a request or stop is waiting */

	/* Published by the worker. */
	_Atomic uint32_t events;	/* bit e: event e is being sampled */
	_Atomic uint64_t samples;
	_Atomic uint64_t lost[EVENT_COUNT];
	_Atomic uint64_t throttled;
	_Atomic uint64_t threads;
	_Atomic uint64_t malformed;
	_Atomic uint64_t lost_ns;

	/* Shared with the worker, under lock. */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool opened;			/* open is done: open_rc says how */
	int open_rc;
	char *open_cause;
	bool stopping;			/* asked to stop */
	bool ended;			/* the worker serves no more requests */
	bool req_busy;			/* a caller owns req until its answer */
	enum sampler_req req;		/* waiting for the worker, or NONE once served */
	unsigned req_ev;
	int req_rc;
	char *req_cause;
};

/* The backends by kind; auto tries them in this order, each where the
 * kernel refuses the one before as a whole. */
static const struct sampler_ops *const sampler_backends[] = {
	[SAMPLER_PERF] = &sampler_perf_ops,
	[SAMPLER_PTRACE] = &sampler_ptrace_ops,
};
#define SAMPLER_NKINDS (sizeof sampler_backends / sizeof sampler_backends[0])

_Static_assert(EVENT_COUNT <= 32, "sampler.events holds one bit per event");

/* --list-events: why auto would sample with a backend other than its
 * first. */
static const char *const sampler_via[] = {
	[SAMPLER_PTRACE] = N_("ptrace sampler: perf events are refused here"),
};

/* Parse a --sampler value: "auto", or a backend's name. */
int
sampler_kind_parse(const char *name)
{
	if (strcmp(name, "auto") == 0)
		return SAMPLER_AUTO;
	for (size_t k = SAMPLER_AUTO + 1; k < SAMPLER_NKINDS; k++)
		if (strcmp(name, sampler_backends[k]->name) == 0)
			return (int)k;
	return -1;
}

/* The backends a kind tries, first to last. */
static void
sampler_range(enum sampler_kind kind, size_t *first, size_t *last)
{
	if (kind == SAMPLER_AUTO || (size_t)kind >= SAMPLER_NKINDS) {
		*first = SAMPLER_AUTO + 1;
		*last = SAMPLER_NKINDS - 1;
	} else {
		*first = *last = (size_t)kind;
	}
}

/* Whether the kernel refuses a backend as a whole here, ev having
 * failed: the plainest event, cpu-clock, which every backend samples,
 * fails too. */
static bool
sampler_refused(const struct sampler_ops *ops, unsigned ev, pid_t pid,
    const struct events_rate *rate)
{
	char *why = NULL;
	bool refused;

	if (ev == EVENT_CPU_CLOCK)
		return true;
	refused = ops->supports(EVENT_CPU_CLOCK, pid, rate, &why) < 0;
	free(why);
	return refused;
}

/* Probe ev for a sampler kind: ask its backend; auto asks each in turn
 * while the one before is refused as a whole. */
int
sampler_kind_probe(enum sampler_kind kind, unsigned ev, pid_t pid,
    const struct events_rate *rate, const char **via, char **reason)
{
	size_t first, last;

	*via = NULL;
	*reason = NULL;
	sampler_range(kind, &first, &last);
	for (size_t k = first;; k++) {
		const struct sampler_ops *ops = sampler_backends[k];
		char *why = NULL;

		if (ops->supports(ev, pid, rate, &why) == 0) {
			free(why);
			if (k != first)
				*via = _(sampler_via[k]);
			return 0;
		}
		if (k == last || !sampler_refused(ops, ev, pid, rate)) {
			*reason = why;
			return -1;
		}
		free(why);
	}
}

/* The call-graph fields of o as the backends take them: defaults for
 * zeros, within sample.h's limits, the stack size a multiple of 8. */
static void
sampler_norm_stack(struct sampler_opts *o)
{
	if (o->max_stack == 0)
		o->max_stack = SAMPLER_MAX_STACK;
	if (o->max_stack > RS_STACK_MAX_ENTRIES)
		o->max_stack = RS_STACK_MAX_ENTRIES;
	if (o->stack_size == 0)
		o->stack_size = SAMPLER_STACK_SIZE;
	if (o->stack_size > RS_STACK_MAX_BYTES)
		o->stack_size = RS_STACK_MAX_BYTES;
	o->stack_size = (o->stack_size + 7) & ~7u;
}

/* The most slots one sample takes, over the backends o->kind may open
 * and, for auto, over fp and dwarf. */
size_t
sampler_slots_per_sample(const struct sampler_opts *o)
{
	struct sampler_opts n = *o;
	size_t first, last, most = 1;

	sampler_norm_stack(&n);
	sampler_range(n.kind, &first, &last);
	for (size_t k = first; k <= last; k++) {
		const struct sampler_ops *ops = sampler_backends[k];
		size_t v;

		if (n.callgraph != SAMPLER_CG_AUTO) {
			v = ops->slots(&n);
		} else {
			n.callgraph = SAMPLER_CG_FP;
			v = ops->slots(&n);
			n.callgraph = SAMPLER_CG_DWARF;
			if (ops->slots(&n) > v)
				v = ops->slots(&n);
			n.callgraph = SAMPLER_CG_AUTO;
		}
		if (v > most)
			most = v;
	}
	return most;
}

/* Let this process hold as many descriptors as it is allowed: perf
 * opens one per (thread, event, CPU), ptrace and the wall-clock pass keep
 * a thread's /proc files open. */
static void
sampler_raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* In the worker: open the backend the kind names; auto opens each in
 * turn while the one before is refused as a whole, and keeps why as the
 * notice. */
static int
sampler_open_backend(struct sampler *s, char **cause)
{
	struct sampler_args a = { s->target, s->ring, &s->opts, s->wakefd };
	char *before = NULL;	/* why the backend before failed */
	size_t first, last;

	sampler_range(s->opts.kind, &first, &last);
	for (size_t k = first;; k++) {
		const struct sampler_ops *ops = sampler_backends[k];
		struct sampler_setup out;
		char *why = NULL;

		memset(&out, 0, sizeof out);
		if (ops->open(&s->be, &a, &out, &why) == 0) {
			uint32_t events = 0;

			s->ops = ops;
			memcpy(s->evs, out.evs, sizeof s->evs);
			s->nevs = out.nevs;
			s->kernel = out.kernel;
			for (size_t i = 0; i < s->nevs; i++)
				events |= 1u << s->evs[i].effective;
			atomic_store_explicit(&s->events, events, memory_order_relaxed);
			if (before != NULL) {
				s->notice = xasprintf(_("sampling with %s: %s events are refused here (%s)"),
				    ops->name, sampler_backends[k - 1]->name, before);
				free(before);
			}
			return 0;
		}
		if (before != NULL) {
			char *both = xasprintf(_("%s; the %s sampler cannot either: %s"),
			    before, ops->name, why);

			free(before);
			free(why);
			why = both;
		}
		if (k == last || !out.refused) {
			*cause = why;
			return -1;
		}
		before = why;
	}
}

/* In the worker: publish the backend's counters to the other threads. */
static void
sampler_publish(struct sampler *s)
{
	struct sampler_stats st;

	s->ops->stats(s->be, &st);
	atomic_store_explicit(&s->samples, st.samples, memory_order_relaxed);
	atomic_store_explicit(&s->throttled, st.throttled, memory_order_relaxed);
	atomic_store_explicit(&s->threads, st.threads, memory_order_relaxed);
	atomic_store_explicit(&s->malformed, st.malformed, memory_order_relaxed);
	atomic_store_explicit(&s->lost_ns, st.lost_ns, memory_order_relaxed);
	for (unsigned e = 0; e < EVENT_COUNT; e++)
		atomic_store_explicit(&s->lost[e], st.lost[e], memory_order_relaxed);
}

/* In the worker: take a wake-up and serve the request waiting, if any.
 * True when asked to stop. */
static bool
sampler_serve(struct sampler *s)
{
	enum sampler_req req;
	unsigned ev;
	char *cause = NULL;
	uint64_t v;
	int rc = 0;

	if (read(s->wakefd, &v, sizeof v) < 0) {
		/* Nothing to read: the state is looked at anyway. */
	}
	pthread_mutex_lock(&s->lock);
	if (s->stopping) {
		pthread_mutex_unlock(&s->lock);
		return true;
	}
	req = s->req;
	ev = s->req_ev;
	pthread_mutex_unlock(&s->lock);
	if (req == SAMPLER_REQ_NONE)
		return false;
	if (req == SAMPLER_REQ_START) {
		rc = s->ops->start(s->be, &cause);
	} else if (req == SAMPLER_REQ_FLUSH) {
		/* The poll that took the wake-up read every buffer. */
		sampler_publish(s);
	} else {
		rc = s->ops->add_event(s->be, ev, &cause);
		if (rc == 0)
			atomic_fetch_or_explicit(&s->events, 1u << ev, memory_order_relaxed);
	}
	pthread_mutex_lock(&s->lock);
	s->req_rc = rc;
	s->req_cause = cause;
	s->req = SAMPLER_REQ_NONE;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	return false;
}

/* The worker: open the backend, then run its loop and serve requests
 * until told to stop (or the loop cannot go on); then the backend's
 * last read and detach. */
static void *
sampler_worker(void *arg)
{
	struct sampler *s = arg;
	char *cause = NULL;
	int rc;

	rc = sampler_open_backend(s, &cause);
	if (rc == 0)
		sampler_publish(s);
	pthread_mutex_lock(&s->lock);
	s->opened = true;
	s->open_rc = rc;
	s->open_cause = cause;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);

	while (rc == 0) {
		int r = s->ops->poll(s->be);

		if (r < 0 || (r > 0 && sampler_serve(s))) {
			s->ops->finish(s->be);
			rc = -1;
		}
		sampler_publish(s);
	}

	pthread_mutex_lock(&s->lock);
	s->ended = true;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

/* Wake the worker up. */
static void
sampler_wake(struct sampler *s)
{
	uint64_t one = 1;

	if (write(s->wakefd, &one, sizeof one) < 0) {
		/* An eventfd write of 1 cannot fail here. */
	}
}

/* Ask the worker to do req and wait for it (any thread): 0, or -1 with
 * *cause set. */
static int
sampler_request(struct sampler *s, enum sampler_req req, unsigned ev,
    char **cause)
{
	int rc;

	pthread_mutex_lock(&s->lock);
	while (s->req_busy && !s->ended)
		pthread_cond_wait(&s->cond, &s->lock);
	if (s->ended) {
		pthread_mutex_unlock(&s->lock);
		*cause = xasprintf(_("the %s sampler has stopped"), s->ops->name);
		return -1;
	}
	s->req_busy = true;
	s->req = req;
	s->req_ev = ev;
	pthread_mutex_unlock(&s->lock);
	sampler_wake(s);
	pthread_mutex_lock(&s->lock);
	while (s->req != SAMPLER_REQ_NONE && !s->ended)
		pthread_cond_wait(&s->cond, &s->lock);
	if (s->req != SAMPLER_REQ_NONE) {
		s->req = SAMPLER_REQ_NONE;
		rc = -1;
		*cause = xasprintf(_("the %s sampler has stopped"), s->ops->name);
	} else {
		rc = s->req_rc;
		if (rc < 0)
			*cause = s->req_cause;
		else
			free(s->req_cause);
		s->req_cause = NULL;
	}
	s->req_busy = false;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

/* Release the front's part (the backend's is released already). */
static void
sampler_release(struct sampler *s)
{
	for (size_t i = 0; i < s->nevs; i++)
		free(s->evs[i].notice);
	free(s->notice);
	free(s->open_cause);
	free(s->req_cause);
	if (s->wakefd >= 0)
		close(s->wakefd);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->cond);
	free(s);
}

/* Create the worker, which opens the backend, and wait for the result. */
int
sampler_open(struct sampler **sp, struct target *t, struct ring *r,
    const struct sampler_opts *o, char **cause)
{
	struct sampler *s = xcalloc(1, sizeof *s);
	sigset_t chld, all, old;
	int e;

	*sp = NULL;
	if (o->callgraph == SAMPLER_CG_AUTO) {
		*cause = xstrdup(_("the call-graph mode must be fp or dwarf when sampling starts, not auto"));
		free(s);
		return -1;
	}
	s->target = t;
	s->ring = r;
	s->opts = *o;
	sampler_norm_stack(&s->opts);
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	s->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (s->wakefd < 0) {
		*cause = xasprintf(_("cannot create an event queue: %s"), strerror(errno));
		sampler_release(s);
		return -1;
	}
	sampler_raise_nofile();

	/* ptrace's tracee stops arrive as SIGCHLD, read from a signalfd:
	 * it stays blocked here (sampler.h) and in the worker. */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	pthread_sigmask(SIG_BLOCK, &chld, NULL);
	/* The worker takes no asynchronous signal: those are the calling
	 * thread's (q, Ctrl-C, SIGTERM end the session there). */
	sigfillset(&all);
	sigdelset(&all, SIGSEGV);
	sigdelset(&all, SIGBUS);
	sigdelset(&all, SIGFPE);
	sigdelset(&all, SIGILL);
	sigdelset(&all, SIGTRAP);
	sigdelset(&all, SIGABRT);
	sigdelset(&all, SIGSYS);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	e = pthread_create(&s->thread, NULL, sampler_worker, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e != 0) {
		if (e == EAGAIN)
			*cause = xasprintf(_("cannot start the sampler thread: out of memory or of threads (%s; see ulimit -v and ulimit -u)"),
			    strerror(e));
		else
			*cause = xasprintf(_("cannot start the sampler thread: %s"), strerror(e));
		sampler_release(s);
		return -1;
	}
	s->joinable = true;

	pthread_mutex_lock(&s->lock);
	while (!s->opened)
		pthread_cond_wait(&s->cond, &s->lock);
	pthread_mutex_unlock(&s->lock);
	if (s->open_rc < 0) {
		pthread_join(s->thread, NULL);
		*cause = s->open_cause;
		s->open_cause = NULL;
		sampler_release(s);
		return -1;
	}
	*sp = s;
	return 0;
}

/* Why auto fell back, or NULL. */
const char *
sampler_notice(const struct sampler *s)
{
	return s->notice;
}

/* Begin sampling: the worker starts the backend. */
int
sampler_start(struct sampler *s, char **cause)
{
	return sampler_request(s, SAMPLER_REQ_START, 0, cause);
}

/* Have the worker read every buffer into the ring now and publish its
 * counters (nothing once it has stopped). */
void
sampler_flush(struct sampler *s)
{
	char *cause = NULL;

	if (s == NULL || !s->joinable)
		return;
	if (sampler_request(s, SAMPLER_REQ_FLUSH, 0, &cause) < 0)
		free(cause);
}

/* Stop the worker: the backend reads every buffer a last time (and
 * detaches every tracee) before the worker ends. */
void
sampler_stop(struct sampler *s)
{
	if (s == NULL || !s->joinable)
		return;
	pthread_mutex_lock(&s->lock);
	s->stopping = true;
	pthread_mutex_unlock(&s->lock);
	sampler_wake(s);
	pthread_join(s->thread, NULL);
	s->joinable = false;
}

/* Add an event: the worker opens it. */
int
sampler_add_event(struct sampler *s, unsigned ev, char **cause)
{
	if (ev >= EVENT_COUNT) {
		*cause = xstrdup(_("no such event"));
		return -1;
	}
	if (sampler_has_event(s, ev))
		return 0;
	return sampler_request(s, SAMPLER_REQ_ADD, ev, cause);
}

/* Whether ev is being sampled (any thread). */
bool
sampler_has_event(struct sampler *s, unsigned ev)
{
	return ev < EVENT_COUNT &&
	    (atomic_load_explicit(&s->events, memory_order_relaxed) & (1u << ev));
}

/* Ask the backend whether ev could be sampled on pid. */
int
sampler_probe(struct sampler *s, unsigned ev, pid_t pid,
    const struct events_rate *rate, char **reason)
{
	if (ev >= EVENT_COUNT) {
		*reason = xstrdup(_("no such event"));
		return -1;
	}
	return s->ops->probe(ev, pid, rate, reason);
}

/* The counters the worker published last (any thread). */
void
sampler_stats(struct sampler *s, struct sampler_stats *st)
{
	memset(st, 0, sizeof *st);
	st->samples = atomic_load_explicit(&s->samples, memory_order_relaxed);
	st->throttled = atomic_load_explicit(&s->throttled, memory_order_relaxed);
	st->threads = atomic_load_explicit(&s->threads, memory_order_relaxed);
	st->malformed = atomic_load_explicit(&s->malformed, memory_order_relaxed);
	st->lost_ns = atomic_load_explicit(&s->lost_ns, memory_order_relaxed);
	for (unsigned e = 0; e < EVENT_COUNT; e++)
		st->lost[e] = atomic_load_explicit(&s->lost[e], memory_order_relaxed);
}

/* The events, as requested, after fallbacks. */
const struct sampler_event *
sampler_events(struct sampler *s, size_t *n)
{
	*n = s->nevs;
	return s->evs;
}

/* The backend's name. */
const char *
sampler_name(const struct sampler *s)
{
	return s->ops->name;
}

/* Whether the backend takes kernel samples. */
bool
sampler_kernel(const struct sampler *s)
{
	return s->kernel;
}

/* Stop, then release the backend and the front. */
void
sampler_free(struct sampler *s)
{
	if (s == NULL)
		return;
	sampler_stop(s);
	s->ops->free(s->be);
	sampler_release(s);
}
