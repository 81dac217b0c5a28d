/* Unit tests for maps: parsing, lookups, inserts, reading /proc, fuzzing. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "binary.h"
#include "check.h"
#include "dwarf.h"
#include "frame.h"
#include "maps.h"
#include "resolve.h"
#include "xmalloc.h"

/* What a 64-bit kernel prints for a PIE program with a few oddities. The
 * anonymous lines keep the kernel's trailing space; the last line has no
 * newline. */
static const char fixture[] =
"55a4c6e00000-55a4c6e02000 r--p 00000000 fd:01 1835049                    /usr/bin/rrstat-demo\n"
"55a4c6e02000-55a4c6e07000 r-xp 00002000 fd:01 1835049                    /usr/bin/rrstat-demo\n"
"55a4c6e07000-55a4c6e09000 r--p 00007000 fd:01 1835049                    /usr/bin/rrstat-demo\n"
"55a4c6e09000-55a4c6e0a000 r--p 00008000 fd:01 1835049                    /usr/bin/rrstat-demo\n"
"55a4c6e0a000-55a4c6e0b000 rw-p 00009000 fd:01 1835049                    /usr/bin/rrstat-demo\n"
"55a4c7d4e000-55a4c7d6f000 rw-p 00000000 00:00 0                          [heap]\n"
"7f1e2c000000-7f1e2c021000 rw-p 00000000 00:00 0 \n"
"7f1e2c021000-7f1e30000000 ---p 00000000 00:00 0 \n"
"7f1e33a00000-7f1e33a10000 r-xp 00000000 00:01 40213                      /memfd:jit (deleted)\n"
"7f1e33c00000-7f1e33c04000 r-xp 00001000 08:11 262401                     /opt/My App/lib/libfoo bar.so\n"
"7f1e33c04000-7f1e33c05000 rw-s 00000000 00:19 7                          /dev/shm/rrstat ring\n"
"7f1e33d00000-7f1e33d02000 r-xp 00000000 08:11 262999                     /tmp/old lib.so (deleted)\n"
"7f1e33e00000-7f1e33e28000 r--p 00000000 fd:01 1574212                    /usr/lib/x86_64-linux-gnu/libc.so.6\n"
"7f1e33e28000-7f1e33fbd000 r-xp 00028000 fd:01 1574212                    /usr/lib/x86_64-linux-gnu/libc.so.6\n"
"7f1e33fbd000-7f1e34015000 r--p 001bd000 fd:01 1574212                    /usr/lib/x86_64-linux-gnu/libc.so.6\n"
"7f1e34015000-7f1e34019000 r--p 00214000 fd:01 1574212                    /usr/lib/x86_64-linux-gnu/libc.so.6\n"
"7f1e34019000-7f1e3401b000 rw-p 00218000 fd:01 1574212                    /usr/lib/x86_64-linux-gnu/libc.so.6\n"
"7f1e3401b000-7f1e34028000 rw-p 00000000 00:00 0 \n"
"7f1e3404a000-7f1e3404b000 r--p 00000000 fd:01 1574200                    /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2\n"
"7f1e3404b000-7f1e34071000 r-xp 00001000 fd:01 1574200                    /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2\n"
"7ffd1a5e1000-7ffd1a602000 rw-p 00000000 00:00 0                          [stack]\n"
"7ffd1a7ac000-7ffd1a7b0000 r--p 00000000 00:00 0                          [vvar]\n"
"7ffd1a7b0000-7ffd1a7b2000 r-xp 00000000 00:00 0                          [vdso]\n"
"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]";
#define FIXTURE_LINES 24

/* Good lines between broken ones; the last line is cut short. */
static const char broken[] =
"7f0000000000-7f0000001000 r-xp 00000000 08:01 100 /good/one\n"
"garbage here\n"
"7f0000001000-7f0000002000 r-xp 00000000 08:01\n"
"7f0000001000-7f0000002000 r-xp 00000000 08:01 \n"
"7f00000zz000-7f0000003000 r-xp 00000000 08:01 5 /bad/hex\n"
"7f0000003000-7f0000004000 r-xp 0000g000 08:01 5 /bad/offset\n"
"7f0000005000-7f0000004000 r-xp 00000000 08:01 5 /start/after/end\n"
"7f0000004000-7f0000004000 r-xp 00000000 08:01 5 /empty/range\n"
"\n"
"   \n"
"7f0000004000-7f0000005000 rwxq 00000000 08:01 5 /bad/perms\n"
"7f0000004000-7f0000005000 r-x 00000000 08:01 5 /short/perms\n"
"7f0000004000-7f0000005000 r-xp 00000000 0801 5 /no/colon\n"
"7f0000004000-7f0000005000 r-xp 00000000 08:01 12x /bad/inode\n"
"10000000000000000-10000000000001000 r-xp 00000000 08:01 5 /too/wide\n"
"7f0000004000-7f0000005000 r-xp 00000000 08:100000000 5 /big/minor\n"
"7f0000004000 r-xp 00000000 08:01 5 /no/end\n"
"-7f0000005000 r-xp 00000000 08:01 5 /no/start\n"
"7f0000004000-7f0000005000 r-xp\n"
"7f0000005000-7f0000006000 r--p 00000000 08:01 5 (deleted)\n"
"7f0000006000-7f0000007000 r--p 00001000 08:01 101   /good/two\n"
"7f0000007000-7f00";
#define BROKEN_GOOD 3
#define BROKEN_BAD 17

/* Check the parsed array is sorted, non-overlapping and well formed. */
static bool
maps_sane(const struct maps *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		if (m->v[i].start >= m->v[i].end)
			return false;
		if (i > 0 && m->v[i - 1].end > m->v[i].start)
			return false;
		if (m->v[i].path != NULL && m->v[i].path[0] == '\0')
			return false;
		if (m->v[i].prot & ~(unsigned)(MAPS_PROT_READ |
		    MAPS_PROT_WRITE | MAPS_PROT_EXEC))
			return false;
	}
	return m->n <= m->cap;
}

/* The maps as "start-end@offset:path ..." for compact comparisons. */
static char *
maps_str(const struct maps *m)
{
	char *s = xstrdup(""), *t;
	size_t i;

	for (i = 0; i < m->n; i++) {
		t = xasprintf("%s%s%" PRIx64 "-%" PRIx64 "@%" PRIx64 ":%s", s,
		    i == 0 ? "" : " ", m->v[i].start, m->v[i].end,
		    m->v[i].offset, m->v[i].path ? m->v[i].path : "-");
		free(s);
		s = t;
	}
	return s;
}

/* Compare maps_str(m) with want. */
static void
check_maps(const struct maps *m, const char *want, int line)
{
	char *s = maps_str(m);

	if (strcmp(s, want) != 0)
		fprintf(stderr, "%s:%d: maps differ\n  got  %s\n  want %s\n",
		    __FILE__, line, s, want);
	CHECK(strcmp(s, want) == 0);
	CHECK(maps_sane(m));
	free(s);
}
#define CHECK_MAPS(m, want) check_maps(m, want, __LINE__)

/* Every field of several lines of the fixture. */
static void
test_parse_fields(void)
{
	struct maps m = { 0 };
	struct map *p;
	size_t bad = 99;

	maps_parse(&m, fixture, sizeof fixture - 1, &bad);
	CHECK_U64(bad, 0);
	CHECK_U64(m.n, FIXTURE_LINES);
	CHECK(maps_sane(&m));
	if (m.n != FIXTURE_LINES) {
		maps_clear(&m);
		return;
	}

	p = &m.v[1];	/* the executable's text */
	CHECK_U64(p->start, 0x55a4c6e02000);
	CHECK_U64(p->end, 0x55a4c6e07000);
	CHECK_U64(p->offset, 0x2000);
	CHECK_U64(p->dev_major, 0xfd);
	CHECK_U64(p->dev_minor, 1);
	CHECK_U64(p->inode, 1835049);
	CHECK_U64(p->prot, MAPS_PROT_READ | MAPS_PROT_EXEC);
	CHECK(!p->shared);
	CHECK(!p->deleted);
	CHECK_STR(p->path, "/usr/bin/rrstat-demo");
	CHECK(p->priv == NULL);

	p = &m.v[4];
	CHECK_U64(p->prot, MAPS_PROT_READ | MAPS_PROT_WRITE);
	CHECK_U64(p->offset, 0x9000);

	p = &m.v[5];
	CHECK_STR(p->path, "[heap]");
	CHECK_U64(p->inode, 0);
	CHECK_U64(p->dev_major, 0);
	CHECK_U64(p->dev_minor, 0);

	p = &m.v[6];	/* anonymous, trailing space */
	CHECK(p->path == NULL);
	CHECK_U64(p->start, 0x7f1e2c000000);
	CHECK_U64(p->end, 0x7f1e2c021000);
	CHECK_U64(p->prot, MAPS_PROT_READ | MAPS_PROT_WRITE);

	p = &m.v[7];	/* guard */
	CHECK(p->path == NULL);
	CHECK_U64(p->prot, 0);
	CHECK(!p->shared);

	p = &m.v[8];
	CHECK_STR(p->path, "/memfd:jit");
	CHECK(p->deleted);
	CHECK_U64(p->inode, 40213);
	CHECK_U64(p->dev_minor, 1);
	CHECK_U64(p->prot, MAPS_PROT_READ | MAPS_PROT_EXEC);

	p = &m.v[9];
	CHECK_STR(p->path, "/opt/My App/lib/libfoo bar.so");
	CHECK(!p->deleted);
	CHECK_U64(p->offset, 0x1000);
	CHECK_U64(p->dev_major, 8);
	CHECK_U64(p->dev_minor, 0x11);
	CHECK_U64(p->inode, 262401);

	p = &m.v[10];
	CHECK_STR(p->path, "/dev/shm/rrstat ring");
	CHECK(p->shared);
	CHECK_U64(p->prot, MAPS_PROT_READ | MAPS_PROT_WRITE);

	p = &m.v[11];
	CHECK_STR(p->path, "/tmp/old lib.so");
	CHECK(p->deleted);

	p = &m.v[13];
	CHECK_STR(p->path, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	CHECK_U64(p->offset, 0x28000);
	CHECK_U64(p->inode, 1574212);

	CHECK_STR(m.v[20].path, "[stack]");
	CHECK_STR(m.v[21].path, "[vvar]");
	CHECK_STR(m.v[22].path, "[vdso]");
	CHECK_U64(m.v[22].prot, MAPS_PROT_READ | MAPS_PROT_EXEC);

	p = &m.v[23];	/* no newline at the end of the text */
	CHECK_STR(p->path, "[vsyscall]");
	CHECK_U64(p->start, 0xffffffffff600000);
	CHECK_U64(p->end, 0xffffffffff601000);
	CHECK_U64(p->prot, MAPS_PROT_EXEC);

	/* Parsing again empties first; an empty text gives nothing. */
	maps_parse(&m, fixture, sizeof fixture - 1, NULL);
	CHECK_U64(m.n, FIXTURE_LINES);
	maps_parse(&m, "", 0, &bad);
	CHECK_U64(m.n, 0);
	CHECK_U64(bad, 0);
	maps_clear(&m);
	CHECK(m.v == NULL);
	CHECK_U64(m.n, 0);
	maps_clear(&m);
}

/* Lines in reverse order give the same sorted result. */
static void
test_parse_unsorted(void)
{
	static const char overlapping[] =
	    "1000-5000 r-xp 00000000 08:01 1 /first\n"
	    "2000-3000 r--p 00000000 08:01 2 /second\n"
	    "4000-6000 rw-p 00000000 08:01 3 /third\n"
	    "1000-1800 r--p 00000000 08:01 4 /fourth\n";
	struct maps a = { 0 }, b = { 0 };
	const char *lines[FIXTURE_LINES + 1], *p, *nl;
	char *rev, *sa, *sb;
	size_t n = 0, len, at = 0, bad = 99;
	int i;

	for (p = fixture; *p != '\0' && n < FIXTURE_LINES + 1; p = nl + 1) {
		lines[n++] = p;
		nl = strchr(p, '\n');
		if (nl == NULL)
			break;
	}
	CHECK_U64(n, FIXTURE_LINES);

	rev = xmalloc(sizeof fixture + 1);
	for (i = (int)n - 1; i >= 0; i--) {
		nl = strchr(lines[i], '\n');
		len = nl != NULL ? (size_t)(nl - lines[i]) : strlen(lines[i]);
		memcpy(rev + at, lines[i], len);
		at += len;
		rev[at++] = '\n';
	}
	maps_parse(&a, fixture, sizeof fixture - 1, NULL);
	maps_parse(&b, rev, at, &bad);
	CHECK_U64(bad, 0);
	sa = maps_str(&a);
	sb = maps_str(&b);
	CHECK_STR(sa, sb);
	CHECK(maps_sane(&b));
	free(sa);
	free(sb);
	free(rev);
	maps_clear(&a);
	maps_clear(&b);

	/* Overlapping lines: the later one wins, the earlier is cut. */
	maps_parse(&a, overlapping, sizeof overlapping - 1, &bad);
	CHECK_U64(bad, 0);
	CHECK_MAPS(&a, "1000-1800@0:/fourth 1800-2000@800:/first "
	    "2000-3000@0:/second 3000-4000@2000:/first 4000-6000@0:/third");
	maps_clear(&a);
}

/* Broken lines are skipped and counted; good ones around them survive. */
static void
test_parse_broken(void)
{
	static const char nul[] = "1000-2000 r-xp 0 08:01 1 /a\0b\n";
	struct maps m = { 0 };
	size_t bad = 0, i, len;
	char *text, *big;

	maps_parse(&m, broken, sizeof broken - 1, &bad);
	CHECK_U64(bad, BROKEN_BAD);
	CHECK_U64(m.n, BROKEN_GOOD);
	CHECK_MAPS(&m, "7f0000000000-7f0000001000@0:/good/one "
	    "7f0000005000-7f0000006000@0:(deleted) "
	    "7f0000006000-7f0000007000@1000:/good/two");
	if (m.n == BROKEN_GOOD) {
		CHECK(!m.v[1].deleted);
		CHECK_U64(m.v[2].inode, 101);
		CHECK_U64(m.v[2].prot, MAPS_PROT_READ);
	}

	/* The text is not NUL-terminated: len is the only limit. */
	maps_parse(&m, fixture, 40, &bad);
	CHECK_U64(m.n, 0);
	CHECK_U64(bad, 1);

	/* A NUL inside a path spoils the line. */
	maps_parse(&m, nul, sizeof nul - 1, &bad);
	CHECK_U64(m.n, 0);
	CHECK_U64(bad, 1);

	/* An extremely long path, with and without a final newline. */
	len = 200000;
	big = xmalloc(len + 1);
	for (i = 0; i < len; i++)
		big[i] = (char)('a' + i % 26);
	big[0] = '/';
	big[len / 2] = ' ';
	big[len] = '\0';
	text = xasprintf("1000-2000 r-xp 00000000 08:01 7 %s (deleted)", big);
	maps_parse(&m, text, strlen(text), &bad);
	CHECK_U64(bad, 0);
	CHECK_U64(m.n, 1);
	if (m.n == 1) {
		CHECK_STR(m.v[0].path, big);
		CHECK(m.v[0].deleted);
	}
	free(text);
	text = xasprintf("1000-2000 r-xp 00000000 08:01 7 %s\n"
	    "3000-4000 r-xp 00000000 08:01 7 %s\n", big, big);
	maps_parse(&m, text, strlen(text), &bad);
	CHECK_U64(bad, 0);
	CHECK_U64(m.n, 2);
	if (m.n == 2) {
		CHECK_STR(m.v[1].path, big);
		CHECK(!m.v[1].deleted);
	}
	free(text);
	free(big);

	/* No valid line at all. */
	maps_parse(&m, "\n\n\n", 3, &bad);
	CHECK_U64(m.n, 0);
	CHECK_U64(bad, 0);
	maps_parse(&m, "x", 1, &bad);
	CHECK_U64(m.n, 0);
	CHECK_U64(bad, 1);
	maps_clear(&m);
}

/* maps_find at and around every boundary. */
static void
test_find(void)
{
	struct maps m = { 0 }, empty = { 0 };
	struct map *p;
	size_t i, wrong = 0;

	CHECK(maps_find(&empty, 0) == NULL);
	CHECK(maps_find(&empty, 0x1234) == NULL);

	maps_parse(&m, fixture, sizeof fixture - 1, NULL);
	CHECK_U64(m.n, FIXTURE_LINES);
	if (m.n != FIXTURE_LINES) {
		maps_clear(&m);
		return;
	}

	for (i = 0; i < m.n; i++) {
		if (maps_find(&m, m.v[i].start) != &m.v[i])
			wrong++;
		if (maps_find(&m, m.v[i].end - 1) != &m.v[i])
			wrong++;
		if (maps_find(&m, m.v[i].start + (m.v[i].end - m.v[i].start) / 2)
		    != &m.v[i])
			wrong++;
		/* end belongs to the next mapping or to nothing. */
		p = maps_find(&m, m.v[i].end);
		if (i + 1 < m.n && m.v[i + 1].start == m.v[i].end) {
			if (p != &m.v[i + 1])
				wrong++;
		} else if (p != NULL)
			wrong++;
	}
	CHECK_U64(wrong, 0);

	CHECK(maps_find(&m, 0) == NULL);				/* before first */
	CHECK(maps_find(&m, 0x55a4c6dfffff) == NULL);
	CHECK(maps_find(&m, 0x55a4c6e00000) == &m.v[0]);		/* start */
	CHECK(maps_find(&m, 0x55a4c6e01fff) == &m.v[0]);		/* end - 1 */
	CHECK(maps_find(&m, 0x55a4c6e02000) == &m.v[1]);		/* next */
	CHECK(maps_find(&m, 0x55a4c6e0b000) == NULL);		/* end, gap */
	CHECK(maps_find(&m, 0x55a4c7d6f000) == NULL);		/* heap end */
	CHECK(maps_find(&m, 0x600000000000) == NULL);		/* gap */
	CHECK(maps_find(&m, 0x7f1e33a10000) == NULL);		/* memfd end */
	CHECK(maps_find(&m, 0x7f1e33a0ffff) == &m.v[8]);
	CHECK(maps_find(&m, 0xffffffffff600000) == &m.v[23]);	/* last */
	CHECK(maps_find(&m, 0xffffffffff600fff) == &m.v[23]);
	CHECK(maps_find(&m, 0xffffffffff601000) == NULL);		/* after last */
	CHECK(maps_find(&m, UINT64_MAX) == NULL);
	maps_clear(&m);
}

/* A fresh set of four file mappings for the insert tests. */
static void
insert_base(struct maps *m)
{
	static const char base[] =
	    "1000-3000 r-xp 00000000 08:01 1 /a\n"
	    "5000-9000 r-xp 00010000 08:01 2 /b\n"
	    "9000-a000 r--p 00000000 08:01 3 /c\n"
	    "c000-d000 rw-p 00000000 08:01 4 /d\n";
	size_t bad = 99;

	maps_parse(m, base, sizeof base - 1, &bad);
	CHECK_U64(bad, 0);
}

/* Fill one with a file mapping. */
static void
make_map(struct map *one, uint64_t start, uint64_t end, uint64_t offset,
    const char *path)
{
	memset(one, 0, sizeof *one);
	one->start = start;
	one->end = end;
	one->offset = offset;
	one->prot = MAPS_PROT_READ | MAPS_PROT_EXEC;
	one->inode = path != NULL ? 42 : 0;
	one->path = (char *)path;
	one->priv = &one->priv;	/* insert must not copy it */
}

/* maps_insert: gaps, exact replacement, covering, splitting. */
static void
test_insert(void)
{
	struct maps m = { 0 };
	struct map one;
	char path[] = "/e";

	/* Into an empty set; start >= end is ignored. */
	make_map(&one, 0x2000, 0x2000, 0, "/nothing");
	maps_insert(&m, &one);
	CHECK_U64(m.n, 0);
	make_map(&one, 0x3000, 0x2000, 0, "/nothing");
	maps_insert(&m, &one);
	CHECK_U64(m.n, 0);
	make_map(&one, 0x2000, 0x3000, 0, NULL);
	maps_insert(&m, &one);
	CHECK_MAPS(&m, "2000-3000@0:-");
	maps_clear(&m);

	/* No overlap: in a gap, before the first, after the last. */
	insert_base(&m);
	make_map(&one, 0x3000, 0x5000, 0x4000, path);
	maps_insert(&m, &one);
	path[1] = 'x';		/* the path was copied */
	make_map(&one, 0x0, 0x1000, 0, "/zero");
	maps_insert(&m, &one);
	make_map(&one, 0xf000, 0x10000, 0, "/last");
	maps_insert(&m, &one);
	CHECK_MAPS(&m, "0-1000@0:/zero 1000-3000@0:/a 3000-5000@4000:/e "
	    "5000-9000@10000:/b 9000-a000@0:/c c000-d000@0:/d "
	    "f000-10000@0:/last");
	if (m.n == 7) {
		CHECK(m.v[2].priv == NULL);
		CHECK_U64(m.v[2].inode, 42);
		CHECK_U64(m.v[2].prot, MAPS_PROT_READ | MAPS_PROT_EXEC);
	}
	maps_clear(&m);

	/* Exact replacement. */
	insert_base(&m);
	make_map(&one, 0x9000, 0xa000, 0x3000, "/c2");
	maps_insert(&m, &one);
	CHECK_MAPS(&m, "1000-3000@0:/a 5000-9000@10000:/b 9000-a000@3000:/c2 "
	    "c000-d000@0:/d");
	maps_clear(&m);

	/* Covering several: cut the first's tail and the last's head. */
	insert_base(&m);
	make_map(&one, 0x2000, 0xc800, 0, "/big");
	maps_insert(&m, &one);
	CHECK_MAPS(&m, "1000-2000@0:/a 2000-c800@0:/big c800-d000@800:/d");
	maps_clear(&m);

	/* Covering all of them exactly. */
	insert_base(&m);
	make_map(&one, 0x1000, 0xd000, 0, "/all");
	maps_insert(&m, &one);
	CHECK_MAPS(&m, "1000-d000@0:/all");
	maps_clear(&m);

	/* Cutting only a head, only a tail. */
	insert_base(&m);
	make_map(&one, 0x4000, 0x6000, 0, "/h");
	maps_insert(&m, &one);
	make_map(&one, 0x8000, 0x9000, 0, "/t");
	maps_insert(&m, &one);
	CHECK_MAPS(&m, "1000-3000@0:/a 4000-6000@0:/h 6000-8000@11000:/b "
	    "8000-9000@0:/t 9000-a000@0:/c c000-d000@0:/d");
	maps_clear(&m);

	/* Splitting one: the right part's offset moves by the distance. */
	insert_base(&m);
	if (m.n > 1)
		m.v[1].priv = &m;
	make_map(&one, 0x6000, 0x7000, 0, "/mid");
	maps_insert(&m, &one);
	CHECK_MAPS(&m, "1000-3000@0:/a 5000-6000@10000:/b 6000-7000@0:/mid "
	    "7000-9000@12000:/b 9000-a000@0:/c c000-d000@0:/d");
	if (m.n == 6) {
		CHECK(m.v[1].path != m.v[3].path);	/* freed twice if not */
		CHECK(m.v[1].priv == &m);
		CHECK(m.v[3].priv == &m);
		CHECK(m.v[2].priv == NULL);
	}
	/* And split an anonymous piece of it again. */
	make_map(&one, 0x7800, 0x7900, 0, NULL);
	maps_insert(&m, &one);
	CHECK_MAPS(&m, "1000-3000@0:/a 5000-6000@10000:/b 6000-7000@0:/mid "
	    "7000-7800@12000:/b 7800-7900@0:- 7900-9000@12900:/b "
	    "9000-a000@0:/c c000-d000@0:/d");
	maps_clear(&m);
	CHECK(m.v == NULL);
}

/* A tiny deterministic generator (xorshift64*). */
static uint64_t
rnd(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

#define MODEL_PAGES 64

/* Random inserts against a page-by-page model of who owns what. */
static void
test_insert_model(void)
{
	int owner[MODEL_PAGES];
	uint64_t offset[MODEL_PAGES], seed = 0x1234567u, a, b, off;
	struct maps m = { 0 };
	struct map one, *p;
	char path[32];
	size_t wrong = 0, page;
	int id;

	for (page = 0; page < MODEL_PAGES; page++)
		owner[page] = -1;
	for (id = 0; id < 3000; id++) {
		a = rnd(&seed) % MODEL_PAGES;
		b = a + 1 + rnd(&seed) % (id % 7 == 0 ? MODEL_PAGES : 6);
		if (b > MODEL_PAGES)
			b = MODEL_PAGES;
		off = (rnd(&seed) % 256) * 0x1000;
		snprintf(path, sizeof path, "/m%d", id);
		make_map(&one, a * 0x1000, b * 0x1000, off,
		    id % 5 == 0 ? NULL : path);
		maps_insert(&m, &one);
		for (page = a; page < b; page++) {
			owner[page] = id % 5 == 0 ? -2 - id : id;
			offset[page] = off + (page - a) * 0x1000;
		}

		if (!maps_sane(&m))
			wrong++;
		for (page = 0; page < MODEL_PAGES; page++) {
			p = maps_find(&m, page * 0x1000 + 0x800);
			if (owner[page] == -1) {
				if (p != NULL)
					wrong++;
				continue;
			}
			if (p == NULL) {
				wrong++;
				continue;
			}
			if (p->offset + (page * 0x1000 - p->start) != offset[page])
				wrong++;
			if (owner[page] < -1) {
				if (p->path != NULL)
					wrong++;
			} else {
				snprintf(path, sizeof path, "/m%d", owner[page]);
				if (p->path == NULL || strcmp(p->path, path) != 0)
					wrong++;
			}
		}
	}
	CHECK_U64(wrong, 0);
	maps_clear(&m);
}

/* Mutated fixtures (bit flips, cuts, spliced bytes) parse safely. */
static void
test_fuzz(void)
{
	static const char *const seeds[] = { fixture, broken };
	uint64_t seed = 0xfeedfacecafebeefULL, r;
	struct maps m = { 0 };
	size_t len, base, i, k, flips, bad, insane = 0;
	char *buf;
	int iter;

	for (iter = 0; iter < 20000; iter++) {
		const char *src = seeds[iter % 2];

		base = strlen(src);
		len = base;
		buf = xmalloc(base + 64);
		memcpy(buf, src, base);

		switch (rnd(&seed) % 4) {
		case 0:		/* bit flips */
			flips = 1 + rnd(&seed) % 16;
			for (k = 0; k < flips; k++) {
				r = rnd(&seed);
				buf[r % len] ^= (char)(1u << (r >> 32) % 8);
			}
			break;
		case 1:		/* truncation */
			len = rnd(&seed) % (base + 1);
			break;
		case 2:		/* random bytes spliced in */
			i = rnd(&seed) % base;
			k = 1 + rnd(&seed) % 63;
			memmove(buf + i + k, buf + i, base - i);
			for (r = 0; r < k; r++)
				buf[i + r] = (char)rnd(&seed);
			len = base + k;
			break;
		default:	/* characters that matter, in random places */
			flips = 1 + rnd(&seed) % 8;
			for (k = 0; k < flips; k++) {
				r = rnd(&seed);
				buf[r % len] = "\n -:0f\0("[(r >> 40) % 8];
			}
			break;
		}

		/* An exact-size copy, so that ASan sees any read past len. */
		{
			char *exact = xmalloc(len);

			memcpy(exact, buf, len);
			free(buf);
			maps_parse(&m, exact, len, &bad);
			free(exact);
		}
		if (!maps_sane(&m))
			insane++;
		for (i = 0; i < m.n; i++) {
			if (maps_find(&m, m.v[i].start) != &m.v[i])
				insane++;
		}
	}
	CHECK_U64(insane, 0);
	maps_clear(&m);
}

static int global_rw = 1;

/* The test binary's own maps, as the kernel lists them. */
static void
test_read_self(void)
{
	struct maps m = { 0 };
	char *cause = NULL, exe[4096];
	struct map *p;
	ssize_t n;

	CHECK(maps_read(&m, getpid(), &cause) == 0);
	CHECK(cause == NULL);
	CHECK(m.n > 3);
	CHECK(maps_sane(&m));

	p = maps_find(&m, (uint64_t)(uintptr_t)test_read_self);
	CHECK(p != NULL);
	if (p != NULL) {
		CHECK(p->prot & MAPS_PROT_EXEC);
		CHECK(p->path != NULL);
		n = readlink("/proc/self/exe", exe, sizeof exe - 1);
		CHECK(n > 0);
		if (n > 0 && p->path != NULL) {
			exe[n] = '\0';
			CHECK_STR(p->path, exe);
		}
		CHECK(p->inode != 0);
	}

	p = maps_find(&m, (uint64_t)(uintptr_t)&global_rw);
	CHECK(p != NULL);
	if (p != NULL)
		CHECK(p->prot & MAPS_PROT_WRITE);
	maps_clear(&m);
}

#define MANY_PAGES 3000

/* Thousands of mappings: far more text than one read returns. */
static void
test_read_many(void)
{
	long pagesize = sysconf(_SC_PAGESIZE);
	struct maps m = { 0 };
	char *cause = NULL, *area;
	size_t i, wrong = 0;
	struct map *p;
	unsigned want;

	area = mmap(NULL, (size_t)pagesize * MANY_PAGES, PROT_READ,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(area != MAP_FAILED);
	if (area == MAP_FAILED)
		return;
	for (i = 1; i < MANY_PAGES; i += 2) {
		if (mprotect(area + i * (size_t)pagesize, (size_t)pagesize,
		    PROT_READ | PROT_WRITE) != 0)
			wrong++;
	}
	CHECK_U64(wrong, 0);

	CHECK(maps_read(&m, getpid(), &cause) == 0);
	free(cause);
	CHECK(m.n > MANY_PAGES);
	CHECK(maps_sane(&m));
	for (i = 0; i < MANY_PAGES; i++) {
		p = maps_find(&m, (uint64_t)(uintptr_t)(area + i * (size_t)pagesize));
		want = MAPS_PROT_READ | (i % 2 ? MAPS_PROT_WRITE : 0);
		if (p == NULL || p->prot != want || p->path != NULL)
			wrong++;
		/* The outer two may merge with a neighbour; none inside. */
		else if (i > 0 && i < MANY_PAGES - 1 &&
		    p->end - p->start != (uint64_t)pagesize)
			wrong++;
	}
	CHECK_U64(wrong, 0);
	maps_clear(&m);
	munmap(area, (size_t)pagesize * MANY_PAGES);
}

/* A process that does not exist: -1 and a cause naming it. */
static void
test_read_missing(void)
{
	struct maps m = { 0 };
	char *cause = NULL;
	struct map one;

	/* A failed read leaves out as it was. */
	make_map(&one, 0x1000, 0x2000, 0, "/kept");
	maps_insert(&m, &one);

	CHECK(maps_read(&m, INT_MAX, &cause) == -1);
	CHECK(cause != NULL);
	if (cause != NULL) {
		CHECK(strstr(cause, "2147483647") != NULL);
		CHECK(strstr(cause, "does not exist") != NULL);
	}
	free(cause);
	CHECK_MAPS(&m, "1000-2000@0:/kept");
	maps_clear(&m);
}

/* Resolve one address of pid with r; the binary it is in. */
static struct binary *
test_resolve_one(struct resolver *r, pid_t pid)
{
	struct rs_addr a = { .ip = (uint64_t)(uintptr_t)&test_resolve_one };
	struct rs_frame f;

	resolve_stack(r, pid, &a, 1, &f);
	return f.bin;
}

/*
 * The resolver forgets a process that exited and had no sample for 16
 * ticks (its mappings freed), never one alive, however idle.
 */
static void
test_resolve_forget(void)
{
	struct binary_cache *bins = binary_cache_new();
	struct resolver *r = resolve_new(bins);
	pid_t child;
	int t;

	child = fork();
	CHECK(child >= 0);
	if (child == 0) {
		pause();
		_exit(0);
	}
	resolve_read_maps(r, child);
	test_resolve_one(r, child);
	test_resolve_one(r, getpid());
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	for (t = 0; t < 15; t++)
		resolve_tick(r);
	CHECK_U64(resolve_forgotten(r), 0);	/* not 16 ticks yet */
	for (; t < 32; t++)
		resolve_tick(r);
	CHECK_U64(resolve_forgotten(r), 1);
	for (; t < 64; t++)
		resolve_tick(r);
	CHECK_U64(resolve_forgotten(r), 1);	/* this one is alive */
	test_resolve_one(r, getpid());
	resolve_free(r);
	binary_cache_free(bins);
}

/*
 * Past the binary cache's budget (0 here), the resolver's ticks shed the
 * DWARF state of a binary no process maps and nothing used for 32 ticks,
 * never that of a binary a live process maps, however long unsampled.
 */
static void
test_resolve_shed(void)
{
	struct binary_cache *bins = binary_cache_new();
	struct resolver *r = resolve_new(bins);
	struct binary *self, *other;
	struct dwarf_line l;
	int t;

	binary_cache_set_budget(bins, 0);
	self = test_resolve_one(r, getpid());
	other = binary_for_path(bins, "/bin/sh");
	CHECK(self != NULL && other != NULL && self != other);
	(void)dwarf_line(self, 0, &l, NULL);
	(void)dwarf_line(other, 0, &l, NULL);
	CHECK(binary_slot(self, BINARY_SLOT_DWARF) != NULL);
	CHECK(binary_slot(other, BINARY_SLOT_DWARF) != NULL);
	for (t = 0; t < 16; t++)
		resolve_tick(r);
	CHECK_U64(binary_cache_shed_count(bins, NULL), 0);	/* not cold yet */
	for (; t < 64; t++)
		resolve_tick(r);
	CHECK(binary_slot(self, BINARY_SLOT_DWARF) != NULL);
	CHECK(binary_slot(other, BINARY_SLOT_DWARF) == NULL);
	CHECK_U64(binary_cache_shed_count(bins, NULL), 1);
	resolve_free(r);
	binary_cache_free(bins);
}

/* The start of len bytes of addresses surely unmapped here (a region
 * reserved, then given back), 0 if none could be reserved. */
static uint64_t
test_hole(size_t len)
{
	void *hole = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);

	CHECK(hole != MAP_FAILED);
	if (hole == MAP_FAILED)
		return 0;
	munmap(hole, len);
	return (uint64_t)(uintptr_t)hole;
}

/* The path of the binary the resolver finds at addr in pid ("" if none). */
static const char *
test_resolve_path(struct resolver *r, pid_t pid, uint64_t addr)
{
	struct rs_addr a = { .ip = addr };
	struct rs_frame f = { 0 };

	resolve_stack(r, pid, &a, 1, &f);
	return f.bin != NULL && binary_path(f.bin) != NULL ?
	    binary_path(f.bin) : "";
}

/*
 * No record tells of an unmapping: past 4,096 mappings told, and twice
 * as many as the last read found, the resolver reads /proc again, so the
 * mappings gone (JIT code unmapped) go; under that, what records told
 * stays.
 */
static void
test_resolve_reread(void)
{
	struct binary_cache *bins = binary_cache_new();
	struct resolver *r = resolve_new(bins);
	struct map m = { 0 };
	uint64_t base = test_hole((size_t)8192 * 4096);
	int i;

	if (base == 0)
		goto out;
	resolve_read_maps(r, getpid());
	m.start = base;
	m.end = base + 4096;
	m.prot = MAPS_PROT_READ | MAPS_PROT_EXEC;
	m.inode = 1;
	m.path = xstrdup("/nonexistent/reread.so");
	resolve_mmap(r, getpid(), &m);	/* a copy */
	free(m.path);
	CHECK_STR(test_resolve_path(r, getpid(), base + 16),
	    "/nonexistent/reread.so");
	/* Fewer than 4,096 mappings: no re-read, the record stays. */
	memset(&m, 0, sizeof m);
	m.prot = MAPS_PROT_READ | MAPS_PROT_EXEC;
	for (i = 1; i < 2000; i++) {
		m.start = base + (uint64_t)i * 4096;
		m.end = m.start + 4096;
		resolve_mmap(r, getpid(), &m);
	}
	CHECK_STR(test_resolve_path(r, getpid(), base + 16),
	    "/nonexistent/reread.so");
	/* Past it: /proc is read again, the mappings gone go. */
	for (; i < 8192; i++) {
		m.start = base + (uint64_t)i * 4096;
		m.end = m.start + 4096;
		resolve_mmap(r, getpid(), &m);
	}
	CHECK(strcmp(test_resolve_path(r, getpid(), base + 16),
	    "/nonexistent/reread.so") != 0);
	/* What is mapped is still found. */
	CHECK(test_resolve_one(r, getpid()) != NULL);
out:
	resolve_free(r);
	binary_cache_free(bins);
}

/*
 * After an exec the mappings of the image before it still name, for two
 * ticks, an address the new image has nothing at: samples taken before
 * the exec, read from another CPU's ring after its record.
 */
static void
test_resolve_exec(void)
{
	struct binary_cache *bins = binary_cache_new();
	struct resolver *r = resolve_new(bins);
	struct map m = { 0 };
	size_t len = (size_t)16 * 4096;
	uint64_t base = test_hole(len);

	if (base == 0)
		goto out;
	resolve_read_maps(r, getpid());
	m.start = base;
	m.end = base + len;
	m.prot = MAPS_PROT_READ | MAPS_PROT_EXEC;
	m.inode = 1;
	m.path = xstrdup("/nonexistent/before-exec");
	resolve_mmap(r, getpid(), &m);	/* a copy */
	free(m.path);
	resolve_exec(r, getpid());
	/* The new image (our maps, read again) has nothing there. */
	CHECK_STR(test_resolve_path(r, getpid(), base + 16),
	    "/nonexistent/before-exec");
	CHECK(test_resolve_one(r, getpid()) != NULL);	/* the new image */
	resolve_tick(r);
	resolve_tick(r);
	CHECK_STR(test_resolve_path(r, getpid(), base + 16),
	    "/nonexistent/before-exec");
	resolve_tick(r);
	CHECK(strcmp(test_resolve_path(r, getpid(), base + 16),
	    "/nonexistent/before-exec") != 0);
out:
	resolve_free(r);
	binary_cache_free(bins);
}

/* Entry point. */
int
main(void)
{
	test_parse_fields();
	test_parse_unsorted();
	test_parse_broken();
	test_find();
	test_insert();
	test_insert_model();
	test_fuzz();
	test_read_self();
	test_read_many();
	test_read_missing();
	test_resolve_forget();
	test_resolve_shed();
	test_resolve_reread();
	test_resolve_exec();
	return check_exit("test_maps");
}
