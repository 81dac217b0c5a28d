/*
 * A process's memory mappings: parsing /proc/PID/maps, lookups by address,
 * and updates from perf MMAP2 records.
 *
 * A maps line is "start-end perms offset major:minor inode [path]": start,
 * end, offset and the device numbers in hex, the inode in decimal. The
 * kernel pads the inode field with spaces before the path, and the path
 * runs to the end of the line (it may contain spaces; the kernel escapes
 * newlines). A line that does not have this shape is skipped and counted;
 * a blank line is skipped without being counted.
 *
 * The array stays sorted by start and non-overlapping: every mapping goes
 * in through maps_put, which cuts older mappings around the new one, so
 * when two lines of a maps text overlap the later one wins. The pieces
 * left of a cut or split mapping keep its priv pointer (it is the owner's
 * cache of the same binary, never freed here).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "maps.h"
#include "parse.h"
#include "sorted.h"
#include "xmalloc.h"

#define MAPS_DELETED		" (deleted)"
#define MAPS_DELETED_LEN	(sizeof MAPS_DELETED - 1)
#define MAPS_READ_FIRST		16384

/* Read the four permission characters, e.g. "r-xp". */
static bool
maps_perms(const char **pp, const char *end, struct map *m)
{
	const char *p = *pp;

	if (end - p < 4)
		return false;
	m->prot = 0;
	if (p[0] == 'r')
		m->prot |= MAPS_PROT_READ;
	else if (p[0] != '-')
		return false;
	if (p[1] == 'w')
		m->prot |= MAPS_PROT_WRITE;
	else if (p[1] != '-')
		return false;
	if (p[2] == 'x')
		m->prot |= MAPS_PROT_EXEC;
	else if (p[2] != '-')
		return false;
	if (p[3] == 's')
		m->shared = true;
	else if (p[3] == 'p')
		m->shared = false;
	else
		return false;
	*pp = p + 4;
	return true;
}

/* Parse one line [p, end) into m (path allocated); false if malformed. */
static bool
maps_line(const char *p, const char *end, struct map *m)
{
	uint64_t major, minor;
	size_t len;

	memset(m, 0, sizeof *m);
	if (!parse_hex(&p, end, UINT64_MAX, &m->start))
		return false;
	if (p == end || *p++ != '-')
		return false;
	if (!parse_hex(&p, end, UINT64_MAX, &m->end) || m->start >= m->end)
		return false;
	if (!parse_blanks(&p, end) || !maps_perms(&p, end, m))
		return false;
	if (!parse_blanks(&p, end) ||
	    !parse_hex(&p, end, UINT64_MAX, &m->offset))
		return false;
	if (!parse_blanks(&p, end) || !parse_hex(&p, end, UINT32_MAX, &major))
		return false;
	if (p == end || *p++ != ':')
		return false;
	if (!parse_hex(&p, end, UINT32_MAX, &minor))
		return false;
	m->dev_major = (uint32_t)major;
	m->dev_minor = (uint32_t)minor;
	if (!parse_blanks(&p, end) || !parse_dec(&p, end, UINT64_MAX, &m->inode))
		return false;

	/* Anonymous lines end after the inode, perhaps with spaces. */
	if (p == end)
		return true;
	if (!parse_blanks(&p, end))
		return false;
	len = (size_t)(end - p);
	if (len == 0)
		return true;
	if (memchr(p, '\0', len) != NULL)
		return false;
	if (len > MAPS_DELETED_LEN &&
	    memcmp(p + len - MAPS_DELETED_LEN, MAPS_DELETED,
	    MAPS_DELETED_LEN) == 0) {
		m->deleted = true;
		len -= MAPS_DELETED_LEN;
	}
	m->path = xstrndup(p, len);
	return true;
}

/* Make room for at least want entries. */
static void
maps_grow(struct maps *m, size_t want)
{
	size_t cap;

	if (want <= m->cap)
		return;
	cap = m->cap != 0 ? m->cap : 64;
	while (cap < want)
		cap *= 2;
	m->v = xreallocarray(m->v, cap, sizeof *m->v);
	m->cap = cap;
}

/* Index of the first mapping that ends after addr (n if none). */
static size_t
maps_after(const struct maps *m, uint64_t addr)
{
	if (m->n == 0 || m->v[m->n - 1].end <= addr)
		return m->n;
	return SORTED_UPPER(m->v, m->n, end, addr);
}

/* Put one mapping in (taking its path), cutting the older ones it overlaps. */
static void
maps_put(struct maps *m, const struct map *one)
{
	struct map *old;
	size_t i, j;

	i = maps_after(m, one->start);

	/* One older mapping covers both ends: split it in two. */
	if (i < m->n && m->v[i].start < one->start && m->v[i].end > one->end) {
		maps_grow(m, m->n + 2);
		memmove(&m->v[i + 2], &m->v[i], (m->n - i) * sizeof *m->v);
		m->n += 2;
		/* v[i] and v[i + 2] are the same old mapping now. */
		old = &m->v[i + 2];
		if (old->path != NULL)
			old->path = xstrdup(old->path);
		old->offset += one->end - old->start;
		old->start = one->end;
		m->v[i].end = one->start;
		m->v[i + 1] = *one;
		return;
	}

	/* Cut the tail of one that starts before. */
	if (i < m->n && m->v[i].start < one->start) {
		m->v[i].end = one->start;
		i++;
	}

	/* Drop those inside, cut the head of one that ends after. */
	for (j = i; j < m->n && m->v[j].end <= one->end; j++)
		free(m->v[j].path);
	if (j < m->n && m->v[j].start < one->end) {
		m->v[j].offset += one->end - m->v[j].start;
		m->v[j].start = one->end;
	}

	/* v[i, j) are gone: replace them with the one new entry. */
	if (j == i) {
		maps_grow(m, m->n + 1);
		memmove(&m->v[i + 1], &m->v[i], (m->n - i) * sizeof *m->v);
		m->n++;
	} else if (j > i + 1) {
		memmove(&m->v[i + 1], &m->v[j], (m->n - j) * sizeof *m->v);
		m->n -= j - i - 1;
	}
	m->v[i] = *one;
}

/* Parse a maps text into out, skipping and counting malformed lines. */
void
maps_parse(struct maps *out, const char *text, size_t len, size_t *bad)
{
	const char *p = text, *end = text + len, *line, *eol, *q;
	size_t nbad = 0;
	struct map m;

	maps_clear(out);
	while (parse_line(&p, end, &line, &eol)) {
		q = line;
		parse_blanks(&q, eol);
		if (q != eol) {
			if (maps_line(line, eol, &m))
				maps_put(out, &m);
			else
				nbad++;
		}
	}
	if (bad != NULL)
		*bad = nbad;
}

/* Read all of fd into a new buffer; -1 with errno set on failure. */
static int
maps_slurp(int fd, char **out, size_t *outlen)
{
	size_t cap = MAPS_READ_FIRST, len = 0;
	char *buf = xmalloc(cap);
	ssize_t n;

	for (;;) {
		if (len == cap) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		n = read(fd, buf + len, cap - len);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			return -1;
		}
		len += (size_t)n;
	}
	*out = buf;
	*outlen = len;
	return 0;
}

/* The message for failing to read the maps of pid with errno e. */
static char *
maps_cause(pid_t pid, int e)
{
	switch (e) {
	case ENOENT:
	case ESRCH:
		return xasprintf(_("process %ld does not exist"), (long)pid);
	case EACCES:
	case EPERM:
		return xasprintf(_("no permission to read the memory maps of "
		    "process %ld (run as its owner, or with CAP_SYS_PTRACE)"),
		    (long)pid);
	default:
		return xasprintf(_("cannot read the memory maps of process "
		    "%ld: %s"), (long)pid, strerror(e));
	}
}

/* Read and parse /proc/PID/maps; out is left untouched on failure. */
int
maps_read(struct maps *out, pid_t pid, char **cause)
{
	char path[64], *text;
	size_t len;
	int fd, e;

	snprintf(path, sizeof path, "/proc/%ld/maps", (long)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*cause = maps_cause(pid, errno);
		return -1;
	}
	if (maps_slurp(fd, &text, &len) != 0) {
		e = errno;
		close(fd);
		*cause = maps_cause(pid, e);
		return -1;
	}
	close(fd);
	maps_parse(out, text, len, NULL);
	free(text);
	return 0;
}

/* The mapping that contains addr, or NULL. */
struct map *
maps_find(const struct maps *m, uint64_t addr)
{
	size_t i = maps_after(m, addr);

	if (i < m->n && m->v[i].start <= addr)
		return &m->v[i];
	return NULL;
}

/* Insert a copy of one mapping, replacing what it overlaps. */
void
maps_insert(struct maps *m, const struct map *one)
{
	struct map copy;

	if (one->start >= one->end)
		return;
	copy = *one;
	copy.path = one->path != NULL ? xstrdup(one->path) : NULL;
	copy.priv = NULL;
	maps_put(m, &copy);
}

/* Free every mapping and the array itself. */
void
maps_clear(struct maps *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->v[i].path);
	free(m->v);
	m->v = NULL;
	m->n = 0;
	m->cap = 0;
}
