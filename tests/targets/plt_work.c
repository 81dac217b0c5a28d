/* plt_work: a busy loop that calls a tiny libc function through the PLT.
 *
 * plt_loop calls labs on a volatile value, over and over; built with
 * -fno-builtin, so that each call stays a call, and it goes through the
 * stub labs@plt (a jump through the GOT).  The samples land in plt_loop,
 * in labs in libc.so.6 and, for a few per cent, in labs@plt itself.  Built
 * lazy (plt_work) and with BIND_NOW (plt_work_now).
 *
 * Usage: plt_work [SECONDS]   (default 30; exits by itself) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 8
#define HOT __attribute__((noipa))
#else
#define HOT __attribute__((noinline))
#endif

volatile long plt_in = -7;
volatile long plt_sink;

void plt_loop(unsigned long n);

/* N calls of labs through the PLT. */
HOT void
plt_loop(unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		plt_sink += labs(plt_in);
}

/* Monotonic time in seconds. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	double secs = 30, end;
	char *p;

	if (argc > 1) {
		secs = strtod(argv[1], &p);
		if (p == argv[1] || *p != '\0' || secs < 0) {
			fprintf(stderr, "usage: %s [SECONDS]\n", argv[0]);
			return 2;
		}
	}
	end = now() + secs;
	while (now() < end)
		plt_loop(1UL << 20);
	return 0;
}
