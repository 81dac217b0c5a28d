/*
 * The ptrace sampler's MMAP records, read from /proc/PID/maps: per
 * process the executable mappings already told, and a fresh read where
 * a sample lies outside them or the process exec'd. It runs in the
 * sampler thread, and allocates only when it reads (an exec, a library
 * mapped since the last read), never on the common path of a sample.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "ptmaps.h"
#include "ring.h"
#include "sample.h"

#define PTMAPS_PATH_MAX 4096		/* longest path passed on, as perf's */
#define PTMAPS_RETRY_NS 10000000ull	/* a miss reads again after 10 ms */

/* Start with nothing told of pid. */
void
ptmaps_init(struct ptmaps *w, pid_t pid)
{
	memset(w, 0, sizeof *w);
	w->pid = pid;
}

/* Release what w holds. */
void
ptmaps_free(struct ptmaps *w)
{
	maps_clear(&w->told);
}

/* Push m's MMAP record (as perf lays one out: "//anon" for anonymous
 * memory, " (deleted)" after a deleted file's path); false if the ring
 * had no room. */
static bool
ptmaps_push(struct ring *r, pid_t pid, const struct map *m)
{
	struct rs_sample rec[1 + RS_MMAP_SLOTS(PTMAPS_PATH_MAX)];
	struct rs_mmap_info info;
	char path[PTMAPS_PATH_MAX + 1];
	size_t len, n;
	int w;

	w = snprintf(path, sizeof path, "%s%s",
	    m->path != NULL ? m->path : "//anon", m->deleted ? " (deleted)" : "");
	len = w < 0 ? 0 : (size_t)w < sizeof path ? (size_t)w : sizeof path - 1;
	n = RS_MMAP_SLOTS(len);
	memset(rec, 0, (n + 1) * sizeof *rec);
	rec[0].kind = RS_REC_MMAP;
	rec[0].event = EVENT_COUNT;
	rec[0].pid = (uint32_t)pid;
	rec[0].tid = (uint32_t)pid;
	rec[0].ip = m->start;
	rec[0].period = m->end - m->start;
	rec[0].time = m->offset;
	rec[0].arg = (uint32_t)n;
	memset(&info, 0, sizeof info);
	info.inode = m->inode;
	info.dev_major = m->dev_major;
	info.dev_minor = m->dev_minor;
	info.prot = m->prot;
	info.path_len = (uint32_t)len;
	memcpy(&rec[1], &info, sizeof info);
	memcpy((char *)&rec[1] + sizeof info, path, len);
	return ring_push_n(r, rec, n + 1);
}

/* Whether a and b are the same mapping of the same file. */
static bool
ptmaps_same(const struct map *a, const struct map *b)
{
	if (a->start != b->start || a->end != b->end || a->offset != b->offset ||
	    a->inode != b->inode || a->dev_major != b->dev_major ||
	    a->dev_minor != b->dev_minor || a->prot != b->prot ||
	    a->deleted != b->deleted)
		return false;
	if (a->path == NULL || b->path == NULL)
		return a->path == b->path;
	return strcmp(a->path, b->path) == 0;
}

/* Read the maps and push the executable mappings not told yet; those
 * the ring had no room for are left untold, to be pushed next time. */
static void
ptmaps_read(struct ptmaps *w, struct ring *r)
{
	struct maps now = { 0 }, told = { 0 };
	char *cause = NULL;

	if (maps_read(&now, w->pid, &cause) < 0) {
		free(cause);	/* gone: its exit is reported elsewhere */
		return;
	}
	for (size_t i = 0; i < now.n; i++) {
		const struct map *m = &now.v[i], *old;

		if (!(m->prot & MAPS_PROT_EXEC))
			continue;
		old = maps_find(&w->told, m->start);
		if ((old == NULL || !ptmaps_same(old, m)) &&
		    !ptmaps_push(r, w->pid, m))
			continue;
		maps_insert(&told, m);
	}
	maps_clear(&w->told);
	w->told = told;
	maps_clear(&now);
}

/* Before a sample of ip: read again where ip is in no mapping told (at
 * most once per PTMAPS_RETRY_NS), or is the first outside the loader
 * after an exec (the loader has mapped the libraries by then). */
void
ptmaps_check(struct ptmaps *w, struct ring *r, uint64_t ip, uint64_t now)
{
	if (w->settling) {
		if (ip >= w->entry_start && ip < w->entry_end)
			return;
		w->settling = false;
	} else if (maps_find(&w->told, ip) != NULL || now < w->next_read)
		return;
	w->next_read = now + PTMAPS_RETRY_NS;
	ptmaps_read(w, r);
}

/* The process exec'd, stopped at ip: the new image's mappings. */
void
ptmaps_exec(struct ptmaps *w, struct ring *r, uint64_t ip)
{
	const struct map *m;

	maps_clear(&w->told);
	ptmaps_read(w, r);
	m = maps_find(&w->told, ip);
	w->settling = m != NULL;
	w->entry_start = m != NULL ? m->start : 0;
	w->entry_end = m != NULL ? m->end : 0;
	w->next_read = 0;
}
