/* work: one busy thread with a profile known by construction.
 *
 * Each round calls work_a for three units and work_b for one unit.  The two
 * loops have the same body (one load, add and store of a volatile global),
 * so their cost per iteration is the same and the split of on-CPU time is
 * 75 % work_a, 25 % work_b, whatever the machine.  They write different
 * globals so that the compiler cannot fold them into one function.  The
 * length of a round varies at random (the same factor for both calls), so
 * that a sampler with a fixed period cannot lock onto the rounds' phase.
 *
 * Usage: work [SECONDS]   (default 30; exits by itself) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define UNIT (1UL << 21)	/* iterations per unit: 0.5 ms to 5 ms */

/* Keep each hot function whole and under its own name: no inlining, no
 * clones (.constprop, .isra), no folding of identical bodies. */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 8
#define HOT __attribute__((noipa))
#else
#define HOT __attribute__((noinline))
#endif

void work_a(unsigned long n);
void work_b(unsigned long n);

volatile unsigned long work_sink_a;
volatile unsigned long work_sink_b;

/* Three units of N iterations. */
HOT void
work_a(unsigned long n)
{
	unsigned long i;

	for (i = 0; i < 3 * n; i++)
		work_sink_a += i;
}

/* One unit of N iterations. */
HOT void
work_b(unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		work_sink_b += i;
}

/* Monotonic time in seconds. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Duration from argv[1], or the default. */
static double
duration(int argc, char **argv, double dflt)
{
	char *end;
	double d;

	if (argc < 2)
		return dflt;
	d = strtod(argv[1], &end);
	if (end == argv[1] || *end != '\0' || d < 0) {
		fprintf(stderr, "usage: %s [SECONDS]\n", argv[0]);
		exit(2);
	}
	return d;
}

int
main(int argc, char **argv)
{
	double end = now() + duration(argc, argv, 30);
	unsigned long seed = 12345, n;

	while (now() < end) {
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		n = UNIT / 2 + (seed >> 33) % UNIT;
		work_a(n);
		work_b(n);
	}
	return 0;
}
