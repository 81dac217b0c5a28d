/*
 * One profiling session on the UI thread's side: drains the ring each
 * tick, hands process records (mappings, forks, execs) to the resolver,
 * resolves each sample into frames (resolve.h) and feeds them to the
 * aggregator. The screen and batch mode both run this loop.
 */
#ifndef RS_SESSION_H
#define RS_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "events.h"
#include "export.h"
#include "frame.h"
#include "resolve.h"

struct agg;
struct binary_cache;
struct dbgd;
struct resolver;
struct ring;
struct rs_sample;
struct sampler;
struct target;
struct view_opts;

/* Call stacks on their way from the ring to the aggregator. */
struct session_stacks {
	bool on;			/* stacks are kept (session_keep_stacks) */
	enum resolve_walk walk;
	size_t max_stack;
	uint32_t tid;			/* whose records are pending */
	bool has_chain, has_user;	/* records pending for its next sample */
	uint64_t *chain;
	size_t nchain;
	unsigned char *user;		/* struct rs_ustack, then user_len bytes */
	size_t user_len;
	struct rs_addr *addrs;
	struct rs_frame *frames;
};

struct session {
	struct target *target;
	struct ring *ring;
	struct sampler *sampler;
	struct agg *agg;
	struct binary_cache *bins;	/* every binary sampled, symbols and DWARF */
	struct resolver *resolve;	/* addresses to frames, per-process maps */

	struct rs_sample *batch;	/* what one ring_pop takes */
	struct rs_sample *mmap_buf;	/* an MMAP record split across pops */

	uint64_t samples[EVENT_COUNT];	/* samples aggregated */
	unsigned char sampled[EVENT_COUNT];
	uint64_t kernel_samples;
	struct session_stacks stk;
	uint64_t stack_samples;		/* samples counted with their stack */
	uint64_t stack_truncated;	/* of those, stacks cut short */
	char *callgraph;		/* "none", "fp", "dwarf (chosen: ...)";
					 * NULL: none (session_set_callgraph) */
	uint64_t ticks;			/* session_tick calls */
	int64_t start_ns;		/* when the counts began (wall clock, ns
					 * since the epoch): session_init, session_zero */
	struct dbgd *dbgd;		/* debug files being fetched; NULL: none */
};

/* A session over an opened sampler; window_ticks as for agg_new. */
void session_init(struct session *s, struct target *t, struct ring *r,
    struct sampler *sm, unsigned window_ticks);

/* Keep call stacks from now on (the sampler sends them): user stacks
 * walked by frame pointers or unwound with CFI, at most max_stack frames. */
void session_keep_stacks(struct session *s, enum resolve_walk walk,
    unsigned max_stack);

/* Fetch the debug info that binaries lack from $DEBUGINFOD_URLS, in the
 * background (debuginfod.h), where built in and set; quiet: nothing
 * written on stderr (the screen). */
void session_debuginfod(struct session *s, bool quiet);

/* Sampling has ended: cancel the fetches and count the samples that
 * waited for them, with the names known now. */
void session_stop_fetching(struct session *s);

/* The header's note while debug files are fetched, else NULL; the next
 * message to say once about them, else NULL. Caller frees. */
char *session_fetch_note(const struct session *s);
char *session_fetch_message(struct session *s);

/* Move everything waiting in the ring into the aggregator, and the
 * samples whose debug files came (debuginfod.h). */
void session_drain(struct session *s);

/* Drain, then close the aggregator's tick. */
void session_tick(struct session *s);

/* The metadata of a snapshot taken now: target (with its thread count,
 * or "exited"), sampler, window, time, events, lost counts. */
struct session_meta {
	struct export_meta m;
	char *target;
	char *debuginfod;
	char *window;
	char *budgets;
	const char *names[EVENT_COUNT];
	const char *units[EVENT_COUNT];	/* "nanoseconds" for time events, else "count" */
	uint64_t lost[EVENT_COUNT];
};
void session_meta(struct session *s, bool window, double window_secs,
    struct session_meta *out);
void session_meta_free(struct session_meta *m);

/* The warning that a memory budget was hit (agg.h, stacks.h) and what
 * it cost, e.g. "memory budget hit: 5 cold addresses forgotten (...)";
 * NULL while none was. Caller frees. */
char *session_budget_note(const struct session *s);

/* Write a snapshot of what vo shows (every sampled event for csv, json
 * and pprof) in each of fmts[0..nfmts), all of the same counts: the first
 * to path, each further one beside it (export_path_for), safely
 * (export_open); where path's directory takes no name at the end, under
 * the default name in the current directory (export_fallback). *final
 * (caller frees) names the files written, ", " between. Returns 0, or -1
 * with *cause set (files already written stay). */
int session_snapshot(struct session *s, const char *path,
    const enum export_format *fmts, size_t nfmts, const struct view_opts *vo,
    double window_secs, char **final, char **cause);

/* Forget every count (the z key); the counts begin again now. */
void session_zero(struct session *s);

void session_free(struct session *s);

#endif
