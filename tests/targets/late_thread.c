/* late_thread: a thread that starts after the profiler has attached.
 *
 * The main thread sleeps (blocked, no CPU) for DELAY seconds, then starts
 * one thread, named "late_hot", that spins in late_hot until the end; the
 * main thread waits for it in pthread_join.  Attach before DELAY and the
 * only on-CPU samples are the late thread's, all in late_hot.
 *
 * Usage: late_thread [SECONDS [DELAY]]   (defaults 30 and 1; exits by itself) */
#define _GNU_SOURCE 1	/* pthread_setname_np */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 8
#define HOT __attribute__((noipa))
#else
#define HOT __attribute__((noinline))
#endif

volatile unsigned long late_sink;
static double late_end;

void late_hot(unsigned long n);

/* Monotonic time in seconds. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* N iterations of busy work. */
HOT void
late_hot(unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		late_sink += i;
}

/* The late thread: busy until the end. */
static void *
late_main(void *arg)
{
	(void)arg;
	while (now() < late_end)
		late_hot(1UL << 20);
	return NULL;
}

int
main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 30;
	double delay = argc > 2 ? atof(argv[2]) : 1;
	double start = now();
	struct timespec ts;
	pthread_t t;
	int err;

	late_end = start + secs;
	if (delay > secs)
		delay = secs;
	ts.tv_sec = (time_t)delay;
	ts.tv_nsec = (long)((delay - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) != 0)
		continue;
	if (now() >= late_end)
		return 0;
	if ((err = pthread_create(&t, NULL, late_main, NULL)) != 0) {
		fprintf(stderr, "late_thread: pthread_create failed (%d)\n", err);
		return 1;
	}
	pthread_setname_np(t, "late_hot");
	pthread_join(t, NULL);
	return 0;
}
