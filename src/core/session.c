/* Ring records to aggregated samples, with per-process mappings. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "agg.h"
#include "binary.h"
#include "export.h"
#include "i18n.h"
#include "jitmap.h"
#include "maps.h"
#include "ring.h"
#include "sample.h"
#include "sampler.h"
#include "session.h"
#include "symtab.h"
#include "target.h"
#include "view.h"
#include "xmalloc.h"

#define SESSION_BATCH 1024
#define SESSION_MMAP_SLOTS RS_MMAP_SLOTS(4096)

/* What the session knows of one sampled process. */
struct session_proc {
	pid_t pid;		/* 0: free slot */
	struct maps maps;
	bool stale;		/* mappings changed since they were read */
	bool gone;		/* /proc/PID/maps is no longer readable */
	uint64_t reread_tick;	/* tick of the last forced re-read, plus one */
	struct jitmap *jit;	/* its perf map, once a sample was in JIT-able memory */
	struct binary *jit_bin;	/* "perf-PID.map", once it named a sample */
};

static struct session_proc *session_proc(struct session *s, pid_t pid);
static void session_reread(struct session *s, struct session_proc *p);

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
	s->bins = binary_cache_new();
	s->batch = xreallocarray(NULL, SESSION_BATCH, sizeof *s->batch);
	s->mmap_buf = xreallocarray(NULL, 1 + SESSION_MMAP_SLOTS, sizeof *s->mmap_buf);
	/* Read the attached processes' mappings now: a process that exits
	 * before the first tick keeps its names. A spawned command's come
	 * from its exec's MMAP records. */
	if (!t->spawned)
		for (size_t i = 0; i < t->n; i++)
			session_reread(s, session_proc(s, t->procs[i].pid));
}

/* Hash slot for pid. */
static size_t
session_slot(pid_t pid, size_t cap)
{
	return ((uint32_t)pid * 2654435761u) & (cap - 1);
}

/* Move every entry into a table twice the size. */
static void
session_grow(struct session *s)
{
	size_t oldcap = s->cap, i;
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
	s->last = NULL;
}

/* The entry of pid, created on first use (its maps marked unread).
 * Creating an entry may move the others: pointers to them go stale. */
static struct session_proc *
session_proc(struct session *s, pid_t pid)
{
	struct session_proc *p;
	size_t i;

	if (s->last != NULL && s->last->pid == pid)
		return s->last;
	for (i = s->cap ? session_slot(pid, s->cap) : 0; s->cap && s->procs[i].pid != 0;
	    i = (i + 1) & (s->cap - 1)) {
		if (s->procs[i].pid == pid) {
			s->last = &s->procs[i];
			return s->last;
		}
	}
	if ((s->nprocs + 1) * 2 > s->cap) {
		session_grow(s);
		for (i = session_slot(pid, s->cap); s->procs[i].pid != 0;
		    i = (i + 1) & (s->cap - 1))
			;
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

/* Could m hold JIT code: anonymous executable memory, as perf sees it? */
static bool
session_jit_memory(const struct map *m)
{
	static const char *const anon[] = {
		"//anon", "[anon:", "/anon_hugepage", "/dev/zero",
		"/memfd:doublemapper",
	};

	if (m == NULL)
		return true;	/* in no mapping at all */
	if (!(m->prot & MAPS_PROT_EXEC))
		return false;
	if (m->path == NULL)
		return true;
	for (size_t i = 0; i < sizeof anon / sizeof anon[0]; i++)
		if (strncmp(m->path, anon[i], strlen(anon[i])) == 0)
			return true;
	return false;
}

/* The system call a blocked sample waits in, as agg_add_blocked takes it. */
static inline uint32_t
session_sys(const struct rs_sample *r)
{
	return r->arg == RS_NO_SYSCALL ? AGG_NOSYS : r->arg;
}

/* Count one sample at offset of bin: under its system call too where it
 * is a blocked thread's (wait-time). */
static inline void
session_add(struct session *s, const struct rs_sample *r,
    struct binary *bin, uint64_t offset)
{
	if (r->flags & RS_SAMPLE_BLOCKED)
		agg_add_blocked(s->agg, r->event, bin, offset, session_sys(r),
		    r->period);
	else
		agg_add(s->agg, r->event, bin, offset, r->period);
}

/* Count a sample in code that the process's perf map names, under the
 * binary perf-PID.map; false if the map names nothing there. */
static bool
session_jit(struct session *s, struct session_proc *p,
    const struct rs_sample *r)
{
	const struct symtab_func *f;
	char name[32];

	if (p->jit == NULL)
		p->jit = jitmap_new(p->pid);
	jitmap_refresh(p->jit, s->ticks);
	if ((f = jitmap_lookup(p->jit, r->ip)) == NULL)
		return false;
	if (p->jit_bin == NULL) {
		snprintf(name, sizeof name, "perf-%d.map", (int)p->pid);
		p->jit_bin = binary_synthetic(s->bins, name, NULL, 0);
	}
	if (r->flags & RS_SAMPLE_BLOCKED)
		agg_add_func_blocked(s->agg, r->event, p->jit_bin, r->ip, f,
		    session_sys(r), r->period);
	else
		agg_add_func(s->agg, r->event, p->jit_bin, r->ip, f, r->period);
	return true;
}

/* The binary and offset of one sample. */
static void
session_sample(struct session *s, const struct rs_sample *r)
{
	struct session_proc *p;
	struct binary *bin;
	struct map *m;
	uint64_t offset;

	s->samples[r->event]++;
	s->sampled[r->event] = 1;
	if (r->flags & RS_SAMPLE_KERNEL) {
		s->kernel_samples++;
		session_add(s, r, binary_kernel(s->bins), r->ip);
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
	if (session_jit_memory(m) && session_jit(s, p, r))
		return;
	if (m == NULL) {
		s->unmapped++;
		session_add(s, r, binary_anon(s->bins), r->ip);
		return;
	}
	if (m->priv == NULL)
		m->priv = binary_for_map(s->bins, p->pid, m);
	bin = m->priv;
	offset = r->ip - m->start + m->offset;
	session_add(s, r, bin, offset);
}

/* A new executable mapping from an MMAP record and its payload. */
static void
session_mmap(struct session *s, const struct rs_sample *hdr,
    const struct rs_sample *payload)
{
	struct session_proc *p = session_proc(s, (pid_t)hdr->pid);
	struct rs_mmap_info info;
	struct map m;
	static const char deleted[] = " (deleted)";
	size_t dlen = sizeof deleted - 1;
	char *path;

	memcpy(&info, payload, sizeof info);
	if (sizeof info + info.path_len > hdr->arg * sizeof *payload ||
	    hdr->period == 0 || hdr->ip + hdr->period < hdr->ip)
		return;
	path = xstrndup((const char *)payload + sizeof info, info.path_len);
	memset(&m, 0, sizeof m);
	m.start = hdr->ip;
	m.end = hdr->ip + hdr->period;
	m.offset = hdr->time;
	m.inode = info.inode;
	m.dev_major = info.dev_major;
	m.dev_minor = info.dev_minor;
	m.prot = info.prot & (MAPS_PROT_READ | MAPS_PROT_WRITE | MAPS_PROT_EXEC);
	if (info.path_len > dlen &&
	    strcmp(path + info.path_len - dlen, deleted) == 0) {
		path[info.path_len - dlen] = '\0';
		m.deleted = true;
	}
	/* perf names anonymous executable memory "//anon". */
	m.path = strcmp(path, "//anon") == 0 ? NULL : path;
	maps_insert(&p->maps, &m);
	free(path);
}

/* A new process (not a thread): it starts with its parent's mappings. */
static void
session_fork(struct session *s, pid_t pid, pid_t ppid)
{
	struct session_proc *parent, *child;

	if (pid == ppid)
		return;
	/* Create both first: creating one may move the other. */
	session_proc(s, ppid);
	child = session_proc(s, pid);
	if (!child->stale)
		return;
	parent = session_proc(s, ppid);
	if (parent->stale)
		session_reread(s, parent);
	child = session_proc(s, pid);
	maps_clear(&child->maps);
	for (size_t i = 0; i < parent->maps.n; i++) {
		struct map m = parent->maps.v[i];

		m.priv = NULL;
		maps_insert(&child->maps, &m);
	}
	child->stale = false;
}

/* Handle one record from the ring (payload: the slots after an MMAP). */
static void
session_record(struct session *s, const struct rs_sample *r,
    const struct rs_sample *payload)
{
	struct session_proc *p;

	switch (r->kind) {
	case RS_REC_SAMPLE:
		if (r->event < EVENT_COUNT)
			session_sample(s, r);
		break;
	case RS_REC_MMAP:
		session_mmap(s, r, payload);
		break;
	case RS_REC_FORK:
		session_fork(s, (pid_t)r->pid, (pid_t)r->arg);
		break;
	case RS_REC_COMM:
		if (r->arg) {
			/* exec: a new address space, described by the
			 * MMAP records that follow (perf), else by /proc
			 * at its first sample (ptrace sends none): the
			 * once-a-tick re-read is its own again. */
			p = session_proc(s, (pid_t)r->pid);
			maps_clear(&p->maps);
			p->stale = false;
			p->reread_tick = 0;
			if (p->jit != NULL)
				jitmap_reset(p->jit);
		}
		break;
	default:
		break;
	}
}

/* Drain the ring. */
void
session_drain(struct session *s)
{
	struct rs_sample *buf = s->batch;
	size_t n;

	while ((n = ring_pop(s->ring, buf, SESSION_BATCH)) > 0) {
		for (size_t i = 0; i < n; i++) {
			const struct rs_sample *r = &buf[i];
			size_t need;

			if (r->kind != RS_REC_MMAP) {
				session_record(s, r, NULL);
				continue;
			}
			/* The payload was published with its header, so
			 * what this batch lacks is in the ring already. */
			need = r->arg;
			if (need > SESSION_MMAP_SLOTS)
				break;	/* cannot happen: the sampler caps it */
			if (i + need < n) {
				session_record(s, r, r + 1);
				i += need;
			} else {
				size_t have = n - i - 1;

				s->mmap_buf[0] = *r;
				memcpy(&s->mmap_buf[1], r + 1, have * sizeof *r);
				if (ring_pop(s->ring, &s->mmap_buf[1 + have],
				    need - have) == need - have)
					session_record(s, &s->mmap_buf[0], &s->mmap_buf[1]);
				break;
			}
		}
	}
}

/* Drain and close the tick. */
void
session_tick(struct session *s)
{
	session_drain(s);
	agg_tick(s->agg);
	s->ticks++;
}

/* Fill the metadata of a snapshot taken now. */
void
session_meta(struct session *s, bool window, double window_secs,
    struct session_meta *out)
{
	struct sampler_stats st;
	char *desc;
	size_t threads;

	memset(out, 0, sizeof *out);
	sampler_stats(s->sampler, &st);
	for (unsigned e = 0; e < EVENT_COUNT; e++) {
		out->names[e] = events_table[e].name;
		out->lost[e] = st.lost[e];
	}
	desc = target_describe(s->target);
	if (target_alive_count(s->target) == 0) {
		out->target = xasprintf(_("%s, exited"), desc);
	} else {
		threads = target_thread_count(s->target);
		out->target = xasprintf(ngettext("%s, %zu thread", "%s, %zu threads",
		    threads), desc, threads);
	}
	free(desc);
	if (window)
		out->window = xasprintf(_("last %g s"), window_secs);
	else
		out->window = xstrdup(_("cumulative"));
	out->m.target = out->target;
	out->m.sampler = sampler_name(s->sampler);
	out->m.window = out->window;
	out->m.time = time(NULL);
	out->m.nevents = EVENT_COUNT;
	out->m.event_names = out->names;
	out->m.lost = out->lost;
	out->m.sampled = s->sampled;
	out->m.want_lines = true;
}

/* Release what session_meta allocated. */
void
session_meta_free(struct session_meta *m)
{
	free(m->target);
	free(m->window);
	memset(m, 0, sizeof *m);
}

/* Write one snapshot file. */
int
session_snapshot(struct session *s, const char *path,
    enum export_format fmt, const struct view_opts *vo, double window_secs,
    char **final, char **cause)
{
	struct export_file *f;
	struct session_meta meta;
	int rc;

	if (export_open(&f, path, cause) < 0)
		return -1;
	session_meta(s, vo->window, window_secs, &meta);
	rc = export_write(export_stream(f), fmt, s->agg, vo, &meta.m, cause);
	session_meta_free(&meta);
	if (rc < 0) {
		export_abort(f);
		return -1;
	}
	return export_commit(f, final, cause);
}

/* Release the session's own state (not target, ring or sampler). */
void
session_free(struct session *s)
{
	for (size_t i = 0; i < s->cap; i++)
		if (s->procs[i].pid != 0) {
			maps_clear(&s->procs[i].maps);
			jitmap_free(s->procs[i].jit);
		}
	free(s->procs);
	free(s->batch);
	free(s->mmap_buf);
	agg_free(s->agg);
	binary_cache_free(s->bins);
	memset(s, 0, sizeof *s);
}
