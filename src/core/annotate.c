/*
 * The drill-down's data: a function's bytes read once, decoded into
 * instructions with their source lines, then the rows of its sampled
 * addresses and of its source lines, rebuilt from the counts.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef HAVE_CAPSTONE
#include <capstone/capstone.h>
#endif

#include "agg.h"
#include "annotate.h"
#include "binary.h"
#include "dwarf.h"
#include "i18n.h"
#include "sorted.h"
#include "symtab.h"
#include "xmalloc.h"

#define ANNOTATE_GUESS		64	/* bytes past the last sample, size unknown */
#define ANNOTATE_RAW_BYTES	8	/* bytes shown where there is no decoder */
#define ANNOTATE_RAW_MAX	(64U * 1024)	/* bytes looked up one by one */
#define ANNOTATE_MAX_RANGE	5000	/* source lines of one function's range */
#define ANNOTATE_SRC_MAX	(16U * 1024 * 1024)	/* bytes of one source file */

/* One decoded instruction (or, without a decoder, one byte). */
struct annotate_insn {
	uint64_t offset;
	unsigned len;
	char *text;		/* NULL: no decoder */
	const char *file;
	int line;
	const char *inlined;
	ssize_t row;		/* its line row, or -1 */
};

/* One source file: where it was found and its lines. */
struct annotate_src {
	const char *file;	/* as DWARF names it */
	char *data;		/* NULL: not found */
	char **lines;		/* into data, NUL-terminated */
	size_t nlines;
};

/* A sampled address as agg_func_addrs gives it. */
struct annotate_stat {
	uint64_t offset, samples, weight;
	bool other;		/* [other addresses]: offset is none */
};

struct annotate_collect {
	struct annotate_stat *v;
	size_t n, cap;
	bool window;
};

/* Keep a string made during an update, freed at the next. */
static const char *
annotate_keep(struct annotate *an, char *s)
{
	an->extra = xreallocarray(an->extra, an->nextra + 1, sizeof *an->extra);
	an->extra[an->nextra++] = s;
	return s;
}

/* Read the source file at path whole (a regular file, not too big);
 * NULL if it cannot be. */
static char *
annotate_slurp(const char *path)
{
	struct stat st;
	char *buf;
	ssize_t n;
	size_t got = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1)
		return NULL;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size > ANNOTATE_SRC_MAX) {
		close(fd);
		return NULL;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	return buf;
}

/* Find file: at its own path, then under each source dir (DIR/PATH, then
 * DIR/ + each suffix of PATH). The text, or NULL. */
static char *
annotate_find_source(const char *file, const char *const *dirs, size_t ndirs)
{
	const char *p;
	char *path, *data;
	size_t i;

	if ((data = annotate_slurp(file)) != NULL)
		return data;
	for (i = 0; i < ndirs; i++) {
		for (p = file; p != NULL; p = strchr(p, '/')) {
			while (*p == '/')
				p++;
			if (*p == '\0')
				break;
			path = xasprintf("%s/%s", dirs[i], p);
			data = annotate_slurp(path);
			free(path);
			if (data != NULL)
				return data;
		}
	}
	return NULL;
}

/* The source of file, loaded on first use. */
static struct annotate_src *
annotate_source(struct annotate *an, const char *file,
    const char *const *dirs, size_t ndirs)
{
	struct annotate_src *s;
	size_t i, cap = 0;
	char *p;

	for (i = 0; i < an->nsrcs; i++) {
		if (strcmp(an->srcs[i].file, file) == 0)
			return &an->srcs[i];
	}
	an->srcs = xreallocarray(an->srcs, an->nsrcs + 1, sizeof *an->srcs);
	s = &an->srcs[an->nsrcs++];
	memset(s, 0, sizeof *s);
	s->file = file;
	s->data = annotate_find_source(file, dirs, ndirs);
	if (s->data == NULL) {
		if (an->source_why == NULL)
			an->source_why = xasprintf(_("source %s not found (--source-dir DIR)"),
			    file);
		return s;
	}
	for (p = s->data; *p != '\0';) {
		if (s->nlines == cap) {
			cap = cap == 0 ? 256 : 2 * cap;
			s->lines = xreallocarray(s->lines, cap, sizeof *s->lines);
		}
		s->lines[s->nlines++] = p;
		p += strcspn(p, "\n");
		if (*p == '\n')
			*p++ = '\0';
	}
	/* Tabs as spaces, other control characters as '?'. */
	for (i = 0; i < s->nlines; i++) {
		for (p = s->lines[i]; *p != '\0'; p++) {
			if (*p == '\t' || *p == '\r')
				*p = ' ';
			else if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = '?';
		}
	}
	return s;
}

/* The text of line of file, or NULL. */
static const char *
annotate_text(struct annotate *an, const char *file, int line,
    const char *const *dirs, size_t ndirs)
{
	struct annotate_src *s = annotate_source(an, file, dirs, ndirs);

	if (line <= 0 || (size_t)line > s->nlines)
		return NULL;
	return s->lines[line - 1];
}

/* Read the function's bytes from its binary. */
static void
annotate_read(struct annotate *an, uint64_t reach)
{
	uint64_t size = an->size;
	struct stat st;
	ssize_t n;
	int fd;

	if (!an->has_func) {
		an->code_why = xstrdup(_("no function bounds are known here ([unknown]): no code to show"));
		return;
	}
	if (an->path[0] != '/') {
		an->code_why = xasprintf(_("no file holds this code (%s): no instructions to show"),
		    an->binary);
		return;
	}
	if (size == 0)
		size = reach > an->start ? reach - an->start + ANNOTATE_GUESS : ANNOTATE_GUESS;
	if (size > ANNOTATE_MAX_BYTES)
		size = ANNOTATE_MAX_BYTES;
	if ((fd = binary_open(an->bin, &st)) == -1) {
		an->code_why = xasprintf(_("cannot read %s: %s"), an->path,
		    strerror(errno));
		return;
	}
	an->bytes = xmalloc((size_t)size);
	n = pread(fd, an->bytes, (size_t)size, (off_t)an->start);
	close(fd);
	if (n <= 0) {
		an->code_why = xasprintf(_("cannot read %s at offset %#" PRIx64 ": %s"),
		    an->path, an->start, n < 0 ? strerror(errno) : _("end of file"));
		free(an->bytes);
		an->bytes = NULL;
		return;
	}
	an->nbytes = (size_t)n;
	an->size = (uint64_t)n;
}

/* Append an instruction. */
static void
annotate_add_insn(struct annotate *an, size_t *cap, uint64_t off, unsigned len,
    char *text)
{
	struct annotate_insn *in;

	if (an->ninsns == *cap) {
		*cap = *cap == 0 ? 256 : 2 * *cap;
		an->insns = xreallocarray(an->insns, *cap, sizeof *an->insns);
	}
	in = &an->insns[an->ninsns++];
	memset(in, 0, sizeof *in);
	in->offset = off;
	in->len = len;
	in->text = text;
	in->row = -1;
}

/* The bytes at p (at most n, ANNOTATE_RAW_BYTES) in hex. */
static char *
annotate_hex(const unsigned char *p, size_t n)
{
	char *out, *o;
	size_t i;

	if (n > ANNOTATE_RAW_BYTES)
		n = ANNOTATE_RAW_BYTES;
	out = o = xmalloc(n * 3 + 1);
	*o = '\0';
	for (i = 0; i < n; i++)
		o += sprintf(o, i > 0 ? " %02x" : "%02x", p[i]);
	return out;
}

#ifdef HAVE_CAPSTONE
/* A capstone handle for this machine, AT&T syntax on x86 (as objdump and
 * perf annotate show it); false if there is none. */
static bool
annotate_cs_open(csh *h)
{
#if defined(__x86_64__)
	if (cs_open(CS_ARCH_X86, CS_MODE_64, h) != CS_ERR_OK)
		return false;
	cs_option(*h, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
	return true;
#elif defined(__i386__)
	if (cs_open(CS_ARCH_X86, CS_MODE_32, h) != CS_ERR_OK)
		return false;
	cs_option(*h, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
	return true;
#elif defined(__aarch64__)
	return cs_open(CS_ARCH_ARM64, CS_MODE_ARM, h) == CS_ERR_OK;
#else
	(void)h;
	return false;
#endif
}

/* The text of a decoded instruction. */
static char *
annotate_cs_text(const cs_insn *ci)
{
	if (ci->op_str[0] == '\0')
		return xstrdup(ci->mnemonic);
	return xasprintf("%-6s %s", ci->mnemonic, ci->op_str);
}

/* Decode the bytes into instructions; bytes that decode to nothing are
 * "(bad)", one at a time. */
static bool
annotate_decode(struct annotate *an)
{
	const uint8_t *code = an->bytes;
	size_t left = an->nbytes, cap = 0;
	uint64_t addr = an->start;
	cs_insn *ci;
	csh h;

	if (!annotate_cs_open(&h)) {
		an->insn_why = xstrdup(_("capstone cannot decode this machine's code: raw bytes instead"));
		return false;
	}
	ci = cs_malloc(h);
	while (left > 0) {
		if (cs_disasm_iter(h, &code, &left, &addr, ci)) {
			annotate_add_insn(an, &cap, ci->address, ci->size,
			    annotate_cs_text(ci));
			continue;
		}
		annotate_add_insn(an, &cap, addr, 1, xstrdup("(bad)"));
		code++;
		left--;
		addr++;
	}
	cs_free(ci, 1);
	cs_close(&h);
	return true;
}

/* The one instruction at offset off of the bytes (an address that falls
 * inside another instruction); NULL if none. */
static char *
annotate_decode_one(const struct annotate *an, uint64_t off)
{
	const uint8_t *code;
	size_t left;
	uint64_t addr = off;
	char *text = NULL;
	cs_insn *ci;
	csh h;

	if (an->bytes == NULL || off < an->start || off - an->start >= an->nbytes ||
	    !annotate_cs_open(&h))
		return NULL;
	code = an->bytes + (off - an->start);
	left = an->nbytes - (size_t)(off - an->start);
	ci = cs_malloc(h);
	if (cs_disasm_iter(h, &code, &left, &addr, ci))
		text = annotate_cs_text(ci);
	cs_free(ci, 1);
	cs_close(&h);
	return text;
}
#else
/* Without capstone: one entry per byte (for the source lines), the
 * bytes shown instead of instructions. */
static bool
annotate_decode(struct annotate *an)
{
	size_t i, cap = 0, n = an->nbytes;

	an->insn_why = xstrdup(_("built without capstone: raw bytes instead of instructions"));
	if (n > ANNOTATE_RAW_MAX)
		n = ANNOTATE_RAW_MAX;
	for (i = 0; i < n; i++)
		annotate_add_insn(an, &cap, an->start + i, 1, NULL);
	return false;
}

/* No decoder: nothing. */
static char *
annotate_decode_one(const struct annotate *an, uint64_t off)
{
	(void)an;
	(void)off;
	return NULL;
}
#endif

/* Compare line rows by file, then line. */
static int
annotate_cmp_line(const void *a, const void *b)
{
	const struct annotate_line *x = a, *y = b;
	int c = strcmp(x->file, y->file);

	if (c != 0)
		return c;
	return (x->line > y->line) - (x->line < y->line);
}

/* The row of (file, line) among the first n rows, or -1. */
static ssize_t
annotate_find_line(const struct annotate *an, size_t n, const char *file,
    int line)
{
	size_t i;

	/* The main file's rows are a range: found at once. */
	if (an->main_file != NULL && strcmp(file, an->main_file) == 0 &&
	    line >= an->first_line && line <= an->last_line &&
	    (size_t)(line - an->first_line) < n &&
	    an->lines[line - an->first_line].line == line)
		return line - an->first_line;
	for (i = 0; i < n; i++) {
		if (an->lines[i].line == line && strcmp(an->lines[i].file, file) == 0)
			return (ssize_t)i;
	}
	return -1;
}

/* Append a line row. */
static struct annotate_line *
annotate_add_line(struct annotate *an, const char *file, int line)
{
	struct annotate_line *l;

	if (an->nlines == an->lines_cap) {
		an->lines_cap = an->lines_cap == 0 ? 64 : 2 * an->lines_cap;
		an->lines = xreallocarray(an->lines, an->lines_cap, sizeof *an->lines);
	}
	l = &an->lines[an->nlines++];
	memset(l, 0, sizeof *l);
	l->file = file;
	l->line = line;
	return l;
}

/* The source lines of every instruction, and the fixed line rows: the
 * main file's whole range, then the lines of other files (inlined code),
 * in file and line order. */
static void
annotate_lines(struct annotate *an, const char *const *dirs, size_t ndirs)
{
	struct annotate_insn *in;
	struct dwarf_line dl;
	struct annotate_line *others = NULL, *l;
	size_t i, j, nothers = 0, best = 0, count;
	char *why = NULL;
	int lo = 0, hi = 0;

	for (i = 0; i < an->ninsns; i++) {
		in = &an->insns[i];
		if (dwarf_line(an->bin, in->offset, &dl, an->lines_why == NULL &&
		    why == NULL ? &why : NULL) < 0)
			continue;
		in->file = dl.file;
		in->line = dl.line;
		if (dl.ninlined > 0 && dl.inlined[0].function != NULL)
			in->inlined = dl.inlined[0].function;
	}
	/* The main file: the one most instructions are in. */
	for (i = 0; i < an->ninsns; i++) {
		if (an->insns[i].file == NULL || an->insns[i].line <= 0)
			continue;
		if (an->main_file != NULL && strcmp(an->insns[i].file, an->main_file) == 0)
			continue;
		count = 0;
		for (j = i; j < an->ninsns; j++) {
			if (an->insns[j].file != NULL && an->insns[j].line > 0 &&
			    strcmp(an->insns[j].file, an->insns[i].file) == 0)
				count++;
		}
		if (count > best) {
			best = count;
			an->main_file = an->insns[i].file;
		}
		if (best * 2 > an->ninsns)
			break;
	}
	if (an->main_file == NULL) {
		if (an->ninsns > 0)
			an->lines_why = why != NULL ? why :
			    xstrdup(_("no source lines for this code"));
		else
			free(why);
		return;
	}
	free(why);
	for (i = 0; i < an->ninsns; i++) {
		in = &an->insns[i];
		if (in->file == NULL || in->line <= 0 ||
		    strcmp(in->file, an->main_file) != 0)
			continue;
		if (lo == 0 || in->line < lo)
			lo = in->line;
		if (in->line > hi)
			hi = in->line;
	}
	an->first_line = lo;
	an->last_line = hi;
	if (hi - lo < ANNOTATE_MAX_RANGE) {
		for (j = (size_t)lo; j <= (size_t)hi; j++) {
			l = annotate_add_line(an, an->main_file, (int)j);
			l->text = annotate_text(an, an->main_file, (int)j, dirs, ndirs);
		}
	} else {
		an->first_line = an->last_line = 0;	/* not a range */
	}
	/* The other lines (and, for a huge range, the main file's too). */
	for (i = 0; i < an->ninsns; i++) {
		in = &an->insns[i];
		if (in->file == NULL || in->line <= 0 ||
		    annotate_find_line(an, an->nlines, in->file, in->line) >= 0)
			continue;
		for (j = 0; j < nothers; j++) {
			if (others[j].line == in->line && strcmp(others[j].file, in->file) == 0)
				break;
		}
		if (j < nothers)
			continue;
		others = xreallocarray(others, nothers + 1, sizeof *others);
		memset(&others[nothers], 0, sizeof *others);
		others[nothers].file = in->file;
		others[nothers++].line = in->line;
	}
	if (nothers > 1)
		qsort(others, nothers, sizeof *others, annotate_cmp_line);
	for (j = 0; j < nothers; j++) {
		l = annotate_add_line(an, others[j].file, others[j].line);
		l->text = annotate_text(an, l->file, l->line, dirs, ndirs);
	}
	free(others);
	an->nfixed_lines = an->nlines;
	for (i = 0; i < an->ninsns; i++) {
		in = &an->insns[i];
		if (in->file != NULL && in->line > 0)
			in->row = annotate_find_line(an, an->nlines, in->file, in->line);
		if (in->row >= 0)
			an->lines[in->row].code = true;
	}
}

/* Read and decode a function. */
struct annotate *
annotate_open(struct binary *bin,
    const struct symtab_func *func, uint64_t reach,
    const char *const *source_dirs, size_t nsource_dirs)
{
	struct annotate *an = xcalloc(1, sizeof *an);

	an->bin = bin;
	binary_pin(bin);	/* its lines' names are the DWARF state's */
	an->func = func;
	an->binary = xstrdup(binary_name(bin));
	an->path = xstrdup(binary_path(bin));
	an->has_func = func != NULL;
	an->function = xstrdup(func != NULL ? func->name : "[unknown]");
	if (func != NULL) {
		an->start = func->start;
		an->size = func->size;
	}
	an->source_dirs = source_dirs;
	an->nsource_dirs = nsource_dirs;
	annotate_read(an, reach);
	if (an->bytes != NULL) {
		annotate_decode(an);
		annotate_lines(an, source_dirs, nsource_dirs);
	}
	return an;
}

/* Whether an is the drill-down of (bin, func). */
bool
annotate_is(const struct annotate *an, const struct binary *bin,
    const struct symtab_func *func)
{
	return an != NULL && an->bin == bin && an->func == func;
}

/* agg_func_addrs callback: the highest offset. */
static void
annotate_reach_one(const struct agg_addr_stat *st, void *arg)
{
	uint64_t *reach = arg;

	if (!st->other && st->offset + 1 > *reach)
		*reach = st->offset + 1;
}

/* One past the highest offset sampled in af. */
uint64_t
annotate_reach(const struct agg *a, const struct agg_func *af)
{
	uint64_t reach = 0;

	if (af != NULL)
		agg_func_addrs(a, af, annotate_reach_one, &reach);
	return reach;
}

/* agg_func_addrs callback: collect the counts. */
static void
annotate_collect_one(const struct agg_addr_stat *st, void *arg)
{
	struct annotate_collect *c = arg;
	uint64_t samples = c->window ? st->win_samples : st->samples;
	uint64_t weight = c->window ? st->win_weight : st->weight;

	if (samples == 0 && weight == 0)
		return;
	if (c->n == c->cap) {
		c->cap = c->cap == 0 ? 64 : 2 * c->cap;
		c->v = xreallocarray(c->v, c->cap, sizeof *c->v);
	}
	/* The [other addresses] entry sorts last. */
	c->v[c->n].offset = st->other ? UINT64_MAX : st->offset;
	c->v[c->n].other = st->other;
	c->v[c->n].samples = samples;
	c->v[c->n++].weight = weight;
}

/* Order collected counts by offset. */
static int
annotate_cmp_stat(const void *a, const void *b)
{
	const struct annotate_stat *x = a, *y = b;

	return (x->offset > y->offset) - (x->offset < y->offset);
}

/* The instruction that starts at off, or NULL. */
static const struct annotate_insn *
annotate_insn_at(const struct annotate *an, uint64_t off)
{
	size_t lo = SORTED_LOWER(an->insns, an->ninsns, offset, off);

	if (lo < an->ninsns && an->insns[lo].offset == off)
		return &an->insns[lo];
	return NULL;
}

/* Fill one address row that no decoded instruction starts at: decode it
 * alone, look its line up; its line row (appended where new), or -1. */
static ssize_t
annotate_loose(struct annotate *an, struct annotate_addr *r)
{
	struct annotate_line *l;
	struct dwarf_line dl;
	char *text;
	ssize_t row;

	if ((text = annotate_decode_one(an, r->offset)) != NULL)
		r->insn = annotate_keep(an, text);
	else if (an->bytes != NULL && r->offset >= an->start &&
	    r->offset - an->start < an->nbytes)
		r->insn = annotate_keep(an, annotate_hex(an->bytes +
		    (r->offset - an->start), an->nbytes - (size_t)(r->offset - an->start)));
	if (an->path[0] != '/' || dwarf_line(an->bin, r->offset, &dl, NULL) < 0)
		return -1;
	r->file = dl.file;
	r->line = dl.line;
	if (dl.ninlined > 0)
		r->inlined = dl.inlined[0].function;
	if (dl.file == NULL || dl.line <= 0)
		return -1;
	if ((row = annotate_find_line(an, an->nlines, dl.file, dl.line)) >= 0)
		return row;
	l = annotate_add_line(an, dl.file, dl.line);
	l->code = true;
	l->text = annotate_text(an, dl.file, dl.line, an->source_dirs,
	    an->nsource_dirs);
	return (ssize_t)an->nlines - 1;
}

/* Rebuild the rows from the counts. */
void
annotate_update(struct annotate *an, const struct agg *a,
    const struct agg_func *af, bool window)
{
	struct annotate_collect c = { .window = window };
	const struct annotate_insn *in;
	struct annotate_addr *r;
	uint64_t hot;
	ssize_t row;
	size_t i;

	for (i = 0; i < an->nextra; i++)
		free(an->extra[i]);
	an->nextra = 0;
	an->nlines = an->nfixed_lines;
	for (i = 0; i < an->nlines; i++) {
		an->lines[i].samples = 0;
		an->lines[i].weight = 0;
		an->lines[i].pct = 0;
	}
	if (af != NULL)
		agg_func_addrs(a, af, annotate_collect_one, &c);
	if (c.n > 1)
		qsort(c.v, c.n, sizeof *c.v, annotate_cmp_stat);
	if (c.n > an->addrs_cap) {
		an->addrs_cap = c.n;
		an->addrs = xreallocarray(an->addrs, c.n, sizeof *an->addrs);
	}
	an->naddrs = c.n;
	an->samples = an->weight = 0;
	for (i = 0; i < c.n; i++) {
		r = &an->addrs[i];
		memset(r, 0, sizeof *r);
		r->offset = c.v[i].offset;
		r->samples = c.v[i].samples;
		r->weight = c.v[i].weight;
		an->samples += r->samples;
		an->weight += r->weight;
		if (c.v[i].other) {
			/* No address: no instruction nor line to look up. */
			r->other = true;
			r->insn = _("[other addresses]");
			row = -1;
		} else if ((in = annotate_insn_at(an, r->offset)) != NULL) {
			r->insn = in->text;
			if (r->insn == NULL && an->bytes != NULL)
				r->insn = annotate_keep(an, annotate_hex(an->bytes +
				    (r->offset - an->start),
				    an->nbytes - (size_t)(r->offset - an->start)));
			r->file = in->file;
			r->line = in->line;
			r->inlined = in->inlined;
			row = in->row;
		} else
			row = annotate_loose(an, r);
		if (row >= 0) {
			an->lines[row].samples += r->samples;
			an->lines[row].weight += r->weight;
		}
	}
	free(c.v);
	an->hot_addr = an->hot_line = 0;
	for (i = 0, hot = 0; i < an->naddrs; i++) {
		r = &an->addrs[i];
		r->pct = an->weight > 0 ? 100.0 * (double)r->weight / (double)an->weight : 0;
		if (r->weight > hot) {
			hot = r->weight;
			an->hot_addr = i;
		}
	}
	for (i = 0, hot = 0; i < an->nlines; i++) {
		struct annotate_line *l = &an->lines[i];

		l->pct = an->weight > 0 ? 100.0 * (double)l->weight / (double)an->weight : 0;
		if (l->weight > hot) {
			hot = l->weight;
			an->hot_line = i;
		}
	}
}

/* The base name of a path. */
static const char *
annotate_base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

/* Write the view as text. */
int
annotate_write(FILE *fp, const struct annotate *an, bool lines,
    const char *header, char **cause)
{
	const struct annotate_addr *r;
	const struct annotate_line *l;
	size_t i;

	fprintf(fp, "%s", header != NULL ? header : "");
	fprintf(fp, "binary: %s\nfunction: %s\n", an->path, an->function);
	if (an->has_func)
		fprintf(fp, "address: %#" PRIx64 "\nsize: %" PRIu64 "\n", an->start,
		    an->size);
	fprintf(fp, "view: %s\nfunction samples: %" PRIu64 "\n",
	    lines ? "lines" : "addresses", an->samples);
	if (an->code_why != NULL)
		fprintf(fp, "code: %s\n", an->code_why);
	if (an->insn_why != NULL)
		fprintf(fp, "instructions: %s\n", an->insn_why);
	if (an->lines_why != NULL)
		fprintf(fp, "lines: %s\n", an->lines_why);
	if (lines && an->source_why != NULL)
		fprintf(fp, "source: %s\n", an->source_why);
	fputc('\n', fp);
	if (!lines) {
		fprintf(fp, "%10s %7s  %-12s  %-40s  %s\n", "SAMPLES", "PCT",
		    "OFFSET", "INSTRUCTION", "SOURCE");
		for (i = 0; i < an->naddrs; i++) {
			r = &an->addrs[i];
			if (r->other)
				fprintf(fp, "%10" PRIu64 " %6.2f%%  %-12s  %-40s  ",
				    r->samples, r->pct, "-", r->insn);
			else
				fprintf(fp, "%10" PRIu64 " %6.2f%%  %#-12" PRIx64 "  %-40s  ",
				    r->samples, r->pct, r->offset,
				    r->insn != NULL ? r->insn : "?");
			if (r->file != NULL)
				fprintf(fp, "%s:%d", annotate_base(r->file), r->line);
			if (r->inlined != NULL)
				fprintf(fp, " (inlined from %s)", r->inlined);
			fputc('\n', fp);
		}
	} else {
		fprintf(fp, "%10s %7s  %-24s  %s\n", "SAMPLES", "PCT", "LINE", "SOURCE");
		for (i = 0; i < an->nlines; i++) {
			char loc[64];

			l = &an->lines[i];
			snprintf(loc, sizeof loc, "%s:%d", annotate_base(l->file), l->line);
			fprintf(fp, "%10" PRIu64 " %6.2f%%  %-24s  %s\n", l->samples,
			    l->pct, loc, l->text != NULL ? l->text : "");
		}
	}
	if (ferror(fp)) {
		*cause = xstrdup(_("write error"));
		return -1;
	}
	return 0;
}

/* Free everything. */
void
annotate_free(struct annotate *an)
{
	size_t i;

	if (an == NULL)
		return;
	binary_unpin(an->bin);
	for (i = 0; i < an->ninsns; i++)
		free(an->insns[i].text);
	free(an->insns);
	for (i = 0; i < an->nsrcs; i++) {
		free(an->srcs[i].data);
		free(an->srcs[i].lines);
	}
	free(an->srcs);
	for (i = 0; i < an->nextra; i++)
		free(an->extra[i]);
	free(an->extra);
	free(an->addrs);
	free(an->lines);
	free(an->bytes);
	free(an->binary);
	free(an->path);
	free(an->function);
	free(an->code_why);
	free(an->insn_why);
	free(an->lines_why);
	free(an->source_why);
	free(an);
}
