/*
 * Debug files fetched from debuginfod servers ($DEBUGINFOD_URLS) in the
 * background, for binaries without local debug info, and the samples
 * that wait for them.
 *
 * A file binary read without a .symtab of its own or a local debug file
 * (binary.c tells through its cache's hook) and with a build-id is asked
 * for once per run, by a worker thread of this module's own that alone
 * uses the libdebuginfod client; the main thread never waits for it.
 * While its fetch is pending the binary is held: a sample with a frame in
 * it is kept here, not counted (dbgd_hold), so that no count is ever
 * made under a function of its old table. When the fetch ends
 * (dbgd_tick) the debug file is installed (binary_set_debug_file, the
 * resolver's memo of the binary dropped), the held frames in it looked up
 * again, and the samples counted with their real names; a fetch that
 * failed leaves the local names. Holding is bounded (DBGD_HOLD_SAMPLES,
 * DBGD_HOLD_FRAMES, DBGD_HOLD_SECS): past a bound the binary is let go
 * with its local names for the rest of the run (a later file is not
 * installed, but stays in libdebuginfod's cache for the next run).
 *
 * Without libdebuginfod (configure --without-debuginfod) dbgd_new gives
 * NULL and every function takes NULL.
 */
#ifndef RS_DEBUGINFOD_H
#define RS_DEBUGINFOD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct agg;
struct binary_cache;
struct resolver;
struct rs_addr;
struct rs_frame;

#define DBGD_HOLD_SAMPLES	65536	/* samples held at most */
#define DBGD_HOLD_FRAMES	(1u << 20)	/* their frames at most (24 MB) */
#define DBGD_HOLD_SECS		10.0	/* a binary held at most this long */
#define DBGD_FETCH_SECS		30.0	/* a fetch given up after this long */

struct dbgd;

/* Whether this build can fetch from debuginfod servers. */
bool dbgd_built_in(void);

/*
 * A fetcher for the binaries of c, whose samples are resolved by r and
 * counted into a; NULL where there is nothing to fetch from (not built
 * in, $DEBUGINFOD_URLS unset or empty). quiet: libdebuginfod's own
 * verbose output off (the screen). Its thread starts with the first
 * request.
 */
struct dbgd *dbgd_new(struct binary_cache *c, struct resolver *r,
    struct agg *a, bool quiet);

/* Cancel the fetch under way, end the thread, free everything (held
 * samples are dropped: dbgd_stop counts them). */
void dbgd_free(struct dbgd *d);

/*
 * Hold one sample whose frames (frames[0..n), leaf first, resolved from
 * addrs[0..naddrs), naddrs <= n) fall in a binary being fetched: copied,
 * true. False (nothing kept) where none does, or where the bounds are
 * reached: then every held binary is let go and every held sample counted.
 */
bool dbgd_hold(struct dbgd *d, unsigned event, const struct rs_frame *frames,
    size_t n, const struct rs_addr *addrs, size_t naddrs, bool blocked,
    uint32_t sys, uint64_t weight);

/* After each drain: install the debug files that arrived, let go of binaries
 * whose fetch failed or that were held too long, count the samples that
 * wait for nothing any more. */
void dbgd_tick(struct dbgd *d);

/* The session ends: cancel the fetches, let go of every binary and count
 * every held sample (with the names known now). */
void dbgd_stop(struct dbgd *d);

/* "debuginfod: fetching 2 files, 1234 samples wait for their names"
 * while fetches are under way, else NULL. Caller frees. */
char *dbgd_note(const struct dbgd *d);

/* The next thing to say once (a fetch that failed, a file that came too
 * late), or NULL. Caller frees. */
char *dbgd_message(struct dbgd *d);

#endif
