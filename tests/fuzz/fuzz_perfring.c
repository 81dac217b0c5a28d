/*
 * Fuzz the perf ring records end to end: the bytes a kernel writes into
 * a CPU's ring (SAMPLE with and without call chains, user registers and
 * user stacks; MMAP2 with device and inode or with a build-id, COMM,
 * FORK, EXIT, LOST, LOST_SAMPLES, THROTTLE and records of no known type)
 * read by the perf sampler's reader into the SPSC ring, then drained by
 * a session: mappings, forks, execs, stacks walked or unwound, samples
 * resolved and aggregated.
 *
 * The input: a 4-byte header, then the record stream. Header byte 0:
 * bits 0-1 the call graph (0 none, 1 frame pointers, 2-3 dwarf), bit 2
 * the session's walk (CFI rather than frame pointers); byte 1: max
 * stack frames; byte 2: user stack bytes (in 64-byte units); byte 3:
 * where in the ring the stream starts (in 8-byte units), so records
 * wrap round its end. Process ids are moved out of the system's range
 * (above pid_max), so nothing of a real process is read; kernel
 * addresses are looked up in an empty table.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "binary.h"
#include "fuzz.h"
#include "ring.h"
#include "sample.h"
#include "sampler.h"
#include "sampler_int.h"
#include "session.h"
#include "target.h"
#include "xmalloc.h"

#define FUZZ_RING_SLOTS	8192
#define FUZZ_PID_BASE	4194304U	/* pid_max's highest value */

/* A process id of the stream, as one that no process has. */
static uint32_t
fuzz_pid(uint32_t pid)
{
	return FUZZ_PID_BASE + (pid & 7);
}

/* Move the records of from to to, their process ids made harmless
 * (payload slots, raw bytes, kept as they are). */
static void
fuzz_move(struct ring *from, struct ring *to)
{
	struct rs_sample *v = xreallocarray(NULL, FUZZ_RING_SLOTS, sizeof *v);
	size_t n = ring_pop(from, v, FUZZ_RING_SLOTS);

	for (size_t i = 0; i < n; i++) {
		struct rs_sample *r = &v[i];

		r->pid = fuzz_pid(r->pid);
		if (r->kind == RS_REC_FORK)
			r->arg = fuzz_pid(r->arg);
		if (r->kind == RS_REC_MMAP || r->kind == RS_REC_STACK)
			i += r->arg;
	}
	ring_push_n(to, v, n);
	free(v);
}

/* Replay data as a perf ring and drain it through a session. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned evs[] = { EVENT_CPU_CLOCK, EVENT_WAIT_TIME,
	    EVENT_PAGE_FAULTS };
	struct sampler_opts o;
	struct sampler_replay_ring one;
	struct ring *raw, *ring;
	struct session s;
	struct target t;
	unsigned char *buf;
	size_t len, cap = 64, start;

	if (size < 4)
		return 0;
	memset(&o, 0, sizeof o);
	o.kind = SAMPLER_PERF;
	o.rate.freq = 1000;
	o.callgraph = (data[0] & 3) == 0 ? SAMPLER_CG_NONE :
	    (data[0] & 3) == 1 ? SAMPLER_CG_FP : SAMPLER_CG_DWARF;
	o.max_stack = data[1] == 0 ? 1 : data[1];
	o.stack_size = 64 * ((unsigned)data[2] + 1);
	len = size - 4;
	while (cap < len)
		cap *= 2;
	start = (8 * (size_t)data[3]) & (cap - 1);
	buf = xcalloc(1, cap);
	/* The stream from start, round the end. */
	if (start + len <= cap) {
		memcpy(buf + start, data + 4, len);
	} else {
		memcpy(buf + start, data + 4, cap - start);
		memcpy(buf, data + 4 + (cap - start), len - (cap - start));
	}
	raw = ring_new(FUZZ_RING_SLOTS);
	ring = ring_new(FUZZ_RING_SLOTS);
	one.data = buf;
	one.size = cap;
	one.tail = start;
	one.head = start + len;
	sampler_perf_replay(&o, evs, sizeof evs / sizeof evs[0], &one, 1, raw);
	free(buf);
	fuzz_move(raw, ring);

	target_init(&t);
	t.spawned = true;	/* no process to read the mappings of */
	session_init(&s, &t, ring, NULL, 4);
	/* Kernel addresses name nothing: /proc/kallsyms is big, read
	 * afresh by each run's cache. */
	binary_cache_set_kallsyms(s.bins, "/dev/null");
	if (o.callgraph != SAMPLER_CG_NONE)
		session_keep_stacks(&s, (data[0] & 4) ? RESOLVE_WALK_CFI :
		    RESOLVE_WALK_FP, o.max_stack);
	session_tick(&s);
	session_free(&s);
	ring_free(raw);
	ring_free(ring);
	return 0;
}
