/* Ring records to resolved frames (resolve.c) to aggregated samples. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include <linux/perf_event.h>

#include "agg.h"
#include "binary.h"
#include "debuginfod.h"
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
#include "unwind.h"
#include "view.h"
#include "xmalloc.h"

#define SESSION_BATCH 1024
#define SESSION_MMAP_SLOTS RS_MMAP_SLOTS(4096)
/* Payload slots of one record at most: a user stack is the largest. */
#define SESSION_STACK_SLOTS \
	RS_PAYLOAD_SLOTS(sizeof(struct rs_ustack) + RS_STACK_MAX_BYTES)
#define SESSION_PAYLOAD_SLOTS \
	(SESSION_STACK_SLOTS > SESSION_MMAP_SLOTS ? SESSION_STACK_SLOTS : SESSION_MMAP_SLOTS)
/* A chain's entries at most: the frames and perf's context markers. */
#define SESSION_CHAIN_MAX	(RS_STACK_MAX_ENTRIES + 16)
/* Addresses of one stack at most: a kernel chain and a user stack. */
#define SESSION_ADDRS_MAX	(2 * RS_STACK_MAX_ENTRIES + 2)

/* The wall-clock time in nanoseconds since the epoch. */
static int64_t
session_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The row the function table's budget folds cold rows into. */
static const struct symtab_func session_evicted = {
	.start = 0, .size = 1, .name = "[evicted]"
};

/* Set up a session. */
void
session_init(struct session *s, struct target *t, struct ring *r,
    struct sampler *sm, unsigned window_ticks)
{
	struct binary *ev;

	memset(s, 0, sizeof *s);
	s->target = t;
	s->ring = r;
	s->sampler = sm;
	s->agg = agg_new(EVENT_COUNT, window_ticks);
	s->bins = binary_cache_new();
	ev = binary_synthetic(s->bins, "[other]", &session_evicted, 1);
	agg_set_evicted(s->agg, ev, binary_func_at(ev, 0));
	s->resolve = resolve_new(s->bins);
	s->batch = xreallocarray(NULL, SESSION_BATCH, sizeof *s->batch);
	s->mmap_buf = xreallocarray(NULL, 1 + SESSION_PAYLOAD_SLOTS, sizeof *s->mmap_buf);
	s->start_ns = session_now_ns();
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

/* The addresses of a sample's stack from its pending records, leaf
 * first: the chain's (kernel and user frames, context markers read), then
 * the user stack's, walked or unwound. Returns how many; *cut says the
 * stack ended short of its outermost frame. */
static size_t
session_addrs(struct session *s, const struct rs_sample *r, bool *cut)
{
	struct session_stacks *st = &s->stk;
	struct rs_addr *a = st->addrs;
	struct unwind_result res;
	unsigned ctx = 0;
	size_t n = 0, max = st->max_stack;
	uint64_t e;

	*cut = false;
	if (st->has_chain) {
		for (size_t i = 0; i < st->nchain && n < max; i++) {
			e = st->chain[i];
			if (e >= (uint64_t)PERF_CONTEXT_MAX) {
				ctx = e == (uint64_t)PERF_CONTEXT_KERNEL ? 1 :
				    e == (uint64_t)PERF_CONTEXT_USER ? 2 : 0;
				continue;
			}
			if (ctx == 0)
				continue;	/* hypervisor, guests */
			a[n].ip = e;
			a[n].flags = (ctx == 1 ? RS_ADDR_KERNEL : 0) |
			    (n > 0 ? RS_ADDR_CALLER : 0);
			n++;
		}
	}
	if (st->has_user && n < max) {
		resolve_unwind(s->resolve, (pid_t)r->pid, st->walk,
		    (const struct rs_ustack *)(const void *)st->user,
		    st->user + sizeof(struct rs_ustack), st->user_len, a + n,
		    max - n, &res);
		if (res.n > 0 && n > 0)
			a[n].flags |= RS_ADDR_CALLER;
		n += res.n;
		*cut = res.truncated;
	}
	if (n == 0) {
		/* No stack came with it: its own address alone, cut short. */
		a[0].ip = r->ip;
		a[0].flags = (r->flags & RS_SAMPLE_KERNEL) ? RS_ADDR_KERNEL : 0;
		n = 1;
		*cut = true;
	}
	return n;
}

/* Resolve one sample and count it (its stack too, where stacks are
 * kept): under its system call too where it is a blocked thread's
 * (wait-time). */
static void
session_sample(struct session *s, const struct rs_sample *r)
{
	struct rs_addr addr = { .ip = r->ip };
	bool blocked = (r->flags & RS_SAMPLE_BLOCKED) != 0;
	struct rs_frame f;
	bool cut;
	size_t n;

	s->samples[r->event]++;
	s->sampled[r->event] = 1;
	if (r->flags & RS_SAMPLE_KERNEL) {
		addr.flags = RS_ADDR_KERNEL;
		s->kernel_samples++;
	}
	if (s->stk.on) {
		/* The pending records are this sample's only if it says so. */
		if (!(r->flags & RS_SAMPLE_STACK) || s->stk.tid != r->tid)
			s->stk.has_chain = s->stk.has_user = false;
		n = session_addrs(s, r, &cut);
		s->stk.has_chain = s->stk.has_user = false;
		s->stack_samples++;
		resolve_stack(s->resolve, (pid_t)r->pid, s->stk.addrs, n,
		    s->stk.frames);
		if (cut) {
			s->stack_truncated++;
			/* Cut short: its root says so ([unknown] in [anon]),
			 * rather than pass for a stack of its own. */
			s->stk.frames[n].bin = binary_anon(s->bins);
			s->stk.frames[n].offset = 0;
			s->stk.frames[n].func = NULL;
			n++;
		}
		if (s->dbgd != NULL && dbgd_hold(s->dbgd, r->event, s->stk.frames,
		    n, s->stk.addrs, cut ? n - 1 : n, blocked, session_sys(r),
		    r->period))
			return;
		agg_add_stack(s->agg, r->event, s->stk.frames, n, blocked,
		    session_sys(r), r->period);
		return;
	}
	resolve_stack(s->resolve, (pid_t)r->pid, &addr, 1, &f);
	if (s->dbgd != NULL && dbgd_hold(s->dbgd, r->event, &f, 1, &addr, 1,
	    blocked, session_sys(r), r->period))
		return;
	if (blocked)
		agg_add_blocked(s->agg, r->event, &f, session_sys(r), r->period);
	else
		agg_add(s->agg, r->event, &f, r->period);
}

/* Keep a stack record's payload for the sample that follows it. */
static void
session_stack(struct session *s, const struct rs_sample *hdr,
    const struct rs_sample *payload)
{
	struct session_stacks *st = &s->stk;
	size_t have = hdr->arg * sizeof *payload;

	if (!st->on)
		return;
	if (st->tid != hdr->tid)
		st->has_chain = st->has_user = false;
	st->tid = hdr->tid;
	if (hdr->period == RS_STACK_CHAIN) {
		if (hdr->ip > SESSION_CHAIN_MAX || hdr->ip * sizeof(uint64_t) > have)
			return;
		memcpy(st->chain, payload, hdr->ip * sizeof(uint64_t));
		st->nchain = hdr->ip;
		st->has_chain = true;
	} else if (hdr->period == RS_STACK_USER) {
		if (hdr->ip > RS_STACK_MAX_BYTES ||
		    sizeof(struct rs_ustack) + hdr->ip > have)
			return;
		memcpy(st->user, payload, sizeof(struct rs_ustack) + hdr->ip);
		st->user_len = hdr->ip;
		st->has_user = true;
	}
}

/* Keep call stacks from now on: walked or unwound, at most max_stack
 * frames. */
void
session_keep_stacks(struct session *s, enum resolve_walk walk,
    unsigned max_stack)
{
	struct session_stacks *st = &s->stk;

	if (st->on)
		return;
	st->on = true;
	st->walk = walk;
	st->max_stack = max_stack == 0 || max_stack > RS_STACK_MAX_ENTRIES ?
	    RS_STACK_MAX_ENTRIES : max_stack;
	st->chain = xreallocarray(NULL, SESSION_CHAIN_MAX, sizeof *st->chain);
	/* 8-byte aligned: the registers are read in place. */
	st->user = xreallocarray(NULL, RS_PAYLOAD_SLOTS(sizeof(struct rs_ustack) +
	    RS_STACK_MAX_BYTES), sizeof(struct rs_sample));
	st->addrs = xreallocarray(NULL, SESSION_ADDRS_MAX, sizeof *st->addrs);
	st->frames = xreallocarray(NULL, SESSION_ADDRS_MAX, sizeof *st->frames);
	agg_keep_stacks(s->agg, 0);
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
	if (info.build_id_len <= sizeof m.build_id) {
		memcpy(m.build_id, info.build_id, info.build_id_len);
		m.build_id_len = (uint8_t)info.build_id_len;
	}
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
	case RS_REC_STACK:
		session_stack(s, r, payload);
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

/* Drain the ring; count the samples whose debug files came. */
void
session_drain(struct session *s)
{
	struct rs_sample *buf = s->batch;
	size_t n;

	while ((n = ring_pop(s->ring, buf, SESSION_BATCH)) > 0) {
		for (size_t i = 0; i < n; i++) {
			const struct rs_sample *r = &buf[i];
			size_t need;

			if (r->kind != RS_REC_MMAP && r->kind != RS_REC_STACK) {
				session_record(s, r, NULL);
				continue;
			}
			/* The payload was published with its header, so
			 * what this batch lacks is in the ring already. */
			need = r->arg;
			if (need > SESSION_PAYLOAD_SLOTS)
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
	/* Debug files that came: the samples that waited count now. */
	dbgd_tick(s->dbgd);
}

/* Flush the sampler, drain and close the tick. After the first tick
 * (the first screen is up), the kernel's symbols are read where kernel
 * samples can come: reading /proc/kallsyms takes tens of milliseconds of
 * CPU, better spent once early than when the first kernel sample
 * arrives, at any later refresh. */
void
session_tick(struct session *s)
{
	sampler_flush(s->sampler);
	session_drain(s);
	agg_tick(s->agg);
	resolve_tick(s->resolve);
	s->ticks++;
	if (s->ticks == 1 && s->sampler != NULL && sampler_kernel(s->sampler))
		binary_preload(binary_kernel(s->bins));
}

/* The warning that a memory budget was hit and what it cost, or NULL
 * (caller frees). */
char *
session_budget_note(const struct session *s)
{
	struct agg_budget_stats st;
	char *part[5] = { NULL, NULL, NULL, NULL, NULL }, *note, *more;
	uint64_t shed;
	size_t budget = 0, i, n = 0;

	agg_budget_stats(s->agg, &st);
	shed = s->bins != NULL ? binary_cache_shed_count(s->bins, &budget) : 0;
	if (st.addr_evicted > 0)
		part[n++] = xasprintf(_("%" PRIu64 " cold addresses forgotten "
		    "(budget %zu; function counts exact)"), st.addr_evicted,
		    st.addr_budget);
	if (st.addr_other > 0)
		part[n++] = xasprintf(_("%" PRIu64 " samples at unlisted addresses "
		    "counted as [other addresses] (cap %zu; function counts exact)"),
		    st.addr_other, st.addr_cap);
	if (st.funcs_evicted > 0)
		part[n++] = xasprintf(_("%" PRIu64 " cold functions folded into "
		    "[evicted] (budget %zu rows; totals exact)"), st.funcs_evicted,
		    st.func_budget);
	if (st.nodes_evicted > 0 || st.stacks_cut > 0)
		part[n++] = xasprintf(_("%" PRIu64 " cold stack nodes folded into "
		    "[other], %" PRIu64 " stacks cut (budget %zu nodes)"),
		    st.nodes_evicted, st.stacks_cut, st.node_budget);
	if (shed > 0)
		part[n++] = xasprintf(_("%" PRIu64 " cold binaries closed their "
		    "debug and unwind data (budget %zu)"), shed, budget);
	if (n == 0)
		return NULL;
	note = xasprintf(_("memory budget hit: %s"), part[0]);
	for (i = 1; i < n; i++) {
		more = xasprintf("%s; %s", note, part[i]);
		free(note);
		note = more;
	}
	for (i = 0; i < n; i++)
		free(part[i]);
	return note;
}

/* Fetch missing debug info from debuginfod, where it can. */
void
session_debuginfod(struct session *s, bool quiet)
{
	if (s->dbgd == NULL)
		s->dbgd = dbgd_new(s->bins, s->resolve, s->agg, quiet);
}

/* Cancel the fetches; count the samples held for them. */
void
session_stop_fetching(struct session *s)
{
	dbgd_stop(s->dbgd);
}

/* The header's note about fetches under way. */
char *
session_fetch_note(const struct session *s)
{
	return dbgd_note(s->dbgd);
}

/* The next message about the fetches. */
char *
session_fetch_message(struct session *s)
{
	return dbgd_message(s->dbgd);
}

/* Fill the metadata of a snapshot taken now. */
void
session_meta(struct session *s, bool window, double window_secs,
    struct session_meta *out)
{
	struct sampler_stats st;
	char *desc;
	size_t threads;
	int64_t now;

	memset(out, 0, sizeof *out);
	sampler_stats(s->sampler, &st);
	for (unsigned e = 0; e < EVENT_COUNT; e++) {
		out->names[e] = events_table[e].name;
		out->lost[e] = st.lost[e];
	}
	/* Snapshots and batch output are the same in every locale (scripts
	 * and --baseline read them): their words are not translated. */
	desc = target_describe(s->target);
	if (target_alive_count(s->target) == 0) {
		out->target = xasprintf("%s, exited", desc);
	} else {
		threads = target_thread_count(s->target);
		out->target = xasprintf("%s, %zu thread%s", desc, threads,
		    threads == 1 ? "" : "s");
	}
	free(desc);
	if (window)
		out->window = xasprintf("last %g s", window_secs);
	else
		out->window = xstrdup("cumulative");
	out->m.target = out->target;
	out->m.sampler = sampler_name(s->sampler);
	out->m.window = out->window;
	out->m.callgraph = s->callgraph;
	out->debuginfod = dbgd_note(s->dbgd);
	out->m.debuginfod = out->debuginfod;
	out->m.time = time(NULL);
	out->m.nevents = EVENT_COUNT;
	out->m.event_names = out->names;
	out->m.lost = out->lost;
	out->m.lost_ns = st.lost_ns;
	out->m.sampled = s->sampled;
	out->m.want_lines = true;
	for (unsigned e = 0; e < EVENT_COUNT; e++)
		out->units[e] = events_table[e].time_based ? "nanoseconds" :
		    "count";
	out->m.event_units = out->units;
	now = session_now_ns();
	out->m.duration_nanos = now - s->start_ns;
	if (window && window_secs * 1e9 < (double)out->m.duration_nanos)
		out->m.duration_nanos = (int64_t)(window_secs * 1e9);
	out->m.time_nanos = now - out->m.duration_nanos;
	out->budgets = session_budget_note(s);
	out->m.budgets = out->budgets;
}

/* Release what session_meta allocated. */
void
session_meta_free(struct session_meta *m)
{
	free(m->target);
	free(m->window);
	free(m->budgets);
	free(m->debuginfod);
	memset(m, 0, sizeof *m);
}

/* Write one snapshot file. */
static int
session_snapshot_one(struct session *s, const char *path,
    enum export_format fmt, const struct view_opts *vo, double window_secs,
    char **final, char **cause)
{
	struct export_file *f;
	struct session_meta meta;
	char *def;
	int rc;

	def = export_default_name(s->target->n > 0 ? s->target->procs[0].pid : 0,
	    time(NULL), fmt);
	if (export_open(&f, path, cause) < 0) {
		/* path's directory gone or closed since: the default name. */
		char *again = NULL;

		if (strcmp(def, path) == 0 || export_open(&f, def, &again) < 0) {
			free(again);
			free(def);
			return -1;
		}
		free(*cause);
		*cause = NULL;
	}
	export_fallback(f, def);
	free(def);
	session_meta(s, vo->window, window_secs, &meta);
	rc = export_write(export_stream(f), fmt, s->agg, vo, &meta.m, cause);
	session_meta_free(&meta);
	if (rc < 0) {
		char *why = *cause;

		/* Name the file; the half-written one is gone. */
		*cause = xasprintf(_("%s: %s (nothing was written)"), path, why);
		free(why);
		export_abort(f);
		return -1;
	}
	return export_commit(f, final, cause);
}

/* Write one snapshot file per format, all of the same counts. */
int
session_snapshot(struct session *s, const char *path,
    const enum export_format *fmts, size_t nfmts, const struct view_opts *vo,
    double window_secs, char **final, char **cause)
{
	char *one, *p, *all = NULL, *prev;
	size_t i;

	for (i = 0; i < nfmts; i++) {
		p = i == 0 ? xstrdup(path) : export_path_for(path, fmts[i]);
		if (session_snapshot_one(s, p, fmts[i], vo, window_secs, &one,
		    cause) < 0) {
			free(p);
			free(all);
			return -1;
		}
		free(p);
		prev = all;
		all = prev == NULL ? one : xasprintf("%s, %s", prev, one);
		if (prev != NULL) {
			free(prev);
			free(one);
		}
	}
	*final = all;
	return 0;
}

/* Forget every count (the z key); the counts begin again now. */
void
session_zero(struct session *s)
{
	agg_zero(s->agg);
	s->start_ns = session_now_ns();
}

/* Release the session's own state (not target, ring or sampler). */
void
session_free(struct session *s)
{
	dbgd_free(s->dbgd);
	resolve_free(s->resolve);
	free(s->batch);
	free(s->mmap_buf);
	free(s->stk.chain);
	free(s->stk.user);
	free(s->stk.addrs);
	free(s->stk.frames);
	free(s->callgraph);
	agg_free(s->agg);
	binary_cache_free(s->bins);
	memset(s, 0, sizeof *s);
}
