/* Ring records to resolved frames (resolve.c) to aggregated samples. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "agg.h"
#include "binary.h"
#include "export.h"
#include "i18n.h"
#include "maps.h"
#include "resolve.h"
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
	s->resolve = resolve_new(s->bins);
	s->batch = xreallocarray(NULL, SESSION_BATCH, sizeof *s->batch);
	s->mmap_buf = xreallocarray(NULL, 1 + SESSION_MMAP_SLOTS, sizeof *s->mmap_buf);
	/* Read the attached processes' mappings now: a process that exits
	 * before the first tick keeps its names. A spawned command's come
	 * from its exec's MMAP records. */
	if (!t->spawned)
		for (size_t i = 0; i < t->n; i++)
			resolve_read_maps(s->resolve, t->procs[i].pid);
}

/* The system call a blocked sample waits in, as agg_add_blocked takes it. */
static inline uint32_t
session_sys(const struct rs_sample *r)
{
	return r->arg == RS_NO_SYSCALL ? AGG_NOSYS : r->arg;
}

/* Resolve one sample and count it: under its system call too where it
 * is a blocked thread's (wait-time). */
static void
session_sample(struct session *s, const struct rs_sample *r)
{
	struct resolve_addr addr = { .ip = r->ip };
	struct rs_frame f;

	s->samples[r->event]++;
	s->sampled[r->event] = 1;
	if (r->flags & RS_SAMPLE_KERNEL) {
		addr.flags = RESOLVE_KERNEL;
		s->kernel_samples++;
	}
	resolve_stack(s->resolve, (pid_t)r->pid, &addr, 1, &f);
	if (r->flags & RS_SAMPLE_BLOCKED)
		agg_add_blocked(s->agg, r->event, &f, session_sys(r), r->period);
	else
		agg_add(s->agg, r->event, &f, r->period);
}

/* A new executable mapping from an MMAP record and its payload. */
static void
session_mmap(struct session *s, const struct rs_sample *hdr,
    const struct rs_sample *payload)
{
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
	resolve_mmap(s->resolve, (pid_t)hdr->pid, &m);
	free(path);
}

/* Handle one record from the ring (payload: the slots after an MMAP). */
static void
session_record(struct session *s, const struct rs_sample *r,
    const struct rs_sample *payload)
{
	switch (r->kind) {
	case RS_REC_SAMPLE:
		if (r->event < EVENT_COUNT)
			session_sample(s, r);
		break;
	case RS_REC_MMAP:
		session_mmap(s, r, payload);
		break;
	case RS_REC_FORK:
		resolve_fork(s->resolve, (pid_t)r->pid, (pid_t)r->arg);
		break;
	case RS_REC_COMM:
		if (r->arg)	/* exec */
			resolve_exec(s->resolve, (pid_t)r->pid);
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
	resolve_tick(s->resolve);
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
	resolve_free(s->resolve);
	free(s->batch);
	free(s->mmap_buf);
	agg_free(s->agg);
	binary_cache_free(s->bins);
	memset(s, 0, sizeof *s);
}
