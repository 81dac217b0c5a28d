/* threads: threads that come and go.
 *
 * The main thread starts two threads, waits for both in pthread_join and
 * starts two more, over and over; each thread spins in short_lived for
 * about 20 to 50 ms and exits.  Nearly all on-CPU samples are in
 * short_lived, spread over many short-lived threads.
 *
 * Usage: threads [SECONDS]   (default 30; exits by itself) */
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

volatile unsigned long threads_sink;

void short_lived(unsigned long n);

/* N iterations of busy work. */
HOT void
short_lived(unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		threads_sink += i;
}

/* Thread CPU time in seconds. */
static double
cputime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Monotonic time in seconds. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One short-lived thread: ARG (a slot number) picks its length. */
static void *
worker(void *arg)
{
	double end = cputime() + 0.020 + 0.015 * (double)(long)arg;

	while (cputime() < end)
		short_lived(1UL << 18);
	return NULL;
}

int
main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 30;
	double end = now() + secs;
	pthread_t t[2];
	long i;

	while (now() < end) {
		for (i = 0; i < 2; i++) {
			if (pthread_create(&t[i], NULL, worker, (void *)i) != 0) {
				fprintf(stderr, "threads: pthread_create failed\n");
				return 1;
			}
			pthread_setname_np(t[i], "short_lived");
		}
		for (i = 0; i < 2; i++)
			pthread_join(t[i], NULL);
	}
	return 0;
}
