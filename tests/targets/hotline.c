/* hotline: one busy function, hotline_loop, whose time is spent on one
 * source line (the line marked HOT_LINE below; the drill-down tests read
 * its number from this file). Built -O1 -g.
 *
 * Usage: hotline [SECONDS]   (default 30; exits by itself) */
#include <stdlib.h>
#include <time.h>

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 8
#define HOT __attribute__((noipa))
#else
#define HOT __attribute__((noinline))
#endif

#define M1 6364136223846793005UL
#define M2 0xbf58476d1ce4e5b9UL
#define M3 0x94d049bb133111ebUL

volatile unsigned long hotline_sink;

unsigned long hotline_loop(unsigned long n);

/* N rounds of a multiply-xor mix. */
HOT unsigned long
hotline_loop(unsigned long n)
{
	unsigned long i, s = 1;

	for (i = 0; i < n; i++)
		s = (s * M1 ^ s >> 29) * M2 ^ (s >> 31) * M3 ^ hotline_sink; /* HOT_LINE */
	return s;
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
		hotline_sink += hotline_loop(1UL << 20) & 1;
	return 0;
}
