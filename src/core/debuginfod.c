/*
 * Debug files from debuginfod, fetched by a worker thread of this
 * module's own, and the samples held while they come (debuginfod.h).
 *
 * The main thread and the worker share only the requests' states (under
 * a mutex) and the cancel flag; each request's build-id is written
 * before the worker can see it and never after. The libdebuginfod client
 * is not thread-safe: the worker creates it, uses it alone and ends it.
 * Everything else (the held binaries and samples, the messages) is the
 * main thread's.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef HAVE_DEBUGINFOD
#include <elfutils/debuginfod.h>
#endif

#include "agg.h"
#include "binary.h"
#include "debugfile.h"
#include "debuginfod.h"
#include "frame.h"
#include "i18n.h"
#include "resolve.h"
#include "xmalloc.h"

/* Where a request is; QUEUED to ENDED under the lock. */
enum dbgd_state {
	DBGD_QUEUED,		/* waiting for the worker */
	DBGD_RUNNING,		/* the worker fetches it */
	DBGD_ENDED,		/* rc and path are set */
	DBGD_TAKEN,		/* the main thread has dealt with it */
};

/* One build-id asked for (at most once per run). */
struct dbgd_req {
	uint8_t id[DEBUGFILE_BUILD_ID_MAX];
	size_t idlen;
	enum dbgd_state state;
	int rc;			/* ENDED: 0, or a positive errno */
	char *path;		/* ENDED with rc 0: the file in the client's cache */
	double secs;		/* ENDED: how long the fetch took */

	/* The main thread's. */
	struct binary *bin;
	double asked;		/* when (monotonic seconds) */
	bool held;		/* its binary's samples are held */
};

/* A held sample; its frames are hf[first .. first + n). */
struct dbgd_sample {
	unsigned event;
	bool blocked;
	uint32_t sys;
	uint64_t weight;
	size_t first, n;
};

struct dbgd {
	struct binary_cache *bins;
	struct resolver *resolve;
	struct agg *agg;
	bool quiet;

	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t thread;
	bool started;		/* the thread runs (main thread's) */
	bool stop;		/* under the lock: the worker is to end */
	atomic_bool cancel;	/* the fetch under way is to end */
	double fetch_start;	/* the worker's: when its fetch began */
	struct dbgd_req **reqs;	/* the array changes under the lock */
	size_t nreqs, creqs;

	/* The main thread's. */
	size_t nfetching;	/* asked and not yet taken */
	bool stopped;		/* dbgd_stop was called */
	bool changed;		/* a binary was let go since the last release */
	unsigned char *held;	/* by binary_id: nonzero while held */
	size_t cheld;
	size_t nheld;		/* binaries held */
	struct dbgd_sample *hs;
	size_t nhs, chs;
	struct rs_frame *hf;
	unsigned char *hcaller;	/* beside hf: a return address */
	size_t nhf, chf;
	char **msgs;		/* to say once, oldest first, from msg_next */
	size_t nmsgs, cmsgs, msg_next;
};

/* Whether this build can fetch. */
bool
dbgd_built_in(void)
{
#ifdef HAVE_DEBUGINFOD
	return true;
#else
	return false;
#endif
}

/* Seconds on the monotonic clock. */
static double
dbgd_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Keep a message (allocated; taken) to be said once. */
static void
dbgd_say(struct dbgd *d, char *msg)
{
	if (d->nmsgs == d->cmsgs) {
		d->cmsgs = d->cmsgs ? d->cmsgs * 2 : 8;
		d->msgs = xreallocarray(d->msgs, d->cmsgs, sizeof *d->msgs);
	}
	d->msgs[d->nmsgs++] = msg;
}

/* The next message, or NULL. */
char *
dbgd_message(struct dbgd *d)
{
	char *msg;

	if (d == NULL || d->msg_next == d->nmsgs)
		return NULL;
	msg = d->msgs[d->msg_next++];
	if (d->msg_next == d->nmsgs)
		d->msg_next = d->nmsgs = 0;
	return msg;
}

/* What the header says while fetches are under way. */
char *
dbgd_note(const struct dbgd *d)
{
	char *files, *note;

	if (d == NULL || d->nfetching == 0)
		return NULL;
	files = xasprintf(ngettext("debuginfod: fetching %zu file",
	    "debuginfod: fetching %zu files", d->nfetching), d->nfetching);
	if (d->nhs == 0)
		return files;
	note = xasprintf(ngettext("%s, %zu sample waits for its names",
	    "%s, %zu samples wait for their names", d->nhs), files, d->nhs);
	free(files);
	return note;
}

/* Whether b is held. */
static inline bool
dbgd_is_held(const struct dbgd *d, const struct binary *b)
{
	uint32_t id = binary_id(b);

	return id < d->cheld && d->held[id];
}

/* Hold b's samples, or stop holding them. */
static void
dbgd_set_held(struct dbgd *d, const struct binary *b, bool on)
{
	uint32_t id = binary_id(b);
	size_t n;

	if (id >= d->cheld) {
		if (!on)
			return;
		n = d->cheld ? d->cheld : 64;
		while (n <= id)
			n *= 2;
		d->held = xreallocarray(d->held, n, 1);
		memset(d->held + d->cheld, 0, n - d->cheld);
		d->cheld = n;
	}
	if (d->held[id] == on)
		return;
	d->held[id] = on;
	if (on) {
		d->nheld++;
	} else {
		d->nheld--;
		d->changed = true;
	}
}

/* Stop holding q's binary: its local names stay for this run. */
static void
dbgd_let_go(struct dbgd *d, struct dbgd_req *q)
{
	if (!q->held)
		return;
	q->held = false;
	dbgd_set_held(d, q->bin, false);
}

/* Count every held sample whose binaries are all let go. */
static void
dbgd_release(struct dbgd *d)
{
	struct dbgd_sample *s;
	size_t i, k, w = 0, wf = 0;
	bool wait;

	if (!d->changed)
		return;
	d->changed = false;
	for (i = 0; i < d->nhs; i++) {
		s = &d->hs[i];
		wait = false;
		for (k = 0; k < s->n && !wait; k++)
			wait = dbgd_is_held(d, d->hf[s->first + k].bin);
		if (!wait) {
			agg_add_stack(d->agg, s->event, &d->hf[s->first], s->n,
			    s->blocked, s->sys, s->weight);
			continue;
		}
		memmove(&d->hf[wf], &d->hf[s->first], s->n * sizeof *d->hf);
		memmove(&d->hcaller[wf], &d->hcaller[s->first], s->n);
		s->first = wf;
		wf += s->n;
		d->hs[w++] = *s;
	}
	d->nhs = w;
	d->nhf = wf;
}

/* Let go of every held binary and count every held sample. */
static void
dbgd_let_go_all(struct dbgd *d)
{
	for (size_t i = 0; i < d->nreqs; i++)
		dbgd_let_go(d, d->reqs[i]);
	dbgd_release(d);
}

/* Hold a sample with a frame in a held binary. */
bool
dbgd_hold(struct dbgd *d, unsigned event, const struct rs_frame *frames,
    size_t n, const struct rs_addr *addrs, size_t naddrs, bool blocked,
    uint32_t sys, uint64_t weight)
{
	struct dbgd_sample *s;
	size_t i;

	if (d == NULL || d->nheld == 0)
		return false;
	for (i = 0; i < n; i++)
		if (frames[i].bin != NULL && dbgd_is_held(d, frames[i].bin))
			break;
	if (i == n)
		return false;
	if (d->nhs == DBGD_HOLD_SAMPLES || d->nhf + n > DBGD_HOLD_FRAMES) {
		dbgd_say(d, xasprintf(_("debuginfod: %zu samples wait for debug info: "
		    "counted with the names known now, which stay for this run"),
		    d->nhs));
		dbgd_let_go_all(d);
		return false;
	}
	if (d->nhs == d->chs) {
		d->chs = d->chs ? d->chs * 2 : 256;
		d->hs = xreallocarray(d->hs, d->chs, sizeof *d->hs);
	}
	while (d->nhf + n > d->chf) {
		d->chf = d->chf ? d->chf * 2 : 4096;
		d->hf = xreallocarray(d->hf, d->chf, sizeof *d->hf);
		d->hcaller = xreallocarray(d->hcaller, d->chf, 1);
	}
	s = &d->hs[d->nhs++];
	s->event = event;
	s->blocked = blocked;
	s->sys = sys;
	s->weight = weight;
	s->first = d->nhf;
	s->n = n;
	memcpy(&d->hf[d->nhf], frames, n * sizeof *frames);
	for (i = 0; i < n; i++)
		d->hcaller[d->nhf + i] = i < naddrs &&
		    (addrs[i].flags & RS_ADDR_CALLER) != 0;
	d->nhf += n;
	return true;
}

#ifdef HAVE_DEBUGINFOD
/* libdebuginfod's progress callback: nonzero ends the fetch (cancelled,
 * or on for longer than DBGD_FETCH_SECS). */
static int
dbgd_progress(debuginfod_client *c, long a, long b)
{
	struct dbgd *d = debuginfod_get_user_data(c);

	return atomic_load(&d->cancel) ||
	    dbgd_now() - d->fetch_start > DBGD_FETCH_SECS;
}

/* The first queued request, or NULL; under the lock. */
static struct dbgd_req *
dbgd_next(struct dbgd *d)
{
	for (size_t i = 0; i < d->nreqs; i++)
		if (d->reqs[i]->state == DBGD_QUEUED)
			return d->reqs[i];
	return NULL;
}

/* The worker: one client, one fetch at a time, until told to stop. */
static void *
dbgd_worker(void *arg)
{
	struct dbgd *d = arg;
	debuginfod_client *c = debuginfod_begin();
	uint8_t id[DEBUGFILE_BUILD_ID_MAX];
	struct dbgd_req *q;
	char *path;
	size_t idlen;
	int fd, rc;

	if (c != NULL) {
		debuginfod_set_user_data(c, d);
		debuginfod_set_progressfn(c, dbgd_progress);
		if (d->quiet)
			debuginfod_set_verbose_fd(c, -1);
	}
	pthread_mutex_lock(&d->lock);
	for (;;) {
		while (!d->stop && (q = dbgd_next(d)) == NULL)
			pthread_cond_wait(&d->cond, &d->lock);
		if (d->stop)
			break;
		q->state = DBGD_RUNNING;
		idlen = q->idlen;
		memcpy(id, q->id, idlen);
		pthread_mutex_unlock(&d->lock);

		d->fetch_start = dbgd_now();
		path = NULL;
		rc = ENOMEM;
		if (c != NULL) {
			fd = debuginfod_find_debuginfo(c, id, (int)idlen, &path);
			rc = fd >= 0 ? 0 : -fd;
			if (fd >= 0)
				close(fd);
		}
		if (rc != 0) {
			free(path);
			path = NULL;
		}

		pthread_mutex_lock(&d->lock);
		q->rc = rc;
		q->path = path;
		q->secs = dbgd_now() - d->fetch_start;
		q->state = DBGD_ENDED;
	}
	pthread_mutex_unlock(&d->lock);
	if (c != NULL)
		debuginfod_end(c);
	return NULL;
}

/* Start the worker, with every asynchronous signal blocked in it. */
static int
dbgd_start(struct dbgd *d)
{
	static const int faults[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	sigset_t all, old;
	int e;

	sigfillset(&all);
	for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++)
		sigdelset(&all, faults[i]);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	e = pthread_create(&d->thread, NULL, dbgd_worker, d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e != 0) {
		dbgd_say(d, xasprintf(_("debuginfod: cannot start its thread: %s"), strerror(e)));
		return -1;
	}
	d->started = true;
	return 0;
}
#else
/* Without libdebuginfod there is no worker (dbgd_new gives NULL). */
static int
dbgd_start(struct dbgd *d)
{
	return -1;
}
#endif

/* The cache's hook: ask for b's debug file, once per build-id, and hold
 * b's samples meanwhile. */
static void
dbgd_want(void *arg, struct binary *b)
{
	struct dbgd *d = arg;
	struct dbgd_req *q;
	const uint8_t *id;
	size_t len, i;

	id = binary_build_id(b, &len);
	if (d->stopped || id == NULL || len > DEBUGFILE_BUILD_ID_MAX)
		return;
	for (i = 0; i < d->nreqs; i++)
		if (d->reqs[i]->idlen == len && memcmp(d->reqs[i]->id, id, len) == 0)
			return;
	if (!d->started && dbgd_start(d) < 0) {
		d->stopped = true;
		return;
	}
	q = xcalloc(1, sizeof *q);
	memcpy(q->id, id, len);
	q->idlen = len;
	q->bin = b;
	q->asked = dbgd_now();
	q->held = true;
	pthread_mutex_lock(&d->lock);
	if (d->nreqs == d->creqs) {
		d->creqs = d->creqs ? d->creqs * 2 : 16;
		d->reqs = xreallocarray(d->reqs, d->creqs, sizeof *d->reqs);
	}
	d->reqs[d->nreqs++] = q;
	pthread_cond_signal(&d->cond);
	pthread_mutex_unlock(&d->lock);
	d->nfetching++;
	dbgd_set_held(d, b, true);
}

/* A fetcher, where one is built in and $DEBUGINFOD_URLS names a server. */
struct dbgd *
dbgd_new(struct binary_cache *c, struct resolver *r, struct agg *a,
    bool quiet)
{
	const char *urls = getenv("DEBUGINFOD_URLS");
	struct dbgd *d;

	if (!dbgd_built_in() || urls == NULL || urls[strspn(urls, " \t")] == '\0')
		return NULL;
	d = xcalloc(1, sizeof *d);
	d->bins = c;
	d->resolve = r;
	d->agg = a;
	d->quiet = quiet;
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->cond, NULL);
	atomic_init(&d->cancel, false);
	binary_cache_set_nodebug(c, dbgd_want, d);
	return d;
}

/* Whether the file at path has q's build-id. */
static bool
dbgd_same_id(const struct dbgd_req *q, const char *path)
{
	uint8_t id[DEBUGFILE_BUILD_ID_MAX];
	size_t idlen = 0;
	Elf *elf;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return false;
	if ((elf = elf_begin(fd, ELF_C_READ_MMAP, NULL)) != NULL) {
		idlen = debugfile_build_id(elf, id);
		elf_end(elf);
	}
	close(fd);
	return idlen == q->idlen && memcmp(id, q->id, idlen) == 0;
}

/* Install q's debug file in its binary, and name its held frames again. */
static void
dbgd_install(struct dbgd *d, struct dbgd_req *q)
{
	struct binary *b = q->bin;
	uint64_t off;

	if (!dbgd_same_id(q, q->path)) {
		dbgd_say(d, xasprintf(_("debuginfod: the file served for %s "
		    "is not its debug file (build-id differs)"), binary_name(b)));
		return;
	}
	binary_set_debug_file(b, q->path);
	resolve_forget(d->resolve, b);
	for (size_t i = 0; i < d->nhf; i++) {
		if (d->hf[i].bin != b)
			continue;
		off = d->hf[i].offset;
		if (d->hcaller[i] && off > 0)
			off--;
		d->hf[i].func = binary_lookup(b, off);
	}
}

/* Deal with a fetch that ended (rc, path and secs copied out of q). */
static void
dbgd_ended(struct dbgd *d, struct dbgd_req *q)
{
	const char *name = binary_name(q->bin);

	d->nfetching--;
	if (d->stopped)
		return;
	if (q->rc == 0 && q->held)
		dbgd_install(d, q);
	else if (q->rc == 0)
		dbgd_say(d, xasprintf(_("debuginfod: the debug info of %s came "
		    "after %.1f s, too late for this run (cached for the next)"),
		    name, q->secs));
	else if (q->secs >= DBGD_FETCH_SECS)
		dbgd_say(d, xasprintf(_("debuginfod: no debug info for %s within %g s"),
		    name, DBGD_FETCH_SECS));
	else if (q->rc == ENOENT)
		dbgd_say(d, xasprintf(_("debuginfod: no debug info for %s on the servers"), name));
	else
		dbgd_say(d, xasprintf(_("debuginfod: no debug info for %s: %s"), name,
		    strerror(q->rc)));
	dbgd_let_go(d, q);
}

/* After each drain: fetches that ended, binaries held too long, samples that
 * wait for nothing any more. */
void
dbgd_tick(struct dbgd *d)
{
	struct dbgd_req *q;
	double now;
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->nreqs; i++) {
		q = d->reqs[i];
		pthread_mutex_lock(&d->lock);
		if (q->state != DBGD_ENDED) {
			pthread_mutex_unlock(&d->lock);
			continue;
		}
		q->state = DBGD_TAKEN;
		pthread_mutex_unlock(&d->lock);
		dbgd_ended(d, q);
	}
	now = dbgd_now();
	for (i = 0; i < d->nreqs; i++) {
		q = d->reqs[i];
		if (q->held && now - q->asked > DBGD_HOLD_SECS) {
			dbgd_say(d, xasprintf(_("debuginfod: no debug info for "
			    "%s after %g s: its samples are counted with the "
			    "names known now, which stay for this run"),
			    binary_name(q->bin), DBGD_HOLD_SECS));
			dbgd_let_go(d, q);
		}
	}
	dbgd_release(d);
}

/* Tell the worker to end, cancelling its fetch. */
static void
dbgd_end_worker(struct dbgd *d)
{
	atomic_store(&d->cancel, true);
	pthread_mutex_lock(&d->lock);
	d->stop = true;
	pthread_cond_signal(&d->cond);
	pthread_mutex_unlock(&d->lock);
}

/* The session ends: cancel, let go, count what is held. */
void
dbgd_stop(struct dbgd *d)
{
	if (d == NULL)
		return;
	dbgd_end_worker(d);
	d->stopped = true;
	dbgd_let_go_all(d);
}

/* End the worker and free everything. */
void
dbgd_free(struct dbgd *d)
{
	size_t i;

	if (d == NULL)
		return;
	binary_cache_set_nodebug(d->bins, NULL, NULL);
	dbgd_end_worker(d);
	if (d->started)
		pthread_join(d->thread, NULL);
	for (i = 0; i < d->nreqs; i++) {
		free(d->reqs[i]->path);
		free(d->reqs[i]);
	}
	free(d->reqs);
	for (i = d->msg_next; i < d->nmsgs; i++)
		free(d->msgs[i]);
	free(d->msgs);
	free(d->held);
	free(d->hs);
	free(d->hf);
	free(d->hcaller);
	pthread_mutex_destroy(&d->lock);
	pthread_cond_destroy(&d->cond);
	free(d);
}
