/*
 * From sampled addresses to frames (binary, offset, function), before the
 * aggregator counts them. The resolver keeps what is known of each
 * sampled process's address space: its mappings (read from /proc, then
 * followed through MMAP, FORK and exec records), its JIT perf map, and
 * the binary each mapping holds (binary.h: the first lookup in a binary
 * reads its symbols here, never in the aggregator). A sample is resolved
 * as a whole stack of addresses, leaf first, so call chains take the same
 * road as single ips.
 *
 * A resolver is for one thread (the session's).
 */
#ifndef RS_RESOLVE_H
#define RS_RESOLVE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "frame.h"

struct binary;
struct binary_cache;
struct map;
struct resolver;
struct rs_ustack;
struct unwind_result;

/* A resolver whose binaries come from (and live in) bins. */
struct resolver *resolve_new(struct binary_cache *bins);
void resolve_free(struct resolver *r);

/* A new tick: a JIT map is looked at, and an address that no known
 * mapping holds re-reads the process's mappings, at most once per tick.
 * Every 16 ticks, the processes that exited and had no sample for 16
 * ticks are forgotten (their mappings freed; a JIT map's functions are
 * kept, being counted). */
void resolve_tick(struct resolver *r);

/* Read pid's mappings from /proc now (an attached process: one that exits
 * before its first sample keeps its names). */
void resolve_read_maps(struct resolver *r, pid_t pid);

/* pid mapped m (from an MMAP record; path NULL: anonymous). */
void resolve_mmap(struct resolver *r, pid_t pid, const struct map *m);

/* pid was forked from ppid: it starts with ppid's mappings. */
void resolve_fork(struct resolver *r, pid_t pid, pid_t ppid);

/* pid exec'd: a new address space, described by the MMAP records that
 * follow (perf), else by /proc at its next sample (ptrace). */
void resolve_exec(struct resolver *r, pid_t pid);

/*
 * Resolve the n addresses of one sample of pid, leaf first, into out[0..n).
 * A user address is found in pid's mappings (an unknown one re-reads
 * them once per tick), in its JIT perf map where the memory is anonymous
 * and executable (binary "perf-PID.map"), else in no mapping ([anon], the
 * address as offset). Never fails: what cannot be named has a NULL func.
 */
void resolve_stack(struct resolver *r, pid_t pid, const struct rs_addr *addrs,
    size_t n, struct rs_frame *out);

/* How resolve_unwind walks a copied user stack. */
enum resolve_walk {
	RESOLVE_WALK_FP,	/* frame pointers (CFI where the frame pointer is unknown) */
	RESOLVE_WALK_CFI,	/* call frame information */
};

/* Unwind a copied user stack of pid (rs_ustack and len bytes from its sp)
 * into at most max addresses, leaf first, with its mappings and binaries
 * (unwind.h); *res says how many and whether it was cut short. */
void resolve_unwind(struct resolver *r, pid_t pid, enum resolve_walk walk,
    const struct rs_ustack *us, const unsigned char *bytes, size_t len,
    struct rs_addr *out, size_t max, struct unwind_result *res);

/* Exited processes forgotten so far. */
uint64_t resolve_forgotten(const struct resolver *r);
/* Forget the lookups remembered in bin (its functions were dropped:
 * binary_set_debug_file). */
void resolve_forget(struct resolver *r, const struct binary *bin);

/* User addresses found in no known mapping so far. */
uint64_t resolve_unmapped(const struct resolver *r);

#endif
