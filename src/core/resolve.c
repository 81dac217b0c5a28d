/*
 * Sampled addresses to frames, with per-process address spaces: an
 * open-addressing table of processes by pid, each with its mappings, its
 * JIT perf map once a sample landed in JIT-able memory, and the binary of
 * each mapping kept in the mapping (map.priv).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binary.h"
#include "jitmap.h"
#include "maps.h"
#include "resolve.h"
#include "sample.h"
#include "unwind.h"
#include "xmalloc.h"

#define RESOLVE_MEMO_BITS 14
#define RESOLVE_MEMO	(1u << RESOLVE_MEMO_BITS)	/* lookups remembered */
#define RESOLVE_SWEEP_TICKS	16	/* ticks between looks for exited processes */
#define RESOLVE_SHED_TICKS	32	/* a binary unused this long is cold */
#define RESOLVE_MAPS_REREAD	4096	/* mappings from which /proc is read again */
#define RESOLVE_EXEC_TICKS	2	/* ticks the address space before an exec
					 * is asked where the new one has nothing */

/* What the resolver knows of one sampled process. */
struct resolve_proc {
	pid_t pid;		/* 0: free slot */
	struct maps maps;
	bool stale;		/* mappings changed since they were read */
	bool gone;		/* /proc/PID/maps is no longer readable */
	uint64_t reread_tick;	/* tick of the last forced re-read, plus one */
	size_t read_n;		/* mappings after the last read (or fork) */
	struct maps before;	/* the mappings before its last exec, */
	uint64_t exec_tick;	/* and the tick of that exec */
	struct jitmap *jit;	/* its perf map, once a sample was in JIT-able memory */
	struct binary *jit_bin;	/* "perf-PID.map", once it named a sample */
	uint64_t used_tick;	/* tick of its last sample */
};

/* A remembered lookup: the function of (binary, offset). */
struct resolve_memo {
	const struct binary *bin;
	uint64_t offset;
	const struct symtab_func *func;
};

struct resolver {
	struct binary_cache *bins;
	struct resolve_memo memo[RESOLVE_MEMO];	/* direct-mapped */
	struct resolve_proc *procs;	/* by pid, open addressing */
	size_t nprocs;
	size_t nbefore;		/* processes holding mappings from before an exec */
	size_t cap;
	struct resolve_proc *last;	/* the last process a sample named */
	uint64_t tick;
	uint64_t unmapped;
	uint64_t forgotten;	/* exited processes whose mappings were freed */
	struct jitmap **retired;	/* exited processes' JIT maps (their
					 * functions are counted still) */
	size_t nretired;
};

/* A resolver over bins. */
struct resolver *
resolve_new(struct binary_cache *bins)
{
	struct resolver *r = xcalloc(1, sizeof *r);

	r->bins = bins;
	return r;
}

/* Free the processes' state (not the binaries: the cache's). */
void
resolve_free(struct resolver *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->cap; i++)
		if (r->procs[i].pid != 0) {
			maps_clear(&r->procs[i].maps);
			maps_clear(&r->procs[i].before);
			jitmap_free(r->procs[i].jit);
		}
	for (size_t i = 0; i < r->nretired; i++)
		jitmap_free(r->retired[i]);
	free(r->retired);
	free(r->procs);
	free(r);
}

/* User addresses in no mapping. */
uint64_t
resolve_unmapped(const struct resolver *r)
{
	return r->unmapped;
}

/* Hash slot for pid. */
static size_t
resolve_slot(pid_t pid, size_t cap)
{
	return ((uint32_t)pid * 2654435761u) & (cap - 1);
}

/* Move every entry into a new table of cap slots (a power of two). */
static void
resolve_rehash(struct resolver *r, size_t cap)
{
	size_t oldcap = r->cap, i;
	struct resolve_proc *old = r->procs;

	r->cap = cap;
	r->procs = xcalloc(r->cap, sizeof *r->procs);
	for (size_t j = 0; j < oldcap; j++) {
		if (old[j].pid == 0)
			continue;
		for (i = resolve_slot(old[j].pid, r->cap); r->procs[i].pid != 0;
		    i = (i + 1) & (r->cap - 1))
			;
		r->procs[i] = old[j];
	}
	free(old);
	r->last = NULL;
}

/* Free p's mappings from before its last exec, if it holds any. */
static void
resolve_drop_before(struct resolver *r, struct resolve_proc *p)
{
	if (p->before.v == NULL)
		return;
	maps_clear(&p->before);
	r->nbefore--;
}

/*
 * Forget the processes that exited and have had no sample for
 * RESOLVE_SWEEP_TICKS ticks: their mappings are freed and their entries
 * taken out of the table (rebuilt at the same size); a JIT map that named
 * a sample keeps its names aside (the functions are still counted), one
 * that named none is freed.
 */
static void
resolve_sweep(struct resolver *r)
{
	struct resolve_proc *p;
	size_t i, n = 0;

	for (i = 0; i < r->cap; i++) {
		p = &r->procs[i];
		if (p->pid == 0 || p->used_tick + RESOLVE_SWEEP_TICKS > r->tick ||
		    kill(p->pid, 0) == 0 || errno != ESRCH)
			continue;
		maps_clear(&p->maps);
		resolve_drop_before(r, p);
		if (p->jit != NULL && p->jit_bin == NULL)
			jitmap_free(p->jit);	/* it named no sample */
		else if (p->jit != NULL) {
			jitmap_retire(p->jit);
			r->retired = xreallocarray(r->retired, r->nretired + 1,
			    sizeof *r->retired);
			r->retired[r->nretired++] = p->jit;
		}
		p->pid = 0;
		n++;
	}
	if (n == 0)
		return;
	r->forgotten += n;
	r->nprocs -= n;
	resolve_rehash(r, r->cap);
}

/* Mark the binaries live processes map as in use, then let the cold
 * ones past the cache's budget shed their heavy parts. */
static void
resolve_shed(struct resolver *r)
{
	const struct resolve_proc *p;

	for (size_t i = 0; i < r->cap; i++) {
		p = &r->procs[i];
		if (p->pid == 0)
			continue;
		for (size_t j = 0; j < p->maps.n; j++)
			if (p->maps.v[j].priv != NULL)
				binary_use(p->maps.v[j].priv);
	}
	binary_cache_shed(r->bins, RESOLVE_SHED_TICKS);
}

/* A new tick: the mappings from before an exec RESOLVE_EXEC_TICKS ago
 * go (a forked child that execs at once would keep a copy of its
 * parent's for as long as it is known); now and then, forget the
 * processes that exited and shed what cold binaries hold. */
void
resolve_tick(struct resolver *r)
{
	r->tick++;
	for (size_t i = 0; r->nbefore > 0 && i < r->cap; i++) {
		struct resolve_proc *p = &r->procs[i];

		if (p->pid != 0 && r->tick - p->exec_tick > RESOLVE_EXEC_TICKS)
			resolve_drop_before(r, p);
	}
	binary_cache_tick(r->bins);
	if (r->tick % RESOLVE_SWEEP_TICKS == 0) {
		resolve_sweep(r);
		resolve_shed(r);
	}
}

/* Exited processes forgotten so far. */
uint64_t
resolve_forgotten(const struct resolver *r)
{
	return r->forgotten;
}

/* The entry of pid, created on first use (its maps marked unread).
 * Creating an entry may move the others: pointers to them go stale. */
static struct resolve_proc *
resolve_proc(struct resolver *r, pid_t pid)
{
	struct resolve_proc *p;
	size_t i;

	if (r->last != NULL && r->last->pid == pid)
		return r->last;
	for (i = r->cap ? resolve_slot(pid, r->cap) : 0; r->cap && r->procs[i].pid != 0;
	    i = (i + 1) & (r->cap - 1)) {
		if (r->procs[i].pid == pid) {
			r->last = &r->procs[i];
			return r->last;
		}
	}
	if ((r->nprocs + 1) * 2 > r->cap) {
		resolve_rehash(r, r->cap ? r->cap * 2 : 16);
		for (i = resolve_slot(pid, r->cap); r->procs[i].pid != 0;
		    i = (i + 1) & (r->cap - 1))
			;
	}
	p = &r->procs[i];
	memset(p, 0, sizeof *p);
	p->pid = pid;
	p->stale = true;
	r->nprocs++;
	r->last = p;
	return p;
}

/* Give each mapping of fresh (read from /proc, which tells no build-id)
 * the build-id an MMAP record told of the same mapping in old (same
 * start, end, offset and path). */
static void
resolve_keep_build_ids(struct maps *fresh, const struct maps *old)
{
	const struct map *o;
	struct map *f;

	for (size_t i = 0; i < fresh->n; i++) {
		f = &fresh->v[i];
		if (f->path == NULL || (o = maps_find(old, f->start)) == NULL ||
		    o->build_id_len == 0 || o->start != f->start ||
		    o->end != f->end || o->offset != f->offset ||
		    o->path == NULL || strcmp(o->path, f->path) != 0)
			continue;
		memcpy(f->build_id, o->build_id, o->build_id_len);
		f->build_id_len = o->build_id_len;
	}
}

/* Re-read a process's maps; keep the old ones if it is gone. */
static void
resolve_reread(struct resolve_proc *p)
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
	resolve_keep_build_ids(&fresh, &p->maps);
	maps_clear(&p->maps);
	p->maps = fresh;
	p->read_n = fresh.n;
}

/* Read pid's mappings now. */
void
resolve_read_maps(struct resolver *r, pid_t pid)
{
	resolve_reread(resolve_proc(r, pid));
}

/* A new mapping of pid. No record tells of an unmapping: a process that
 * maps fresh code all the time (a JIT) would add mappings without end,
 * so past RESOLVE_MAPS_REREAD mappings and twice as many as the last
 * read found, its maps are read again from /proc (what is gone goes). */
void
resolve_mmap(struct resolver *r, pid_t pid, const struct map *m)
{
	struct resolve_proc *p = resolve_proc(r, pid);

	maps_insert(&p->maps, m);
	if (p->maps.n >= RESOLVE_MAPS_REREAD && p->maps.n > 2 * p->read_n &&
	    !p->gone)
		p->stale = true;
}

/* A new process (not a thread): it starts with its parent's mappings. */
void
resolve_fork(struct resolver *r, pid_t pid, pid_t ppid)
{
	struct resolve_proc *parent, *child;

	if (pid == ppid)
		return;
	/* Create both first: creating one may move the other. */
	resolve_proc(r, ppid);
	child = resolve_proc(r, pid);
	if (!child->stale)
		return;
	parent = resolve_proc(r, ppid);
	if (parent->stale)
		resolve_reread(parent);
	child = resolve_proc(r, pid);
	maps_clear(&child->maps);
	for (size_t i = 0; i < parent->maps.n; i++) {
		struct map m = parent->maps.v[i];

		m.priv = NULL;
		maps_insert(&child->maps, &m);
	}
	child->read_n = child->maps.n;
	child->stale = false;
}

/* An exec: the old address space is gone; the once-a-tick re-read is its
 * own again. The old one is kept a little while: the rings of other CPUs
 * may still hold samples taken before the exec, read after its record. */
void
resolve_exec(struct resolver *r, pid_t pid)
{
	struct resolve_proc *p = resolve_proc(r, pid);

	resolve_drop_before(r, p);
	p->before = p->maps;
	p->exec_tick = r->tick;
	if (p->before.v != NULL)
		r->nbefore++;
	memset(&p->maps, 0, sizeof p->maps);
	p->stale = false;
	p->reread_tick = 0;
	p->read_n = 0;
	if (p->jit != NULL)
		jitmap_reset(p->jit);
}

/*
 * The function of offset in bin: a profile samples the same few
 * addresses again and again, so lookups are remembered in a small
 * direct-mapped table in front of binary_lookup. Only found functions
 * are remembered: a binary without symbols now may get them later (its
 * file opened through another process).
 */
static const struct symtab_func *
resolve_func(struct resolver *r, struct binary *bin, uint64_t offset)
{
	struct resolve_memo *m;
	uint64_t h;

	h = (offset ^ ((uint64_t)binary_id(bin) << 40)) * 0x9e3779b97f4a7c15ULL;
	m = &r->memo[h >> (64 - RESOLVE_MEMO_BITS)];
	if (m->bin == bin && m->offset == offset)
		return m->func;
	if ((m->func = binary_lookup(bin, offset)) != NULL) {
		m->bin = bin;
		m->offset = offset;
	} else
		m->bin = NULL;
	return m->func;
}

/* Could m hold JIT code: anonymous executable memory, as perf sees it?
 * (Called for every sample: a file's path is told apart by its second
 * byte before any string is compared.) */
static bool
resolve_jit_memory(const struct map *m)
{
	static const char *const anon[] = {
		"//anon", "[anon:", "/anon_hugepage", "/dev/zero",
		"/memfd:doublemapper",
	};
	const char *p;

	if (m == NULL)
		return true;	/* in no mapping at all */
	if (!(m->prot & MAPS_PROT_EXEC))
		return false;
	if ((p = m->path) == NULL)
		return true;
	if (p[0] == '/' && p[1] != '/' && p[1] != 'a' && p[1] != 'd' && p[1] != 'm')
		return false;
	for (size_t i = 0; i < sizeof anon / sizeof anon[0]; i++)
		if (strncmp(p, anon[i], strlen(anon[i])) == 0)
			return true;
	return false;
}

/* The frame of ip in code that p's perf map names (binary perf-PID.map,
 * the address as offset); false if the map names nothing there. */
static bool
resolve_jit(struct resolver *r, struct resolve_proc *p, uint64_t ip,
    uint64_t look, struct rs_frame *out)
{
	const struct symtab_func *f;
	char name[32];

	if (p->jit == NULL)
		p->jit = jitmap_new(p->pid);
	jitmap_refresh(p->jit, r->tick);
	if ((f = jitmap_lookup(p->jit, look)) == NULL)
		return false;
	if (p->jit_bin == NULL) {
		snprintf(name, sizeof name, "perf-%d.map", (int)p->pid);
		p->jit_bin = binary_synthetic(r->bins, name, NULL, 0);
	}
	out->bin = p->jit_bin;
	out->offset = ip;
	out->func = f;
	return true;
}

/* The mapping of ip in p, re-reading p's maps once a tick where no known
 * mapping holds it (a mapping that no MMAP record told of, or that raced
 * with the last read); where none does, for RESOLVE_EXEC_TICKS after an
 * exec, the one that held it before the exec. */
static struct map *
resolve_find_map(struct resolver *r, struct resolve_proc *p, uint64_t ip)
{
	struct map *m;

	if (p->stale)
		resolve_reread(p);
	m = maps_find(&p->maps, ip);
	if (m == NULL && !p->gone && p->reread_tick != r->tick + 1) {
		p->reread_tick = r->tick + 1;
		resolve_reread(p);
		m = maps_find(&p->maps, ip);
	}
	if (m == NULL && p->before.n > 0)
		m = maps_find(&p->before, ip);	/* from before the exec */
	return m;
}

/* Resolve one user address of p. */
static void
resolve_user(struct resolver *r, struct resolve_proc *p,
    const struct rs_addr *a, struct rs_frame *out)
{
	uint64_t look = (a->flags & RS_ADDR_CALLER) && a->ip > 0 ? a->ip - 1 : a->ip;
	struct map *m = resolve_find_map(r, p, look);

	if (resolve_jit_memory(m) && resolve_jit(r, p, a->ip, look, out))
		return;
	if (m == NULL) {
		r->unmapped++;
		out->bin = binary_anon(r->bins);
		out->offset = a->ip;
		out->func = NULL;
		return;
	}
	out->bin = binary_of_map(r->bins, p->pid, m);
	binary_use(out->bin);
	out->offset = a->ip - m->start + m->offset;
	out->func = resolve_func(r, out->bin, look - m->start + m->offset);
}

/* Resolve one sample's addresses. */
void
resolve_stack(struct resolver *r, pid_t pid, const struct rs_addr *addrs,
    size_t n, struct rs_frame *out)
{
	struct resolve_proc *p = NULL;
	const struct rs_addr *a;
	uint64_t look;
	size_t i;

	for (i = 0; i < n; i++) {
		a = &addrs[i];
		if (a->flags & RS_ADDR_KERNEL) {
			look = (a->flags & RS_ADDR_CALLER) && a->ip > 0 ?
			    a->ip - 1 : a->ip;
			out[i].bin = binary_kernel(r->bins);
			out[i].offset = a->ip;
			out[i].func = resolve_func(r, out[i].bin, look);
			continue;
		}
		if (p == NULL) {
			p = resolve_proc(r, pid);
			p->used_tick = r->tick;
		}
		resolve_user(r, p, a, &out[i]);
	}
}

/* Unwind a copied user stack. */
void
resolve_unwind(struct resolver *r, pid_t pid, enum resolve_walk walk,
    const struct rs_ustack *us, const unsigned char *bytes, size_t len,
    struct rs_addr *out, size_t max, struct unwind_result *res)
{
	struct resolve_proc *p = resolve_proc(r, pid);

	if (p->stale)
		resolve_reread(p);
	if (walk == RESOLVE_WALK_FP && (us->mask & (1ULL << RS_REG_BP)))
		unwind_fp(us, bytes, len, out, max, res);
	else
		unwind_cfi(r->bins, pid, &p->maps, us, bytes, len, out, max, res);
}

/* Forget every remembered lookup in bin. */
void
resolve_forget(struct resolver *r, const struct binary *bin)
{
	for (size_t i = 0; i < RESOLVE_MEMO; i++)
		if (r->memo[i].bin == bin)
			r->memo[i].bin = NULL;
}
