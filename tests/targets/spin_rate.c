/* spin_rate: how much work one busy thread gets done per second.
 *
 * One thread spins in spin_count (a fixed loop body, one volatile
 * load/add/store per iteration) for SECONDS of wall time, then writes the
 * number of iterations per second of wall time to OUT (or stdout).  Any
 * time taken from it, by a profiler's interrupts or by other processes on
 * its CPU, shows as a lower rate; the benchmarks compare rates.
 *
 * Usage: spin_rate SECONDS [OUT] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 8
#define HOT __attribute__((noipa))
#else
#define HOT __attribute__((noinline))
#endif

#define CHUNK (1UL << 16)	/* iterations between clock reads */

volatile unsigned long spin_sink;

void spin_count(unsigned long n);

/* N iterations of busy work. */
HOT void
spin_count(unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		spin_sink += i;
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
	double secs, start, t;
	unsigned long long iters = 0;
	FILE *out = stdout;

	if (argc < 2 || argc > 3 || (secs = atof(argv[1])) <= 0) {
		fprintf(stderr, "usage: spin_rate SECONDS [OUT]\n");
		return 2;
	}
	start = now();
	do {
		spin_count(CHUNK);
		iters += CHUNK;
	} while ((t = now()) < start + secs);
	if (argc == 3 && (out = fopen(argv[2], "w")) == NULL) {
		perror(argv[2]);
		return 1;
	}
	fprintf(out, "%.0f\n", (double)iters / (t - start));
	return fclose(out) == 0 ? 0 : 1;
}
