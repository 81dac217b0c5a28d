/* switches: a context-switch heavy pair of threads.
 *
 * Two threads pass one byte back and forth through two pipes in ping_pong;
 * each blocks in read until the other writes, so every round trip is two
 * context switches per thread.  On x86-64 and AArch64 the read and write
 * system calls are made inline, so the user-space location of each switch
 * is inside ping_pong itself rather than in the C library's wrappers.
 *
 * Usage: switches [SECONDS]   (default 30; exits by itself) */
#define _GNU_SOURCE 1	/* pthread_setname_np */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 8
#define HOT __attribute__((noipa))
#else
#define HOT __attribute__((noinline))
#endif

/* A three-argument system call, inlined into its caller. */
static inline __attribute__((always_inline)) long
raw_syscall3(long nr, long a, long b, long c)
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

static int to_b[2], to_a[2];
static atomic_int stop;

void ping_pong(int rfd, int wfd, int first);

/* Passes a byte back and forth until either player sees stop: it sends
 * 'q', which the other echoes once before it returns too. */
HOT void
ping_pong(int rfd, int wfd, int first)
{
	char c = 'x';

	if (first && raw_syscall3(SYS_write, wfd, (long)&c, 1) != 1)
		abort();
	for (;;) {
		if (raw_syscall3(SYS_read, rfd, (long)&c, 1) != 1)
			abort();
		if (c == 'q' || atomic_load(&stop))
			c = 'q';
		if (raw_syscall3(SYS_write, wfd, (long)&c, 1) != 1)
			abort();
		if (c == 'q')
			return;
	}
}

/* The second player. */
static void *
player_b(void *arg)
{
	(void)arg;
	ping_pong(to_b[0], to_a[1], 0);
	return NULL;
}

/* The first player: plays until SECONDS have passed. */
static void *
player_a(void *arg)
{
	(void)arg;
	ping_pong(to_a[0], to_b[1], 1);
	return NULL;
}

int
main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 30;
	struct timespec ts;
	pthread_t a, b;

	if (pipe(to_a) != 0 || pipe(to_b) != 0) {
		perror("switches: pipe");
		return 1;
	}
	if (pthread_create(&b, NULL, player_b, NULL) != 0 ||
	    pthread_create(&a, NULL, player_a, NULL) != 0) {
		fprintf(stderr, "switches: pthread_create failed\n");
		return 1;
	}
	pthread_setname_np(a, "ping");
	pthread_setname_np(b, "pong");
	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) != 0)
		continue;
	atomic_store(&stop, 1);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	return 0;
}
