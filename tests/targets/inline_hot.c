/* inline_hot: a loop in inline_caller calls inline_mix, a static inline
 * function that -O2 inlines, so the samples of inline_caller's row are
 * in code inlined from inline_mix. Built -O2 -g.
 *
 * Usage: inline_hot [SECONDS]   (default 30; exits by itself) */
#include <stdlib.h>
#include <time.h>

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 8
#define HOT __attribute__((noipa))
#else
#define HOT __attribute__((noinline))
#endif

volatile unsigned long inline_sink;

unsigned long inline_caller(unsigned long n);

/* Mix a and b (inlined into the loop below). */
static inline unsigned long
inline_mix(unsigned long a, unsigned long b)
{
	a ^= b * 0x9e3779b97f4a7c15UL;
	a = (a << 7) | (a >> 57);
	return a * 0xbf58476d1ce4e5b9UL + inline_sink;
}

/* N rounds of inline_mix. */
HOT unsigned long
inline_caller(unsigned long n)
{
	unsigned long i, s = 0;

	for (i = 0; i < n; i++)
		s = inline_mix(s, i);
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
		inline_sink += inline_caller(1UL << 20) & 1;
	return 0;
}
