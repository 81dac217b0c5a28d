/*
 * Benchmark of the core's hot path: aggregator ingest of addresses seen
 * before (the budget is > 5 M samples/s on one core), and, for scale, one
 * view build over the result. Prints figures; asserts nothing.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "agg.h"
#include "binary.h"
#include "symtab.h"
#include "view.h"
#include "xmalloc.h"

#define BENCH_BINS 4
#define BENCH_FUNCS 250			/* per binary */
#define BENCH_ADDRS_PER_FUNC 10		/* 4 * 250 * 10 = 10000 addresses */
#define BENCH_NADDRS (BENCH_BINS * BENCH_FUNCS * BENCH_ADDRS_PER_FUNC)
#define BENCH_SEQ (1u << 20)		/* replayed sample sequence */
#define BENCH_SAMPLES 50000000ULL
#define BENCH_TICK 1000000		/* samples per refresh tick */

/* One address to sample. */
struct bench_addr {
	struct binary *bin;
	uint64_t offset;
};

/* Seconds on the monotonic clock. */
static double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A small fast random number generator. */
static uint64_t
bench_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Run the benchmark. */
int
main(void)
{
	struct binary_cache *c = binary_cache_new();
	struct symtab_func *fs = xcalloc(BENCH_FUNCS, sizeof *fs);
	char **names = xcalloc(BENCH_FUNCS, sizeof *names);
	struct bench_addr *addrs = xcalloc(BENCH_NADDRS, sizeof *addrs);
	uint32_t *seq = xcalloc(BENCH_SEQ, sizeof *seq);
	struct binary *bins[BENCH_BINS];
	struct view_opts o = { .sort = VIEW_SORT_SELF };
	struct view v = { 0 };
	struct agg *a = agg_new(1, 10);
	uint64_t seed = 88172645463325252ULL, i, left;
	const struct bench_addr *ad;
	double t0, t1, t2;
	char *bname;
	size_t b, f, k, n = 0;

	for (f = 0; f < BENCH_FUNCS; f++) {
		names[f] = xasprintf("function_%zu", f);
		fs[f].start = 0x1000 + f * 0x400;
		fs[f].size = 0x400;
		fs[f].name = names[f];
	}
	for (b = 0; b < BENCH_BINS; b++) {
		bname = xasprintf("libbench%zu.so", b);
		bins[b] = binary_synthetic(c, bname, fs, BENCH_FUNCS);
		free(bname);
		for (f = 0; f < BENCH_FUNCS; f++) {
			for (k = 0; k < BENCH_ADDRS_PER_FUNC; k++) {
				addrs[n].bin = bins[b];
				addrs[n].offset = fs[f].start + k * 0x40 + 3;
				n++;
			}
		}
	}
	/* Skewed like a profile: half the samples in 1 % of the addresses. */
	for (i = 0; i < BENCH_SEQ; i++) {
		uint64_t r = bench_rand(&seed);

		if (r & 1)
			seq[i] = (uint32_t)((r >> 1) % (BENCH_NADDRS / 100));
		else
			seq[i] = (uint32_t)((r >> 1) % BENCH_NADDRS);
		seq[i] = (uint32_t)((seq[i] * 7919u) % BENCH_NADDRS);
	}

	/* Every address once, so that what is measured is seen before. */
	for (i = 0; i < BENCH_NADDRS; i++)
		agg_add(a, 0, addrs[i].bin, addrs[i].offset, 1);
	agg_tick(a);

	t0 = bench_now();
	for (i = 0, left = BENCH_TICK; i < BENCH_SAMPLES; i++) {
		ad = &addrs[seq[i & (BENCH_SEQ - 1)]];
		agg_add(a, 0, ad->bin, ad->offset, 1);
		if (--left == 0) {
			agg_tick(a);
			left = BENCH_TICK;
		}
	}
	t1 = bench_now();
	view_build(&v, a, &o);
	t2 = bench_now();

	printf("aggregator ingest: %.1f M samples/s (budget > 5 M/s)\n",
	    (double)BENCH_SAMPLES / (t1 - t0) / 1e6);
	printf("view build: %.2f ms for %zu functions (%" PRIu64 " samples)\n",
	    (t2 - t1) * 1e3, v.n,
	    agg_event_totals(a, 0)->samples);

	view_free(&v);
	agg_free(a);
	binary_cache_free(c);
	for (f = 0; f < BENCH_FUNCS; f++)
		free(names[f]);
	free(names);
	free(fs);
	free(addrs);
	free(seq);
	return 0;
}
