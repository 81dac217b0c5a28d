/*
 * Benchmark of the stack table (the budget in docs/ARCHITECTURE.md):
 * samples with stacks of 8 to 40 frames over 2,000 functions, first a
 * profile-like mix (a few hundred hot stacks), then millions of distinct
 * stacks, through agg_add_stack; prints stacks ingested per second, the
 * table's nodes and bytes against its budget, the samples cut short, and
 * the process's peak resident memory. Asserts nothing.
 */
#include "config.h"

#include <sys/resource.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "agg.h"
#include "bench.h"
#include "binary.h"
#include "frame.h"
#include "frames.h"
#include "symtab.h"
#include "xmalloc.h"

#define BENCH_FUNCS	2000
#define BENCH_HOT	300		/* distinct stacks of the profile-like run */
#define BENCH_MAXDEPTH	40

/* Peak resident memory in MB. */
static double
bench_peak_mb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_maxrss / 1024.0;
}

/* Make stack number k (deterministic from k) into fr, leaf first. */
static size_t
bench_stack(struct rs_frame *const *pool, uint64_t k, struct rs_frame *fr)
{
	uint64_t s = k * 0x9e3779b97f4a7c15ULL + 1;
	size_t n = 8 + bench_rand(&s) % (BENCH_MAXDEPTH - 8 + 1);

	/* Shared roots (main, a dispatcher), then k's own path. */
	fr[n - 1] = *pool[0];
	fr[n - 2] = *pool[1 + k % 4];
	for (size_t i = 0; i + 2 < n; i++)
		fr[i] = *pool[5 + bench_rand(&s) % (BENCH_FUNCS - 5)];
	return n;
}

/* Feed samples from stacks numbered by seq; print the figures. */
static void
bench_run(const char *what, struct rs_frame *const *pool, uint64_t samples,
    uint64_t distinct)
{
	struct agg *a = agg_new(1, 10);
	struct rs_frame fr[BENCH_MAXDEPTH];
	struct agg_stack_stats st;
	uint64_t seed = 42, i, frames = 0;
	double t0, t1;
	size_t n;

	agg_keep_stacks(a, 0);
	t0 = bench_now();
	for (i = 0; i < samples; i++) {
		n = bench_stack(pool, distinct == 0 ? i : bench_rand(&seed) % distinct, fr);
		frames += n;
		agg_add_stack(a, 0, fr, n, false, 0, 1);
		if (i % 100000 == 99999)
			agg_tick(a);
	}
	t1 = bench_now();
	agg_stack_stats(a, &st);
	printf("stacks (%s): %.2f M stacks/s (%.0f frames each), %zu nodes of a "
	    "budget of %zu, %.1f MB in the table, %" PRIu64 " samples cut short "
	    "(%.1f %%), peak RSS %.0f MB\n", what,
	    (double)samples / (t1 - t0) / 1e6, (double)frames / (double)samples,
	    st.nodes, st.budget, (double)st.bytes / 1048576.0, st.cut,
	    100.0 * (double)st.cut / (double)samples, bench_peak_mb());
	agg_free(a);
}

/* Run the benchmark. */
int
main(void)
{
	struct binary_cache *c = binary_cache_new();
	struct symtab_func *fs = xcalloc(BENCH_FUNCS, sizeof *fs);
	char **names = xcalloc(BENCH_FUNCS, sizeof *names);
	struct rs_frame *frames = xcalloc(BENCH_FUNCS, sizeof *frames);
	struct rs_frame **pool = xcalloc(BENCH_FUNCS, sizeof *pool);
	struct binary *b;
	size_t f;

	for (f = 0; f < BENCH_FUNCS; f++) {
		names[f] = xasprintf("function_%zu", f);
		fs[f].start = 0x1000 + f * 0x100;
		fs[f].size = 0x100;
		fs[f].name = names[f];
	}
	b = binary_synthetic(c, "libbench.so", fs, BENCH_FUNCS);
	for (f = 0; f < BENCH_FUNCS; f++) {
		frames[f] = *test_frame(b, fs[f].start + 8);
		pool[f] = &frames[f];
	}
	bench_run("a profile: 300 distinct stacks, 2 M samples", pool, 2000000, BENCH_HOT);
	bench_run("every sample a new stack, 3 M samples", pool, 3000000, 0);

	binary_cache_free(c);
	for (f = 0; f < BENCH_FUNCS; f++)
		free(names[f]);
	free(names);
	free(fs);
	free(frames);
	free(pool);
	return 0;
}
