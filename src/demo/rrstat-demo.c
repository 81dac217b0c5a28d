/* rrstat-demo: the workload that rrstat-top --demo profiles.
 *
 * A handful of named threads, each with a different profile, so that every
 * event has its own top function:
 *
 *   demo_compute    spins in demo_compute (on-CPU time in the executable)
 *   demo_math       calls sin, cos and exp (on-CPU time in libm)
 *   demo_faults     maps, touches and unmaps pages in demo_faults
 *                   (page-faults), with a short sleep between rounds
 *   demo_switch_a,  pass a byte back and forth through two pipes in
 *   demo_switch_b   demo_switch (context-switches), resting now and then
 *   demo_sleeper    blocked most of the time: nanosleep, then read from a
 *                   pipe that the main thread writes to every 250 ms
 *
 * Usage: rrstat-demo [SECONDS]
 * Runs until killed, or for SECONDS. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Keep each demo function whole and under its own name. */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 8
#define DEMO_FN __attribute__((noipa))
#else
#define DEMO_FN __attribute__((noinline))
#endif

void demo_compute(void);
void demo_math(void);
void demo_faults(void);
void demo_switch(int rfd, int wfd, int first);
void demo_sleeper(int rfd);

static int demo_to_a[2], demo_to_b[2], demo_wake[2];
static volatile unsigned long demo_compute_sink;
static volatile double demo_math_in = 0.25, demo_math_sink;

/* Sleeps for MS milliseconds. */
static void
demo_nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		continue;
}

/* A three-argument system call, inlined into its caller, so that a
 * context switch in it is seen in demo_switch rather than in the C
 * library (or a sanitizer's interceptor). */
static inline __attribute__((always_inline)) long
demo_syscall3(long nr, long a, long b, long c)
{
#if defined(__x86_64__)
	long ret;

	__asm__ volatile ("syscall" : "=a" (ret)
	    : "a" (nr), "D" (a), "S" (b), "d" (c)
	    : "rcx", "r11", "memory");
	return ret;
#elif defined(__aarch64__)
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;

	__asm__ volatile ("svc 0" : "+r" (x0)
	    : "r" (x8), "r" (x1), "r" (x2)
	    : "memory", "cc");
	return x0;
#else
	return syscall(nr, a, b, c);
#endif
}

/* Busy work in the executable, forever. */
DEMO_FN void
demo_compute(void)
{
	unsigned long i;

	for (i = 0;; i++)
		demo_compute_sink += i;
}

/* Busy work in libm, forever. */
DEMO_FN void
demo_math(void)
{
	unsigned long i;
	double x;

	for (i = 0;; i++) {
		x = demo_math_in + (double)(i & 1023) * 1e-3;
		demo_math_sink = sin(x);
		demo_math_sink = cos(x);
		demo_math_sink = exp(x);
	}
}

/* Page faults, forever: 256 fresh pages a round, then a 2 ms rest. */
DEMO_FN void
demo_faults(void)
{
	size_t pagesize = (size_t)sysconf(_SC_PAGESIZE), len = 256 * pagesize;
	volatile char *p;
	size_t off;

	for (;;) {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			demo_nap(100);
			continue;
		}
		for (off = 0; off < len; off += pagesize)
			p[off] = 1;
		munmap((void *)p, len);
		demo_nap(2);
	}
}

/* Context switches, forever: one byte back and forth through two pipes;
 * the first player rests 5 ms every 200 round trips. */
DEMO_FN void
demo_switch(int rfd, int wfd, int first)
{
	unsigned long n;
	char c = 'x';

	if (first && demo_syscall3(SYS_write, wfd, (long)&c, 1) != 1)
		return;
	for (n = 1;; n++) {
		if (demo_syscall3(SYS_read, rfd, (long)&c, 1) != 1)
			return;
		if (first && n % 200 == 0)
			demo_nap(5);
		if (demo_syscall3(SYS_write, wfd, (long)&c, 1) != 1)
			return;
	}
}

/* Blocked most of the time, forever: a 100 ms nanosleep, then a read that
 * waits for the main thread's next byte. */
DEMO_FN void
demo_sleeper(int rfd)
{
	char c;

	for (;;) {
		demo_nap(100);
		if (read(rfd, &c, 1) < 0 && errno != EINTR)
			return;
	}
}

static void *
demo_compute_main(void *arg)
{
	(void)arg;
	demo_compute();
	return NULL;
}

static void *
demo_math_main(void *arg)
{
	(void)arg;
	demo_math();
	return NULL;
}

static void *
demo_faults_main(void *arg)
{
	(void)arg;
	demo_faults();
	return NULL;
}

static void *
demo_switch_a_main(void *arg)
{
	(void)arg;
	demo_switch(demo_to_a[0], demo_to_b[1], 1);
	return NULL;
}

static void *
demo_switch_b_main(void *arg)
{
	(void)arg;
	demo_switch(demo_to_b[0], demo_to_a[1], 0);
	return NULL;
}

static void *
demo_sleeper_main(void *arg)
{
	(void)arg;
	demo_sleeper(demo_wake[0]);
	return NULL;
}

/* The demo's threads, with their names. */
static const struct demo_thread {
	const char	*name;
	void		*(*start)(void *);
} demo_threads[] = {
	{ .name = "demo_compute", .start = demo_compute_main },
	{ .name = "demo_math", .start = demo_math_main },
	{ .name = "demo_faults", .start = demo_faults_main },
	{ .name = "demo_switch_a", .start = demo_switch_a_main },
	{ .name = "demo_switch_b", .start = demo_switch_b_main },
	{ .name = "demo_sleeper", .start = demo_sleeper_main },
};

int
main(int argc, char **argv)
{
	const size_t nthreads = sizeof demo_threads / sizeof demo_threads[0];
	double secs = -1;
	char *end;
	pthread_t t;
	long ticks;
	size_t i;
	int err;

	if (argc > 2 || (argc == 2 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0))) {
		fprintf(stderr, "usage: rrstat-demo [SECONDS]\n");
		return argc == 2 ? 0 : 2;
	}
	if (argc == 2) {
		secs = strtod(argv[1], &end);
		if (end == argv[1] || *end != '\0' || secs < 0) {
			fprintf(stderr, "rrstat-demo: not a number of seconds: "
			    "%s\n", argv[1]);
			return 2;
		}
	}
	if (pipe(demo_to_a) != 0 || pipe(demo_to_b) != 0 ||
	    pipe(demo_wake) != 0) {
		fprintf(stderr, "rrstat-demo: pipe: %s\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < nthreads; i++) {
		err = pthread_create(&t, NULL, demo_threads[i].start, NULL);
		if (err != 0) {
			fprintf(stderr, "rrstat-demo: cannot start thread %s: "
			    "%s\n", demo_threads[i].name, strerror(err));
			return 1;
		}
		pthread_setname_np(t, demo_threads[i].name);
		pthread_detach(t);
	}
	/* Wake the sleeper every 250 ms, until the time is up. */
	for (ticks = 0; secs < 0 || ticks * 0.25 < secs; ticks++) {
		demo_nap(250);
		if (write(demo_wake[1], "w", 1) < 0 && errno != EINTR)
			break;
	}
	return 0;
}
