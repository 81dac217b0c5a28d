/*
 * JIT code names from perf map files.
 *
 * A line is "START SIZE NAME": START and SIZE in hex (a 0x prefix is
 * accepted), separated by blanks, NAME the rest of the line (spaces
 * included, trailing blanks and a CR dropped). A line of another shape, a
 * zero SIZE or a range past the end of the address space is skipped and
 * counted (an empty line is skipped without being counted). Only complete
 * lines are read: a line still being written is read once its newline is
 * there; a line longer than JITMAP_BUF is skipped.
 *
 * The lines are kept in file order (entries); the order decides overlaps,
 * the later line winning. Each read appends entries, merges them into an
 * index sorted by start, and rebuilds the lookup table from it in one
 * sweep: non-overlapping segments, each naming the latest entry that
 * covers it (a heap of the entries open at the sweep's position, latest
 * on top), so that a lookup is one binary search.
 *
 * Names are interned: one struct symtab_func per distinct name, in
 * fixed-size chunks so that pointers stay valid until jitmap_free; start
 * and size are those of the first line of that name.
 *
 * The file is checked with lstat at most once per tick: not there, not a
 * regular file (a symbolic link, a FIFO) or owned by someone other than
 * root and the process's effective or filesystem uid (for a process
 * already gone: this one's): left alone (perf checks ownership the same
 * way). Another file, a smaller one, or one of
 * the same size with another mtime is read again from the start; a bigger
 * one from where the last read stopped, at most JITMAP_READ_MAX bytes per
 * tick.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jitmap.h"
#include "parse.h"
#include "sorted.h"
#include "symtab.h"
#include "xmalloc.h"

#define JITMAP_BUF		65536		/* longest line read */
#define JITMAP_READ_MAX		(8u << 20)	/* bytes read per refresh */
#define JITMAP_STATUS_MAX	8192		/* bytes of /proc/PID/status */
#define JITMAP_CHUNK_SHIFT	8
#define JITMAP_CHUNK		(1u << JITMAP_CHUNK_SHIFT)
#define JITMAP_PATHS		3
#define JITMAP_NONE		UINT32_MAX
#define JITMAP_MAX_ENTS		(1u << 16)	/* lines kept; the oldest go */

/* One valid line, in file order. */
struct jitmap_ent {
	uint64_t start;
	uint64_t end;		/* one past the last byte */
	uint32_t func;		/* index of its interned name */
};

/* An entry in the index sorted by (start, file order). */
struct jitmap_key {
	uint64_t start;
	uint32_t idx;
};

/* A piece of the lookup table: [start, end) is func's code. */
struct jitmap_seg {
	uint64_t start;
	uint64_t end;
	const struct symtab_func *func;
};

struct jitmap {
	pid_t pid;			/* 0: a given file */
	bool located;			/* paths and uids known */
	char *paths[JITMAP_PATHS];	/* where the file may be */
	size_t npaths;
	uid_t uids[2];			/* effective and filesystem uid */
	const char *path;		/* the file found (one of paths) */
	uint64_t checked;		/* tick of the last look, plus one */

	bool have_file;			/* dev, ino, mtime describe a read */
	dev_t dev;
	ino_t ino;
	struct timespec mtime;
	uint64_t off;			/* start of the first unread line */
	uint64_t read_to;		/* how far the last read looked */
	bool skipping;			/* inside a line longer than JITMAP_BUF */
	size_t bad;

	struct jitmap_ent *ents;
	size_t nents, cents;
	size_t dropped;			/* oldest lines forgotten (the budget) */
	struct jitmap_key *order;	/* the keys of ents [0, nsorted), sorted */
	size_t corder, nsorted;
	struct jitmap_seg *segs;
	size_t nsegs, csegs;

	struct symtab_func **chunks;	/* interned names */
	size_t nfuncs, nchunks;
	uint32_t *slots;		/* hash of names: function + 1 */
	size_t nslots;
};

/* A reader with nothing found and nothing read. */
static struct jitmap *
jitmap_alloc(pid_t pid)
{
	struct jitmap *j = xcalloc(1, sizeof *j);

	j->pid = pid;
	j->nslots = 64;
	j->slots = xcalloc(j->nslots, sizeof *j->slots);
	return j;
}

/* Create the reader of a process's perf map. */
struct jitmap *
jitmap_new(pid_t pid)
{
	return jitmap_alloc(pid);
}

/* Create the reader of one given file. */
struct jitmap *
jitmap_new_file(const char *path, uid_t uid)
{
	struct jitmap *j = jitmap_alloc(0);

	j->paths[0] = xstrdup(path);
	j->npaths = 1;
	j->uids[0] = j->uids[1] = uid;
	j->located = true;
	return j;
}

/* Forget the places where the file may be. */
static void
jitmap_unlocate(struct jitmap *j)
{
	for (size_t i = 0; i < j->npaths; i++)
		free(j->paths[i]);
	j->npaths = 0;
	j->path = NULL;
	j->located = false;
}

/* Free a reader and every name it gave out. */
void
jitmap_free(struct jitmap *j)
{
	size_t i, n;

	if (j == NULL)
		return;
	for (i = 0; i < j->nfuncs; i++) {
		n = i & (JITMAP_CHUNK - 1);
		free((char *)j->chunks[i >> JITMAP_CHUNK_SHIFT][n].name);
	}
	for (i = 0; i < j->nchunks; i++)
		free(j->chunks[i]);
	free(j->chunks);
	free(j->slots);
	free(j->ents);
	free(j->order);
	free(j->segs);
	jitmap_unlocate(j);
	free(j);
}

/* Drop the table and the read position; names stay. */
static void
jitmap_forget(struct jitmap *j)
{
	j->nents = 0;
	j->nsorted = 0;
	j->dropped = 0;
	j->nsegs = 0;
	j->have_file = false;
	j->off = 0;
	j->read_to = 0;
	j->skipping = false;
}

/* Forget the table and the file. */
void
jitmap_reset(struct jitmap *j)
{
	jitmap_forget(j);
	j->checked = 0;
	if (j->pid != 0)
		jitmap_unlocate(j);
	else
		j->path = NULL;
}

/* A process gone: keep only the names (its functions are still counted);
 * the lines, the index, the lookup table and the paths go. */
void
jitmap_retire(struct jitmap *j)
{
	jitmap_reset(j);
	free(j->ents);
	free(j->order);
	free(j->segs);
	j->ents = NULL;
	j->order = NULL;
	j->segs = NULL;
	j->cents = j->corder = j->csegs = 0;
}

/* The interned function at index i. */
static inline struct symtab_func *
jitmap_func_at(const struct jitmap *j, uint32_t i)
{
	return &j->chunks[i >> JITMAP_CHUNK_SHIFT][i & (JITMAP_CHUNK - 1)];
}

/* FNV-1a of a name. */
static uint32_t
jitmap_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

/* Double the name hash. */
static void
jitmap_grow_slots(struct jitmap *j)
{
	size_t nslots = j->nslots * 2, mask = nslots - 1, k;
	uint32_t *slots = xcalloc(nslots, sizeof *slots);
	const char *name;

	for (size_t i = 0; i < j->nslots; i++) {
		if (j->slots[i] == 0)
			continue;
		name = jitmap_func_at(j, j->slots[i] - 1)->name;
		for (k = jitmap_hash(name, strlen(name)) & mask; slots[k] != 0;
		    k = (k + 1) & mask)
			;
		slots[k] = j->slots[i];
	}
	free(j->slots);
	j->slots = slots;
	j->nslots = nslots;
}

/* The index of the function named name (len bytes), created if new. */
static uint32_t
jitmap_intern(struct jitmap *j, const char *name, size_t len, uint64_t start,
    uint64_t size)
{
	size_t mask = j->nslots - 1, k;
	struct symtab_func *f;

	for (k = jitmap_hash(name, len) & mask; j->slots[k] != 0;
	    k = (k + 1) & mask) {
		f = jitmap_func_at(j, j->slots[k] - 1);
		if (strncmp(f->name, name, len) == 0 && f->name[len] == '\0')
			return j->slots[k] - 1;
	}
	if ((j->nfuncs & (JITMAP_CHUNK - 1)) == 0) {
		j->chunks = xreallocarray(j->chunks, j->nchunks + 1,
		    sizeof *j->chunks);
		j->chunks[j->nchunks++] = xreallocarray(NULL, JITMAP_CHUNK,
		    sizeof **j->chunks);
	}
	f = jitmap_func_at(j, (uint32_t)j->nfuncs);
	f->start = start;
	f->size = size;
	f->name = xstrndup(name, len);
	j->slots[k] = (uint32_t)++j->nfuncs;
	if (j->nfuncs * 2 > j->nslots)
		jitmap_grow_slots(j);
	return (uint32_t)j->nfuncs - 1;
}

/* Order keys by start, then by file order. */
static int
jitmap_key_cmp(const void *a, const void *b)
{
	const struct jitmap_key *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

/* Merge the keys of the entries not in the index yet into it. */
static void
jitmap_merge(struct jitmap *j)
{
	size_t first = j->nsorted, nnew = j->nents - first, i = first, k = nnew,
	    w = j->nents;
	struct jitmap_key *add;

	if (nnew == 0)
		return;
	add = xreallocarray(NULL, nnew, sizeof *add);
	for (size_t n = 0; n < nnew; n++) {
		add[n].start = j->ents[first + n].start;
		add[n].idx = (uint32_t)(first + n);
	}
	qsort(add, nnew, sizeof *add, jitmap_key_cmp);
	if (j->corder < j->nents) {
		j->corder = j->cents;
		j->order = xreallocarray(j->order, j->corder, sizeof *j->order);
	}
	/* From the back: the old keys are the first `first` of order. */
	while (k > 0) {
		if (i > 0 && jitmap_key_cmp(&j->order[i - 1], &add[k - 1]) > 0)
			j->order[--w] = j->order[--i];
		else
			j->order[--w] = add[--k];
	}
	free(add);
	j->nsorted = j->nents;
}

/* Past limit lines (all in the index), forget the oldest down to 3/4 of
 * JITMAP_MAX_ENTS (a later line wins anyway; their names stay): the index
 * keeps its order. */
static void
jitmap_forget_oldest(struct jitmap *j, size_t limit)
{
	size_t drop, w = 0;

	if (j->nents <= limit)
		return;
	drop = j->nents - JITMAP_MAX_ENTS / 4 * 3;
	memmove(j->ents, j->ents + drop, (j->nents - drop) * sizeof *j->ents);
	for (size_t i = 0; i < j->nents; i++) {
		if (j->order[i].idx < drop)
			continue;
		j->order[w] = j->order[i];
		j->order[w++].idx -= (uint32_t)drop;
	}
	j->nents -= drop;
	j->nsorted = j->nents;
	j->dropped += drop;
}

/* Parse one line [p, end) (no newline) into an entry; false if malformed. */
static bool
jitmap_line(struct jitmap *j, const char *p, const char *end)
{
	struct jitmap_ent *e;
	uint64_t start, size;

	if (!parse_hex0x(&p, end, UINT64_MAX, &start) || !parse_blanks(&p, end))
		return false;
	if (!parse_hex0x(&p, end, UINT64_MAX, &size) || !parse_blanks(&p, end))
		return false;
	if (size == 0 || start > UINT64_MAX - size)
		return false;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	if (p == end || memchr(p, '\0', (size_t)(end - p)) != NULL)
		return false;
	if (j->nents >= JITMAP_NONE)
		return false;
	if (j->nents == JITMAP_MAX_ENTS) {
		/* Full: make room now rather than grow past the budget. */
		jitmap_merge(j);
		jitmap_forget_oldest(j, JITMAP_MAX_ENTS - 1);
	}
	if (j->nents == j->cents) {
		j->cents = j->cents ? j->cents * 2 : 256;
		j->ents = xreallocarray(j->ents, j->cents, sizeof *j->ents);
	}
	e = &j->ents[j->nents++];
	e->start = start;
	e->end = start + size;
	e->func = jitmap_intern(j, p, (size_t)(end - p), start, size);
	return true;
}

/* Append [start, end) of func to the table, joining its neighbour. */
static void
jitmap_seg_add(struct jitmap *j, uint64_t start, uint64_t end,
    const struct symtab_func *func)
{
	struct jitmap_seg *s;

	if (j->nsegs > 0) {
		s = &j->segs[j->nsegs - 1];
		if (s->end == start && s->func == func) {
			s->end = end;
			return;
		}
	}
	if (j->nsegs == j->csegs) {
		j->csegs = j->csegs ? j->csegs * 2 : 256;
		j->segs = xreallocarray(j->segs, j->csegs, sizeof *j->segs);
	}
	s = &j->segs[j->nsegs++];
	s->start = start;
	s->end = end;
	s->func = func;
}

/* Push entry idx on a max-heap of entry indices. */
static void
jitmap_heap_push(uint32_t *h, size_t *n, uint32_t idx)
{
	size_t i = (*n)++, parent;

	while (i > 0 && h[parent = (i - 1) / 2] < idx) {
		h[i] = h[parent];
		i = parent;
	}
	h[i] = idx;
}

/* Remove the top of a max-heap of entry indices. */
static void
jitmap_heap_pop(uint32_t *h, size_t *n)
{
	size_t i = 0, c;
	uint32_t last = h[--*n];

	while ((c = 2 * i + 1) < *n) {
		if (c + 1 < *n && h[c + 1] > h[c])
			c++;
		if (h[c] <= last)
			break;
		h[i] = h[c];
		i = c;
	}
	h[i] = last;
}

/* Rebuild the lookup table from the sorted index, the latest entry
 * winning where entries overlap. */
static void
jitmap_sweep(struct jitmap *j)
{
	const struct jitmap_ent *e = j->ents;
	uint32_t *heap, top;
	size_t i = 0, hn = 0, n = j->nents;
	uint64_t cur = 0, next;

	j->nsegs = 0;
	if (n == 0)
		return;
	heap = xreallocarray(NULL, n, sizeof *heap);
	while (i < n || hn > 0) {
		if (hn == 0)
			cur = j->order[i].start;
		while (i < n && j->order[i].start <= cur)
			jitmap_heap_push(heap, &hn, j->order[i++].idx);
		while (hn > 0 && e[heap[0]].end <= cur)
			jitmap_heap_pop(heap, &hn);
		if (hn == 0)
			continue;
		top = heap[0];
		next = e[top].end;
		if (i < n && j->order[i].start < next)
			next = j->order[i].start;
		jitmap_seg_add(j, cur, next, jitmap_func_at(j, e[top].func));
		cur = next;
	}
	free(heap);
}

/* Read the complete lines of fd from j->off up to limit (at most
 * JITMAP_READ_MAX bytes); true if entries were added. */
static bool
jitmap_read(struct jitmap *j, int fd, uint64_t limit)
{
	char *buf = xmalloc(JITMAP_BUF), *p, *nl, *end;
	uint64_t pos = j->off, stop = limit > j->off ? limit : j->off;
	size_t have = 0, want, before = j->nents + j->dropped;
	ssize_t got;

	if (stop - pos > JITMAP_READ_MAX)
		stop = pos + JITMAP_READ_MAX;
	while (pos + have < stop) {
		want = JITMAP_BUF - have;
		if (want > stop - (pos + have))
			want = (size_t)(stop - (pos + have));
		got = pread(fd, buf + have, want, (off_t)(pos + have));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		have += (size_t)got;
		p = buf;
		end = buf + have;
		while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
			if (j->skipping)
				j->skipping = false;
			else if (nl != p && !jitmap_line(j, p, nl))
				j->bad++;
			p = nl + 1;
		}
		pos += (uint64_t)(p - buf);
		have = (size_t)(end - p);
		memmove(buf, p, have);
		if (have == JITMAP_BUF) {
			/* A line longer than the buffer: skip to its end. */
			if (!j->skipping)
				j->bad++;
			j->skipping = true;
			pos += have;
			have = 0;
		}
	}
	free(buf);
	j->off = pos;
	j->read_to = pos + have;
	if (j->nents + j->dropped == before)
		return false;
	jitmap_merge(j);
	jitmap_sweep(j);
	return true;
}

/* May the file described by st be read for this process? */
static bool
jitmap_acceptable(const struct jitmap *j, const struct stat *st)
{
	if (!S_ISREG(st->st_mode))
		return false;
	return st->st_uid == 0 || st->st_uid == j->uids[0] ||
	    st->st_uid == j->uids[1];
}

/* Open the file checked as st and read what it has past j->read_to. */
static bool
jitmap_load(struct jitmap *j, const struct stat *st)
{
	struct stat fst;
	bool added = false;
	int fd;

	/* O_NOFOLLOW: not through a link swapped in since the lstat;
	 * O_NONBLOCK: nor hang on a FIFO swapped in. */
	fd = open(j->path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
	    O_CLOEXEC);
	if (fd == -1)
		return false;
	if (fstat(fd, &fst) == 0 && jitmap_acceptable(j, &fst) &&
	    fst.st_dev == st->st_dev && fst.st_ino == st->st_ino) {
		added = jitmap_read(j, fd, (uint64_t)st->st_size);
		j->have_file = true;
		j->dev = st->st_dev;
		j->ino = st->st_ino;
		j->mtime = st->st_mtim;
	}
	close(fd);
	return added;
}

/* Read the decimal numbers of a status line's value into v (at most max);
 * returns how many there were. */
static size_t
jitmap_numbers(const char *p, const char *end, unsigned long *v, size_t max)
{
	size_t n = 0;
	uint64_t x;

	for (;;) {
		parse_blanks(&p, end);
		if (!parse_dec(&p, end, UINT32_MAX, &x))
			return n;
		if (n < max)
			v[n++] = (unsigned long)x;
		else
			v[max - 1] = (unsigned long)x;	/* keep the last */
	}
}

/* Do the process and this one live in different mount namespaces? */
static bool
jitmap_other_mntns(pid_t pid)
{
	struct stat self, other;
	char path[64];

	snprintf(path, sizeof path, "/proc/%d/ns/mnt", (int)pid);
	if (stat("/proc/self/ns/mnt", &self) != 0 || stat(path, &other) != 0)
		return false;
	return self.st_ino != other.st_ino || self.st_dev != other.st_dev;
}

/* Add path to the places looked at, unless it is there already. */
static void
jitmap_add_path(struct jitmap *j, char *path)
{
	for (size_t i = 0; i < j->npaths; i++) {
		if (strcmp(j->paths[i], path) == 0) {
			free(path);
			return;
		}
	}
	j->paths[j->npaths++] = path;
}

/* Find the process's uids, pid in its own namespace and root. A process
 * already gone (its samples drained after its end) leaves only
 * /tmp/perf-PID.map, owned by root or by this process's user (perf's
 * own rule). False if its status is unreadable for another reason. */
static bool
jitmap_locate(struct jitmap *j)
{
	char path[64], *buf;
	const char *p, *line, *eol, *end;
	unsigned long uid[4], nspid[8];
	size_t have = 0, nuid = 0, nns = 0;
	ssize_t got;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/status", (int)j->pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno != ENOENT && errno != ESRCH)
			return false;
		j->uids[0] = j->uids[1] = geteuid();
		jitmap_add_path(j, xasprintf("/tmp/perf-%d.map", (int)j->pid));
		j->located = true;
		return true;
	}
	buf = xmalloc(JITMAP_STATUS_MAX);
	while (have < JITMAP_STATUS_MAX) {
		got = read(fd, buf + have, JITMAP_STATUS_MAX - have);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		have += (size_t)got;
	}
	close(fd);
	p = buf;
	end = buf + have;
	while (parse_line(&p, end, &line, &eol)) {
		if (eol - line > 4 && memcmp(line, "Uid:", 4) == 0)
			nuid = jitmap_numbers(line + 4, eol, uid, 4);
		else if (eol - line > 6 && memcmp(line, "NSpid:", 6) == 0)
			nns = jitmap_numbers(line + 6, eol, nspid, 8);
	}
	free(buf);
	if (nuid != 4)
		return false;
	j->uids[0] = (uid_t)uid[1];
	j->uids[1] = (uid_t)uid[3];

	if (jitmap_other_mntns(j->pid)) {
		jitmap_add_path(j, xasprintf("/proc/%d/root/tmp/perf-%d.map",
		    (int)j->pid, (int)j->pid));
		if (nns > 0)
			jitmap_add_path(j, xasprintf("/proc/%d/root/tmp/perf-%lu.map",
			    (int)j->pid, nspid[nns - 1]));
	} else if (nns > 0) {
		jitmap_add_path(j, xasprintf("/tmp/perf-%lu.map", nspid[nns - 1]));
	}
	/* Here, the host's /tmp; there, where a copy may have been put. */
	jitmap_add_path(j, xasprintf("/tmp/perf-%d.map", (int)j->pid));
	j->located = true;
	return true;
}

/* Look at the file once per tick and read what is new. */
bool
jitmap_refresh(struct jitmap *j, uint64_t tick)
{
	struct stat st;
	bool changed = false, rewritten;
	size_t i;

	if (j->checked == tick + 1)
		return false;
	j->checked = tick + 1;
	if (!j->located && !jitmap_locate(j))
		return false;
	if (j->path == NULL) {
		for (i = 0; i < j->npaths; i++) {
			if (lstat(j->paths[i], &st) == 0 && jitmap_acceptable(j, &st))
				break;
		}
		if (i == j->npaths)
			return false;
		j->path = j->paths[i];
	} else if (lstat(j->path, &st) != 0 || !jitmap_acceptable(j, &st)) {
		return false;
	}

	if (j->have_file) {
		rewritten = st.st_dev != j->dev || st.st_ino != j->ino ||
		    (uint64_t)st.st_size < j->read_to ||
		    ((uint64_t)st.st_size == j->read_to &&
		    (st.st_mtim.tv_sec != j->mtime.tv_sec ||
		    st.st_mtim.tv_nsec != j->mtime.tv_nsec));
		if (rewritten) {
			changed = j->nsegs != 0;
			jitmap_forget(j);
		} else if ((uint64_t)st.st_size == j->read_to) {
			return false;
		}
	}
	if (jitmap_load(j, &st))
		changed = true;
	return changed;
}

/* The function whose code holds addr, or NULL. */
const struct symtab_func *
jitmap_lookup(const struct jitmap *j, uint64_t addr)
{
	size_t lo = SORTED_UPPER(j->segs, j->nsegs, start, addr);

	if (lo == 0 || addr >= j->segs[lo - 1].end)
		return NULL;
	return j->segs[lo - 1].func;
}

/* The file in use, or NULL. */
const char *
jitmap_path(const struct jitmap *j)
{
	return j->path;
}

/* How many valid lines were read. */
size_t
jitmap_nlines(const struct jitmap *j)
{
	return j->nents + j->dropped;
}

/* How many of them were forgotten, the oldest, past the budget. */
size_t
jitmap_ndropped(const struct jitmap *j)
{
	return j->dropped;
}

/* How many lines were skipped as malformed. */
size_t
jitmap_nbad(const struct jitmap *j)
{
	return j->bad;
}

/* How many distinct names there are. */
size_t
jitmap_nfuncs(const struct jitmap *j)
{
	return j->nfuncs;
}
