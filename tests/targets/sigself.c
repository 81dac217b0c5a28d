/* sigself: signals a process sends itself, and a stop, written down.
 *
 * Two threads: the main thread, and a helper that spins in sig_busy all
 * its life with SIGUSR1, SIGRTMIN and SIGCONT blocked, so that all three
 * are delivered to the main thread: the first two before kill and
 * sigqueue return (a signal a thread sends its own process, unblocked in
 * that thread only), SIGCONT before raise(SIGSTOP) returns (blocking it
 * in the helper does not keep it from continuing the process).  Nothing
 * is left to timing, so what it writes is the same on every run,
 * profiled or not:
 *
 *   1. It spins in sig_busy until the file OUT.go exists (the test
 *      creates it once the profiler is attached).
 *   2. 200 rounds: 5 ms of wall time in sig_busy, kill(getpid(), SIGUSR1),
 *      sigqueue(getpid(), SIGRTMIN, round number).  The handlers count
 *      the deliveries, add up the values, and check that each SIGRTMIN
 *      came with si_code SI_QUEUE and this process's pid.  It writes
 *          usr1 sent 200 got 200
 *          rt sent 200 got 200 sum 20100 info-ok 200
 *          stopping
 *      to OUT, then raise(SIGSTOP): the whole process (both threads)
 *      stops until someone sends SIGCONT.
 *   3. Once continued it writes "cont 1" (its SIGCONT handler's count)
 *      and "done" to OUT, and spins in sig_busy until SECONDS have passed.
 *
 * Usage: sigself OUT [SECONDS]   (default 60; exits by itself) */
#define _GNU_SOURCE 1	/* pthread_setname_np */
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 8
#define HOT __attribute__((noipa))
#else
#define HOT __attribute__((noinline))
#endif

#define ROUNDS 200

volatile unsigned long sig_sink;
static volatile sig_atomic_t usr1_got, rt_got, rt_info_ok, cont_got;
static volatile long rt_sum;
static atomic_int helper_stop;

void sig_busy(double secs);

/* Monotonic time in seconds. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Spin for SECS seconds of wall time. */
HOT void
sig_busy(double secs)
{
	double end = now() + secs;
	unsigned long i;

	do {
		for (i = 0; i < 65536; i++)
			sig_sink += i;
	} while (now() < end);
}

static void
on_usr1(int sig)
{
	(void)sig;
	usr1_got++;
}

static void
on_rt(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	rt_got++;
	rt_sum += si->si_value.sival_int;
	if (si->si_code == SI_QUEUE && si->si_pid == getpid())
		rt_info_ok++;
}

static void
on_cont(int sig)
{
	(void)sig;
	cont_got++;
}

/* The helper thread: busy, with SIGUSR1, SIGRTMIN and SIGCONT blocked. */
static void *
helper(void *arg)
{
	(void)arg;
	while (!atomic_load(&helper_stop))
		sig_busy(0.01);
	return NULL;
}

static void say(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Append a line to F, flushed. */
static void
say(FILE *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	if (fflush(f) != 0) {
		perror("sigself: write");
		exit(1);
	}
}

int
main(int argc, char **argv)
{
	double end;
	char go[4096];
	struct sigaction sa;
	sigset_t set, old;
	pthread_t t;
	union sigval v;
	FILE *out;
	int i;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: sigself OUT [SECONDS]\n");
		return 2;
	}
	end = now() + (argc > 2 ? atof(argv[2]) : 60);
	snprintf(go, sizeof go, "%s.go", argv[1]);
	if ((out = fopen(argv[1], "w")) == NULL) {
		perror(argv[1]);
		return 1;
	}

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_cont;
	sigaction(SIGCONT, &sa, NULL);
	sa.sa_flags = SA_RESTART | SA_SIGINFO;
	sa.sa_sigaction = on_rt;
	sigaction(SIGRTMIN, &sa, NULL);

	/* The helper starts with the three blocked (it inherits the mask). */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGRTMIN);
	sigaddset(&set, SIGCONT);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	if (pthread_create(&t, NULL, helper, NULL) != 0) {
		fprintf(stderr, "sigself: pthread_create failed\n");
		return 1;
	}
	pthread_setname_np(t, "sig_helper");
	pthread_sigmask(SIG_SETMASK, &old, NULL);

	while (access(go, F_OK) != 0) {
		if (now() >= end) {
			fprintf(stderr, "sigself: no %s within the time given\n", go);
			return 1;
		}
		sig_busy(0.01);
	}

	for (i = 1; i <= ROUNDS; i++) {
		sig_busy(0.005);
		kill(getpid(), SIGUSR1);
		v.sival_int = i;
		sigqueue(getpid(), SIGRTMIN, v);
	}
	say(out, "usr1 sent %d got %d", ROUNDS, (int)usr1_got);
	say(out, "rt sent %d got %d sum %ld info-ok %d", ROUNDS, (int)rt_got,
	    (long)rt_sum, (int)rt_info_ok);
	say(out, "stopping");
	raise(SIGSTOP);
	say(out, "cont %d", (int)cont_got);
	say(out, "done");

	while (now() < end)
		sig_busy(0.01);
	atomic_store(&helper_stop, 1);
	pthread_join(t, NULL);
	return 0;
}
