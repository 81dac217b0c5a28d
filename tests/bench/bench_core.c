/*
 * Benchmark of the core's hot path: aggregator ingest of frames resolved
 * before, the session's ingest of raw addresses (resolve, then
 * aggregate: the budget is > 5 M samples/s on one core), and, for scale,
 * one view build over the result. Prints figures; asserts nothing.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agg.h"
#include "bench.h"
#include "binary.h"
#include "frames.h"
#include "maps.h"
#include "resolve.h"
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


/*
 * The session's ingest: addresses of this process's libc code resolved
 * (mapping, binary, function) then counted, in the order seq gives,
 * every address seen once before the clock starts.
 */
static void
bench_resolve(const uint32_t *seq)
{
	struct binary_cache *c = binary_cache_new();
	struct resolver *r = resolve_new(c);
	struct agg *a = agg_new(1, 10);
	struct rs_addr *addrs = xcalloc(BENCH_NADDRS, sizeof *addrs);
	struct maps self = { 0 };
	const struct map *m = NULL;
	struct rs_frame f;
	pid_t pid = getpid();
	char *cause = NULL;
	uint64_t i, left, samples = BENCH_SAMPLES / 5;
	double t0, t1;
	size_t k;

	if (maps_read(&self, pid, &cause) < 0) {
		printf("session ingest: %s\n", cause);
		free(cause);
		goto out;
	}
	for (k = 0; k < self.n && m == NULL; k++) {
		if ((self.v[k].prot & MAPS_PROT_EXEC) && self.v[k].path != NULL &&
		    strstr(self.v[k].path, "/libc.so") != NULL)
			m = &self.v[k];
	}
	if (m == NULL) {
		printf("session ingest: no libc mapping found\n");
		goto out;
	}
	for (k = 0; k < BENCH_NADDRS; k++)
		addrs[k].ip = m->start + (k * 4099) % (m->end - m->start);
	resolve_read_maps(r, pid);
	for (k = 0; k < BENCH_NADDRS; k++) {
		resolve_stack(r, pid, &addrs[k], 1, &f);
		agg_add(a, 0, &f, 1);
	}
	agg_tick(a);
	resolve_tick(r);

	t0 = bench_now();
	for (i = 0, left = BENCH_TICK; i < samples; i++) {
		resolve_stack(r, pid, &addrs[seq[i & (BENCH_SEQ - 1)]], 1, &f);
		agg_add(a, 0, &f, 1);
		if (--left == 0) {
			agg_tick(a);
			resolve_tick(r);
			left = BENCH_TICK;
		}
	}
	t1 = bench_now();
	printf("session ingest (resolve + aggregate, %zu addresses of libc, %zu functions): "
	    "%.1f M samples/s (budget > 5 M/s)\n", (size_t)BENCH_NADDRS,
	    agg_nfuncs(a), (double)samples / (t1 - t0) / 1e6);
out:
	maps_clear(&self);
	free(addrs);
	agg_free(a);
	resolve_free(r);
	binary_cache_free(c);
}

/* Run the benchmark. */
int
main(void)
{
	struct binary_cache *c = binary_cache_new();
	struct symtab_func *fs = xcalloc(BENCH_FUNCS, sizeof *fs);
	char **names = xcalloc(BENCH_FUNCS, sizeof *names);
	struct rs_frame *addrs = xcalloc(BENCH_NADDRS, sizeof *addrs);
	uint32_t *seq = xcalloc(BENCH_SEQ, sizeof *seq);
	struct binary *bins[BENCH_BINS];
	struct view_opts o = { .sort = VIEW_SORT_SELF };
	struct view v = { 0 };
	struct agg *a = agg_new(1, 10);
	uint64_t seed = 88172645463325252ULL, i, left;
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
				addrs[n] = *test_frame(bins[b],
				    fs[f].start + k * 0x40 + 3);
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
		agg_add(a, 0, &addrs[i], 1);
	agg_tick(a);

	t0 = bench_now();
	for (i = 0, left = BENCH_TICK; i < BENCH_SAMPLES; i++) {
		agg_add(a, 0, &addrs[seq[i & (BENCH_SEQ - 1)]], 1);
		if (--left == 0) {
			agg_tick(a);
			left = BENCH_TICK;
		}
	}
	t1 = bench_now();
	view_build(&v, a, &o);
	t2 = bench_now();

	printf("aggregator ingest (frames resolved before): %.1f M samples/s\n",
	    (double)BENCH_SAMPLES / (t1 - t0) / 1e6);
	printf("view build: %.2f ms for %zu functions (%" PRIu64 " samples)\n",
	    (t2 - t1) * 1e3, v.n,
	    agg_event_totals(a, 0)->samples);

	bench_resolve(seq);

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
