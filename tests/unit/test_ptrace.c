/*
 * The ptrace sampler against real processes, all of them this program
 * (forked, or run again as "test_ptrace child MODE"): samples land in the
 * right functions with CPU-time weights; threads born later, forks and
 * execs are followed; signals reach the target; group-stops stay as
 * without a tracer; every thread is detached and running (or plainly
 * stopped) afterwards; a traced target and hardware events are refused
 * with a reason; blocked threads are sampled at their system call
 * (wait-time); with call stacks, every sample comes after its thread's
 * registers and user stack (a blocked thread's: its sp and pc).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "events.h"
#include "ring.h"
#include "sample.h"
#include "sampler.h"
#include "stack_units.h"
#include "target.h"
#include "ustack.h"

/* The two hot functions, in sections of their own so their bounds are
 * known (__start_/__stop_ symbols): 3:1 work. */
extern const char __start_pt_hot_a[], __stop_pt_hot_a[];
extern const char __start_pt_hot_b[], __stop_pt_hot_b[];
static volatile unsigned long test_sink;
static int test_usr1_fd = -1;

__attribute__((noinline, section("pt_hot_a"))) void test_hot_a(void);
__attribute__((noinline, section("pt_hot_b"))) void test_hot_b(void);

/* n steps of a chain of dependent register operations: its time is the
 * chain's latency, whatever the loop's place in memory or the build
 * (a memory-bound loop ran at different speeds in the two sections,
 * and under ASan). Inlined into each of the two hot functions. */
#define TEST_SPIN(n) do { \
	unsigned long x_ = test_sink | 1; \
	for (unsigned long i_ = 0; i_ < (n); i_++) { \
		x_ = (x_ << 1) ^ (x_ * 0x9e3779b97f4a7c15UL); \
		__asm__ volatile("" : "+r"(x_)); \
	} \
	test_sink = x_; \
} while (0)

void
test_hot_a(void)
{
	TEST_SPIN(3000);
}

void
test_hot_b(void)
{
	TEST_SPIN(1000);
}

/* Seconds on the monotonic clock. */
static double
test_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sleep for secs seconds. */
static void
test_sleep(double secs)
{
	struct timespec ts = { (time_t)secs, (long)((secs - (double)(time_t)secs) * 1e9) };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* SIGUSR1 in a target: say so through a pipe. */
static void
test_on_usr1(int sig)
{
	(void)sig;
	if (test_usr1_fd >= 0 && write(test_usr1_fd, "U", 1) < 0)
		_exit(3);
}

/* A target's busy loop for secs seconds. */
static void
test_busy(double secs)
{
	double end = test_now() + secs;
	unsigned long n = 0;

	while (++n % 64 != 0 || test_now() < end) {
		test_hot_a();
		test_hot_b();
	}
}

/* In a forked target: signals as they are by default, unblocked. */
static void
test_child_setup(void)
{
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGCHLD, SIG_DFL);
}

/* Fork a target running fn(arg); the parent gets its pid. */
static pid_t
test_fork(void (*fn)(void *), void *arg)
{
	pid_t pid = fork();

	if (pid == 0) {
		test_child_setup();
		fn(arg);
		_exit(0);
	}
	CHECK(pid > 0);
	return pid;
}

/* Kill and reap a forked target. */
static void
test_kill(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static char test_self[4096];

/* The samples of event ev. */
static size_t
test_nsamples(const struct stk_recs *rc, unsigned ev)
{
	size_t k = 0;

	for (size_t i = 0; i < rc->n; i++)
		k += rc->v[i].kind == RS_REC_SAMPLE && rc->v[i].event == ev;
	return k;
}

/* Read a field ("State", "TracerPid") of /proc/PID/status. */
static int
test_status(pid_t pid, const char *key, char *out, size_t len)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "re")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
			char *p = line + klen + 1;

			while (*p == ' ' || *p == '\t')
				p++;
			p[strcspn(p, "\n")] = '\0';
			snprintf(out, len, "%s", p);
			fclose(f);
			return 0;
		}
	}
	fclose(f);
	return -1;
}

/* The state letter of pid, or '?'. */
static char
test_state(pid_t pid)
{
	char buf[64];

	return test_status(pid, "State", buf, sizeof buf) == 0 ? buf[0] : '?';
}

/* Whether pid has no tracer. */
static bool
test_untraced(pid_t pid)
{
	char buf[64];

	return test_status(pid, "TracerPid", buf, sizeof buf) == 0 &&
	    strcmp(buf, "0") == 0;
}

/* Whether every thread of pid is untraced and not in a tracing stop,
 * now. */
static bool
test_all_free_now(pid_t pid)
{
	pid_t *tids;
	size_t n;
	char *cause = NULL;
	bool ok = true;

	if (target_threads(pid, &tids, &n, &cause) < 0) {
		free(cause);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		char state;

		if (!test_untraced(tids[i]))
			ok = false;
		state = test_state(tids[i]);
		if (state == 't')
			ok = false;
	}
	free(tids);
	return ok;
}

/* Whether every thread of pid is free within 0.5 s. A thread the
 * worker could not detach in time (one born during the detach, on a
 * loaded machine) is let go by the kernel as the worker thread ends, and
 * pthread_join returns a moment before that (the thread's tid is cleared
 * before its tracees are released). */
static bool
test_all_free(pid_t pid)
{
	for (int i = 0; i < 50; i++) {
		if (test_all_free_now(pid))
			return true;
		test_sleep(0.01);
	}
	return test_all_free_now(pid);
}

/* The executable mappings of this program in pid's maps. */
static size_t
test_exe_ranges(pid_t pid, uint64_t (*r)[2], size_t max)
{
	char path[64], line[4608];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
	if ((f = fopen(path, "re")) == NULL)
		return 0;
	while (n < max && fgets(line, sizeof line, f) != NULL) {
		unsigned long long a, b;
		char perm[8], *p;

		line[strcspn(line, "\n")] = '\0';
		p = strchr(line, '/');
		if (sscanf(line, "%llx-%llx %7s", &a, &b, perm) == 3 &&
		    perm[2] == 'x' && p != NULL && strcmp(p, test_self) == 0) {
			r[n][0] = a;
			r[n][1] = b;
			n++;
		}
	}
	fclose(f);
	return n;
}

/* A sampler on t for events evs at hz (period: -c); NULL (cause
 * printed) where it will not open. */
static struct sampler *
test_open(struct target *t, struct ring *r, const unsigned *evs, size_t nevs,
    uint64_t hz, uint64_t period, char **cause)
{
	struct sampler_opts o;
	struct sampler *s = NULL;

	memset(&o, 0, sizeof o);
	memcpy(o.events, evs, nevs * sizeof *evs);
	o.nevents = nevs;
	o.rate.freq = period ? 0 : hz;
	o.rate.period = period;
	o.kind = SAMPLER_PTRACE;
	*cause = NULL;
	if (sampler_open(&s, t, r, &o, cause) < 0)
		return NULL;
	return s;
}

/* Attach to pid: the target and a started sampler. */
static struct sampler *
test_attach(pid_t pid, struct target *t, struct ring *r, const unsigned *evs,
    size_t nevs, uint64_t hz)
{
	char *cause = NULL;
	struct sampler *s;

	target_init(t);
	CHECK(target_attach(t, &pid, 1, &cause) == 0);
	s = test_open(t, r, evs, nevs, hz, 0, &cause);
	if (s == NULL) {
		fprintf(stderr, "sampler_open: %s\n", cause);
		CHECK(!"sampler_open failed");
		free(cause);
		return NULL;
	}
	CHECK(strcmp(sampler_name(s), "ptrace") == 0);
	CHECK(!sampler_kernel(s));
	CHECK(sampler_start(s, &cause) == 0);
	return s;
}

/* The target: busy, answering SIGUSR1 (and SIGRTMIN, which queues) on
 * the pipe in arg. */
static void
test_child_busy(void *arg)
{
	test_usr1_fd = *(int *)arg;
	signal(SIGUSR1, test_on_usr1);
	signal(SIGRTMIN, test_on_usr1);
	test_busy(30);
}

/* Attached to a busy process: the 3:1 split, weights in CPU time, page
 * faults and context switches, SIGUSR1 still handled, and afterwards
 * every thread untraced and running. */
static void
test_attach_busy(void)
{
	unsigned evs[] = { EVENT_CPU_CLOCK, EVENT_PAGE_FAULTS };
	struct ring *r = ring_new(1 << 16);
	struct stk_recs rc = { 0 };
	struct sampler_stats st;
	struct target t;
	struct sampler *s;
	int pfd[2];
	pid_t pid;
	uint64_t wa = 0, wb = 0, wall = 0;
	char c = 0, *cause = NULL;
	double t0;

	CHECK(pipe(pfd) == 0);
	pid = test_fork(test_child_busy, &pfd[1]);
	close(pfd[1]);
	test_sleep(0.1);
	s = test_attach(pid, &t, r, evs, 2, 1000);
	if (s == NULL)
		goto out;
	CHECK(sampler_has_event(s, EVENT_CPU_CLOCK));
	CHECK(!sampler_has_event(s, EVENT_CONTEXT_SWITCHES));
	CHECK(sampler_add_event(s, EVENT_CONTEXT_SWITCHES, &cause) == 0);
	CHECK(sampler_has_event(s, EVENT_CONTEXT_SWITCHES));
	CHECK(sampler_add_event(s, EVENT_CONTEXT_SWITCHES, &cause) == 0);
	t0 = test_now();
	test_sleep(0.5);
	/* A signal for the target reaches its handler. */
	CHECK(kill(pid, SIGUSR1) == 0);
	CHECK(read(pfd[0], &c, 1) == 1 && c == 'U');
	test_sleep(0.5);
	sampler_stats(s, &st);
	CHECK_U64(st.threads, 1);
	CHECK(!test_untraced(pid));
	sampler_stop(s);
	stk_drain(r, &rc);
	/* Detached at once, and running. */
	CHECK(test_untraced(pid));
	CHECK(test_state(pid) == 'R' || test_state(pid) == 'S');
	CHECK(test_all_free(pid));
	for (size_t i = 0; i < rc.n; i++) {
		const struct rs_sample *x = &rc.v[i];

		if (x->kind != RS_REC_SAMPLE || x->event != EVENT_CPU_CLOCK)
			continue;
		CHECK_U64(x->pid, pid);
		CHECK(x->flags == 0);
		wall += x->period;
		if (x->ip >= (uintptr_t)__start_pt_hot_a && x->ip < (uintptr_t)__stop_pt_hot_a)
			wa += x->period;
		else if (x->ip >= (uintptr_t)__start_pt_hot_b && x->ip < (uintptr_t)__stop_pt_hot_b)
			wb += x->period;
	}
	fprintf(stderr, "attach: %zu cpu-clock samples, %.3f s CPU in %.3f s, a:b %.2f, %zu faults, %zu switches samples\n",
	    test_nsamples(&rc, EVENT_CPU_CLOCK), (double)wall / 1e9, test_now() - t0,
	    wb ? (double)wa / (double)wb : 0.0, test_nsamples(&rc, EVENT_PAGE_FAULTS),
	    test_nsamples(&rc, EVENT_CONTEXT_SWITCHES));
	CHECK(test_nsamples(&rc, EVENT_CPU_CLOCK) > 100);
	CHECK(wall > 100000000ull && wall < 1200000000ull);
	CHECK(wa + wb > wall * 9 / 10);
	CHECK(wb > 0 && (double)wa / (double)wb > 2.0 && (double)wa / (double)wb < 4.5);
	sampler_stats(s, &st);
	CHECK_U64(st.samples, test_nsamples(&rc, EVENT_CPU_CLOCK) +
	    test_nsamples(&rc, EVENT_PAGE_FAULTS) + test_nsamples(&rc, EVENT_CONTEXT_SWITCHES));
	sampler_free(s);
	CHECK(test_untraced(pid));
	/* Running on, untraced, SIGUSR1 still handled. */
	CHECK(kill(pid, SIGUSR1) == 0);
	CHECK(read(pfd[0], &c, 1) == 1 && c == 'U');
	target_free(&t);
out:
	close(pfd[0]);
	test_kill(pid);
	free(rc.v);
	ring_free(r);
}

/* The target: spawns a short busy thread every 100 ms. */
static void *
test_thread_busy(void *arg)
{
	test_busy(*(double *)arg);
	return NULL;
}

static void
test_child_threads(void *arg)
{
	static double secs = 0.15;

	(void)arg;
	for (int i = 0; i < 20; i++) {
		pthread_t th;

		if (pthread_create(&th, NULL, test_thread_busy, &secs) == 0)
			pthread_detach(th);
		test_sleep(0.1);
	}
	test_sleep(30);
}

/* Threads created after attach are sampled and announced. */
static void
test_threads(void)
{
	unsigned evs[] = { EVENT_CPU_CLOCK };
	struct ring *r = ring_new(1 << 16);
	struct stk_recs rc = { 0 };
	struct target t;
	struct sampler *s;
	pid_t pid, tids[64];
	size_t ntids = 0, forks = 0, exits = 0;

	pid = test_fork(test_child_threads, NULL);
	test_sleep(0.05);
	s = test_attach(pid, &t, r, evs, 1, 1000);
	if (s == NULL)
		goto out;
	test_sleep(1.0);
	sampler_stop(s);
	stk_drain(r, &rc);
	CHECK(test_all_free(pid));
	for (size_t i = 0; i < rc.n; i++) {
		const struct rs_sample *x = &rc.v[i];
		size_t j;

		if (x->kind == RS_REC_FORK) {
			CHECK_U64(x->pid, pid);
			CHECK_U64(x->arg, pid);
			forks++;
		}
		if (x->kind == RS_REC_EXIT)
			exits++;
		if (x->kind != RS_REC_SAMPLE)
			continue;
		for (j = 0; j < ntids && tids[j] != (pid_t)x->tid; j++)
			;
		if (j == ntids && ntids < 64)
			tids[ntids++] = (pid_t)x->tid;
	}
	fprintf(stderr, "threads: %zu sampled threads, %zu FORK, %zu EXIT records\n",
	    ntids, forks, exits);
	CHECK(ntids >= 5);
	CHECK(forks >= 5);
	CHECK(exits >= 4);
	sampler_free(s);
	target_free(&t);
out:
	test_kill(pid);
	free(rc.v);
	ring_free(r);
}

/* The target: busy a while, then exec this program in busy mode. */
static void
test_child_exec(void *arg)
{
	char *argv[] = { test_self, (char *)"child", (char *)"busy", (char *)"5", NULL };

	(void)arg;
	test_busy(0.3);
	execv(test_self, argv);
	_exit(127);
}

/* The same, from a thread other than the leader. */
static void *
test_thread_exec(void *arg)
{
	test_child_exec(arg);
	return NULL;
}

static void
test_child_thread_exec(void *arg)
{
	pthread_t th;

	(void)arg;
	if (pthread_create(&th, NULL, test_thread_exec, NULL) != 0)
		_exit(1);
	test_busy(30);
}

/* Exec is followed (by the leader, or another thread): a COMM record
 * with the exec flag, then samples in the new image. */
static void
test_exec(void (*fn)(void *), const char *what)
{
	unsigned evs[] = { EVENT_CPU_CLOCK };
	struct ring *r = ring_new(1 << 16);
	struct stk_recs rc = { 0 };
	struct sampler_stats st;
	struct target t;
	struct sampler *s;
	uint64_t ranges[8][2];
	size_t nr = 0, comm = SIZE_MAX, after = 0, inside = 0;
	pid_t pid;

	pid = test_fork(fn, NULL);
	test_sleep(0.05);
	s = test_attach(pid, &t, r, evs, 1, 1000);
	if (s == NULL)
		goto out;
	for (int i = 0; i < 100 && comm == SIZE_MAX; i++) {
		test_sleep(0.02);
		stk_drain(r, &rc);
		for (size_t j = 0; j < rc.n; j++)
			if (rc.v[j].kind == RS_REC_COMM && comm == SIZE_MAX)
				comm = j;
	}
	CHECK(comm != SIZE_MAX);
	test_sleep(0.5);
	nr = test_exe_ranges(pid, ranges, 8);
	CHECK(nr > 0);
	sampler_stats(s, &st);
	CHECK_U64(st.threads, 1);
	sampler_stop(s);
	stk_drain(r, &rc);
	CHECK(test_all_free(pid));
	if (comm != SIZE_MAX) {
		CHECK_U64(rc.v[comm].pid, pid);
		CHECK_U64(rc.v[comm].tid, pid);
		CHECK_U64(rc.v[comm].arg, 1);
		for (size_t j = comm + 1; j < rc.n; j++) {
			const struct rs_sample *x = &rc.v[j];

			if (x->kind != RS_REC_SAMPLE)
				continue;
			after++;
			CHECK_U64(x->tid, pid);
			for (size_t k = 0; k < nr; k++)
				if (x->ip >= ranges[k][0] && x->ip < ranges[k][1]) {
					inside++;
					break;
				}
		}
	}
	fprintf(stderr, "exec (%s): %zu samples after exec, %zu in the program's text\n",
	    what, after, inside);
	CHECK(after > 50);
	CHECK(inside * 10 >= after * 9);
	sampler_free(s);
	target_free(&t);
out:
	test_kill(pid);
	free(rc.v);
	ring_free(r);
}

/* A command started by us, held before exec: sampled from its exec on
 * (its first record is the COMM of the exec), weights its CPU time;
 * its exit is seen and it is reaped with its status. */
static void
test_spawn(void)
{
	unsigned evs[] = { EVENT_TASK_CLOCK };
	char *argv[] = { test_self, (char *)"child", (char *)"busy", (char *)"0.8", NULL };
	struct ring *r = ring_new(1 << 16);
	struct stk_recs rc = { 0 };
	struct target t;
	struct sampler *s;
	uint64_t ranges[8][2], w = 0;
	size_t nr, inside = 0, n = 0, exits = 0;
	char *cause = NULL;
	bool alive = true;
	double t0, cpu;
	struct rusage ru0, ru1;

	/* The target's CPU time: its share of the children's once reaped. */
	CHECK(getrusage(RUSAGE_CHILDREN, &ru0) == 0);
	target_init(&t);
	CHECK(target_spawn(&t, argv, &cause) == 0);
	s = test_open(&t, r, evs, 1, 1000, 0, &cause);
	if (s == NULL) {
		fprintf(stderr, "sampler_open: %s\n", cause);
		CHECK(!"sampler_open failed");
		free(cause);
		target_end(&t);
		target_free(&t);
		ring_free(r);
		return;
	}
	CHECK(sampler_start(s, &cause) == 0);
	test_sleep(0.1);
	/* Held before exec: not a sample yet. */
	stk_drain(r, &rc);
	CHECK_U64(rc.n, 0);
	CHECK(target_go(&t, &cause) == 0);
	t0 = test_now();
	test_sleep(0.3);
	nr = test_exe_ranges(t.procs[0].pid, ranges, 8);
	CHECK(nr > 0);
	while (alive && test_now() - t0 < 5) {
		test_sleep(0.05);
		alive = target_poll(&t);
	}
	CHECK(!alive);
	CHECK(t.reaped && WIFEXITED(t.status) && WEXITSTATUS(t.status) == 0);
	sampler_stop(s);
	stk_drain(r, &rc);
	CHECK(rc.n > 0 && rc.v[0].kind == RS_REC_COMM && rc.v[0].arg == 1 &&
	    rc.v[0].pid == (uint32_t)t.procs[0].pid);
	for (size_t i = 0; i < rc.n; i++) {
		const struct rs_sample *x = &rc.v[i];

		exits += x->kind == RS_REC_EXIT;
		if (x->kind != RS_REC_SAMPLE)
			continue;
		n++;
		w += x->period;
		for (size_t k = 0; k < nr; k++)
			if (x->ip >= ranges[k][0] && x->ip < ranges[k][1]) {
				inside++;
				break;
			}
	}
	CHECK(getrusage(RUSAGE_CHILDREN, &ru1) == 0);
	cpu = (double)(ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec +
	    ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec) +
	    (double)(ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec +
	    ru1.ru_stime.tv_usec - ru0.ru_stime.tv_usec) / 1e6;
	fprintf(stderr, "spawn: %zu samples, %.3f s CPU of the target's %.3f s, "
	    "%zu in the program's text\n", n, (double)w / 1e9, cpu, inside);
	/* However little CPU a loaded machine gives it, the samples weigh
	 * what it used (less its start-up, sampled from exec on). */
	CHECK(cpu > 0.02);
	CHECK(n >= (size_t)(cpu * 1000 * 0.5));
	CHECK(inside * 10 >= n * 9);
	CHECK((double)w / 1e9 > cpu * 0.7 && (double)w / 1e9 < cpu * 1.1 + 0.01);
	CHECK_U64(exits, 1);
	{
		struct sampler_stats st;

		sampler_stats(s, &st);
		CHECK_U64(st.threads, 0);
	}
	sampler_free(s);
	target_end(&t);
	target_free(&t);
	free(rc.v);
	ring_free(r);
}

/* The target: stops itself first where arg says so, then busy. */
static void
test_child_stopper(void *arg)
{
	if (arg != NULL)
		raise(SIGSTOP);
	test_busy(30);
}

/* Samples taken from r within secs. */
static size_t
test_samples_during(struct ring *r, double secs)
{
	struct stk_recs rc = { 0 };
	size_t n;

	stk_drain(r, &rc);
	free(rc.v);
	memset(&rc, 0, sizeof rc);
	test_sleep(secs);
	stk_drain(r, &rc);
	n = test_nsamples(&rc, EVENT_CPU_CLOCK);
	free(rc.v);
	return n;
}

/* Wait up to a second for pid's state to be one of states. */
static char
test_wait_state(pid_t pid, const char *states)
{
	char c = '?';

	for (int i = 0; i < 100; i++) {
		c = test_state(pid);
		if (strchr(states, c) != NULL)
			break;
		test_sleep(0.01);
	}
	return c;
}

/* Group-stops: a stopped target is never sampled and stays stopped
 * (as T, untraced) after detach; SIGCONT resumes it, traced or not. */
static void
test_stop(bool stopped_first)
{
	unsigned evs[] = { EVENT_CPU_CLOCK };
	struct ring *r = ring_new(1 << 16);
	struct target t;
	struct sampler *s;
	pid_t pid;
	size_t n;
	int status;

	pid = test_fork(test_child_stopper, stopped_first ? &t : NULL);
	if (stopped_first) {
		CHECK(waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status));
		CHECK(test_wait_state(pid, "T") == 'T');
	} else {
		test_sleep(0.05);
	}
	s = test_attach(pid, &t, r, evs, 1, 1000);
	if (s == NULL)
		goto out;
	if (!stopped_first) {
		CHECK(test_samples_during(r, 0.2) > 20);
		CHECK(kill(pid, SIGSTOP) == 0);
		CHECK(test_wait_state(pid, "tT") != '?');
		test_sleep(0.05);
	}
	n = test_samples_during(r, 0.3);
	CHECK_U64(n, 0);
	if (!stopped_first) {
		/* Resumed while traced: sampled again; then stopped again. */
		CHECK(kill(pid, SIGCONT) == 0);
		CHECK(test_samples_during(r, 0.3) > 20);
		CHECK(kill(pid, SIGSTOP) == 0);
		test_sleep(0.1);
		CHECK_U64(test_samples_during(r, 0.2), 0);
	}
	sampler_free(s);
	target_free(&t);
	fprintf(stderr, "stop (%s): detached as %c\n", stopped_first ? "before attach" : "while traced",
	    test_state(pid));
	CHECK(test_untraced(pid));
	CHECK(test_state(pid) == 'T');
	test_sleep(0.1);
	CHECK(test_state(pid) == 'T');
	CHECK(kill(pid, SIGCONT) == 0);
	CHECK(test_wait_state(pid, "R") == 'R');
	CHECK(test_untraced(pid));
out:
	test_kill(pid);
	ring_free(r);
}

/* The target: one busy thread, one blocked in read, one sleeping. */
static int test_block_fd = -1;

static void *
test_thread_read(void *arg)
{
	char c;

	(void)arg;
	if (read(test_block_fd, &c, 1) < 0)
		_exit(4);
	return NULL;
}

static void *
test_thread_sleep(void *arg)
{
	(void)arg;
	for (;;)
		test_sleep(0.002);
	return NULL;
}

static void
test_child_waits(void *arg)
{
	pthread_t a, b;

	test_block_fd = *(int *)arg;
	if (pthread_create(&a, NULL, test_thread_read, NULL) != 0 ||
	    pthread_create(&b, NULL, test_thread_sleep, NULL) != 0)
		_exit(1);
	test_busy(30);
}

/* wait-time: every thread, running or blocked, at its wall time; a
 * blocked one at its system call, not stopped. */
static void
test_wait_time(void)
{
	unsigned evs[] = { EVENT_WAIT_TIME, EVENT_CONTEXT_SWITCHES };
	struct ring *r = ring_new(1 << 16);
	struct stk_recs rc = { 0 };
	struct target t;
	struct sampler *s;
	int pfd[2];
	pid_t pid, tids[8];
	uint64_t wall[8] = { 0 };
	size_t ntids = 0, blocked_read = 0, blocked_sleep = 0, running = 0,
	    cs[8] = { 0 };
	double t0, secs;

	CHECK(pipe(pfd) == 0);
	pid = test_fork(test_child_waits, &pfd[0]);
	test_sleep(0.1);
	s = test_attach(pid, &t, r, evs, 2, 200);
	if (s == NULL)
		goto out;
	t0 = test_now();
	test_sleep(1.0);
	sampler_stop(s);
	secs = test_now() - t0;
	stk_drain(r, &rc);
	CHECK(test_all_free(pid));
	for (size_t i = 0; i < rc.n; i++) {
		const struct rs_sample *x = &rc.v[i];
		size_t j;

		if (x->kind != RS_REC_SAMPLE)
			continue;
		for (j = 0; j < ntids && tids[j] != (pid_t)x->tid; j++)
			;
		if (j == ntids && ntids < 8)
			tids[ntids++] = (pid_t)x->tid;
		if (j == 8)
			continue;
		if (x->event == EVENT_CONTEXT_SWITCHES) {
			CHECK(x->flags == 0);
			cs[j] += x->period;
			continue;
		}
		wall[j] += x->period;
		if (!(x->flags & RS_SAMPLE_BLOCKED)) {
			running++;
			continue;
		}
		if (x->arg == SYS_read)
			blocked_read++;
#ifdef SYS_nanosleep
		if (x->arg == SYS_nanosleep)
			blocked_sleep++;
#endif
		if (x->arg == SYS_clock_nanosleep)
			blocked_sleep++;
	}
	fprintf(stderr, "wait-time: %zu threads over %.2f s; running %zu, in read %zu, sleeping %zu samples\n",
	    ntids, secs, running, blocked_read, blocked_sleep);
	for (size_t j = 0; j < ntids; j++)
		fprintf(stderr, "  thread %d: %.3f s wall, %zu switches\n", (int)tids[j],
		    (double)wall[j] / 1e9, cs[j]);
	CHECK_U64(ntids, 3);
	CHECK(running > 20);
	CHECK(blocked_read > 20);
	CHECK(blocked_sleep > 20);
	for (size_t j = 0; j < ntids; j++)
		CHECK(wall[j] > (uint64_t)(secs * 0.7e9) && wall[j] < (uint64_t)(secs * 1.1e9));
	sampler_free(s);
	target_free(&t);
out:
	close(pfd[0]);
	close(pfd[1]);
	test_kill(pid);
	free(rc.v);
	ring_free(r);
}

/* A target another tracer holds: refused, naming the tracer. */
static void
test_traced(void)
{
	unsigned evs[] = { EVENT_CPU_CLOCK };
	struct ring *r = ring_new(1 << 10);
	struct target t;
	struct sampler *s;
	pid_t pid, helper;
	int go[2];
	char c, *cause = NULL, want[64];

	pid = test_fork(test_child_stopper, NULL);
	CHECK(pipe(go) == 0);
	helper = fork();
	if (helper == 0) {
		if (ptrace(PTRACE_SEIZE, pid, NULL, NULL) < 0 || write(go[1], "s", 1) < 0)
			_exit(1);
		for (;;) {
			int st;

			/* Pass every stop on, as a tracer would. */
			if (waitpid(pid, &st, __WALL) == pid && WIFSTOPPED(st))
				ptrace(PTRACE_CONT, pid, NULL, NULL);
		}
	}
	close(go[1]);
	CHECK(read(go[0], &c, 1) == 1);
	close(go[0]);
	target_init(&t);
	CHECK(target_attach(&t, &pid, 1, &cause) == 0);
	s = test_open(&t, r, evs, 1, 1000, 0, &cause);
	CHECK(s == NULL);
	snprintf(want, sizeof want, "already traced by %d", (int)helper);
	fprintf(stderr, "traced: %s\n", cause != NULL ? cause : "(opened)");
	CHECK(cause != NULL && strstr(cause, want) != NULL);
	free(cause);
	sampler_free(s);
	target_free(&t);
	test_kill(helper);
	test_kill(pid);
	ring_free(r);
}

/* Hardware events: refused at open, by probe and by add_event. */
static void
test_hardware(void)
{
	unsigned hw[] = { EVENT_CPU_CLOCK, EVENT_CPU_CYCLES };
	unsigned evs[] = { EVENT_CPU_CLOCK };
	struct events_rate rate = { 1000, 0 };
	struct ring *r = ring_new(1 << 10);
	struct target t;
	struct sampler *s;
	char *cause = NULL;
	pid_t pid;

	pid = test_fork(test_child_stopper, NULL);
	target_init(&t);
	CHECK(target_attach(&t, &pid, 1, &cause) == 0);
	s = test_open(&t, r, hw, 2, 1000, 0, &cause);
	CHECK(s == NULL);
	CHECK(cause != NULL && strstr(cause, "cpu-cycles") != NULL &&
	    strstr(cause, "perf_event_open") != NULL);
	free(cause);
	cause = NULL;
	CHECK(test_untraced(pid));
	s = test_open(&t, r, evs, 1, 1000, 0, &cause);
	CHECK(s != NULL);
	if (s != NULL) {
		CHECK(sampler_probe(s, EVENT_INSTRUCTIONS, pid, &rate, &cause) < 0);
		CHECK(cause != NULL && strstr(cause, "instructions") != NULL);
		free(cause);
		cause = NULL;
		CHECK(sampler_add_event(s, EVENT_CACHE_MISSES, &cause) < 0);
		CHECK(cause != NULL && strstr(cause, "cache-misses") != NULL);
		free(cause);
		cause = NULL;
		CHECK(!sampler_has_event(s, EVENT_CACHE_MISSES));
		CHECK(sampler_probe(s, EVENT_WAIT_TIME, pid, &rate, &cause) == 0);
		CHECK(sampler_probe(s, EVENT_PAGE_FAULTS, pid, &rate, &cause) == 0);
		{
			size_t n;
			const struct sampler_event *se = sampler_events(s, &n);

			CHECK_U64(n, 1);
			CHECK(se[0].requested == EVENT_CPU_CLOCK &&
			    se[0].effective == EVENT_CPU_CLOCK && se[0].notice == NULL);
		}
		/* Freed without ever starting: detached all the same. */
		sampler_free(s);
		CHECK(test_untraced(pid));
	} else {
		free(cause);
	}
	target_free(&t);
	test_kill(pid);
	ring_free(r);
}

/* The target: forks a busy child now and then, and runs /bin/true
 * through posix_spawn (vfork and exec). */
static void
test_child_forks(void *arg)
{
	(void)arg;
	for (int i = 0; i < 4; i++) {
		pid_t c = fork();

		if (c == 0) {
			test_busy(0.3);
			_exit(0);
		}
		if (system("exec true") < 0)
			_exit(5);
		test_sleep(0.1);
		if (c > 0)
			waitpid(c, NULL, 0);
	}
	test_busy(30);
}

/* Forked children are followed like perf's inherit: a FORK record
 * naming the parent, then their samples; all detached at the end. */
static void
test_forks(void)
{
	unsigned evs[] = { EVENT_CPU_CLOCK };
	struct ring *r = ring_new(1 << 16);
	struct stk_recs rc = { 0 };
	struct target t;
	struct sampler *s;
	pid_t pid, kids[16];
	size_t nkids = 0, kid_samples = 0, comms = 0;

	pid = test_fork(test_child_forks, NULL);
	s = test_attach(pid, &t, r, evs, 1, 1000);
	if (s == NULL)
		goto out;
	test_sleep(1.0);
	sampler_stop(s);
	stk_drain(r, &rc);
	CHECK(test_all_free(pid));
	for (size_t i = 0; i < rc.n; i++) {
		const struct rs_sample *x = &rc.v[i];

		if (x->kind == RS_REC_FORK && x->pid == x->tid && x->arg == (uint32_t)pid &&
		    nkids < 16)
			kids[nkids++] = (pid_t)x->pid;
		if (x->kind == RS_REC_COMM && x->pid != (uint32_t)pid)
			comms++;
		if (x->kind != RS_REC_SAMPLE || x->pid == (uint32_t)pid)
			continue;
		for (size_t k = 0; k < nkids; k++)
			if (kids[k] == (pid_t)x->pid) {
				kid_samples++;
				break;
			}
	}
	fprintf(stderr, "forks: %zu child processes announced, %zu of their samples, %zu execs\n",
	    nkids, kid_samples, comms);
	CHECK(nkids >= 4);
	CHECK(kid_samples > 100);
	CHECK(comms >= 2);
	for (size_t k = 0; k < nkids; k++)
		if (kill(kids[k], 0) == 0)
			CHECK(test_all_free(kids[k]));
	sampler_free(s);
	target_free(&t);
out:
	test_kill(pid);
	free(rc.v);
	ring_free(r);
}

/* A signal sent just before detaching reaches the target all the same
 * (in signal-delivery-stop at detach, it is passed on). A real-time
 * signal: each one sent is queued, so none merges with one not yet
 * handled when the target is slow to run (a loaded machine). */
static void
test_detach_signal(void)
{
	unsigned evs[] = { EVENT_CPU_CLOCK };
	struct ring *r = ring_new(1 << 12);
	int pfd[2], got = 0, sent = 0;
	pid_t pid;
	char c;

	CHECK(pipe(pfd) == 0);
	pid = test_fork(test_child_busy, &pfd[1]);
	close(pfd[1]);
	test_sleep(0.05);
	for (int i = 0; i < 20; i++) {
		struct target t;
		struct sampler *s = test_attach(pid, &t, r, evs, 1, 1000);

		if (s == NULL)
			break;
		test_sleep(0.005 * (i % 4));
		CHECK(kill(pid, SIGRTMIN) == 0);
		sent++;
		sampler_free(s);
		target_free(&t);
		CHECK(test_untraced(pid));
		{
			struct stk_recs rc = { 0 };

			stk_drain(r, &rc);
			free(rc.v);
		}
	}
	fcntl(pfd[0], F_SETFL, O_NONBLOCK);
	for (int i = 0; i < 100 && got < sent; i++) {
		while (read(pfd[0], &c, 1) == 1)
			got++;
		test_sleep(0.01);
	}
	fprintf(stderr, "detach with a signal pending: %d of %d signals handled\n", got, sent);
	CHECK(got == sent);
	CHECK(test_all_free(pid));
	close(pfd[0]);
	test_kill(pid);
	ring_free(r);
}

/* A spawned command freed before it was let go: untraced, and ended
 * by target_end. */
static void
test_spawn_abandoned(void)
{
	unsigned evs[] = { EVENT_WAIT_TIME };
	char *argv[] = { test_self, (char *)"child", (char *)"busy", (char *)"5", NULL };
	struct ring *r = ring_new(1 << 10);
	struct target t;
	struct sampler *s;
	char *cause = NULL;

	target_init(&t);
	CHECK(target_spawn(&t, argv, &cause) == 0);
	s = test_open(&t, r, evs, 1, 1000, 0, &cause);
	CHECK(s != NULL);
	if (s != NULL)
		CHECK(sampler_start(s, &cause) == 0);
	test_sleep(0.05);
	sampler_free(s);
	CHECK(test_untraced(t.procs[0].pid));
	/* Held before exec again: blocked on its pipe (it may show R for a
	 * moment while it goes back into read), never stopped. */
	for (int i = 0; i < 200 && test_state(t.procs[0].pid) == 'R'; i++)
		test_sleep(0.01);
	CHECK(test_state(t.procs[0].pid) == 'S');
	target_end(&t);
	CHECK(t.reaped);
	target_free(&t);
	ring_free(r);
}

/* ustack: a copy of memory stops where the readable memory does; the
 * registers of PTRACE_GETREGS in perf's numbering. */
static void
test_ustack(void)
{
	unsigned char *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char buf[16384];
	uint64_t base;
	struct rs_ustack u;

	CHECK(m != MAP_FAILED);
	if (m == MAP_FAILED)
		return;
	for (size_t i = 0; i < 3 * 4096; i++)
		m[i] = (unsigned char)(i * 7);
	CHECK(mprotect(m + 2 * 4096, 4096, PROT_NONE) == 0);
	base = (uint64_t)(uintptr_t)m;
	memset(buf, 0, sizeof buf);
	CHECK_U64(ustack_read(getpid(), base + 4000, buf, sizeof buf), 2 * 4096 - 4000);
	CHECK(memcmp(buf, m + 4000, 2 * 4096 - 4000) == 0);
	CHECK_U64(ustack_read(getpid(), base + 8, buf, 100), 100);
	CHECK(memcmp(buf, m + 8, 100) == 0);
	CHECK_U64(ustack_read(getpid(), base + 2 * 4096, buf, 64), 0);
	CHECK_U64(ustack_read(getpid(), 0, buf, 64), 0);
	CHECK_U64(ustack_read(getpid(), base, buf, 0), 0);
	munmap(m, 3 * 4096);

	ustack_sp_ip(&u, 0x7ffd1000, 0x401234);
	CHECK_U64(u.mask, 1u << RS_REG_SP | 1u << RS_REG_IP);
	CHECK_U64(u.sp, 0x7ffd1000);
	CHECK_U64(u.regs[RS_REG_SP], 0x7ffd1000);
	CHECK_U64(u.regs[RS_REG_IP], 0x401234);
	CHECK_U64(u.regs[RS_REG_BP], 0);
#if defined(__x86_64__)
	{
		struct user_regs_struct r;
		/* PERF_REG_X86_* order (asm/perf_regs.h). */
		unsigned long long *want[RS_USTACK_NREGS] = {
			&r.rax, &r.rbx, &r.rcx, &r.rdx, &r.rsi, &r.rdi, &r.rbp,
			&r.rsp, &r.rip, &r.eflags, &r.cs, &r.ss, &r.ds, &r.es,
			&r.fs, &r.gs, &r.r8, &r.r9, &r.r10, &r.r11, &r.r12,
			&r.r13, &r.r14, &r.r15,
		};

		memset(&r, 0, sizeof r);
		for (unsigned i = 0; i < RS_USTACK_NREGS; i++)
			*want[i] = 1000 + i;
		ustack_from_regs(&u, &r);
		CHECK_U64(u.mask, (1ull << RS_USTACK_NREGS) - 1);
		for (unsigned i = 0; i < RS_USTACK_NREGS; i++)
			CHECK_U64(u.regs[i], 1000 + i);
		CHECK_U64(u.sp, 1000 + RS_REG_SP);
	}
#endif
}

/* The call-stack target's blocked thread: a marker on its stack, then
 * read() for ever. */
static void *
test_thread_marked(void *arg)
{
	volatile uint64_t mark[2] = { STK_MAGIC, STK_MAGIC };
	char c;

	if (read(*(int *)arg, &c, 1) < 0)
		_exit(4);
	return (void *)(uintptr_t)mark[1];
}

/* The call-stack target: a thread blocked in read, and the known chain. */
static void
test_child_cg(void *arg)
{
	pthread_t th;

	if (pthread_create(&th, NULL, test_thread_marked, arg) != 0)
		_exit(1);
	stk_outer(30);
}

/* What the call-stack target's samples looked like. */
struct cg_counts {
	pid_t pid;
	size_t stack_size;
	size_t max_slots;
	uint64_t cpu;			/* cpu-clock samples of the leaf's thread */
	uint64_t cpu_ok;		/* ... after its registers and stack */
	uint64_t leaf;			/* ... in the leaf */
	uint64_t leaf_ok;		/* ... its marker and return address on the stack */
	uint64_t blocked;		/* wait-time samples of the blocked thread */
	uint64_t blocked_ok;		/* ... after its sp and pc, and the stack from there */
	uint64_t clipped;		/* stacks copied short of stack_size */
};

/* Look at one unit. */
static void
test_cg_unit(const struct stk_unit *u, void *arg)
{
	struct cg_counts *c = arg;
	const struct rs_sample *x = u->sample;
	bool ok;

	if (u->slots > c->max_slots)
		c->max_slots = u->slots;
	if (x->pid != (uint32_t)c->pid)
		return;
	ok = u->have_user && u->chain == NULL && u->nbytes > 0 &&
	    u->nbytes <= c->stack_size && u->user.regs[RS_REG_IP] == x->ip &&
	    u->user.regs[RS_REG_SP] == u->user.sp;
	c->clipped += u->have_user && u->nbytes < c->stack_size;
	if (x->event == EVENT_CPU_CLOCK && x->tid == (uint32_t)c->pid) {
		c->cpu++;
		/* Stopped: every register. */
		ok = ok && u->user.mask == (1ull << RS_USTACK_NREGS) - 1;
		c->cpu_ok += ok;
		if (!stk_in_leaf(x->ip))
			return;
		c->leaf++;
		c->leaf_ok += ok && stk_has(u, stk_shared[2], STK_MAGIC) &&
		    stk_find(u, stk_shared[0]);
		return;
	}
	if (x->event != EVENT_WAIT_TIME || x->tid == (uint32_t)c->pid ||
	    !(x->flags & RS_SAMPLE_BLOCKED))
		return;
	c->blocked++;
	/* Not stopped: its sp and pc alone (every register where a stop
	 * caught it falling asleep). */
	ok = ok && (u->user.mask == (1ull << RS_REG_SP | 1ull << RS_REG_IP) ||
	    u->user.mask == (1ull << RS_USTACK_NREGS) - 1);
	c->blocked_ok += ok && stk_find(u, STK_MAGIC);
}

/* Call stacks on ptrace (mode; stack_size bytes): at each stop the
 * registers and the stack, a blocked thread's from its wait site. */
static void
test_cg(enum sampler_callgraph mode, unsigned stack_size)
{
	struct ring *r = ring_new(1 << 18);
	struct stk_recs rc = { 0 };
	struct sampler_opts o;
	struct sampler *s = NULL;
	struct target t;
	struct cg_counts c;
	uint64_t bad = 0;
	char *cause = NULL;
	int pfd[2];
	pid_t pid;

	memset(&c, 0, sizeof c);
	stk_setup();
	CHECK(pipe(pfd) == 0);
	pid = test_fork(test_child_cg, &pfd[0]);
	for (int i = 0; i < 200 && stk_shared[3] == 0; i++)
		test_sleep(0.01);
	CHECK(stk_shared[3] == 1);
	memset(&o, 0, sizeof o);
	o.events[o.nevents++] = EVENT_CPU_CLOCK;
	o.events[o.nevents++] = EVENT_WAIT_TIME;
	o.rate.freq = 500;
	o.kind = SAMPLER_PTRACE;
	o.callgraph = mode;
	o.stack_size = stack_size;
	target_init(&t);
	CHECK(target_attach(&t, &pid, 1, &cause) == 0);
	if ((s = stk_run(&t, r, &o, 0.8, &rc)) == NULL)
		goto out;
	CHECK(test_all_free(pid));
	sampler_free(s);
	c.pid = pid;
	c.stack_size = stack_size;
	stk_walk(&rc, test_cg_unit, &c, &bad);
	fprintf(stderr, "-g %s, %u bytes: cpu-clock %" PRIu64 " (%" PRIu64 " with its stack), in the leaf %"
	    PRIu64 " (%" PRIu64 " with the known stack); blocked %" PRIu64 " (%" PRIu64
	    " from the wait site); %" PRIu64 " stacks cut short; units up to %zu slots of %zu\n",
	    mode == SAMPLER_CG_FP ? "fp" : "dwarf", stack_size, c.cpu, c.cpu_ok,
	    c.leaf, c.leaf_ok, c.blocked, c.blocked_ok, c.clipped, c.max_slots,
	    sampler_slots_per_sample(&o));
	CHECK_U64(bad, 0);
	CHECK(c.cpu > 100);
	CHECK_U64(c.cpu_ok, c.cpu);
	CHECK(c.leaf > 50);
	CHECK_U64(c.leaf_ok, c.leaf);
	CHECK(c.blocked > 50);
	CHECK_U64(c.blocked_ok, c.blocked);
	CHECK(c.max_slots <= sampler_slots_per_sample(&o));
out:
	target_free(&t);
	close(pfd[0]);
	close(pfd[1]);
	test_kill(pid);
	free(rc.v);
	ring_free(r);
	munmap((void *)stk_shared, 4096);
}

/* Run as a target ("child busy SECS"). */
static int
test_child_main(char **argv)
{
	if (strcmp(argv[2], "busy") == 0 && argv[3] != NULL) {
		test_busy(atof(argv[3]));
		/* Not through exit: a sanitizer's leak check cannot run
		 * while traced. */
		_exit(0);
	}
	return 2;
}

int
main(int argc, char **argv)
{
	ssize_t len;
	double t0 = test_now();

	if (argc >= 4 && strcmp(argv[1], "child") == 0)
		return test_child_main(argv);
	len = readlink("/proc/self/exe", test_self, sizeof test_self - 1);
	if (len <= 0)
		return 77;
	test_self[len] = '\0';
	{
		/* Skip where ptrace is not allowed at all. */
		pid_t pid = test_fork(test_child_stopper, NULL);
		pid_t probe = fork();
		int st = 0;

		if (probe == 0)
			_exit(ptrace(PTRACE_SEIZE, pid, NULL, NULL) == 0 ? 0 : 1);
		waitpid(probe, &st, 0);
		test_kill(pid);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			fprintf(stderr, "test_ptrace: ptrace is not allowed here: skipped\n");
			return 77;
		}
	}
	test_hardware();
	test_traced();
	test_attach_busy();
	test_spawn();
	test_threads();
	test_exec(test_child_exec, "leader");
	test_exec(test_child_thread_exec, "other thread");
	test_stop(false);
	test_stop(true);
	test_wait_time();
	test_forks();
	test_detach_signal();
	test_spawn_abandoned();
	test_ustack();
	test_cg(SAMPLER_CG_FP, 8192);
	/* Less than the default, but room for the wait site's frame under
	 * ASan too (its redzones make frames larger). */
	test_cg(SAMPLER_CG_DWARF, 4096);
	fprintf(stderr, "test_ptrace: %.1f s\n", test_now() - t0);
	return check_exit("test_ptrace");
}
