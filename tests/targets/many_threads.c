/* many_threads: a process with very many threads.
 *
 * Starts N threads (small stacks) that block in a condition wait, then
 * says "started N" on stdout; the main thread spins in many_spin until
 * the end.  On SIGUSR1 every one of the N threads runs many_burst once
 * (about a millisecond of CPU each, the same work for all), then waits
 * again; "burst" goes to stdout once all are done.  A profiler that
 * follows every thread gives many_burst its share of the CPU time that
 * /proc/PID/task/TID/schedstat shows the N threads used; one that follows
 * some of them, a smaller share.
 *
 * Usage: many_threads N [SECONDS]   (default 30; exits by itself) */
#define _GNU_SOURCE 1
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 8
#define HOT __attribute__((noipa))
#else
#define HOT __attribute__((noinline))
#endif

#define STACK	(64 * 1024)
#define BURST	(1UL << 20)	/* iterations of one thread's burst */

volatile unsigned long many_sink;
volatile unsigned long many_burst_sink;
static pthread_mutex_t many_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t many_cond = PTHREAD_COND_INITIALIZER;
static int many_done;
static unsigned long many_gen;	/* bursts asked for */
static long many_left;		/* threads still in this burst */
static volatile sig_atomic_t many_go;

void many_spin(unsigned long n);
void many_burst(unsigned long n);

/* The hot loop of the main thread. */
HOT void
many_spin(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		many_sink++;
}

/* The hot loop of a thread's burst. */
HOT void
many_burst(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		many_burst_sink++;
}

/* A thread: wait, without CPU, for a burst or the end. */
static void *
many_wait(void *arg)
{
	unsigned long seen = 0;

	(void)arg;
	pthread_mutex_lock(&many_lock);
	for (;;) {
		while (!many_done && seen == many_gen)
			pthread_cond_wait(&many_cond, &many_lock);
		if (many_done)
			break;
		seen = many_gen;
		pthread_mutex_unlock(&many_lock);
		many_burst(BURST);
		pthread_mutex_lock(&many_lock);
		many_left--;
	}
	pthread_mutex_unlock(&many_lock);
	return NULL;
}

/* SIGUSR1: ask for a burst. */
static void
many_on_usr1(int sig)
{
	(void)sig;
	many_go = 1;
}

/* Seconds on the monotonic clock. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100;
	double secs = argc > 2 ? atof(argv[2]) : 30, end;
	pthread_t *t;
	pthread_attr_t attr;
	int err;

	if (n < 0 || n > 100000) {
		fprintf(stderr, "usage: many_threads N [SECONDS]\n");
		return 2;
	}
	t = calloc((size_t)n + 1, sizeof *t);
	if (t == NULL)
		return 1;
	signal(SIGUSR1, many_on_usr1);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, STACK);
	for (long i = 0; i < n; i++) {
		err = pthread_create(&t[i], &attr, many_wait, NULL);
		if (err != 0) {
			fprintf(stderr, "many_threads: thread %ld: %s\n", i + 1, strerror(err));
			return 1;
		}
	}
	printf("started %ld\n", n);
	fflush(stdout);
	end = now() + secs;
	while (now() < end) {
		many_spin(1UL << 18);
		if (many_go) {
			many_go = 0;
			pthread_mutex_lock(&many_lock);
			many_gen++;
			many_left = n;
			pthread_cond_broadcast(&many_cond);
			pthread_mutex_unlock(&many_lock);
		}
		pthread_mutex_lock(&many_lock);
		if (many_gen > 0 && many_left == 0) {
			printf("burst %lu\n", many_gen);
			fflush(stdout);
			many_left = -1;	/* said once */
		}
		pthread_mutex_unlock(&many_lock);
	}
	pthread_mutex_lock(&many_lock);
	many_done = 1;
	pthread_cond_broadcast(&many_cond);
	pthread_mutex_unlock(&many_lock);
	for (long i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	free(t);
	return 0;
}
