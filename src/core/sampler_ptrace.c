/*
 * The ptrace sampler, for where the kernel refuses perf events. The
 * sampler thread (sampler.c's worker: every op here but supports, probe
 * and free runs in it) is the tracer: it seizes every thread of the
 * target once (following clones, forks and execs), and on each tick of
 * a timerfd reads each thread's state from /proc. A running thread is
 * stopped with PTRACE_INTERRUPT, its instruction pointer read and the
 * thread continued; a blocked one is never stopped: its wait site comes
 * from /proc/PID/task/TID/syscall. Weights come from the thread's own
 * counters (schedstat, stat, status). Stops of every kind arrive through
 * a signalfd(SIGCHLD) and one dispatcher; on stop every thread is
 * interrupted and detached, group-stopped ones left stopped, pending
 * signals passed on.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "events.h"
#include "i18n.h"
#include "procstat.h"
#include "ptmaps.h"
#include "ring.h"
#include "sample.h"
#include "sampler_int.h"
#include "target.h"
#include "ustack.h"
#include "xmalloc.h"

#if defined(__aarch64__)
#include <elf.h>		/* NT_PRSTATUS */
#endif

#define PT_OPTIONS (PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK | \
	PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT)
#define PT_ATTACH_PASSES 64		/* re-scans of /proc/PID/task while threads appear */
#define PT_RESCAN_NS 1000000000ull	/* safety-net re-scan of the thread lists */
#define PT_MIN_INTERVAL_NS 50000ull	/* the shortest tick */
#define PT_COUNT_INTERVAL_NS 1000000ull	/* count events under -c: 1000 Hz */
#define PT_DETACH_NS 2000000000ull	/* how long stop waits for stragglers */
#define PT_POLL_MS 100			/* the loop's idle wake-up */
#define PT_GAP_NS 50000000ull		/* a tick this late (and 4 intervals) is a gap */

#define PT_BIT(e) (1u << (e))
#define PT_CPU_EVENTS (PT_BIT(EVENT_CPU_CLOCK) | PT_BIT(EVENT_TASK_CLOCK))

/* One traced thread. */
struct pt_thread {
	pid_t pid;		/* its process */
	pid_t tid;
	struct procstat_thread ps;	/* its /proc files, kept open */
	size_t slot;		/* index in pt_sampler.threads */
	bool pre_exec;		/* the spawned child before exec: not sampled */
	bool group_stop;	/* in a group-stop, PTRACE_LISTEN'd */
	bool interrupting;	/* PTRACE_INTERRUPT sent, no stop seen since */
	uint32_t want;		/* events to sample at its next stop */
	uint32_t based;		/* events whose base is set */
	uint64_t nstops;	/* ptrace-stops so far: each is a context switch */
	uint64_t base[EVENT_COUNT];	/* counter (or clock) at its last sample */
	uint64_t acc[EVENT_COUNT];	/* count events: growth not sampled yet */
	uint64_t weight[EVENT_COUNT];	/* count events: the wanted sample's weight */
};

/* The backend's state: the worker's alone. */
struct pt_sampler {
	struct target *target;
	struct ring *ring;
	struct sampler_opts opts;

	int timerfd;
	int sigfd;
	int wakefd;		/* the front's */

	pid_t tracer;		/* the worker's thread id */
	uint32_t events;	/* events being sampled */
	bool sampling;
	bool detaching;
	bool no_sched;		/* no schedstat here: CPU time from stat */
	uint64_t tick_ns;	/* the clock tick, in nanoseconds */
	uint64_t interval;	/* the mean tick interval */
	uint64_t next_tick;	/* when the timer fires next (absolute) */
	uint64_t rng;		/* xorshift state: tick jitter */
	uint64_t next_rescan;
	struct pt_thread **threads;
	size_t nthreads;
	size_t cap;
	struct pt_thread **hash;	/* by tid, open addressing */
	size_t hcap;
	struct ptmaps *procs;	/* every process traced: re-scanned now and
				 * then; the mappings told of it (ptmaps.c) */
	size_t nprocs;
	pid_t *settle;		/* detached in a group-stop: not stopped again yet */
	size_t nsettle;
	bool stacks;		/* a call graph is on: a user stack with each sample */
	struct rs_sample *unit;	/* a sample with its user stack, as pushed */
	struct sampler_stats count;	/* threads aside: nthreads */
};

/* The monotonic clock in nanoseconds. */
static uint64_t
pt_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Hash a thread id. */
static size_t
pt_hash_slot(pid_t tid, size_t cap)
{
	return (size_t)(((uint32_t)tid * 2654435761u) & (cap - 1));
}

/* Put th in the hash (which has room). */
static void
pt_hash_put(struct pt_sampler *s, struct pt_thread *th)
{
	size_t i;

	for (i = pt_hash_slot(th->tid, s->hcap); s->hash[i] != NULL;
	    i = (i + 1) & (s->hcap - 1))
		;
	s->hash[i] = th;
}

/* The thread tid, or NULL. */
static struct pt_thread *
pt_find(const struct pt_sampler *s, pid_t tid)
{
	if (s->hcap == 0)
		return NULL;
	for (size_t i = pt_hash_slot(tid, s->hcap); s->hash[i] != NULL;
	    i = (i + 1) & (s->hcap - 1))
		if (s->hash[i]->tid == tid)
			return s->hash[i];
	return NULL;
}

/* Take th out of the hash; the rest of its cluster is put back. */
static void
pt_hash_del(struct pt_sampler *s, struct pt_thread *th)
{
	size_t i = pt_hash_slot(th->tid, s->hcap);

	while (s->hash[i] != th)
		i = (i + 1) & (s->hcap - 1);
	s->hash[i] = NULL;
	for (i = (i + 1) & (s->hcap - 1); s->hash[i] != NULL;
	    i = (i + 1) & (s->hcap - 1)) {
		struct pt_thread *x = s->hash[i];

		s->hash[i] = NULL;
		pt_hash_put(s, x);
	}
}

/* Add th to the table. */
static void
pt_insert(struct pt_sampler *s, struct pt_thread *th)
{
	if ((s->nthreads + 1) * 2 > s->hcap) {
		struct pt_thread **old = s->hash;
		size_t oldcap = s->hcap;

		s->hcap = oldcap ? oldcap * 2 : 64;
		s->hash = xcalloc(s->hcap, sizeof *s->hash);
		for (size_t i = 0; i < oldcap; i++)
			if (old[i] != NULL)
				pt_hash_put(s, old[i]);
		free(old);
	}
	if (s->nthreads == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->threads = xreallocarray(s->threads, s->cap, sizeof *s->threads);
	}
	th->slot = s->nthreads;
	s->threads[s->nthreads++] = th;
	pt_hash_put(s, th);
}

/* Push one record; a sample the full ring drops is counted lost. */
static void
pt_push(struct pt_sampler *s, const struct rs_sample *rec)
{
	if (rec->kind == RS_REC_SAMPLE)
		s->count.samples++;
	if (!ring_push(s->ring, rec) && rec->event < EVENT_COUNT)
		s->count.lost[rec->event]++;
}

/* Push a process record (FORK, EXIT, COMM). */
static void
pt_push_task(struct pt_sampler *s, uint8_t kind, pid_t pid, pid_t tid,
    uint32_t arg)
{
	struct rs_sample rec;

	if (s->detaching)
		return;
	memset(&rec, 0, sizeof rec);
	rec.kind = kind;
	rec.event = EVENT_COUNT;
	rec.pid = (uint32_t)pid;
	rec.tid = (uint32_t)tid;
	rec.arg = arg;
	rec.time = pt_now();
	pt_push(s, &rec);
}

/* Push one sample; with nst slots of stack record in s->unit (0:
 * none), after them as one unit. */
static void
pt_push_sample(struct pt_sampler *s, const struct pt_thread *th, unsigned ev,
    uint64_t ip, uint64_t weight, uint8_t flags, uint32_t arg, uint64_t now,
    size_t nst)
{
	struct rs_sample rec;

	memset(&rec, 0, sizeof rec);
	rec.kind = RS_REC_SAMPLE;
	rec.event = (uint16_t)ev;
	rec.ip = ip;
	rec.time = now;
	rec.period = weight;
	rec.pid = (uint32_t)th->pid;
	rec.tid = (uint32_t)th->tid;
	rec.flags = flags;
	rec.arg = arg;
	if (nst == 0) {
		pt_push(s, &rec);
		return;
	}
	s->count.samples++;
	s->unit[0].event = rec.event;
	rec.flags |= RS_SAMPLE_STACK;
	s->unit[nst] = rec;
	if (!ring_push_n(s->ring, s->unit, nst + 1))
		s->count.lost[ev]++;
}

/* Build th's user stack record in s->unit from the registers in u (and
 * the stack from u->sp), stamped now; the slots it takes. */
static size_t
pt_user_stack(struct pt_sampler *s, const struct pt_thread *th,
    const struct rs_ustack *u, uint64_t now)
{
	struct rs_sample at;

	memset(&at, 0, sizeof at);
	at.pid = (uint32_t)th->pid;
	at.tid = (uint32_t)th->tid;
	at.time = now;
	return ustack_user(s->unit, &at, u, s->opts.stack_size);
}

/* Forget th (an EXIT record first when exit_rec). */
static void
pt_remove(struct pt_sampler *s, struct pt_thread *th, bool exit_rec)
{
	size_t slot = th->slot;

	if (exit_rec)
		pt_push_task(s, RS_REC_EXIT, th->pid, th->tid, (uint32_t)th->pid);
	pt_hash_del(s, th);
	s->threads[slot] = s->threads[--s->nthreads];
	s->threads[slot]->slot = slot;
	procstat_thread_close(&th->ps);
	free(th);
}

/* Fields of /proc/TID/status: 0, or -1 with errno set (ESRCH where
 * the thread is gone; EMFILE and the like where it cannot be known). */
static int
pt_status(pid_t tid, char *state, pid_t *tgid, pid_t *ppid, pid_t *tracer)
{
	char path[64], buf[4096], *line, *save = NULL;
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/status", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			errno = ESRCH;
		return -1;
	}
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0) {
		errno = ESRCH;
		return -1;
	}
	buf[n] = '\0';
	*state = '?';
	*tgid = *ppid = *tracer = 0;
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		int v;
		char c;

		if (sscanf(line, "State: %c", &c) == 1)
			*state = c;
		else if (sscanf(line, "Tgid: %d", &v) == 1)
			*tgid = v;
		else if (sscanf(line, "PPid: %d", &v) == 1)
			*ppid = v;
		else if (sscanf(line, "TracerPid: %d", &v) == 1) {
			*tracer = v;
			break;
		}
	}
	if (*tgid <= 0) {
		errno = ESRCH;
		return -1;
	}
	return 0;
}

/* Whether the status says the thread is gone or going. */
static bool
pt_state_dead(char state)
{
	return state == 'Z' || state == 'X' || state == 'x';
}

/* The thread's CPU time so far in nanoseconds, or -1. */
static int
pt_cpu_ns(struct pt_sampler *s, struct pt_thread *th, uint64_t *out)
{
	if (!s->no_sched) {
		struct procstat_sched sc;

		if (procstat_read_sched(&th->ps, &sc) < 0)
			return -1;
		*out = sc.run_ns;
	} else {
		struct procstat_stat st;

		if (procstat_read_stat(&th->ps, &st) < 0)
			return -1;
		*out = (st.utime + st.stime) * s->tick_ns;
	}
	return 0;
}

/* The thread's context switches that were not our stops. */
static int
pt_ctxt(struct pt_thread *th, uint64_t *out)
{
	uint64_t vol, invol;

	if (procstat_read_ctxt(&th->ps, &vol, &invol) < 0)
		return -1;
	*out = vol + invol > th->nstops ? vol + invol - th->nstops : 0;
	return 0;
}

/* Set the base of the events in mask to the thread's counters now. */
static void
pt_rebase(struct pt_sampler *s, struct pt_thread *th, uint32_t mask)
{
	struct procstat_stat st;
	bool have_stat = false;
	uint64_t v, now = pt_now();

	for (unsigned e = 0; e < EVENT_COUNT; e++) {
		if (!(mask & PT_BIT(e)))
			continue;
		th->acc[e] = 0;
		th->based &= ~PT_BIT(e);
		switch (e) {
		case EVENT_CPU_CLOCK:
		case EVENT_TASK_CLOCK:
			if (pt_cpu_ns(s, th, &v) < 0)
				continue;
			break;
		case EVENT_WAIT_TIME:
			v = now;
			break;
		case EVENT_PAGE_FAULTS:
			if (!have_stat && procstat_read_stat(&th->ps, &st) < 0)
				continue;
			have_stat = true;
			v = st.minflt + st.majflt;
			break;
		case EVENT_CONTEXT_SWITCHES:
			if (pt_ctxt(th, &v) < 0)
				continue;
			break;
		default:
			continue;
		}
		th->base[e] = v;
		th->based |= PT_BIT(e);
	}
}

/* Start following a thread that is traced now: an entry with its
 * counters as they are. announce pushes its FORK record (arg: parent). */
static struct pt_thread *
pt_adopt(struct pt_sampler *s, pid_t pid, pid_t tid, bool announce,
    pid_t parent)
{
	struct pt_thread *th = xcalloc(1, sizeof *th);

	th->pid = pid;
	th->tid = tid;
	procstat_thread_init(&th->ps, pid, tid);
	pt_insert(s, th);
	if (announce)
		pt_push_task(s, RS_REC_FORK, pid, tid, (uint32_t)parent);
	pt_rebase(s, th, s->events);
	return th;
}

/* The process pid's entry, or NULL. */
static struct ptmaps *
pt_proc(struct pt_sampler *s, pid_t pid)
{
	for (size_t i = 0; i < s->nprocs; i++)
		if (s->procs[i].pid == pid)
			return &s->procs[i];
	return NULL;
}

/* Remember a process to re-scan (and whose mappings to tell); its entry. */
static struct ptmaps *
pt_add_proc(struct pt_sampler *s, pid_t pid)
{
	struct ptmaps *w;

	if ((w = pt_proc(s, pid)) != NULL)
		return w;
	s->procs = xreallocarray(s->procs, s->nprocs + 1, sizeof *s->procs);
	w = &s->procs[s->nprocs++];
	ptmaps_init(w, pid);
	return w;
}

/* Before th's samples at ip: the session learns of the mappings that
 * are new since (MMAP records, as perf's). */
static void
pt_maps_check(struct pt_sampler *s, const struct pt_thread *th, uint64_t ip,
    uint64_t now)
{
	struct ptmaps *w = pt_proc(s, th->pid);

	if (w != NULL)
		ptmaps_check(w, s->ring, ip, now);
}

/* A tid the kernel made our tracee (a clone, fork or vfork child), or
 * that reported before its creator's event: look it up and adopt it. */
static struct pt_thread *
pt_adopt_new(struct pt_sampler *s, pid_t tid, pid_t creator_pid)
{
	pid_t tgid, ppid, tracer;
	char state;

	if (pt_status(tid, &state, &tgid, &ppid, &tracer) < 0)
		return NULL;
	if (tgid != tid)
		return pt_adopt(s, tgid, tid, true, tgid);
	pt_add_proc(s, tid);
	return pt_adopt(s, tid, tid, true, creator_pid > 0 ? creator_pid : ppid);
}

/* Restore the count events a dropped sample would have carried. */
static void
pt_drop_want(struct pt_thread *th)
{
	for (unsigned e = 0; e < EVENT_COUNT; e++)
		if ((th->want & PT_BIT(e)) &&
		    (e == EVENT_PAGE_FAULTS || e == EVENT_CONTEXT_SWITCHES))
			th->acc[e] += th->weight[e];
	th->want = 0;
}

/* The kernel's return values of a system call that a signal (or our
 * interrupt) broke while it slept. */
#define PT_EINTR 4
#define PT_ERESTARTSYS 512
#define PT_ERESTARTNOINTR 513
#define PT_ERESTARTNOHAND 514
#define PT_ERESTART_RESTARTBLOCK 516

/* The user instruction pointer of a stopped tracee; in *insys the
 * system call it stopped in (on its way out of the kernel), else -1;
 * *slept when that call was sleeping and the stop broke it (the thread
 * blocked between our look at its state and the interrupt). Its
 * registers in perf's numbering in *u, where u is not NULL. */
static int
pt_regs(struct pt_thread *th, uint64_t *ip, long *insys, bool *slept,
    struct rs_ustack *u)
{
	*insys = -1;
	*slept = false;
#if defined(__x86_64__)
	struct user_regs_struct regs;
	long rv;

	if (ptrace(PTRACE_GETREGS, th->tid, NULL, &regs) < 0)
		return -1;
	*ip = regs.rip;
	rv = (long)regs.rax;
	if ((long)regs.orig_rax >= 0) {
		*insys = (long)regs.orig_rax;
		*slept = rv == -PT_EINTR || rv == -PT_ERESTARTSYS ||
		    rv == -PT_ERESTARTNOINTR || rv == -PT_ERESTARTNOHAND ||
		    rv == -PT_ERESTART_RESTARTBLOCK;
	}
	if (u != NULL)
		ustack_from_regs(u, &regs);
	return 0;
#elif defined(__aarch64__)
	struct user_regs_struct regs;
	struct iovec iov = { &regs, sizeof regs };

	if (ptrace(PTRACE_GETREGSET, th->tid, (void *)NT_PRSTATUS, &iov) < 0)
		return -1;
	*ip = regs.pc;
	if (u != NULL)
		ustack_from_regs(u, &regs);
	return 0;
#else
	/* Elsewhere: the user pc of the stopped thread, from /proc. */
	struct procstat_syscall sc;

	if (procstat_read_syscall(&th->ps, &sc) < 0 ||
	    sc.where == PROCSTAT_RUNNING)
		return -1;
	*ip = sc.pc;
	if (u != NULL)
		ustack_sp_ip(u, sc.sp, sc.pc);
	return 0;
#endif
}

/* At a stop: take the samples the thread was interrupted for. */
static void
pt_take(struct pt_sampler *s, struct pt_thread *th)
{
	uint64_t ip, cpu = 0, now;
	bool have_cpu = false, slept;
	long insys;
	struct rs_ustack u;
	size_t nst = 0;

	if (th->want == 0)
		return;
	if (th->pre_exec || !s->sampling ||
	    pt_regs(th, &ip, &insys, &slept, s->stacks ? &u : NULL) < 0) {
		pt_drop_want(th);
		return;
	}
	/* GETREGS waited for the thread to be off its CPU, so its CPU
	 * time is exact now. A stop that broke a sleeping system call
	 * (the thread blocked between our look and the interrupt) is not
	 * a CPU sample: its CPU time goes to the next one. A stop in a
	 * system call that was working (in the kernel for that call, or
	 * on its way in or out) gets at most one tick's CPU time at the
	 * call's site: a thread that lives in system calls is seen there,
	 * and what it computed before entering one, longer ago, is carried
	 * to its next sample in user space, never given to a wait site. */
	if ((th->want & PT_CPU_EVENTS) && !slept)
		have_cpu = pt_cpu_ns(s, th, &cpu) == 0;
	now = pt_now();
	pt_maps_check(s, th, ip, now);
	for (unsigned e = 0; e < EVENT_COUNT; e++) {
		uint8_t flags = 0;
		uint32_t arg = 0;
		uint64_t w;

		if (!(th->want & PT_BIT(e)))
			continue;
		switch (e) {
		case EVENT_CPU_CLOCK:
		case EVENT_TASK_CLOCK:
			if (!have_cpu)
				continue;
			if (!(th->based & PT_BIT(e)) || cpu < th->base[e]) {
				th->base[e] = cpu;
				th->based |= PT_BIT(e);
				continue;
			}
			w = cpu - th->base[e];
			if (insys >= 0 && w > s->interval)
				w = s->interval;
			th->base[e] += w;
			break;
		case EVENT_WAIT_TIME:
			w = now - th->base[e];
			th->base[e] = now;
			if (slept) {
				flags = RS_SAMPLE_BLOCKED;
				arg = (uint32_t)insys;
			}
			break;
		default:
			w = th->weight[e];
			break;
		}
		if (w == 0)
			continue;
		/* The stack once a stop, for each of its samples. */
		if (s->stacks && nst == 0)
			nst = pt_user_stack(s, th, &u, now);
		pt_push_sample(s, th, e, ip, w, flags, arg, now, nst);
	}
	th->want = 0;
}

/* Restart a stopped tracee (PTRACE_CONT with sig, or PTRACE_LISTEN). A
 * failure means it was killed meanwhile: its exit is reported later. */
static void
pt_resume(struct pt_thread *th, enum __ptrace_request req, int sig)
{
	if (ptrace(req, th->tid, NULL, (void *)(long)sig) < 0) {
		/* ESRCH: killed while stopped; waitpid reports the rest. */
	}
}

/* The thread whose former id was old_tid is now tid, after an exec; the
 * process's other threads are gone. */
static struct pt_thread *
pt_exec_rekey(struct pt_sampler *s, pid_t tid)
{
	unsigned long former = 0;
	struct pt_thread *th, *old;
	pid_t pid = tid;	/* after exec, the thread is its process's leader */

	if (ptrace(PTRACE_GETEVENTMSG, tid, NULL, &former) < 0 || former == 0)
		former = (unsigned long)tid;
	th = pt_find(s, (pid_t)former);
	if (th == NULL)
		th = pt_find(s, tid);
	if (th == NULL)
		return NULL;
	if (th->tid != tid) {
		/* A thread other than the leader exec'd: it takes the
		 * leader's id, whose old thread is gone. */
		if ((old = pt_find(s, tid)) != NULL)
			pt_remove(s, old, true);
		pt_hash_del(s, th);
		th->tid = tid;
		pt_hash_put(s, th);
	}
	for (size_t i = 0; i < s->nthreads;) {
		struct pt_thread *x = s->threads[i];

		if (x != th && x->pid == th->pid) {
			pt_remove(s, x, true);
			continue;
		}
		i++;
	}
	th->pid = pid;
	procstat_thread_close(&th->ps);
	procstat_thread_init(&th->ps, pid, tid);
	return th;
}

/* A stop while detaching: let the thread go, with the signal it was
 * stopped for (signal-delivery-stop) so that it is not lost. */
static void
pt_detach_stop(struct pt_sampler *s, struct pt_thread *th, int status)
{
	int sig = WSTOPSIG(status), ev = (unsigned)status >> 16;

	if (ev == PTRACE_EVENT_CLONE || ev == PTRACE_EVENT_FORK ||
	    ev == PTRACE_EVENT_VFORK) {
		unsigned long msg = 0;
		pid_t tgid, ppid, tracer;
		char state;

		/* The child is ours too until its first stop detaches it. */
		if (ptrace(PTRACE_GETEVENTMSG, th->tid, NULL, &msg) == 0 &&
		    msg != 0 && pt_find(s, (pid_t)msg) == NULL &&
		    pt_status((pid_t)msg, &state, &tgid, &ppid, &tracer) == 0 &&
		    tracer == s->tracer && !pt_state_dead(state))
			pt_adopt(s, tgid, (pid_t)msg, false, 0);
	}
	if (ptrace(PTRACE_DETACH, th->tid, NULL,
	    (void *)(long)(ev == 0 ? sig : 0)) == 0 && ev == PTRACE_EVENT_STOP &&
	    sig != SIGTRAP) {
		/* Detaching wakes it; it stops again at once, by itself. */
		s->settle = xreallocarray(s->settle, s->nsettle + 1, sizeof *s->settle);
		s->settle[s->nsettle++] = th->tid;
	}
	pt_remove(s, th, false);
}

/* One waitpid report of tid: every kind of stop, and exits. */
static void
pt_dispatch(struct pt_sampler *s, pid_t tid, int status)
{
	struct pt_thread *th;
	int sig, ev;

	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		if ((th = pt_find(s, tid)) != NULL)
			pt_remove(s, th, true);
		return;
	}
	if (!WIFSTOPPED(status))
		return;
	sig = WSTOPSIG(status);
	ev = (unsigned)status >> 16;
	if (ev == PTRACE_EVENT_EXEC) {
		th = pt_exec_rekey(s, tid);
		if (th == NULL && !s->detaching) {
			pid_t tgid, ppid, tracer;
			char state;

			if (pt_status(tid, &state, &tgid, &ppid, &tracer) == 0) {
				pt_add_proc(s, tgid);
				th = pt_adopt(s, tgid, tid, false, 0);
			}
		}
		if (th != NULL && !s->detaching) {
			uint64_t ip = 0;
			long insys;
			bool slept;

			/* As perf's COMM record with the exec flag: the
			 * session drops the old image's mappings; then the
			 * new image's, as perf's MMAP records. */
			pt_push_task(s, RS_REC_COMM, th->pid, th->tid, 1);
			if (pt_regs(th, &ip, &insys, &slept, NULL) < 0)
				ip = 0;
			ptmaps_exec(pt_add_proc(s, th->pid), s->ring, ip);
			th->pre_exec = false;
			th->interrupting = false;
			th->want = 0;
			th->nstops++;
			pt_rebase(s, th, s->events);
			pt_resume(th, PTRACE_CONT, 0);
			return;
		}
	}
	th = pt_find(s, tid);
	if (th == NULL && !s->detaching)
		th = pt_adopt_new(s, tid, 0);
	if (th == NULL) {
		/* Not ours to keep (or gone): let it go as it was. */
		if (ptrace(PTRACE_DETACH, tid, NULL,
		    (void *)(long)(ev == 0 ? sig : 0)) < 0) {
			/* ESRCH: gone. */
		}
		return;
	}
	th->nstops++;
	/* Any ptrace-stop consumes a pending PTRACE_INTERRUPT. */
	th->interrupting = false;
	if (s->detaching) {
		pt_detach_stop(s, th, status);
		return;
	}
	switch (ev) {
	case PTRACE_EVENT_STOP:
		if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
		    sig == SIGTTOU) {
			/* A group-stop: stay stopped as without a tracer
			 * until SIGCONT (which reports a stop with SIGTRAP). */
			th->group_stop = true;
			pt_drop_want(th);
			pt_resume(th, PTRACE_LISTEN, 0);
			return;
		}
		/* Our interrupt, a new tracee's first stop, or the end of
		 * a group-stop (its stopped time was not waiting). */
		if (th->group_stop)
			th->base[EVENT_WAIT_TIME] = pt_now();
		th->group_stop = false;
		pt_take(s, th);
		pt_resume(th, PTRACE_CONT, 0);
		return;
	case PTRACE_EVENT_CLONE:
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK: {
		unsigned long msg = 0;

		if (ptrace(PTRACE_GETEVENTMSG, tid, NULL, &msg) == 0 && msg != 0 &&
		    pt_find(s, (pid_t)msg) == NULL)
			pt_adopt_new(s, (pid_t)msg, th->pid);
		pt_take(s, th);
		pt_resume(th, PTRACE_CONT, 0);
		return;
	}
	case PTRACE_EVENT_EXIT:
		/* Let it end untraced: its exit (and, for a spawned child,
		 * its status) then goes to its parent alone. */
		pt_remove(s, th, true);
		if (ptrace(PTRACE_DETACH, tid, NULL, NULL) < 0) {
			/* ESRCH: it is gone already. */
		}
		return;
	case 0:
		/* Signal-delivery-stop: the signal goes on unchanged. */
		pt_take(s, th);
		pt_resume(th, PTRACE_CONT, sig);
		return;
	default:
		pt_take(s, th);
		pt_resume(th, PTRACE_CONT, 0);
		return;
	}
}

/* Read every report waiting (SIGCHLD only says there are some). */
static void
pt_reap(struct pt_sampler *s)
{
	for (;;) {
		int status;
		pid_t tid = waitpid(-1, &status, __WALL | __WNOTHREAD | WNOHANG);

		if (tid < 0 && errno == EINTR)
			continue;
		if (tid <= 0)
			return;
		pt_dispatch(s, tid, status);
	}
}

/* Empty the signalfd. */
static void
pt_read_sigfd(struct pt_sampler *s)
{
	struct signalfd_siginfo si[16];

	while (read(s->sigfd, si, sizeof si) > 0)
		;
}

/* If th is gone without a report to us (its parent reaped it, or it
 * was never ours again), forget it. */
static bool
pt_gone(struct pt_sampler *s, struct pt_thread *th)
{
	pid_t tgid, ppid, tracer;
	char state;

	if (pt_status(th->tid, &state, &tgid, &ppid, &tracer) < 0) {
		/* Out of descriptors is not gone: keep it traced. */
		if (errno != ESRCH)
			return false;
	} else if (!pt_state_dead(state) && tracer == s->tracer) {
		return false;
	}
	pt_remove(s, th, true);
	return true;
}

/* Growth of a count event's counter: sample it once there is some (or,
 * with -c N, once it reaches N). */
static void
pt_count(struct pt_sampler *s, struct pt_thread *th, unsigned e, uint64_t cur,
    uint32_t *want)
{
	if (!(th->based & PT_BIT(e))) {
		th->base[e] = cur;
		th->based |= PT_BIT(e);
		return;
	}
	if (cur > th->base[e]) {
		th->acc[e] += cur - th->base[e];
		th->base[e] = cur;
	}
	if (th->acc[e] > 0 &&
	    (s->opts.rate.period == 0 || th->acc[e] >= s->opts.rate.period)) {
		th->weight[e] = th->acc[e];
		th->acc[e] = 0;
		*want |= PT_BIT(e);
	}
}

/* One tick for one thread: sample it where it waits, or interrupt it.
 * True when th was removed (gone). */
static bool
pt_tick_thread(struct pt_sampler *s, struct pt_thread *th, uint64_t now)
{
	struct procstat_stat st;
	struct procstat_syscall sc;
	uint32_t ev = s->events, want = 0;
	bool running;

	if (th->pre_exec || th->group_stop || th->interrupting)
		return false;
	if (procstat_read_stat(&th->ps, &st) < 0)
		return errno == ESRCH && pt_gone(s, th);
	switch (st.state) {
	case 'R':
		running = true;
		break;
	case 'S':
	case 'D':
		running = false;
		break;
	default:
		/* Stopped, traced, dead: not sampled, and its wall time
		 * meanwhile is not waiting. */
		th->base[EVENT_WAIT_TIME] = now;
		return false;
	}
	if (ev & PT_BIT(EVENT_PAGE_FAULTS))
		pt_count(s, th, EVENT_PAGE_FAULTS, st.minflt + st.majflt, &want);
	if (ev & PT_BIT(EVENT_CONTEXT_SWITCHES)) {
		uint64_t cs;

		if (pt_ctxt(th, &cs) == 0)
			pt_count(s, th, EVENT_CONTEXT_SWITCHES, cs, &want);
	}
	if (ev & PT_BIT(EVENT_WAIT_TIME)) {
		if (!(th->based & PT_BIT(EVENT_WAIT_TIME))) {
			th->base[EVENT_WAIT_TIME] = now;
			th->based |= PT_BIT(EVENT_WAIT_TIME);
		} else {
			want |= PT_BIT(EVENT_WAIT_TIME);
		}
	}
	if (!running && want != 0) {
		th->want = want;
		if (procstat_read_syscall(&th->ps, &sc) < 0) {
			pt_drop_want(th);
			return errno == ESRCH && pt_gone(s, th);
		}
		if (sc.where == PROCSTAT_RUNNING) {
			running = true;	/* woke meanwhile */
		} else {
			struct rs_ustack u;
			size_t nst = 0;

			pt_maps_check(s, th, sc.pc, now);
			for (unsigned e = 0; e < EVENT_COUNT; e++) {
				uint64_t w;
				uint8_t flags = 0;
				uint32_t arg = 0;

				if (!(want & PT_BIT(e)))
					continue;
				if (e == EVENT_WAIT_TIME) {
					w = now - th->base[e];
					th->base[e] = now;
					flags = RS_SAMPLE_BLOCKED;
					arg = sc.where == PROCSTAT_SYSCALL ?
					    (uint32_t)sc.nr : RS_NO_SYSCALL;
				} else {
					w = th->weight[e];
				}
				if (w == 0)
					continue;
				/* Where it waits: its sp and pc. */
				if (s->stacks && nst == 0) {
					ustack_sp_ip(&u, sc.sp, sc.pc);
					nst = pt_user_stack(s, th, &u, now);
				}
				pt_push_sample(s, th, e, sc.pc, w, flags, arg,
				    now, nst);
			}
			th->want = 0;
			return false;
		}
	}
	if (!running)
		return false;
	want |= ev & PT_CPU_EVENTS;
	if (want == 0)
		return false;
	if (ptrace(PTRACE_INTERRUPT, th->tid, NULL, NULL) < 0) {
		th->want = want;
		pt_drop_want(th);
		return errno == ESRCH && pt_gone(s, th);
	}
	th->want = want;
	th->interrupting = true;
	return false;
}

/*
 * The tick came late by late ns (the sampler thread was stopped, or had
 * no CPU): that time was not sampled. It is counted (lost_ns), and so are
 * the samples it would have given (each thread's CPU time, or for
 * wait-time its wall time, since its last sample, in ticks), and every
 * thread's clocks start again from now, so that the time is not given
 * to the address of its next sample.
 */
static void
pt_gap(struct pt_sampler *s, uint64_t late)
{
	uint32_t clocks = s->events & (PT_CPU_EVENTS | PT_BIT(EVENT_WAIT_TIME));
	uint64_t now = pt_now(), cpu, v;

	s->count.lost_ns += late;
	for (size_t i = 0; i < s->nthreads; i++) {
		struct pt_thread *th = s->threads[i];
		bool have_cpu;

		if (th->pre_exec || th->group_stop)
			continue;
		have_cpu = (clocks & PT_CPU_EVENTS) && pt_cpu_ns(s, th, &cpu) == 0;
		for (unsigned e = 0; e < EVENT_COUNT; e++) {
			if (!(clocks & th->based & PT_BIT(e)))
				continue;
			if (e == EVENT_WAIT_TIME)
				v = now;
			else if (have_cpu)
				v = cpu;
			else
				continue;
			if (v > th->base[e])
				s->count.lost[e] += (v - th->base[e]) / s->interval;
		}
		pt_rebase(s, th, clocks);
	}
}

/* The clock ticked: every thread, once. */
static void
pt_tick(struct pt_sampler *s)
{
	uint64_t now = pt_now();

	for (size_t i = 0; i < s->nthreads;)
		if (!pt_tick_thread(s, s->threads[i], now))
			i++;
}

/* Seize one thread: 0 seized (or ours already), 1 gone, -1 with *cause. */
static int
pt_seize(struct pt_sampler *s, pid_t pid, pid_t tid, bool pre_exec,
    char **cause)
{
	pid_t tgid, ppid, tracer;
	char state;
	int err;

	if (ptrace(PTRACE_SEIZE, tid, NULL, (void *)(long)PT_OPTIONS) == 0) {
		struct pt_thread *th = pt_adopt(s, pid, tid, false, 0);

		th->pre_exec = pre_exec;
		return 0;
	}
	err = errno;
	if (err == ESRCH)
		return 1;
	if (err == EPERM) {
		if (pt_status(tid, &state, &tgid, &ppid, &tracer) < 0 ||
		    pt_state_dead(state))
			return 1;
		if (tracer == s->tracer) {
			/* Made ours by its creator's clone. */
			if (pt_find(s, tid) == NULL)
				pt_adopt(s, pid, tid, false, 0);
			return 0;
		}
		if (tracer != 0) {
			char path[64], comm[64] = "?";
			FILE *f;

			snprintf(path, sizeof path, "/proc/%d/comm", (int)tracer);
			if ((f = fopen(path, "re")) != NULL) {
				if (fgets(comm, sizeof comm, f) == NULL)
					snprintf(comm, sizeof comm, "?");
				comm[strcspn(comm, "\n")] = '\0';
				fclose(f);
			}
			*cause = xasprintf(_("process %d is already traced by %d (%s): detach that tracer first"),
			    (int)pid, (int)tracer, comm);
			return -1;
		}
		{
			FILE *f = fopen("/proc/sys/kernel/yama/ptrace_scope", "re");
			int scope = -1;

			if (f != NULL) {
				if (fscanf(f, "%d", &scope) != 1)
					scope = -1;
				fclose(f);
			}
			if (scope == 3)
				*cause = xasprintf(_("ptrace is not permitted on process %d: kernel.yama.ptrace_scope is 3, which forbids it to everyone until reboot"),
				    (int)pid);
			else if (scope >= 0)
				*cause = xasprintf(_("ptrace is not permitted on process %d (kernel.yama.ptrace_scope is %d): run as root or with CAP_SYS_PTRACE"),
				    (int)pid, scope);
			else
				*cause = xasprintf(_("ptrace is not permitted on process %d: run as root or with CAP_SYS_PTRACE"),
				    (int)pid);
		}
		return -1;
	}
	*cause = xasprintf(_("cannot trace process %d: %s"), (int)pid, strerror(err));
	return -1;
}

/* Seize every thread of one process, re-scanning while threads appear. */
static int
pt_attach_process(struct pt_sampler *s, pid_t pid, char **cause)
{
	bool any = false;

	pt_add_proc(s, pid);
	for (int pass = 0; pass < PT_ATTACH_PASSES; pass++) {
		pid_t *tids;
		size_t n;
		bool seized = false;
		char *why = NULL;

		if (target_threads(pid, &tids, &n, &why) < 0) {
			free(why);
			break;
		}
		/* Learn of the threads our tracees created meanwhile. */
		pt_reap(s);
		for (size_t i = 0; i < n; i++) {
			int r;

			if (pt_find(s, tids[i]) != NULL)
				continue;
			r = pt_seize(s, pid, tids[i], false, cause);
			if (r < 0) {
				free(tids);
				return -1;
			}
			seized = seized || r == 0;
		}
		free(tids);
		if (!seized)
			break;
	}
	for (size_t i = 0; i < s->nthreads; i++)
		any = any || s->threads[i]->pid == pid;
	if (!any) {
		*cause = xasprintf(_("process %d exited during attach"), (int)pid);
		return -1;
	}
	return 0;
}

/* Seize the target: its spawned child (held before exec), or every
 * thread of every process. */
static int
pt_attach(struct pt_sampler *s, char **cause)
{
	struct target *t = s->target;

	if (t->spawned) {
		int rc = pt_seize(s, t->procs[0].pid, t->procs[0].pid, true, cause);

		if (rc > 0)
			*cause = xasprintf(_("process %d exited during attach"),
			    (int)t->procs[0].pid);
		if (rc == 0)
			pt_add_proc(s, t->procs[0].pid);
		return rc == 0 ? 0 : -1;
	}
	for (size_t i = 0; i < t->n; i++)
		if (pt_attach_process(s, t->procs[i].pid, cause) < 0)
			return -1;
	return 0;
}

/* Look for threads no event told us of (a safety net), and forget
 * processes that are gone. */
static void
pt_rescan(struct pt_sampler *s)
{
	for (size_t i = 0; i < s->nprocs;) {
		pid_t pid = s->procs[i].pid, *tids;
		size_t n;
		char *why = NULL;

		if (target_threads(pid, &tids, &n, &why) < 0) {
			free(why);
			ptmaps_free(&s->procs[i]);
			s->procs[i] = s->procs[--s->nprocs];
			continue;
		}
		for (size_t k = 0; k < n; k++) {
			pid_t tgid, ppid, tracer;
			char state;

			if (pt_find(s, tids[k]) != NULL ||
			    pt_status(tids[k], &state, &tgid, &ppid, &tracer) < 0 ||
			    pt_state_dead(state) || tgid != pid)
				continue;
			if (tracer == s->tracer)
				pt_adopt(s, pid, tids[k], true, pid);
			else if (tracer == 0 && ptrace(PTRACE_SEIZE, tids[k], NULL,
			    (void *)(long)PT_OPTIONS) == 0)
				pt_adopt(s, pid, tids[k], true, pid);
		}
		free(tids);
		i++;
	}
	for (size_t i = 0; i < s->nthreads;) {
		struct pt_thread *th = s->threads[i];

		if (!pt_gone(s, th))
			i++;
	}
}

/* The tick: the shortest interval any sampled event asks for. */
static uint64_t
pt_interval(const struct pt_sampler *s)
{
	const struct events_rate *r = &s->opts.rate;
	uint64_t best = UINT64_MAX;

	for (unsigned e = 0; e < EVENT_COUNT; e++) {
		uint64_t iv;

		if (!(s->events & PT_BIT(e)))
			continue;
		if (r->period == 0)
			iv = 1000000000ull / (r->freq > 0 ? r->freq : 1000);
		else if (events_table[e].time_based)
			iv = r->period;
		else
			iv = PT_COUNT_INTERVAL_NS;
		if (iv < PT_MIN_INTERVAL_NS)
			iv = PT_MIN_INTERVAL_NS;
		if (iv < best)
			best = iv;
	}
	return best == UINT64_MAX ? PT_COUNT_INTERVAL_NS : best;
}

/* Set the one-shot timer for the next tick. Each interval is drawn
 * from 0.5 to 1.5 times the mean, so that ticks never lock in phase
 * with a target's own periodic timers (which would put every sample at
 * the same point of its cycle). */
static int
pt_arm_next(struct pt_sampler *s, uint64_t now)
{
	struct itimerspec its;
	uint64_t x = s->rng, iv;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	s->rng = x;
	iv = s->interval / 2 + x % (s->interval + 1);
	s->next_tick += iv;
	if (s->next_tick <= now)
		s->next_tick = now + iv / 4 + 1;
	memset(&its, 0, sizeof its);
	its.it_value.tv_sec = (time_t)(s->next_tick / 1000000000ull);
	its.it_value.tv_nsec = (long)(s->next_tick % 1000000000ull);
	return timerfd_settime(s->timerfd, TFD_TIMER_ABSTIME, &its, NULL);
}

/* (Re)start the ticks at the interval the events sampled ask for. */
static int
pt_arm(struct pt_sampler *s)
{
	uint64_t iv = pt_interval(s), now = pt_now();

	if (iv == s->interval)
		return 0;
	s->interval = iv;
	s->next_tick = now;
	if (s->rng == 0)
		s->rng = now | 1;
	return pt_arm_next(s, now);
}

/* Detach every thread: interrupt each, and let it go at its stop (with
 * its signal, in a signal-delivery-stop; a group-stopped one stays
 * stopped). Threads that do not stop in time (long in D state) are
 * detached by the kernel when this thread ends. */
static void
pt_detach_all(struct pt_sampler *s)
{
	uint64_t deadline = pt_now() + PT_DETACH_NS, next_sweep = 0;
	struct itimerspec off;

	memset(&off, 0, sizeof off);
	timerfd_settime(s->timerfd, 0, &off, NULL);
	s->detaching = true;
	for (size_t i = 0; i < s->nthreads;) {
		struct pt_thread *th = s->threads[i];

		if (ptrace(PTRACE_INTERRUPT, th->tid, NULL, NULL) < 0 &&
		    errno == ESRCH) {
			pt_remove(s, th, false);
			continue;
		}
		i++;
	}
	while (s->nthreads > 0) {
		struct pollfd pfd = { .fd = s->sigfd, .events = POLLIN };
		uint64_t now = pt_now();

		if (now >= deadline)
			break;
		if (now >= next_sweep && next_sweep != 0) {
			/* Reaped by their parent, or gone otherwise. */
			for (size_t i = 0; i < s->nthreads;)
				if (!pt_gone(s, s->threads[i]))
					i++;
		}
		if (next_sweep <= now)
			next_sweep = now + 50000000ull;
		if (poll(&pfd, 1, 10) > 0)
			pt_read_sigfd(s);
		pt_reap(s);
	}
	while (s->nthreads > 0)
		pt_remove(s, s->threads[0], false);
	/* Return only once the group-stopped threads are plainly stopped
	 * again, as they were (or 100 ms). */
	deadline = pt_now() + 100000000ull;
	for (size_t i = 0; i < s->nsettle; i++) {
		struct timespec ts = { 0, 200000 };
		pid_t tgid, ppid, tracer;
		char state;

		while (pt_status(s->settle[i], &state, &tgid, &ppid, &tracer) == 0 &&
		    state != 'T' && !pt_state_dead(state) && pt_now() < deadline)
			nanosleep(&ts, NULL);
	}
	free(s->settle);
	s->settle = NULL;
	s->nsettle = 0;
}


/* What the ptrace sampler can sample: everything but the PMU's events. */
static int
pt_supports(unsigned ev, char **reason)
{
	if (ev >= EVENT_COUNT) {
		*reason = xstrdup(_("no such event"));
		return -1;
	}
	if (events_table[ev].kind == EVENT_HARDWARE) {
		*reason = xasprintf(_("%s needs the CPU's performance counters through perf_event_open, which the ptrace sampler cannot read: use cpu-clock"),
		    events_table[ev].name);
		return -1;
	}
	return 0;
}

/* Whether ev can be sampled at all (pid and rate do not matter). */
static int
pt_supports_any(unsigned ev, pid_t pid, const struct events_rate *rate,
    char **reason)
{
	(void)pid;
	(void)rate;
	return pt_supports(ev, reason);
}

/* Ring slots of one sample under o: with call stacks (either mode),
 * its user stack record first. */
static size_t
pt_slots(const struct sampler_opts *o)
{
	if (o->callgraph == SAMPLER_CG_NONE)
		return 1;
	return USTACK_USER_UNIT(o->stack_size);
}

/* Whether ev could be sampled on pid. */
static int
pt_probe(unsigned ev, pid_t pid, const struct events_rate *rate, char **reason)
{
	(void)rate;
	if (pt_supports(ev, reason) < 0)
		return -1;
	if (pid > 0 && kill(pid, 0) < 0 && errno == ESRCH) {
		*reason = xasprintf(_("process %d does not exist"), (int)pid);
		return -1;
	}
	return 0;
}

/* Once sampling: tick at the interval the events ask for now. */
static int
pt_rearm(struct pt_sampler *s, char **cause)
{
	if (s->sampling && pt_arm(s) < 0) {
		*cause = xasprintf(_("cannot arm the sampling timer: %s"),
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* In the worker: begin sampling (everything is seized already). */
static int
pt_start(void *b, char **cause)
{
	struct pt_sampler *s = b;

	s->sampling = true;
	for (size_t i = 0; i < s->nthreads; i++)
		pt_rebase(s, s->threads[i], s->events);
	return pt_rearm(s, cause);
}

/* In the worker: sample ev too, from the counters' values now. */
static int
pt_add_event(void *b, unsigned ev, char **cause)
{
	struct pt_sampler *s = b;

	if (pt_supports(ev, cause) < 0)
		return -1;
	if (s->events & PT_BIT(ev))
		return 0;
	s->events |= PT_BIT(ev);
	for (size_t i = 0; i < s->nthreads; i++)
		pt_rebase(s, s->threads[i], PT_BIT(ev));
	return pt_rearm(s, cause);
}

/* In the worker, one pass: wait for the tick, a tracee's stop, the
 * front's wake-up or 100 ms; take every stop reported; tick; re-scan
 * now and then. 1 at once when the front was woken; -1 when the loop
 * cannot go on. */
static int
pt_poll(void *b)
{
	struct pt_sampler *s = b;
	struct pollfd pfd[3] = {
		{ .fd = s->timerfd, .events = POLLIN },
		{ .fd = s->sigfd, .events = POLLIN },
		{ .fd = s->wakefd, .events = POLLIN },
	};
	uint64_t now;
	int n = poll(pfd, 3, PT_POLL_MS);

	if (n < 0 && errno != EINTR)
		return -1;
	if (n > 0 && (pfd[2].revents & POLLIN))
		return 1;
	if (n > 0 && (pfd[1].revents & POLLIN))
		pt_read_sigfd(s);
	pt_reap(s);
	if (n > 0 && (pfd[0].revents & POLLIN)) {
		uint64_t ticks;

		if (read(s->timerfd, &ticks, sizeof ticks) > 0 && s->sampling) {
			/* next_tick is when this tick was due. */
			now = pt_now();
			if (now > s->next_tick && now - s->next_tick > PT_GAP_NS &&
			    now - s->next_tick > 4 * s->interval)
				pt_gap(s, now - s->next_tick);
			pt_tick(s);
			if (pt_arm_next(s, pt_now()) < 0)
				return -1;
		}
	}
	now = pt_now();
	if (now >= s->next_rescan) {
		pt_rescan(s);
		s->next_rescan = now + PT_RESCAN_NS;
	}
	return 0;
}

/* In the worker, once stopped: the stops already reported are samples
 * still; then detach everything. */
static void
pt_finish(void *b)
{
	struct pt_sampler *s = b;

	pt_reap(s);
	pt_detach_all(s);
}

/* In the worker: the counters. */
static void
pt_stats(void *b, struct sampler_stats *st)
{
	const struct pt_sampler *s = b;

	*st = s->count;
	st->threads = s->nthreads;
}

/* Release everything (the worker has detached every tracee and ended). */
static void
pt_free(void *b)
{
	struct pt_sampler *s = b;

	if (s == NULL)
		return;
	for (size_t i = 0; i < s->nthreads; i++) {
		procstat_thread_close(&s->threads[i]->ps);
		free(s->threads[i]);
	}
	free(s->threads);
	free(s->hash);
	for (size_t i = 0; i < s->nprocs; i++)
		ptmaps_free(&s->procs[i]);
	free(s->procs);
	free(s->settle);
	free(s->unit);
	if (s->timerfd >= 0)
		close(s->timerfd);
	if (s->sigfd >= 0)
		close(s->sigfd);
	free(s);
}

/* In the worker, which stays the tracer: seize every thread of the
 * target; nothing is sampled before start. */
static int
pt_open(void **bp, const struct sampler_args *a, struct sampler_setup *out,
    char **cause)
{
	const struct sampler_opts *o = a->opts;
	struct pt_sampler *s;
	sigset_t chld;
	long tck;

	for (size_t i = 0; i < o->nevents; i++)
		if (pt_supports(o->events[i], cause) < 0)
			return -1;
	if (a->target->n == 0) {
		*cause = xstrdup(_("no process to sample"));
		return -1;
	}
	s = xcalloc(1, sizeof *s);
	s->target = a->target;
	s->ring = a->ring;
	s->opts = *o;
	s->wakefd = a->wakefd;
	s->timerfd = s->sigfd = -1;
	s->stacks = o->callgraph != SAMPLER_CG_NONE;
	if (s->stacks)
		s->unit = xcalloc(pt_slots(o), sizeof *s->unit);
	for (size_t i = 0; i < o->nevents && i < EVENT_COUNT; i++) {
		out->evs[i].requested = o->events[i];
		out->evs[i].effective = o->events[i];
		out->evs[i].notice = NULL;
		s->events |= PT_BIT(o->events[i]);
		out->nevs++;
	}
	out->kernel = false;	/* user space only */
	tck = sysconf(_SC_CLK_TCK);
	s->tick_ns = 1000000000ull / (uint64_t)(tck > 0 ? tck : 100);
	s->no_sched = access("/proc/self/schedstat", R_OK) != 0;

	/* Tracee stops arrive as SIGCHLD, read from a signalfd: it must
	 * stay blocked in this thread (the front blocks it in every one). */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	pthread_sigmask(SIG_BLOCK, &chld, NULL);
	s->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	s->sigfd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
	if (s->timerfd < 0 || s->sigfd < 0) {
		*cause = xasprintf(_("cannot create the ptrace sampler's event queue: %s"),
		    strerror(errno));
		pt_free(s);
		return -1;
	}
	s->tracer = (pid_t)syscall(SYS_gettid);
	if (pt_attach(s, cause) < 0) {
		pt_detach_all(s);
		pt_free(s);
		return -1;
	}
	s->next_rescan = pt_now() + PT_RESCAN_NS;
	*bp = s;
	return 0;
}

const struct sampler_ops sampler_ptrace_ops = {
	.name = "ptrace",
	.supports = pt_supports_any,
	.probe = pt_probe,
	.slots = pt_slots,
	.open = pt_open,
	.start = pt_start,
	.poll = pt_poll,
	.add_event = pt_add_event,
	.stats = pt_stats,
	.finish = pt_finish,
	.free = pt_free,
};
