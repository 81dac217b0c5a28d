/* libm_work: most of the on-CPU time inside the shared libm.
 *
 * libm_loop calls sin, exp, log and pow on volatile doubles; the loop
 * around the calls is a few instructions, so well over half of the samples
 * (about 90 % here) land in libm.so.6.  Build with -fno-builtin so that
 * the calls stay calls.
 *
 * Usage: libm_work [SECONDS]   (default 30; exits by itself) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 8
#define HOT __attribute__((noipa))
#else
#define HOT __attribute__((noinline))
#endif

volatile double libm_in = 0.5;
volatile double libm_sink;

void libm_loop(unsigned long n);

/* N rounds of four libm calls. */
HOT void
libm_loop(unsigned long n)
{
	unsigned long i;
	double x;

	for (i = 0; i < n; i++) {
		x = libm_in + (double)(i & 1023) * 1e-3;
		libm_sink = sin(x);
		libm_sink = exp(x);
		libm_sink = log(x + 1.0);
		libm_sink = pow(x, 1.7);
	}
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
	double secs = argc > 1 ? atof(argv[1]) : 30;
	double end = now() + secs;

	while (now() < end)
		libm_loop(20000);
	return 0;
}
