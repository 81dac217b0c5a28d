/*
 * The perf_event_open sampler: one event per (thread, event, CPU),
 * inherited by threads created later. The kernel refuses to mmap an
 * inherited per-task event that is not bound to a CPU, so, as perf record
 * does, every event is opened once per CPU and all events of one CPU write
 * into that CPU's ring. The sampler thread (sampler.c's worker: every op
 * here but supports and free runs in it) reads every ring and writes
 * struct rs_sample records into the SPSC ring.
 *
 * wait-time: running threads are sampled by a cpu-clock event of its own;
 * blocked ones by a wall-clock pass over /proc at the same rate (a
 * timerfd in the same epoll set), which finds each blocked thread's wait
 * site without stopping it.
 */
#include "config.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "events.h"
#include "i18n.h"
#include "perfrec.h"
#include "procstat.h"
#include "ring.h"
#include "sample.h"
#include "sampler_int.h"
#include "target.h"
#include "ustack.h"
#include "xmalloc.h"

#define PERF_WAKE_TAG	UINT64_MAX
#define PERF_WALL_TAG	(UINT64_MAX - 1)
#define PERF_POLL_MS	100	/* the loop's idle wake-up, where one is needed */
#define PERF_MAX_REC	65536	/* header.size is 16 bits */
#define PERF_ATTACH_PASSES 64	/* re-scans of /proc/PID/task while threads appear */
#define PERF_MAX_PATH	4096	/* longest mapping path passed on */
#define PERF_WALL_MIN_NS 50000		/* shortest wall-clock pass interval */
#define PERF_WALL_REFRESH_NS 250000000	/* re-list /proc/PID/task this often */
#define PERF_PAGES	64		/* data pages per CPU ring without user stacks */
#define PERF_PASS_HZ	10		/* the loop's slowest pass: 100 ms */
#define PERF_FD_RESERVE	64		/* descriptors left for files, /proc and the rest
					 * (a quarter of a smaller limit) */

/* The mmap ring of one CPU; every event on that CPU writes into it. */
struct perf_buf {
	int cpu;
	int fd;			/* the event that owns the mapping */
	struct perf_event_mmap_page *meta;
	unsigned char *data;
	size_t map_len;
	uint64_t mask;
	bool hup;		/* its owner's thread is gone (the ring lives on) */
};

/* Where a drain is in one ring: its next record and that record's time. */
struct perf_cursor {
	uint64_t start, tail, head;
	struct perf_event_header hdr;
	uint64_t time;
	bool live;		/* hdr and time describe a complete record */
};

/* The events we opened on one thread ourselves. */
struct perf_thread {
	pid_t pid;
	pid_t tid;
	int *fds;
	size_t nfds;
	bool dup;		/* also inherited: stop our own events */
};

/* Sample id -> event index, open addressing. */
struct perf_idmap {
	uint64_t *ids;		/* 0: free */
	uint16_t *evs;
	size_t cap;
	size_t n;
};

/* Thread ids known to be sampled (opened or inherited), open addressing. */
struct perf_tidset {
	uint32_t *v;
	size_t cap;
	size_t n;
};

/* One thread the wall-clock pass visits. The baseline (when it was last
 * given wall time, and its schedstat then) moves only when the thread is
 * found blocked (or stopped): time off a CPU between two blocked visits
 * goes to the second, so what a blocked thread's samples weigh adds up
 * to its wall time minus its CPU time, which cpu-clock samples cover. */
struct perf_wthread {
	struct procstat_thread ps;	/* its /proc files, kept open */
	uint64_t last_visit_ns;		/* baseline: pass time */
	uint64_t last_run_ns;		/* baseline: schedstat run_ns */
	uint64_t last_wait_ns;		/* baseline: schedstat wait_ns */
	uint64_t last_slices;		/* baseline: schedstat slices */
	uint64_t rq_base_ns;		/* schedstat wait_ns already given out */
	uint64_t run_ip;		/* its latest cpu-clock sample for wait-time */
	uint8_t run_flags;		/* ... and that sample's flags */
	bool have_run_ip;
	struct rs_sample *run_stack;	/* ... and its stack records (call stacks) */
	size_t run_nst;			/* ... their slots (0: none) */
	uint64_t pc;			/* where it was last found blocked */
	uint64_t sp;			/* ... and its user stack pointer there */
	uint32_t nr;			/* ... in system call nr, or RS_NO_SYSCALL */
	bool based;			/* the baseline is set */
	bool blocked;			/* found blocked at the baseline */
	bool denied;			/* its syscall file cannot be read */
	bool gone;			/* closed; removed at the next refresh */
	bool seen;			/* listed at the current refresh */
};

/* The wall-clock pass of wait-time. */
struct perf_wall {
	int tfd;			/* the tick; -1 while wait-time is not sampled */
	bool live;			/* a spawned target has exec'd */
	bool refresh;			/* re-list threads at the next pass */
	uint64_t interval_ns;
	uint64_t next_refresh_ns;
	struct perf_wthread *v;
	size_t n;
	size_t cap;
	uint32_t *keys;			/* tid -> index in v, open addressing; 0: free */
	uint32_t *vals;
	size_t idx_cap;
	size_t stack_slots;		/* of a sample's stack records (0: no call stacks) */
};

/* The backend's state: the worker's alone. */
struct perf_sampler {
	struct target *target;
	struct ring *ring;
	struct sampler_opts opts;
	unsigned open_evs[EVENT_COUNT];	/* distinct effective events */
	size_t nopen;
	bool kernel;
	bool on_exec;
	bool no_build_id;	/* the kernel refused attr.build_id: MMAP2
				 * records tell device and inode */
	size_t pages;

	int *cpus;		/* online CPUs */
	size_t ncpus;
	struct perf_buf *bufs;	/* one per CPU, same order */
	struct perf_cursor *cur;	/* where a drain is in each */
	struct perf_thread *threads;
	size_t nthreads;
	struct perf_idmap idmap;
	struct perf_tidset covered;
	struct perf_tidset opened;
	bool have_dup;
	pid_t *pids;		/* every process sampled: targets and their children */
	size_t npids;
	size_t pids_sweep;	/* npids at which the gone are dropped */

	int epfd;
	int wakefd;		/* the front's, in the epoll set */
	bool started;		/* rings are read from start on */
	size_t nhup;		/* rings whose owner is gone */

	struct perf_wall wall;

	/* Call stacks (-g): what every sample record holds. */
	bool stacks;		/* a call graph is on */
	uint64_t sample_type;	/* of every event opened */
	uint64_t regs_mask;	/* sample_regs_user, with PERF_SAMPLE_REGS_USER */
	size_t chain_max;	/* entries of a chain kept */
	unsigned kernel_max_stack;	/* sample_max_stack: --max-stack, or the
					 * kernel's limit where that is lower */

	unsigned char *scratch;	/* a record that wraps the ring end */
	struct rs_sample *unit;	/* a sample with its stacks, as pushed */
	struct rs_sample mmap_slots[1 + RS_MMAP_SLOTS(PERF_MAX_PATH)];
	struct sampler_stats count;	/* threads aside: nthreads */
};

/* Hash a thread id. */
static size_t
perf_tid_hash(uint32_t tid, size_t cap)
{
	return (size_t)((tid * 2654435761u) & (cap - 1));
}

/* Whether tid is in the set. */
static bool
perf_tidset_has(const struct perf_tidset *s, uint32_t tid)
{
	if (s->cap == 0)
		return false;
	for (size_t i = perf_tid_hash(tid, s->cap);; i = (i + 1) & (s->cap - 1)) {
		if (s->v[i] == 0)
			return false;
		if (s->v[i] == tid)
			return true;
	}
}

/* Add tid to the set (tid 0 is never stored). */
static void
perf_tidset_add(struct perf_tidset *s, uint32_t tid)
{
	if (tid == 0 || perf_tidset_has(s, tid))
		return;
	if ((s->n + 1) * 2 > s->cap) {
		struct perf_tidset bigger = { NULL, s->cap ? s->cap * 2 : 64, 0 };

		bigger.v = xcalloc(bigger.cap, sizeof *bigger.v);
		for (size_t i = 0; i < s->cap; i++)
			if (s->v[i] != 0)
				perf_tidset_add(&bigger, s->v[i]);
		free(s->v);
		*s = bigger;
	}
	for (size_t i = perf_tid_hash(tid, s->cap);; i = (i + 1) & (s->cap - 1)) {
		if (s->v[i] == 0) {
			s->v[i] = tid;
			s->n++;
			return;
		}
	}
}

static void perf_add_pid(struct perf_sampler *s, pid_t pid);

/* Hash a sample id. */
static size_t
perf_id_hash(uint64_t id, size_t cap)
{
	return (size_t)((id * 0x9e3779b97f4a7c15ull) >> 32) & (cap - 1);
}

/* Remember which event a sample id belongs to. */
static void
perf_idmap_add(struct perf_idmap *m, uint64_t id, unsigned ev)
{
	size_t i;

	if (id == 0)
		return;
	if ((m->n + 1) * 2 > m->cap) {
		struct perf_idmap bigger = { NULL, NULL, m->cap ? m->cap * 2 : 64, 0 };

		bigger.ids = xcalloc(bigger.cap, sizeof *bigger.ids);
		bigger.evs = xcalloc(bigger.cap, sizeof *bigger.evs);
		for (size_t j = 0; j < m->cap; j++)
			if (m->ids[j] != 0)
				perf_idmap_add(&bigger, m->ids[j], m->evs[j]);
		free(m->ids);
		free(m->evs);
		*m = bigger;
	}
	for (i = perf_id_hash(id, m->cap); m->ids[i] != 0 && m->ids[i] != id;
	    i = (i + 1) & (m->cap - 1))
		;
	if (m->ids[i] == 0)
		m->n++;
	m->ids[i] = id;
	m->evs[i] = (uint16_t)ev;
}

/* The event index of a sample id, or EVENT_COUNT. Inherited events report
 * their parent's id, so every id is one we opened. */
static unsigned
perf_event_of(const struct perf_sampler *s, uint64_t id)
{
	const struct perf_idmap *m = &s->idmap;

	if (m->cap == 0 || id == 0)
		return EVENT_COUNT;
	for (size_t i = perf_id_hash(id, m->cap);; i = (i + 1) & (m->cap - 1)) {
		if (m->ids[i] == id)
			return m->evs[i];
		if (m->ids[i] == 0)
			return EVENT_COUNT;
	}
}

/* Push one record; count it as lost for its event when the ring is full. */
static void
perf_push(struct perf_sampler *s, const struct rs_sample *rec)
{
	if (!ring_push(s->ring, rec) && rec->event < EVENT_COUNT)
		s->count.lost[rec->event]++;
}

/* The index of tid in the wall-clock table, or SIZE_MAX. */
static size_t
perf_wall_find(const struct perf_wall *w, uint32_t tid)
{
	if (w->idx_cap == 0 || tid == 0)
		return SIZE_MAX;
	for (size_t i = perf_tid_hash(tid, w->idx_cap);; i = (i + 1) & (w->idx_cap - 1)) {
		if (w->keys[i] == tid)
			return w->vals[i];
		if (w->keys[i] == 0)
			return SIZE_MAX;
	}
}

/* Put entry j of the wall-clock table in its index. */
static void
perf_wall_index(struct perf_wall *w, size_t j)
{
	uint32_t tid = (uint32_t)w->v[j].ps.tid;
	size_t i;

	for (i = perf_tid_hash(tid, w->idx_cap); w->keys[i] != 0 && w->keys[i] != tid;
	    i = (i + 1) & (w->idx_cap - 1))
		;
	w->keys[i] = tid;
	w->vals[i] = (uint32_t)j;
}

/* Index every entry of the wall-clock table again, in at least cap slots. */
static void
perf_wall_reindex(struct perf_wall *w, size_t cap)
{
	if (cap < 64)
		cap = 64;
	while (cap < (w->n + 1) * 2)
		cap *= 2;
	free(w->keys);
	free(w->vals);
	w->keys = xcalloc(cap, sizeof *w->keys);
	w->vals = xcalloc(cap, sizeof *w->vals);
	w->idx_cap = cap;
	for (size_t j = 0; j < w->n; j++)
		perf_wall_index(w, j);
}

/* Visit thread tid of process pid at every wall-clock pass from now on
 * (a listing or a FORK record named it). */
static void
perf_wall_add(struct perf_wall *w, pid_t pid, pid_t tid)
{
	struct perf_wthread *t;
	struct rs_sample *run_stack = NULL;
	size_t i;

	if (pid <= 0 || tid <= 0)
		return;
	i = perf_wall_find(w, (uint32_t)tid);
	if (i != SIZE_MAX) {
		t = &w->v[i];
		t->seen = true;
		if (!t->gone && t->ps.pid == pid)
			return;
		/* Ended, and the tid is in use again. */
		procstat_thread_close(&t->ps);
		run_stack = t->run_stack;
	} else {
		if (w->n == w->cap) {
			w->cap = w->cap != 0 ? w->cap * 2 : 64;
			w->v = xreallocarray(w->v, w->cap, sizeof *w->v);
		}
		i = w->n++;
		t = &w->v[i];
		t->ps.tid = tid;
		if (w->n * 2 > w->idx_cap)
			perf_wall_reindex(w, w->idx_cap * 2);
		else
			perf_wall_index(w, i);
	}
	memset(t, 0, sizeof *t);
	procstat_thread_init(&t->ps, pid, tid);
	t->seen = true;
	/* Room for its latest cpu-clock sample's stack, which its time
	 * waiting for a CPU goes to. */
	if (run_stack == NULL && w->stack_slots > 0)
		run_stack = xcalloc(w->stack_slots, sizeof *run_stack);
	t->run_stack = run_stack;
}

/* A thread ended: close its files; its entry goes at the next refresh. */
static void
perf_wall_close(struct perf_wthread *t)
{
	procstat_thread_close(&t->ps);
	t->gone = true;
}

/* List the threads of every sampled process again: add the new ones,
 * remove the ended ones, forget processes that are gone. */
static void
perf_wall_refresh(struct perf_sampler *s, uint64_t now)
{
	struct perf_wall *w = &s->wall;
	size_t j = 0;

	for (size_t i = 0; i < w->n; i++)
		w->v[i].seen = false;
	for (size_t p = 0; p < s->npids;) {
		pid_t *tids;
		size_t n;
		char *why = NULL;

		if (target_threads(s->pids[p], &tids, &n, &why) < 0) {
			free(why);
			if (kill(s->pids[p], 0) < 0 && errno == ESRCH) {
				/* Gone: its pid may come back as
				 * another process's. */
				s->pids[p] = s->pids[--s->npids];
				continue;
			}
			p++;
			continue;
		}
		for (size_t k = 0; k < n; k++)
			perf_wall_add(w, s->pids[p], tids[k]);
		free(tids);
		p++;
	}
	for (size_t i = 0; i < w->n; i++) {
		if (!w->v[i].seen || w->v[i].gone) {
			procstat_thread_close(&w->v[i].ps);
			free(w->v[i].run_stack);
			continue;
		}
		w->v[j++] = w->v[i];
	}
	if (j < w->n) {
		w->n = j;
		perf_wall_reindex(w, w->idx_cap);
	}
	w->refresh = false;
	w->next_refresh_ns = now + PERF_WALL_REFRESH_NS;
}

/* Set a thread's baseline: now, and its schedstat now. */
static void
perf_wall_base(struct perf_wthread *t, uint64_t now,
    const struct procstat_sched *sc)
{
	t->last_visit_ns = now;
	t->last_run_ns = sc->run_ns;
	t->last_wait_ns = sc->wait_ns;
	t->last_slices = sc->slices;
	t->based = true;
}

/* Push a sample with the n slots of stack records before it in
 * s->unit, as one unit; a full ring loses the sample. */
static void
perf_push_unit(struct perf_sampler *s, const struct rs_sample *rec, size_t n)
{
	s->unit[n] = *rec;
	s->unit[n].flags |= RS_SAMPLE_STACK;
	if (!ring_push_n(s->ring, s->unit, n + 1) && rec->event < EVENT_COUNT)
		s->count.lost[rec->event]++;
}

/* Push a blocked thread's wall-clock sample of period ns at its site;
 * with call stacks, its stack from the site's sp before it. */
static void
perf_wall_sample(struct perf_sampler *s, const struct perf_wthread *t,
    uint64_t now, uint64_t period)
{
	struct rs_sample rec;

	if (period == 0)
		return;
	memset(&rec, 0, sizeof rec);
	rec.kind = RS_REC_SAMPLE;
	rec.event = EVENT_WAIT_TIME;
	rec.flags = RS_SAMPLE_BLOCKED;
	rec.ip = t->pc;
	rec.pid = (uint32_t)t->ps.pid;
	rec.tid = (uint32_t)t->ps.tid;
	rec.time = now;
	rec.period = period;
	rec.arg = t->nr;
	s->count.samples++;
	if (s->stacks) {
		struct rs_ustack u;

		ustack_sp_ip(&u, t->sp, t->pc);
		perf_push_unit(s, &rec, ustack_user(s->unit, &rec, &u,
		    s->opts.stack_size));
		return;
	}
	perf_push(s, &rec);
}

/* Give a thread's time runnable but waiting for a CPU since the last
 * visit to where it last ran (its latest cpu-clock sample for wait-time):
 * a preempted thread is still where it was running, and a wall-clock
 * profile counts that time there. Without a place yet, it waits. */
static void
perf_wall_runqueue(struct perf_sampler *s, struct perf_wthread *t,
    uint64_t now, const struct procstat_sched *sc)
{
	struct rs_sample rec;

	if (sc->wait_ns < t->rq_base_ns)
		t->rq_base_ns = sc->wait_ns;
	if (!t->have_run_ip || sc->wait_ns == t->rq_base_ns)
		return;
	memset(&rec, 0, sizeof rec);
	rec.kind = RS_REC_SAMPLE;
	rec.event = EVENT_WAIT_TIME;
	rec.flags = t->run_flags;
	rec.ip = t->run_ip;
	rec.pid = (uint32_t)t->ps.pid;
	rec.tid = (uint32_t)t->ps.tid;
	rec.time = now;
	rec.period = sc->wait_ns - t->rq_base_ns;
	t->rq_base_ns = sc->wait_ns;
	s->count.samples++;
	if (t->run_nst > 0) {
		/* That sample's stack, stamped as this one. */
		memcpy(s->unit, t->run_stack, t->run_nst * sizeof *s->unit);
		for (size_t i = 0; i < t->run_nst; i += 1 + s->unit[i].arg)
			s->unit[i].time = now;
		perf_push_unit(s, &rec, t->run_nst);
		return;
	}
	perf_push(s, &rec);
}

/* Visit one thread. Found blocked (S, D or I), its wait site gets the
 * time since its baseline minus the time it ran (cpu-clock samples cover
 * that) and waited for a CPU in between; found running, nothing: the
 * time goes to the next blocked visit. Time runnable but waiting for a
 * CPU goes where the thread last ran (perf_wall_runqueue). Stopped and dead
 * threads get nothing either, and their baseline moves on. Reads, in
 * order of cost: schedstat (0.5 us); a thread not scheduled in since it
 * was found blocked still waits at the same site, so that is all. Else
 * syscall (1.3 us), "running" for a running thread; then stat (2.4 us)
 * only to tell a blocked thread from a stopped or dead one. */
static void
perf_wall_visit(struct perf_sampler *s, struct perf_wthread *t, uint64_t now)
{
	struct procstat_sched sc;
	struct procstat_stat st;
	struct procstat_syscall sys;
	uint64_t period, used;

	if (procstat_read_sched(&t->ps, &sc) < 0) {
		if (errno == ESRCH)
			perf_wall_close(t);
		return;
	}
	if (!t->based)
		t->rq_base_ns = sc.wait_ns;
	perf_wall_runqueue(s, t, now, &sc);
	if (t->blocked && sc.slices != 0 && sc.slices == t->last_slices &&
	    sc.run_ns == t->last_run_ns && sc.wait_ns == t->last_wait_ns) {
		perf_wall_sample(s, t, now, now - t->last_visit_ns);
		t->last_visit_ns = now;
		return;
	}
	t->blocked = false;
	if (procstat_read_syscall(&t->ps, &sys) < 0) {
		if (errno == ESRCH) {
			perf_wall_close(t);
		} else if (errno == EACCES || errno == EPERM) {
			/* No ptrace access (a set-id exec): skipped
			 * until it ends. */
			procstat_thread_close(&t->ps);
			t->denied = true;
		}
		return;
	}
	if (sys.where == PROCSTAT_RUNNING) {
		if (!t->based)
			perf_wall_base(t, now, &sc);
		return;
	}
	if (procstat_read_stat(&t->ps, &st) < 0) {
		if (errno == ESRCH)
			perf_wall_close(t);
		return;
	}
	switch (st.state) {
	case 'S':
	case 'D':
	case 'I':
		break;
	case 'R':
		/* Woken since. */
		if (!t->based)
			perf_wall_base(t, now, &sc);
		return;
	default:
		perf_wall_base(t, now, &sc);
		return;
	}
	if (!t->based) {
		/* Blocked since before its first visit. */
		period = s->wall.interval_ns;
	} else {
		period = now - t->last_visit_ns;
		used = (sc.run_ns - t->last_run_ns) + (sc.wait_ns - t->last_wait_ns);
		if (sc.run_ns < t->last_run_ns || sc.wait_ns < t->last_wait_ns)
			used = 0;
		period = period > used ? period - used : 0;
	}
	t->pc = sys.pc;
	t->sp = sys.sp;
	t->nr = sys.where == PROCSTAT_SYSCALL ? (uint32_t)sys.nr : RS_NO_SYSCALL;
	t->blocked = true;
	perf_wall_base(t, now, &sc);
	perf_wall_sample(s, t, now, period);
}

/* The wall-clock pass: visit every thread of every sampled process. No
 * allocation and no directory listing, except at a refresh. */
static void
perf_wall_pass(struct perf_sampler *s)
{
	struct perf_wall *w = &s->wall;
	struct timespec ts;
	uint64_t ticks, now;

	if (read(w->tfd, &ticks, sizeof ticks) < 0) {
		/* EAGAIN: nothing expired; the pass runs anyway. */
	}
	if (!w->live)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	if (w->refresh || now >= w->next_refresh_ns)
		perf_wall_refresh(s, now);
	for (size_t i = 0; i < w->n; i++) {
		struct perf_wthread *t = &w->v[i];

		if (!t->gone && !t->denied)
			perf_wall_visit(s, t, now);
	}
}

/* Start the wall-clock pass of wait-time, ticking at the sampling rate
 * (idempotent). */
static int
perf_wall_start(struct perf_sampler *s, char **cause)
{
	struct perf_wall *w = &s->wall;
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = PERF_WALL_TAG };
	struct itimerspec its;
	uint64_t ns;

	if (w->tfd >= 0)
		return 0;
	if (s->opts.rate.period != 0)
		ns = s->opts.rate.period;	/* time-based: nanoseconds */
	else if (s->opts.rate.freq != 0)
		ns = 1000000000u / s->opts.rate.freq;
	else
		ns = 1000000;
	if (ns < PERF_WALL_MIN_NS)
		ns = PERF_WALL_MIN_NS;
	w->interval_ns = ns;
	w->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (w->tfd < 0) {
		*cause = xasprintf(_("cannot create the wait-time timer: %s"), strerror(errno));
		return -1;
	}
	its.it_interval.tv_sec = (time_t)(ns / 1000000000u);
	its.it_interval.tv_nsec = (long)(ns % 1000000000u);
	its.it_value = its.it_interval;
	if (timerfd_settime(w->tfd, 0, &its, NULL) < 0 ||
	    epoll_ctl(s->epfd, EPOLL_CTL_ADD, w->tfd, &ev) < 0) {
		*cause = xasprintf(_("cannot start the wait-time timer: %s"), strerror(errno));
		close(w->tfd);
		w->tfd = -1;
		return -1;
	}
	w->refresh = true;
	return 0;
}

/* Stop the wall-clock pass and release its table. */
static void
perf_wall_free(struct perf_sampler *s)
{
	struct perf_wall *w = &s->wall;

	if (w->tfd >= 0) {
		if (s->epfd >= 0)
			epoll_ctl(s->epfd, EPOLL_CTL_DEL, w->tfd, NULL);
		close(w->tfd);
	}
	for (size_t i = 0; i < w->n; i++) {
		procstat_thread_close(&w->v[i].ps);
		free(w->v[i].run_stack);
	}
	free(w->v);
	free(w->keys);
	free(w->vals);
	w->v = NULL;
	w->keys = NULL;
	w->vals = NULL;
	w->n = w->cap = w->idx_cap = 0;
	w->tfd = -1;
}

/* An MMAP2 record (either form: device and inode, or build-id): the
 * mapping and its path, pushed as one unit. */
static void
perf_mmap2(struct perf_sampler *s, uint16_t misc, const unsigned char *p,
    size_t len)
{
	struct rs_sample *out = s->mmap_slots;
	struct perfrec_mmap2 mm;
	struct rs_mmap_info info;
	size_t path_len, n;

	if (perfrec_mmap2(p, len, misc, &mm) < 0) {
		s->count.malformed++;
		return;
	}
	memset(out, 0, sizeof s->mmap_slots);
	out[0].kind = RS_REC_MMAP;
	out[0].event = EVENT_COUNT;
	out[0].pid = mm.pid;
	out[0].tid = mm.tid;
	out[0].ip = mm.addr;
	out[0].period = mm.len;
	out[0].time = mm.pgoff;
	memset(&info, 0, sizeof info);
	info.dev_major = mm.maj;
	info.dev_minor = mm.min;
	info.inode = mm.ino;
	info.prot = mm.prot;
	memcpy(info.build_id, mm.build_id, mm.build_id_len);
	info.build_id_len = (uint32_t)mm.build_id_len;
	path_len = mm.path_len < PERF_MAX_PATH ? mm.path_len : PERF_MAX_PATH;
	info.path_len = (uint32_t)path_len;
	n = RS_MMAP_SLOTS(path_len);
	out[0].arg = (uint32_t)n;
	memcpy(&out[1], &info, sizeof info);
	memcpy((char *)&out[1] + sizeof info, mm.path, path_len);
	/* Payload slots are raw bytes: the reader trusts the header's
	 * count, never a payload slot's kind field. */
	ring_push_n(s->ring, out, n + 1);
}

/* A spawned target has exec'd (its exec COMM record, or a sample of it):
 * the wall-clock pass may start; before, it would sample the child held
 * in our own code. */
static void
perf_exec_seen(struct perf_sampler *s, pid_t pid)
{
	if (s->target->n > 0 && s->target->procs[0].pid == pid) {
		s->wall.live = true;
		s->wall.refresh = true;
	}
}

/* Build a sample's stack records in s->unit from its record: its call
 * chain (the kernel's part alone with dwarf) as an RS_STACK_CHAIN, its
 * user registers and stack as an RS_STACK_USER. The slots taken (0:
 * none), or -1 where the record holds more stack than was asked for. */
static ssize_t
perf_stacks(struct perf_sampler *s, const struct rs_sample *rec,
    const struct perfrec_sample *ps)
{
	size_t n = 0;

	if (ps->nchain > 0) {
		size_t k = ps->nchain < s->chain_max ? (size_t)ps->nchain : s->chain_max;

		/* Past chain_max, the outermost frames are cut. */
		memcpy(ustack_payload(s->unit), ps->chain, k * 8);
		n += ustack_header(s->unit, rec, RS_STACK_CHAIN, k, k * 8);
	}
	if (ps->regs != NULL) {
		struct rs_ustack u;
		unsigned char *pl = ustack_payload(&s->unit[n]);
		size_t r = 0;

		if (ps->stack_len > s->opts.stack_size)
			return -1;
		memset(&u, 0, sizeof u);
		u.mask = s->regs_mask;
		for (unsigned i = 0; i < RS_USTACK_NREGS; i++)
			if (s->regs_mask & (1ull << i))
				memcpy(&u.regs[i], ps->regs + 8 * r++, 8);
		/* The kernel copies the stack from the user sp. */
		u.sp = u.regs[RS_REG_SP];
		memcpy(pl, &u, sizeof u);
		if (ps->stack_len > 0)
			memcpy(pl + sizeof u, ps->stack, (size_t)ps->stack_len);
		n += ustack_header(&s->unit[n], rec, RS_STACK_USER,
		    ps->stack_len, sizeof u + (size_t)ps->stack_len);
	}
	return (ssize_t)n;
}

/* A sample record: the sample, after its stack records where it has
 * any, as one unit. A record whose lengths run past its end is skipped
 * and counted. */
static void
perf_sample(struct perf_sampler *s, uint16_t misc, const unsigned char *p,
    size_t len)
{
	struct perfrec_sample ps;
	struct rs_sample rec;
	ssize_t n = 0;

	if (perfrec_sample(p, len, s->sample_type, s->regs_mask, &ps) < 0) {
		s->count.malformed++;
		return;
	}
	memset(&rec, 0, sizeof rec);
	rec.event = (uint16_t)perf_event_of(s, ps.id);
	if (rec.event >= EVENT_COUNT)
		return;
	rec.kind = RS_REC_SAMPLE;
	rec.ip = ps.ip;
	rec.pid = ps.pid;
	rec.tid = ps.tid;
	rec.time = ps.time;
	rec.period = ps.period;
	if ((misc & PERF_RECORD_MISC_CPUMODE_MASK) == PERF_RECORD_MISC_KERNEL)
		rec.flags |= RS_SAMPLE_KERNEL;
	if (s->stacks && (n = perf_stacks(s, &rec, &ps)) < 0) {
		s->count.malformed++;
		return;
	}
	if (!s->wall.live)
		perf_exec_seen(s, (pid_t)rec.pid);
	if (rec.event == EVENT_WAIT_TIME && s->wall.tfd >= 0) {
		size_t i = perf_wall_find(&s->wall, rec.tid);

		if (i != SIZE_MAX) {
			struct perf_wthread *t = &s->wall.v[i];

			t->run_ip = rec.ip;
			t->run_flags = rec.flags;
			t->have_run_ip = true;
			t->run_nst = 0;
			if (n > 0 && t->run_stack != NULL) {
				memcpy(t->run_stack, s->unit, (size_t)n * sizeof *s->unit);
				t->run_nst = (size_t)n;
			}
		}
	}
	s->count.samples++;
	if (n > 0)
		perf_push_unit(s, &rec, (size_t)n);
	else
		perf_push(s, &rec);
}

/* Turn one kernel record into ring records. */
static void
perf_record(struct perf_sampler *s, const struct perf_event_header *h)
{
	const unsigned char *p = (const unsigned char *)(h + 1);
	size_t len = h->size - sizeof *h;
	struct rs_sample rec;
	uint64_t u[2];
	uint32_t w[4];

	memset(&rec, 0, sizeof rec);
	rec.event = EVENT_COUNT;
	switch (h->type) {
	case PERF_RECORD_SAMPLE:
		perf_sample(s, h->misc, p, len);
		return;
	case PERF_RECORD_MMAP2:
		perf_mmap2(s, h->misc, p, len);
		return;
	case PERF_RECORD_COMM:
		if (len < 8)
			return;
		memcpy(&rec.pid, p, 4);
		memcpy(&rec.tid, p + 4, 4);
		rec.arg = (h->misc & PERF_RECORD_MISC_COMM_EXEC) != 0;
		rec.kind = RS_REC_COMM;
		if (rec.arg && !s->wall.live)
			perf_exec_seen(s, (pid_t)rec.pid);
		perf_push(s, &rec);
		return;
	case PERF_RECORD_FORK:
	case PERF_RECORD_EXIT:
		if (len < 16)
			return;
		memcpy(w, p, 16);	/* pid, ppid, tid, ptid */
		rec.pid = w[0];
		rec.arg = w[1];
		rec.tid = w[2];
		rec.kind = h->type == PERF_RECORD_FORK ? RS_REC_FORK : RS_REC_EXIT;
		if (h->type == PERF_RECORD_FORK) {
			/* A thread we opened on our own that is also
			 * inherited would be counted twice. */
			if (perf_tidset_has(&s->opened, rec.tid)) {
				for (size_t i = 0; i < s->nthreads; i++)
					if (s->threads[i].tid == (pid_t)rec.tid) {
						s->threads[i].dup = true;
						s->have_dup = true;
					}
			}
			/* Only the attach asks what is covered: past it
			 * the set would grow by every thread ever born. */
			if (!s->started)
				perf_tidset_add(&s->covered, rec.tid);
			if (rec.pid != rec.arg)
				perf_add_pid(s, (pid_t)rec.pid);
			if (s->wall.tfd >= 0)
				perf_wall_add(&s->wall, (pid_t)rec.pid, (pid_t)rec.tid);
		} else if (s->wall.tfd >= 0) {
			size_t i = perf_wall_find(&s->wall, rec.tid);

			if (i != SIZE_MAX && s->wall.v[i].ps.pid == (pid_t)rec.pid)
				perf_wall_close(&s->wall.v[i]);
		}
		perf_push(s, &rec);
		return;
	case PERF_RECORD_LOST:
		if (len < 16)
			return;
		memcpy(u, p, 16);
		rec.event = (uint16_t)perf_event_of(s, u[0]);
		if (rec.event < EVENT_COUNT)
			s->count.lost[rec.event] += u[1];
		rec.kind = RS_REC_LOST;
		rec.period = u[1];
		perf_push(s, &rec);
		return;
	case PERF_RECORD_LOST_SAMPLES:
		/* lost, then the sample_id fields ending in IDENTIFIER */
		if (len < 16)
			return;
		memcpy(&u[0], p, 8);
		memcpy(&u[1], p + len - 8, 8);
		rec.event = (uint16_t)perf_event_of(s, u[1]);
		if (rec.event < EVENT_COUNT)
			s->count.lost[rec.event] += u[0];
		return;
	case PERF_RECORD_THROTTLE:
		s->count.throttled++;
		return;
	default:
		return;
	}
}

/* Copy len bytes of ring b from position pos (wrapping at its end). */
static void
perf_buf_copy(const struct perf_buf *b, uint64_t pos, void *dst, size_t len)
{
	uint64_t size = b->mask + 1, off = pos & b->mask;
	size_t first;

	if (off + len <= size) {
		memcpy(dst, b->data + off, len);
		return;
	}
	first = (size_t)(size - off);
	memcpy(dst, b->data + off, first);
	memcpy((unsigned char *)dst + first, b->data, len - first);
}

/* Where a record's time is, from its start (0: it has none): a sample's
 * after its identifier, ip and pids; any other record's in the sample_id
 * trailer (sample_id_all), before the id, stream id, cpu and identifier
 * fields asked for. */
static size_t
perf_time_at(const struct perf_sampler *s, const struct perf_event_header *h)
{
	const uint64_t after = PERF_SAMPLE_ID | PERF_SAMPLE_STREAM_ID |
	    PERF_SAMPLE_CPU | PERF_SAMPLE_IDENTIFIER;
	size_t at;

	if (!(s->sample_type & PERF_SAMPLE_TIME))
		return 0;
	if (h->type == PERF_RECORD_SAMPLE) {
		at = sizeof *h;
		at += s->sample_type & PERF_SAMPLE_IDENTIFIER ? 8 : 0;
		at += s->sample_type & PERF_SAMPLE_IP ? 8 : 0;
		at += s->sample_type & PERF_SAMPLE_TID ? 8 : 0;
		return at + 8 <= h->size ? at : 0;
	}
	at = 8 + 8 * (size_t)__builtin_popcountll(s->sample_type & after);
	return h->size >= sizeof *h + at ? h->size - at : 0;
}

/* The next complete record of a ring between c->tail and c->head: its
 * header and time in c; false if there is none (or it is malformed: the
 * rest of the ring is left). */
static bool
perf_buf_peek(const struct perf_sampler *s, const struct perf_buf *b,
    struct perf_cursor *c)
{
	size_t at;

	c->time = 0;
	if (b->meta == NULL || c->tail + sizeof c->hdr > c->head)
		return false;
	perf_buf_copy(b, c->tail, &c->hdr, sizeof c->hdr);
	if (c->hdr.size < sizeof c->hdr || c->tail + c->hdr.size > c->head)
		return false;
	if ((at = perf_time_at(s, &c->hdr)) != 0)
		perf_buf_copy(b, c->tail + at, &c->time, sizeof c->time);
	return true;
}

/* Handle the record c points at and step past it. */
static void
perf_buf_take(struct perf_sampler *s, const struct perf_buf *b,
    struct perf_cursor *c)
{
	uint64_t off = c->tail & b->mask;
	const struct perf_event_header *h;

	if (off + c->hdr.size <= b->mask + 1 && off % 8 == 0)
		h = (const struct perf_event_header *)(b->data + off);
	else {
		/* A record that wraps around the end of the ring, or one
		 * after a record whose size is not a multiple of 8 (the
		 * kernel writes none): read from an aligned copy. */
		perf_buf_copy(b, c->tail, s->scratch, c->hdr.size);
		h = (const struct perf_event_header *)s->scratch;
	}
	perf_record(s, h);
	c->tail += c->hdr.size;
}

/*
 * Read every complete record of n rings, oldest first by their times:
 * the rings are per CPU, and a record in one (an exec, a new mapping)
 * must be seen before the samples another holds from after it, and after
 * those from before (samples of the old image read after its exec were
 * looked up in the new one). Records still to come may be older than
 * some read now: the order holds within one drain.
 */
static void
perf_drain_bufs(struct perf_sampler *s, struct perf_buf *bufs,
    struct perf_cursor *cur, size_t n)
{
	size_t c, best;

	for (c = 0; c < n; c++) {
		cur[c].live = false;
		if (bufs[c].meta == NULL)
			continue;
		cur[c].head = __atomic_load_n(&bufs[c].meta->data_head,
		    __ATOMIC_ACQUIRE);
		cur[c].tail = bufs[c].meta->data_tail;
		cur[c].start = cur[c].tail;
		cur[c].live = perf_buf_peek(s, &bufs[c], &cur[c]);
	}
	for (;;) {
		best = n;
		for (c = 0; c < n; c++)
			if (cur[c].live && (best == n ||
			    cur[c].time < cur[best].time))
				best = c;
		if (best == n)
			break;
		perf_buf_take(s, &bufs[best], &cur[best]);
		cur[best].live = perf_buf_peek(s, &bufs[best], &cur[best]);
	}
	for (c = 0; c < n; c++)
		if (bufs[c].meta != NULL && cur[c].tail != cur[c].start)
			__atomic_store_n(&bufs[c].meta->data_tail, cur[c].tail,
			    __ATOMIC_RELEASE);
}

/* Stop the events we opened on a thread that turned out to be inherited
 * too. A ring's owner keeps its fd (the mapping needs it) but stops. */
static void
perf_undup(struct perf_sampler *s)
{
	s->have_dup = false;
	for (size_t i = 0; i < s->nthreads; i++) {
		struct perf_thread *t = &s->threads[i];

		if (!t->dup)
			continue;
		t->dup = false;
		for (size_t j = 0; j < t->nfds; j++) {
			bool owner = false;

			for (size_t c = 0; c < s->ncpus; c++)
				owner = owner || s->bufs[c].fd == t->fds[j];
			ioctl(t->fds[j], PERF_EVENT_IOC_DISABLE, 0);
			if (!owner) {
				close(t->fds[j]);
				t->fds[j] = -1;
			}
		}
	}
}

/* Read every ring. */
static void
perf_drain_all(struct perf_sampler *s)
{
	perf_drain_bufs(s, s->bufs, s->cur, s->ncpus);
	if (s->have_dup)
		perf_undup(s);
}

/* The deepest chain the kernel gives (kernel.perf_event_max_stack): the
 * frames asked for, or fewer where the kernel allows fewer. With -g
 * dwarf only the kernel's own frames come that way. */
static unsigned
perf_kernel_max_stack(const struct sampler_opts *o)
{
	long max = events_sysctl("perf_event_max_stack", -1);

	if (max > 0 && o->max_stack > (unsigned long)max)
		return (unsigned)max;
	return o->max_stack;
}

/* Add a notice to an event's (taking note). */
static void
perf_note(struct sampler_event *se, char *note)
{
	char *both;

	if (se->notice == NULL) {
		se->notice = note;
		return;
	}
	both = xasprintf("%s; %s", se->notice, note);
	free(se->notice);
	free(note);
	se->notice = both;
}

/* The attr of event ev: events_attr's, the kernel sampled where kernel,
 * and the call stacks -g asks for. */
static void
perf_attr(const struct perf_sampler *s, unsigned ev, bool kernel, bool on_exec,
    struct perf_event_attr *attr)
{
	events_attr(ev, &s->opts.rate, !kernel, on_exec, attr);
	if (s->stacks)
		events_attr_stack(attr, s->opts.callgraph == SAMPLER_CG_DWARF,
		    s->kernel_max_stack, s->opts.stack_size);
}

/* Map the ring of one CPU on fd. */
static int
perf_map_ring(struct perf_sampler *s, struct perf_buf *b, int fd, char **cause)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t pages = s->pages;
	void *m = MAP_FAILED;

	while (pages >= 1) {
		b->map_len = (pages + 1) * (size_t)page;
		m = mmap(NULL, b->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (m != MAP_FAILED || (errno != EPERM && errno != ENOMEM))
			break;
		pages /= 2;
	}
	if (m == MAP_FAILED) {
		*cause = xasprintf(_("cannot map the perf buffer of CPU %d: %s (raise kernel.perf_event_mlock_kb, or run as root)"),
		    b->cpu, strerror(errno));
		return -1;
	}
	b->fd = fd;
	b->meta = m;
	b->data = (unsigned char *)m + page;
	b->mask = pages * (uint64_t)page - 1;
	return 0;
}

/* Open events evs on one thread, on every CPU, into the CPUs' rings; the
 * first carries the side-band records (mmap, comm, task) when sideband;
 * armed for exec when on_exec, else enabled at once.
 * Returns 0, 1 when the thread is already gone, or -1 with *cause. */
static int
perf_open_events(struct perf_sampler *s, pid_t pid, pid_t tid, const unsigned *evs,
    size_t nevs, bool sideband, bool on_exec, char **cause)
{
	struct perf_thread t = { pid, tid, NULL, 0, false };
	long page = sysconf(_SC_PAGESIZE);
	int err = 0;

	t.fds = xreallocarray(NULL, nevs * s->ncpus, sizeof *t.fds);
	for (size_t i = 0; i < nevs && err == 0; i++) {
		unsigned ev = evs[i];

		for (size_t c = 0; c < s->ncpus && err == 0; c++) {
			struct perf_buf *b = &s->bufs[c];
			struct perf_event_attr attr;
			uint64_t id = 0;
			int fd;

			perf_attr(s, ev, s->kernel, on_exec, &attr);
			if (i == 0 && sideband)
				events_attr_sideband(&attr, !s->no_build_id);
			attr.watermark = 1;
			attr.wakeup_watermark = (uint32_t)(s->pages * (size_t)page / 4);
			fd = events_open_sideband(events_open, &attr, tid,
			    s->cpus[c], -1, PERF_FLAG_FD_CLOEXEC);
			if (i == 0 && sideband && !attr.build_id)
				s->no_build_id = true;
			if (fd < 0) {
				err = errno;
				if (err != ESRCH) {
					char *why = events_strerror(ev, err);

					*cause = xasprintf(_("cannot sample %s on thread %d: %s"),
					    events_table[ev].name, (int)tid, why);
					free(why);
				}
				break;
			}
			t.fds[t.nfds++] = fd;
			if (b->meta == NULL) {
				if (perf_map_ring(s, b, fd, cause) < 0)
					err = -1;
			} else if (ioctl(fd, PERF_EVENT_IOC_SET_OUTPUT, b->fd) < 0) {
				err = errno;
				*cause = xasprintf(_("cannot share the perf buffer of CPU %d: %s"),
				    b->cpu, strerror(err));
			}
			if (err == 0 && ioctl(fd, PERF_EVENT_IOC_ID, &id) == 0)
				perf_idmap_add(&s->idmap, id, ev);
			/* Armed for exec, or started now that its samples
			 * have a ring and an id we know. */
			if (err == 0 && !on_exec)
				ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
		}
	}
	if (err != 0) {
		/* Rings this thread's events own stay mapped for others. */
		for (size_t j = 0; j < t.nfds; j++) {
			bool owner = false;

			for (size_t c = 0; c < s->ncpus; c++)
				owner = owner || s->bufs[c].fd == t.fds[j];
			if (!owner)
				close(t.fds[j]);
			else
				ioctl(t.fds[j], PERF_EVENT_IOC_DISABLE, 0);
		}
		free(t.fds);
		return err == ESRCH ? 1 : -1;
	}
	s->threads = xreallocarray(s->threads, s->nthreads + 1, sizeof *s->threads);
	s->threads[s->nthreads++] = t;
	return 0;
}

/* Open every event on one thread (at attach). */
static int
perf_open_thread(struct perf_sampler *s, pid_t pid, pid_t tid, char **cause)
{
	int rc = perf_open_events(s, pid, tid, s->open_evs, s->nopen, true,
	    s->on_exec, cause);

	if (rc == 0) {
		perf_tidset_add(&s->covered, (uint32_t)tid);
		perf_tidset_add(&s->opened, (uint32_t)tid);
	}
	return rc;
}

/* In the worker: open event ev on every live thread of every process
 * sampled so far (inherited by threads created later). */
static int
perf_add_event(void *b, unsigned ev, char **cause)
{
	struct perf_sampler *s = b;

	for (size_t j = 0; j < s->nopen; j++)
		if (s->open_evs[j] == ev)
			return 0;
	if (s->nopen == EVENT_COUNT) {
		*cause = xstrdup(_("too many events"));
		return -1;
	}
	/* wait-time's blocked threads: the wall-clock pass. */
	if (events_table[ev].kind == EVENT_WALL && perf_wall_start(s, cause) < 0)
		return -1;
	/* Drain first: FORK records name the processes born since. */
	perf_drain_all(s);
	for (size_t i = 0; i < s->npids; i++) {
		pid_t *tids;
		size_t n;
		char *why = NULL;

		if (target_threads(s->pids[i], &tids, &n, &why) < 0) {
			free(why);	/* gone: nothing to sample there */
			continue;
		}
		for (size_t k = 0; k < n; k++) {
			if (perf_open_events(s, s->pids[i], tids[k], &ev, 1, false,
			    false, cause) < 0) {
				free(tids);
				if (events_table[ev].kind == EVENT_WALL)
					perf_wall_free(s);
				return -1;
			}
		}
		free(tids);
	}
	s->open_evs[s->nopen++] = ev;
	return 0;
}

/* Remember a process whose threads an added event must reach. When the
 * list reaches twice its length after the last sweep (64 at least), the
 * processes gone are dropped first: a target that forks all the time keeps it as long as the
 * processes alive, not as long as all it ever started. */
static void
perf_add_pid(struct perf_sampler *s, pid_t pid)
{
	for (size_t i = 0; i < s->npids; i++)
		if (s->pids[i] == pid)
			return;
	if (s->npids >= s->pids_sweep) {
		for (size_t i = 0; i < s->npids;)
			if (kill(s->pids[i], 0) < 0 && errno == ESRCH)
				s->pids[i] = s->pids[--s->npids];
			else
				i++;
		s->pids_sweep = s->npids * 2 > 64 ? s->npids * 2 : 64;
	}
	s->pids = xreallocarray(s->pids, s->npids + 1, sizeof *s->pids);
	s->pids[s->npids++] = pid;
}

/* Whether event ev failed to open on tid (kernel sampled where
 * kernel) for its call stacks alone: the same attr without them opens. */
static bool
perf_stacks_refused(const struct perf_sampler *s, unsigned ev, bool kernel,
    pid_t tid)
{
	struct perf_event_attr plain;
	int fd;

	events_attr(ev, &s->opts.rate, !kernel, false, &plain);
	fd = events_open(&plain, tid, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* Decide each requested event's effective event (fallbacks) and whether
 * the kernel may be sampled, by opening it once on tid. */
static int
perf_resolve_events(struct perf_sampler *s, pid_t tid, struct sampler_setup *out,
    char **cause)
{
	s->kernel = !s->opts.no_kernel;
	for (size_t i = 0; i < s->opts.nevents; i++) {
		unsigned ev = s->opts.events[i];
		struct sampler_event *se = &out->evs[out->nevs++];
		struct perf_event_attr attr;
		int fd, err;

		se->requested = ev;
		se->effective = ev;
		se->notice = NULL;
	retry:
		perf_attr(s, se->effective, s->kernel, false, &attr);
		fd = events_open(&attr, tid, -1, -1, PERF_FLAG_FD_CLOEXEC);
		err = errno;
		if (fd < 0 && s->kernel && (err == EACCES || err == EPERM)) {
			perf_attr(s, se->effective, false, false, &attr);
			fd = events_open(&attr, tid, -1, -1, PERF_FLAG_FD_CLOEXEC);
			if (fd >= 0)
				s->kernel = false;
			else
				err = errno;
		}
		if (fd < 0 && s->stacks &&
		    perf_stacks_refused(s, se->effective, !attr.exclude_kernel, tid)) {
			char *why = events_strerror_stack(err,
			    s->opts.callgraph == SAMPLER_CG_DWARF,
			    s->opts.max_stack, s->opts.stack_size);

			*cause = xasprintf(_("cannot sample %s with call graphs: %s"),
			    events_table[se->effective].name, why);
			free(why);
			return -1;
		}
		if (fd >= 0) {
			char *why = NULL;

			close(fd);
			/* wait-time reads blocked threads' sites from /proc. */
			if (events_table[se->effective].kind == EVENT_WALL &&
			    events_probe(se->effective, tid, &s->opts.rate, &why) < 0) {
				*cause = xasprintf(_("cannot sample %s: %s"),
				    events_table[se->effective].name, why);
				free(why);
				return -1;
			}
		} else if (events_err_unsupported(err) &&
		    events_table[se->effective].fallback >= 0) {
			char *why = events_strerror(se->effective, err);
			unsigned fb = (unsigned)events_table[se->effective].fallback;

			se->notice = xasprintf(_("%s is not supported here (%s): showing %s"),
			    events_table[ev].name, why, events_table[fb].name);
			free(why);
			se->effective = fb;
			goto retry;
		} else {
			char *why = events_strerror(se->effective, err);

			out->refused = err == EACCES || err == EPERM ||
			    err == ENOSYS || err == ENOENT;
			if (err == ESRCH)
				*cause = xasprintf(_("process %d exited during attach"), (int)tid);
			else
				*cause = xasprintf(_("cannot sample %s: %s"),
				    events_table[se->effective].name, why);
			free(why);
			return -1;
		}
		for (size_t j = 0; j < s->nopen; j++)
			if (s->open_evs[j] == se->effective)
				goto next;
		s->open_evs[s->nopen++] = se->effective;
	next:;
	}
	return 0;
}

/* Refuse up front a target whose threads need more descriptors (one
 * per thread, event and CPU) than RLIMIT_NOFILE allows, naming both,
 * rather than fail part way or profile some threads only. */
static int
perf_check_nofile(struct perf_sampler *s, char **cause)
{
	size_t threads = target_thread_count(s->target), need, reserve;
	struct rlimit rl;

	need = threads * s->nopen * s->ncpus;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
		return 0;
	reserve = rl.rlim_cur / 4 < PERF_FD_RESERVE ? rl.rlim_cur / 4 : PERF_FD_RESERVE;
	if (need + reserve <= rl.rlim_cur)
		return 0;
	*cause = xasprintf(_("%zu thread(s) x %zu event(s) x %zu CPU(s) need %zu file descriptors, above the limit of %llu (RLIMIT_NOFILE): raise it (ulimit -n), or sample fewer events"),
	    threads, s->nopen, s->ncpus, need + reserve, (unsigned long long)rl.rlim_cur);
	return -1;
}

/* Open every thread of one process, re-scanning while threads appear
 * that no sampled thread created. */
static int
perf_attach_process(struct perf_sampler *s, pid_t pid, char **cause)
{
	for (int pass = 0; pass < PERF_ATTACH_PASSES; pass++) {
		pid_t *tids;
		size_t n;
		bool opened = false;

		if (target_threads(pid, &tids, &n, cause) < 0)
			return -1;
		/* Learn of threads born to sampled threads (FORK records)
		 * after listing, so none of those is opened twice. */
		perf_drain_all(s);
		for (size_t i = 0; i < n; i++) {
			int r;

			if (perf_tidset_has(&s->covered, (uint32_t)tids[i]))
				continue;
			r = perf_open_thread(s, pid, tids[i], cause);
			if (r < 0) {
				free(tids);
				return -1;
			}
			opened = opened || r == 0;
		}
		free(tids);
		if (!opened)
			return 0;
	}
	return 0;
}

/* The online CPUs, from sysfs ("0-3,5"), else 0..n-1. */
static void
perf_cpus(struct perf_sampler *s)
{
	char buf[4096];
	FILE *f = fopen("/sys/devices/system/cpu/online", "re");
	long n;

	if (f != NULL) {
		if (fgets(buf, sizeof buf, f) != NULL) {
			char *p = buf;

			while (*p != '\0' && *p != '\n') {
				char *end;
				long a = strtol(p, &end, 10), b;

				if (end == p || a < 0)
					break;
				b = a;
				p = end;
				if (*p == '-') {
					b = strtol(p + 1, &end, 10);
					if (end == p + 1 || b < a)
						break;
					p = end;
				}
				for (long c = a; c <= b && c < 65536; c++) {
					s->cpus = xreallocarray(s->cpus, s->ncpus + 1, sizeof *s->cpus);
					s->cpus[s->ncpus++] = (int)c;
				}
				if (*p == ',')
					p++;
			}
		}
		fclose(f);
	}
	if (s->ncpus > 0)
		return;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	for (long c = 0; c < n; c++) {
		s->cpus = xreallocarray(s->cpus, s->ncpus + 1, sizeof *s->cpus);
		s->cpus[s->ncpus++] = (int)c;
	}
}

/* Ring slots of the stack records of a perf sample record under o: its
 * call chain (with dwarf, the kernel's part), and its user stack (dwarf). */
static size_t
perf_stack_slots(const struct sampler_opts *o)
{
	size_t chain = USTACK_SLOTS(8 * SAMPLER_CHAIN_MAX(o->max_stack));

	if (o->callgraph == SAMPLER_CG_NONE)
		return 0;
	if (o->callgraph == SAMPLER_CG_DWARF)
		return chain + USTACK_SLOTS(sizeof(struct rs_ustack) + o->stack_size);
	return chain;
}

/* Ring slots of one sample under o: its stack records, or a blocked
 * thread's user stack (wait-time, either mode), then the sample. */
static size_t
perf_slots(const struct sampler_opts *o)
{
	size_t stack = perf_stack_slots(o),
	    user = USTACK_SLOTS(sizeof(struct rs_ustack) + o->stack_size);

	if (o->callgraph == SAMPLER_CG_NONE)
		return 1;
	return (stack > user ? stack : user) + 1;
}

/* Data pages of each CPU's ring: PERF_PAGES, or with user stacks (8 KiB
 * and more a sample) room for a busy thread's samples over the loop's
 * slowest pass (100 ms at -F; 1 kHz where a period is given), within
 * kernel.perf_event_mlock_kb a ring (the kernel allows each user that
 * much per CPU online). A power of two; the mapping still halves it on
 * EPERM or ENOMEM. */
static size_t
perf_ring_pages(const struct sampler_opts *o)
{
	long page = sysconf(_SC_PAGESIZE), kb;
	uint64_t rec, hz, want;
	size_t pages = PERF_PAGES;

	if (o->callgraph != SAMPLER_CG_DWARF || page <= 0)
		return PERF_PAGES;
	/* header; id, ip, tid, time, period; nr and a kernel chain; abi
	 * and the registers; size, the stack, dyn_size */
	rec = 8 + 40 + 8 + 8 * (uint64_t)SAMPLER_CHAIN_MAX(o->max_stack) +
	    8 + 8 * (uint64_t)__builtin_popcountll(EVENTS_REGS_USER) +
	    8 + o->stack_size + 8;
	hz = o->rate.freq != 0 ? o->rate.freq : 1000;
	want = rec * hz / PERF_PASS_HZ;
	while ((uint64_t)pages * (uint64_t)page < want && pages < 65536)
		pages *= 2;
	kb = events_sysctl("perf_event_mlock_kb", -1);
	if (kb > 0)
		while (pages > PERF_PAGES &&
		    ((uint64_t)pages + 1) * (uint64_t)page > (uint64_t)kb * 1024)
			pages /= 2;
	return pages;
}

/* Release everything (the worker has ended). */
static void
perf_free(void *b)
{
	struct perf_sampler *s = b;

	if (s == NULL)
		return;
	perf_wall_free(s);
	for (size_t i = 0; i < s->nthreads; i++) {
		for (size_t j = 0; j < s->threads[i].nfds; j++)
			if (s->threads[i].fds[j] >= 0)
				close(s->threads[i].fds[j]);
		free(s->threads[i].fds);
	}
	free(s->threads);
	for (size_t c = 0; c < s->ncpus && s->bufs != NULL; c++)
		if (s->bufs[c].meta != NULL)
			munmap(s->bufs[c].meta, s->bufs[c].map_len);
	free(s->bufs);
	free(s->cur);
	free(s->cpus);
	free(s->idmap.ids);
	free(s->idmap.evs);
	free(s->covered.v);
	free(s->opened.v);
	if (s->epfd >= 0)
		close(s->epfd);
	free(s->pids);
	free(s->scratch);
	free(s->unit);
	free(s);
}

/* In the worker: open every event on every thread of the target (armed
 * for exec where it is spawned, else enabled); the rings are read from
 * start on. */
static int
perf_open(void **bp, const struct sampler_args *a, struct sampler_setup *out,
    char **cause)
{
	struct perf_sampler *s = xcalloc(1, sizeof *s);
	struct target *t = a->target;
	char *rate_note = NULL;

	s->target = t;
	s->ring = a->ring;
	s->opts = *a->opts;
	s->epfd = -1;
	s->wakefd = a->wakefd;
	s->on_exec = t->spawned;
	s->wall.tfd = -1;
	s->wall.live = !t->spawned;
	s->scratch = xmalloc(PERF_MAX_REC);
	s->stacks = s->opts.callgraph != SAMPLER_CG_NONE;
	s->chain_max = SAMPLER_CHAIN_MAX(s->opts.max_stack);
	s->kernel_max_stack = perf_kernel_max_stack(&s->opts);
	s->unit = xcalloc(perf_slots(&s->opts), sizeof *s->unit);
	s->wall.stack_slots = perf_stack_slots(&s->opts);
	s->pages = perf_ring_pages(&s->opts);

	if (t->n == 0) {
		*cause = xstrdup(_("no process to sample"));
		goto fail;
	}
	events_clamp_rate(&s->opts.rate, &rate_note);
	if (perf_resolve_events(s, t->procs[0].pid, out, cause) < 0)
		goto fail;
	if (rate_note != NULL && out->nevs > 0)
		perf_note(&out->evs[0], rate_note);
	else
		free(rate_note);
	rate_note = NULL;
	if (s->kernel_max_stack < s->opts.max_stack &&
	    s->opts.callgraph == SAMPLER_CG_FP && out->nevs > 0)
		perf_note(&out->evs[0], xasprintf(_("--max-stack %u is above kernel.perf_event_max_stack: the kernel keeps %u frames"),
		    s->opts.max_stack, s->kernel_max_stack));
	{
		/* Every event's samples are laid out alike. */
		struct perf_event_attr attr;

		perf_attr(s, s->open_evs[0], s->kernel, false, &attr);
		s->sample_type = attr.sample_type;
		s->regs_mask = attr.sample_regs_user;
	}
	perf_cpus(s);
	s->bufs = xcalloc(s->ncpus, sizeof *s->bufs);
	s->cur = xcalloc(s->ncpus, sizeof *s->cur);
	for (size_t c = 0; c < s->ncpus; c++) {
		s->bufs[c].cpu = s->cpus[c];
		s->bufs[c].fd = -1;
	}

	for (size_t i = 0; i < t->n; i++)
		perf_add_pid(s, t->procs[i].pid);
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (s->epfd < 0) {
		*cause = xasprintf(_("cannot create an event queue: %s"), strerror(errno));
		goto fail;
	}
	if (t->spawned) {
		int rc = perf_open_thread(s, t->procs[0].pid, t->procs[0].pid, cause);

		if (rc != 0) {
			if (rc > 0)
				*cause = xasprintf(_("process %d exited during attach"),
				    (int)t->procs[0].pid);
			goto fail;
		}
	} else {
		if (perf_check_nofile(s, cause) < 0)
			goto fail;
		for (size_t i = 0; i < t->n; i++)
			if (perf_attach_process(s, t->procs[i].pid, cause) < 0)
				goto fail;
	}
	if (s->nthreads == 0) {
		*cause = xstrdup(_("the target exited during attach"));
		goto fail;
	}
	for (size_t c = 0; c < s->ncpus; c++) {
		struct epoll_event ev = { .events = EPOLLIN, .data.u64 = c };

		if (s->bufs[c].meta == NULL)
			continue;
		if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->bufs[c].fd, &ev) < 0) {
			*cause = xasprintf(_("cannot watch a perf buffer: %s"), strerror(errno));
			goto fail;
		}
	}
	{
		struct epoll_event ev = { .events = EPOLLIN, .data.u64 = PERF_WAKE_TAG };

		if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->wakefd, &ev) < 0) {
			*cause = xasprintf(_("cannot watch a perf buffer: %s"), strerror(errno));
			goto fail;
		}
	}
	for (size_t j = 0; j < s->nopen; j++)
		if (events_table[s->open_evs[j]].kind == EVENT_WALL &&
		    perf_wall_start(s, cause) < 0)
			goto fail;
	out->kernel = s->kernel;
	*bp = s;
	return 0;
fail:
	free(rate_note);
	for (size_t i = 0; i < out->nevs; i++)
		free(out->evs[i].notice);
	out->nevs = 0;
	perf_free(s);
	return -1;
}

/* Read perf rings' bytes as the worker reads the CPUs' rings. */
uint64_t
sampler_perf_replay(const struct sampler_opts *o, const unsigned *evs,
    size_t nevs, const struct sampler_replay_ring *rings, size_t n,
    struct ring *ring)
{
	struct perf_sampler *s = xcalloc(1, sizeof *s);
	struct perf_event_attr attr;
	struct perf_buf *b = xcalloc(n ? n : 1, sizeof *b);
	struct perf_cursor *cur = xcalloc(n ? n : 1, sizeof *cur);
	uint64_t malformed;

	s->ring = ring;
	s->opts = *o;
	s->epfd = -1;
	s->wall.tfd = -1;
	s->wall.live = true;	/* no target: no wall-clock pass to start */
	s->scratch = xmalloc(PERF_MAX_REC);
	s->stacks = o->callgraph != SAMPLER_CG_NONE;
	s->chain_max = SAMPLER_CHAIN_MAX(o->max_stack);
	s->kernel_max_stack = o->max_stack;
	s->unit = xcalloc(perf_slots(o), sizeof *s->unit);
	perf_attr(s, nevs > 0 ? evs[0] : EVENT_CPU_CLOCK, true, false, &attr);
	s->sample_type = attr.sample_type;
	s->regs_mask = attr.sample_regs_user;
	for (size_t i = 0; i < nevs; i++)
		perf_idmap_add(&s->idmap, i + 1, evs[i]);
	for (size_t i = 0; i < n; i++) {
		b[i].meta = xcalloc(1, sizeof *b[i].meta);
		b[i].meta->data_tail = rings[i].tail;
		b[i].meta->data_head = rings[i].head;
		/* read, never written */
		b[i].data = (unsigned char *)rings[i].data;
		b[i].mask = rings[i].size - 1;
	}
	perf_drain_bufs(s, b, cur, n);
	for (size_t i = 0; i < n; i++)
		free(b[i].meta);
	free(b);
	free(cur);
	malformed = s->count.malformed;
	perf_free(s);
	return malformed;
}

/* In the worker: read the rings from now on. */
static int
perf_start(void *b, char **cause)
{
	struct perf_sampler *s = b;

	(void)cause;
	s->started = true;
	free(s->covered.v);
	s->covered = (struct perf_tidset){ NULL, 0, 0 };
	return 0;
}

/* In the worker, one pass: wait for data (a ring a quarter full), the
 * wall-clock tick (wait-time), the front's wake-up (sampler_flush, at
 * each refresh) or, only where a ring could fill unseen (user stacks
 * are big; a ring whose owner is gone wakes nobody), 100 ms; run the
 * wall-clock pass when it ticked; read every ring. Before start only the
 * wake-up is waited for. 1 when the front was woken. */
static int
perf_poll(void *b)
{
	struct perf_sampler *s = b;
	struct epoll_event evs[32];
	bool tick = false;
	int n, woke = 0;

	if (!s->started) {
		struct pollfd wake = { .fd = s->wakefd, .events = POLLIN };

		return poll(&wake, 1, PERF_POLL_MS) > 0;
	}
	n = epoll_wait(s->epfd, evs, 32, s->stacks || s->nhup > 0 ? PERF_POLL_MS : -1);
	for (int i = 0; i < n; i++) {
		uint64_t tag = evs[i].data.u64;

		if (tag == PERF_WAKE_TAG) {
			woke = 1;
		} else if (tag == PERF_WALL_TAG) {
			tick = true;
		} else if ((evs[i].events & (EPOLLHUP | EPOLLERR)) &&
		    tag < s->ncpus && !s->bufs[tag].hup) {
			/* The ring owner's thread is gone; other threads
			 * still write here: the timeout keeps it read. */
			epoll_ctl(s->epfd, EPOLL_CTL_DEL, s->bufs[tag].fd, NULL);
			s->bufs[tag].hup = true;
			s->nhup++;
		}
	}
	if (tick && s->wall.tfd >= 0)
		perf_wall_pass(s);
	perf_drain_all(s);
	return woke;
}

/* In the worker, once stopped: read every ring a last time (none was
 * read where it never started). */
static void
perf_finish(void *b)
{
	struct perf_sampler *s = b;

	if (s->started)
		perf_drain_all(s);
}

/* In the worker: the counters. */
static void
perf_stats(void *b, struct sampler_stats *st)
{
	const struct perf_sampler *s = b;

	*st = s->count;
	st->threads = s->nthreads;
}

/* Whether ev opens on pid. */
static int
perf_supports(unsigned ev, pid_t pid, const struct events_rate *rate,
    char **reason)
{
	struct events_rate r = *rate;

	events_clamp_rate(&r, NULL);	/* as perf_open will */
	return events_probe(ev, pid, &r, reason);
}

const struct sampler_ops sampler_perf_ops = {
	.name = "perf",
	.supports = perf_supports,
	.probe = perf_supports,
	.slots = perf_slots,
	.open = perf_open,
	.start = perf_start,
	.poll = perf_poll,
	.add_event = perf_add_event,
	.stats = perf_stats,
	.finish = perf_finish,
	.free = perf_free,
};
