/*
 * The ptrace sampler's MMAP records: what perf's MMAP2 records tell the
 * session, read from /proc/PID/maps instead. Per traced process, the
 * executable mappings already told; /proc/PID/maps is read again (in the
 * sampler thread, while the sampled thread is stopped) where a sampled
 * address lies outside all of them, and at an exec, so that every
 * sample of a new image reaches the session after that image's
 * mappings, as with perf.
 */
#ifndef RS_PTMAPS_H
#define RS_PTMAPS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "maps.h"

struct ring;

/* One process. */
struct ptmaps {
	pid_t pid;
	struct maps told;	/* executable mappings whose MMAP records were pushed */
	bool settling;		/* exec'd: its loader may still map libraries */
	uint64_t entry_start;	/* settling: the mapping the exec entered */
	uint64_t entry_end;
	uint64_t next_read;	/* a miss reads again no sooner (monotonic ns) */
};

void ptmaps_init(struct ptmaps *w, pid_t pid);
void ptmaps_free(struct ptmaps *w);

/* Before a sample of ip at now (monotonic ns): read the maps again and
 * push MMAP records for the executable mappings not told yet, where ip
 * lies outside the mappings told, or is the first outside the loader
 * after an exec. */
void ptmaps_check(struct ptmaps *w, struct ring *r, uint64_t ip, uint64_t now);

/* The process exec'd (after its exec COMM record), stopped at ip, its
 * new image's first instruction: forget the old image and push the new
 * one's mappings; the libraries its loader maps follow at the first
 * sample outside the loader. */
void ptmaps_exec(struct ptmaps *w, struct ring *r, uint64_t ip);

#endif
