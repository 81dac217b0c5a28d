/* Ring records to aggregated samples, with per-process mappings. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "maps.h"
#include "ring.h"
#include "sample.h"
#include "sampler.h"
#include "session.h"
#include "symbols.h"
#include "target.h"
#include "xmalloc.h"

#define SESSION_BATCH 1024

/* What the session knows of one sampled process. */
struct session_proc {
	pid_t pid;		/* 0: free slot */
	struct maps maps;
	bool stale;		/* mappings changed since they were read */
	bool gone;		/* /proc/PID/maps is no longer readable */
	uint64_t reread_tick;	/* tick of the last forced re-read, plus one */
};

/* Set up a session. */
void
session_init(struct session *s, struct target *t, struct ring *r,
    struct sampler *sm, unsigned window_ticks)
{
	memset(s, 0, sizeof *s);
	s->target = t;
	s->ring = r;
	s->sampler = sm;
	s->agg = agg_new(EVENT_COUNT, window_ticks);
	s->syms = symtab_cache_new();
}

/* Hash slot for pid. */
static size_t
session_slot(pid_t pid, size_t cap)
{
	return ((uint32_t)pid * 2654435761u) & (cap - 1);
}

/* The entry of pid, created (with its maps read) on first use. */
static struct session_proc *
session_proc(struct session *s, pid_t pid)
{
	struct session_proc *p;
	size_t i;

	if (s->last != NULL && s->last->pid == pid)
		return s->last;
	if ((s->nprocs + 1) * 2 > s->cap) {
		size_t oldcap = s->cap;
		struct session_proc *old = s->procs;

		s->cap = oldcap ? oldcap * 2 : 16;
		s->procs = xcalloc(s->cap, sizeof *s->procs);
		for (size_t j = 0; j < oldcap; j++) {
			if (old[j].pid == 0)
				continue;
			for (i = session_slot(old[j].pid, s->cap); s->procs[i].pid != 0;
			    i = (i + 1) & (s->cap - 1))
				;
			s->procs[i] = old[j];
		}
		free(old);
	}
	for (i = session_slot(pid, s->cap); s->procs[i].pid != 0;
	    i = (i + 1) & (s->cap - 1)) {
		if (s->procs[i].pid == pid) {
			s->last = &s->procs[i];
			return s->last;
		}
	}
	p = &s->procs[i];
	memset(p, 0, sizeof *p);
	p->pid = pid;
	p->stale = true;
	s->nprocs++;
	s->last = p;
	return p;
}

/* Re-read a process's maps; keep the old ones if it is gone. */
static void
session_reread(struct session *s, struct session_proc *p)
{
	struct maps fresh = { 0 };
	char *cause = NULL;

	p->stale = false;
	if (p->gone)
		return;
	if (maps_read(&fresh, p->pid, &cause) < 0) {
		free(cause);
		maps_clear(&fresh);
		p->gone = true;
		return;
	}
	maps_clear(&p->maps);
	p->maps = fresh;
}

/* The binary and offset of one sample. */
static void
session_sample(struct session *s, const struct rs_sample *r)
{
	struct session_proc *p;
	struct symtab_bin *bin;
	struct map *m;
	uint64_t offset;

	s->samples[r->event]++;
	s->sampled[r->event] = 1;
	if (r->flags & RS_SAMPLE_KERNEL) {
		s->kernel_samples++;
		agg_add(s->agg, r->event, symtab_kernel(s->syms), r->ip, r->period);
		return;
	}
	p = session_proc(s, (pid_t)r->pid);
	if (p->stale)
		session_reread(s, p);
	m = maps_find(&p->maps, r->ip);
	if (m == NULL && !p->gone && p->reread_tick != s->ticks + 1) {
		/* A mapping we have not seen yet (no MMAP record for it,
		 * or it raced with our read): look once more. */
		p->reread_tick = s->ticks + 1;
		session_reread(s, p);
		m = maps_find(&p->maps, r->ip);
	}
	if (m == NULL) {
		s->unmapped++;
		agg_add(s->agg, r->event, symtab_anon(s->syms), r->ip, r->period);
		return;
	}
	if (m->priv == NULL)
		m->priv = symtab_for_map(s->syms, p->pid, m);
	bin = m->priv;
	offset = r->ip - m->start + m->offset;
	agg_add(s->agg, r->event, bin, offset, r->period);
}

/* Handle one record from the ring. */
static void
session_record(struct session *s, const struct rs_sample *r)
{
	switch (r->kind) {
	case RS_REC_SAMPLE:
		if (r->event < EVENT_COUNT)
			session_sample(s, r);
		break;
	case RS_REC_MMAP:
		session_proc(s, (pid_t)r->pid)->stale = true;
		break;
	case RS_REC_COMM:
		if (r->arg)	/* exec: a new address space */
			session_proc(s, (pid_t)r->pid)->stale = true;
		break;
	default:
		break;
	}
}

/* Drain the ring. */
void
session_drain(struct session *s)
{
	struct rs_sample buf[SESSION_BATCH];
	size_t n;

	while ((n = ring_pop(s->ring, buf, SESSION_BATCH)) > 0)
		for (size_t i = 0; i < n; i++)
			session_record(s, &buf[i]);
}

/* Drain and close the tick. */
void
session_tick(struct session *s)
{
	session_drain(s);
	agg_tick(s->agg);
	s->ticks++;
}

/* Release the session's own state (not target, ring or sampler). */
void
session_free(struct session *s)
{
	for (size_t i = 0; i < s->cap; i++)
		if (s->procs[i].pid != 0)
			maps_clear(&s->procs[i].maps);
	free(s->procs);
	agg_free(s->agg);
	symtab_cache_free(s->syms);
	memset(s, 0, sizeof *s);
}
