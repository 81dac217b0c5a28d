/*
 * The kernel's functions from /proc/kallsyms: read in one pass through
 * one buffer, straight into the table (in address order but for the
 * modules at the end, which are sorted and merged in), names stored once
 * in the table's pool.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse.h"
#include "sorted.h"
#include "symtab.h"
#include "symtab_kallsyms.h"
#include "xmalloc.h"

#define SYMTAB_KALLSYMS_READ	(64 * 1024)	/* bytes a read asks for */
#define SYMTAB_KALLSYMS_FIRST	16384		/* symbols made room for first */

/*
 * The kernel's table while /proc/kallsyms is read: the final table's
 * entries, filled in file order (which is address order but for modules
 * at the end), their names in the binary's pool.
 */
struct symtab_kallsyms_tab {
	struct symtab_func *v;	/* size holds the rank until the selection */
	size_t n;
	size_t cap;
	size_t sorted;		/* v[0..sorted) is in address order */
	struct symtab_pool *pool;
	const char *last;	/* the last name copied into the pool */
	size_t lastlen;
};

/*
 * Add one /proc/kallsyms line (len bytes, no newline) if it is a text
 * symbol: "ADDRESS TYPE NAME[\t[MODULE]]", a nonzero hex address, type
 * T, W, w or t. A name that ends the one before it (foo after __pfx_foo)
 * shares its bytes.
 */
static void
symtab_kallsyms_line(struct symtab_kallsyms_tab *ks, const char *line, size_t len)
{
	const char *p = line, *end = line + len, *name, *q;
	struct symtab_func *f;
	uint64_t addr = 0;
	unsigned rank;
	size_t nlen;

	if (!parse_hex(&p, end, UINT64_MAX, &addr) || addr == 0 ||
	    end - p < 4 || p[0] != ' ' || p[2] != ' ')
		return;
	switch (p[1]) {
	case 'T':
		rank = 0;
		break;
	case 'W':
	case 'w':
		rank = 1;
		break;
	case 't':
		rank = 2;
		break;
	default:
		return;
	}
	name = p + 3;
	for (q = name; q < end && *q != ' ' && *q != '\t' && *q != '\0'; q++)
		;
	nlen = (size_t)(q - name);
	if (nlen == 0 || nlen > SYMTAB_NAME_MAX)
		return;

	if (ks->n == ks->cap) {
		ks->cap = ks->cap ? ks->cap * 2 : SYMTAB_KALLSYMS_FIRST;
		ks->v = xreallocarray(ks->v, ks->cap, sizeof *ks->v);
	}
	f = &ks->v[ks->n];
	f->start = addr;
	f->size = rank;
	if (nlen <= ks->lastlen &&
	    memcmp(ks->last + ks->lastlen - nlen, name, nlen) == 0)
		f->name = ks->last + ks->lastlen - nlen;
	else {
		f->name = ks->last = symtab_pool_add(ks->pool, name, nlen);
		ks->lastlen = nlen;
	}
	if (ks->sorted == ks->n && (ks->n == 0 || f[-1].start <= addr))
		ks->sorted++;
	ks->n++;
}

/*
 * Read kallsyms text from fd, line by line through one buffer. A line
 * longer than the buffer (kallsyms' are under 600 bytes) is skipped.
 */
static void
symtab_kallsyms_read(struct symtab_kallsyms_tab *ks, int fd)
{
	char *buf = xmalloc(SYMTAB_KALLSYMS_READ), *nl;
	size_t have = 0, done;
	bool skip = false;
	ssize_t r;

	for (;;) {
		r = read(fd, buf + have, SYMTAB_KALLSYMS_READ - have);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		have += (size_t)r;
		done = 0;
		while ((nl = memchr(buf + done, '\n', have - done)) != NULL) {
			if (!skip)
				symtab_kallsyms_line(ks, buf + done, (size_t)(nl - buf) - done);
			skip = false;
			done = (size_t)(nl - buf) + 1;
		}
		if (done == 0 && have == SYMTAB_KALLSYMS_READ) {
			skip = true;
			have = 0;
			continue;
		}
		memmove(buf, buf + done, have - done);
		have -= done;
	}
	if (have != 0 && !skip)
		symtab_kallsyms_line(ks, buf, have);
	free(buf);
}

/*
 * Put the entries after the sorted run (module symbols) in address order
 * too: sort them in place; if any goes below the run's end, merge a copy
 * of them with the run from the end.
 */
static void
symtab_kallsyms_sort(struct symtab_kallsyms_tab *ks)
{
	struct symtab_func *v = ks->v, *tmp;
	size_t i = ks->sorted, m = ks->n - ks->sorted, j = m, k = ks->n;

	if (m == 0)
		return;
	qsort(v + i, m, sizeof *v, sorted_cmp_first);
	ks->sorted = ks->n;
	if (i == 0 || v[i - 1].start <= v[i].start)
		return;
	tmp = xreallocarray(NULL, m, sizeof *tmp);
	memcpy(tmp, v + i, m * sizeof *tmp);
	while (j > 0) {
		if (i > 0 && v[i - 1].start > tmp[j - 1].start)
			v[--k] = v[--i];
		else
			v[--k] = tmp[--j];
	}
	free(tmp);
}

/* Whether kernel symbol a is preferred to b at the same address: T, then
 * W or w, then t; then the shorter name; then the first in byte order. */
static bool
symtab_kallsyms_better(const struct symtab_func *a, const struct symtab_func *b)
{
	size_t alen, blen;

	if (a->size != b->size)
		return a->size < b->size;
	alen = strlen(a->name);
	blen = strlen(b->name);
	if (alen != blen)
		return alen < blen;
	return memcmp(a->name, b->name, alen) < 0;
}

/*
 * Load the kernel's text symbols from path (/proc/kallsyms, or a file in
 * its format) into t, where readable: sorted where needed, one per
 * address. A symbol has no size: each reaches to the next, so no ranges
 * are kept. Addresses shown as zero (kptr_restrict) give nothing.
 */
void
symtab_kallsyms_load(struct symtab *t, const char *path)
{
	struct symtab_kallsyms_tab ks = { .pool = &t->names };
	struct symtab_func *v;
	size_t i, j, best, n = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return;
	symtab_kallsyms_read(&ks, fd);
	close(fd);
	symtab_kallsyms_sort(&ks);

	v = ks.v;
	for (i = 0; i < ks.n; i = j) {
		best = i;
		for (j = i + 1; j < ks.n && v[j].start == v[i].start; j++) {
			if (symtab_kallsyms_better(&v[j], &v[best]))
				best = j;
		}
		v[n] = v[best];
		v[n++].size = 0;
	}
	symtab_take_sorted(t, v, n);
}
