/* Unit tests for jitmap: parsing, growth, overlaps, re-reads, the file
 * checks, finding a process's own map; and agg_add_func, its consumer. */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agg.h"
#include "binary.h"
#include "check.h"
#include "frames.h"
#include "jitmap.h"
#include "symtab.h"
#include "xmalloc.h"

static char dir[256];

/* A path in the test's directory. */
static char *
path_in(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

/* Write (mode "w") or append ("a") text to path. */
static void
put(const char *path, const char *mode, const char *text)
{
	FILE *f = fopen(path, mode);

	if (f == NULL) {
		perror(path);
		exit(99);
	}
	fputs(text, f);
	if (fclose(f) != 0) {
		perror(path);
		exit(99);
	}
}

/* The name of the function at addr, or "(none)". */
static const char *
name_at(const struct jitmap *j, uint64_t addr)
{
	const struct symtab_func *f = jitmap_lookup(j, addr);

	return f != NULL ? f->name : "(none)";
}

/* Good lines between malformed ones, names with blanks, a partial line. */
static void
test_parse(void)
{
	char *path = path_in("parse.map");
	struct jitmap *j;
	const struct symtab_func *a;

	put(path, "w",
	    "1000 100 alpha\n"
	    "garbage\n"
	    "zz00 10 badhex\n"
	    "2000 10\n"
	    "2000 10 \t \n"
	    "3000 0 zero\n"
	    "ffffffffffffff00 200 overflow\n"
	    "2000 -10 negative\n"
	    "2000  10x name\n"
	    "\n"
	    "0x4000 0x20 with prefix\n"
	    "5000\t10\tname with  spaces\tand tab \r\n"
	    "6000 10 alpha\n"
	    "7000 10 partial");
	j = jitmap_new_file(path, getuid());
	CHECK(jitmap_lookup(j, 0x1000) == NULL);	/* nothing before a refresh */
	CHECK(jitmap_refresh(j, 0));
	CHECK_STR(jitmap_path(j), path);
	CHECK_U64(jitmap_nlines(j), 4);
	CHECK_U64(jitmap_nbad(j), 8);
	CHECK_U64(jitmap_nfuncs(j), 3);
	CHECK_STR(name_at(j, 0xfff), "(none)");
	CHECK_STR(name_at(j, 0x1000), "alpha");
	CHECK_STR(name_at(j, 0x10ff), "alpha");
	CHECK_STR(name_at(j, 0x1100), "(none)");
	CHECK_STR(name_at(j, 0x2000), "(none)");
	CHECK_STR(name_at(j, 0x4000), "with prefix");
	CHECK_STR(name_at(j, 0x401f), "with prefix");
	CHECK_STR(name_at(j, 0x4020), "(none)");
	CHECK_STR(name_at(j, 0x5005), "name with  spaces\tand tab");
	CHECK_STR(name_at(j, 0x7000), "(none)");	/* no newline yet */
	/* One function per name: the first line's bounds. */
	a = jitmap_lookup(j, 0x1000);
	CHECK(a != NULL && a == jitmap_lookup(j, 0x6000));
	CHECK_U64(a != NULL ? a->start : 0, 0x1000);
	CHECK_U64(a != NULL ? a->size : 0, 0x100);

	/* The partial line is read once complete, on the next tick. */
	put(path, "a", "\n");
	CHECK(!jitmap_refresh(j, 0));
	CHECK_STR(name_at(j, 0x7000), "(none)");
	CHECK(jitmap_refresh(j, 1));
	CHECK_STR(name_at(j, 0x700f), "partial");
	CHECK_U64(jitmap_nlines(j), 5);
	CHECK(!jitmap_refresh(j, 2));		/* unchanged */
	jitmap_free(j);
	unlink(path);
	free(path);
}

/* Lines appended while the process runs are read on the next tick. */
static void
test_growth(void)
{
	char *path = path_in("grow.map"), line[64];
	struct jitmap *j;
	FILE *f;
	bool ok = true;

	put(path, "w", "100000 10 first\n");
	j = jitmap_new_file(path, getuid());
	CHECK(jitmap_refresh(j, 7));
	CHECK_STR(name_at(j, 0x100000), "first");

	f = fopen(path, "a");
	if (f == NULL)
		exit(99);
	for (unsigned i = 0; i < 1000; i++)
		fprintf(f, "%x 10 f%u\n", 0x200000 + i * 0x10, i);
	fclose(f);
	CHECK_STR(name_at(j, 0x200000), "(none)");
	CHECK(jitmap_refresh(j, 8));
	CHECK_U64(jitmap_nlines(j), 1001);
	for (unsigned i = 0; i < 1000; i++) {
		snprintf(line, sizeof line, "f%u", i);
		if (strcmp(name_at(j, 0x200000 + i * 0x10 + 0xf), line) != 0)
			ok = false;
	}
	CHECK(ok);
	CHECK_STR(name_at(j, 0x100000), "first");

	/* Appended in another order: merged into the index. */
	put(path, "a", "50000 10 low\n300000 10 high\n180000 10 middle\n");
	CHECK(jitmap_refresh(j, 9));
	CHECK_STR(name_at(j, 0x50000), "low");
	CHECK_STR(name_at(j, 0x180005), "middle");
	CHECK_STR(name_at(j, 0x30000f), "high");
	CHECK_STR(name_at(j, 0x200010), "f1");
	jitmap_free(j);
	unlink(path);
	free(path);
}

/* Re-emitted code: the later line wins where lines overlap. */
static void
test_overlap(void)
{
	char *path = path_in("overlap.map");
	const struct symtab_func *old;
	struct jitmap *j;

	put(path, "w",
	    "1000 100 old\n"		/* [1000, 1100) */
	    "1080 100 new\n"		/* [1080, 1180) */
	    "1000 40 newer\n"		/* [1000, 1040) */
	    "1150 10 inner\n"		/* [1150, 1160) */
	    "2000 10 same\n"
	    "2000 10 same again\n");
	j = jitmap_new_file(path, getuid());
	CHECK(jitmap_refresh(j, 0));
	CHECK_STR(name_at(j, 0x1000), "newer");
	CHECK_STR(name_at(j, 0x103f), "newer");
	CHECK_STR(name_at(j, 0x1040), "old");
	CHECK_STR(name_at(j, 0x107f), "old");
	CHECK_STR(name_at(j, 0x1080), "new");
	CHECK_STR(name_at(j, 0x10ff), "new");
	CHECK_STR(name_at(j, 0x1100), "new");
	CHECK_STR(name_at(j, 0x114f), "new");
	CHECK_STR(name_at(j, 0x1150), "inner");
	CHECK_STR(name_at(j, 0x115f), "inner");
	CHECK_STR(name_at(j, 0x1160), "new");
	CHECK_STR(name_at(j, 0x117f), "new");
	CHECK_STR(name_at(j, 0x1180), "(none)");
	CHECK_STR(name_at(j, 0x2005), "same again");
	old = jitmap_lookup(j, 0x1040);

	/* A later, bigger emission covers them all. */
	put(path, "a", "f00 400 last\n");
	CHECK(jitmap_refresh(j, 1));
	CHECK_STR(name_at(j, 0xf00), "last");
	CHECK_STR(name_at(j, 0x1040), "last");
	CHECK_STR(name_at(j, 0x1155), "last");
	CHECK_STR(name_at(j, 0x12ff), "last");
	CHECK_STR(name_at(j, 0x1300), "(none)");
	CHECK_STR(old != NULL ? old->name : NULL, "old");	/* still valid */
	jitmap_free(j);
	unlink(path);
	free(path);
}

/* A replaced, truncated or rewritten file is read again from the start;
 * names given out stay valid. */
static void
test_reread(void)
{
	char *path = path_in("reread.map"), *tmp = path_in("reread.tmp");
	const struct symtab_func *gone;
	struct timespec ts[2];
	struct jitmap *j;
	int fd;

	put(path, "w", "1000 10 one\n2000 10 two\n");
	j = jitmap_new_file(path, getuid());
	CHECK(jitmap_refresh(j, 0));
	gone = jitmap_lookup(j, 0x1000);

	/* Another file renamed over it (another inode). */
	put(tmp, "w", "9000 10 fresh\n");
	CHECK(rename(tmp, path) == 0);
	CHECK(jitmap_refresh(j, 1));
	CHECK_STR(name_at(j, 0x1000), "(none)");
	CHECK_STR(name_at(j, 0x9000), "fresh");
	CHECK_STR(gone != NULL ? gone->name : NULL, "one");

	/* Truncated and written again, shorter. */
	put(path, "w", "a000 10 t\n");
	CHECK(jitmap_refresh(j, 2));
	CHECK_STR(name_at(j, 0x9000), "(none)");
	CHECK_STR(name_at(j, 0xa000), "t");

	/* Rewritten in place at the same size: told by its mtime. */
	fd = open(path, O_WRONLY);
	CHECK(fd != -1 && pwrite(fd, "b000 10 u\n", 10, 0) == 10);
	if (fd != -1)
		close(fd);
	ts[0].tv_sec = ts[1].tv_sec = 1000000000;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	CHECK(utimensat(AT_FDCWD, path, ts, 0) == 0);
	CHECK(jitmap_refresh(j, 3));
	CHECK_STR(name_at(j, 0xa000), "(none)");
	CHECK_STR(name_at(j, 0xb000), "u");

	/* Removed: what was read stays. */
	unlink(path);
	CHECK(!jitmap_refresh(j, 4));
	CHECK_STR(name_at(j, 0xb000), "u");

	/* Reset (exec): nothing until the next refresh reads it again. */
	put(path, "w", "c000 10 v\n");
	jitmap_reset(j);
	CHECK_STR(name_at(j, 0xb000), "(none)");
	CHECK(jitmap_refresh(j, 4));
	CHECK_STR(name_at(j, 0xc000), "v");
	CHECK_U64(jitmap_nfuncs(j), 6);

	/* Retired (the process gone): only the names stay, valid. */
	jitmap_retire(j);
	CHECK_STR(name_at(j, 0xc000), "(none)");
	CHECK_STR(gone != NULL ? gone->name : NULL, "one");
	CHECK_U64(jitmap_nfuncs(j), 6);
	CHECK(jitmap_path(j) == NULL);
	jitmap_free(j);
	unlink(path);
	free(path);
	free(tmp);
}

/* A line longer than the read buffer is skipped, not the next ones; a
 * file bigger than one refresh's share is read over several ticks; at
 * 65,536 lines, the oldest are forgotten down to 49,152 before the next
 * one is kept (their addresses no longer found, the names kept). */
static void
test_big(void)
{
	char *path = path_in("big.map"), *longline;
	struct jitmap *j;
	size_t n = 100000, len = 70000, kept;
	char want[16];
	FILE *f;

	longline = xmalloc(len + 1);
	memset(longline, 'x', len);
	longline[len] = '\0';
	f = fopen(path, "w");
	if (f == NULL)
		exit(99);
	fprintf(f, "1000 10 before\n1100 10 %s\n1200 10 after\n", longline);
	/* 400000 lines of 25 bytes: more than 8 MiB. */
	for (size_t i = 0; i < 4 * n; i++)
		fprintf(f, "%012zx 10 fn%06zu\n", (size_t)0x10000000 + i * 0x10, i % n);
	fclose(f);
	free(longline);

	j = jitmap_new_file(path, getuid());
	CHECK(jitmap_refresh(j, 0));
	CHECK_STR(name_at(j, 0x1000), "(none)");	/* forgotten */
	CHECK_STR(name_at(j, 0x1100), "(none)");
	CHECK_STR(name_at(j, 0x1200), "(none)");	/* read, then forgotten */
	CHECK_U64(jitmap_nbad(j), 1);
	CHECK(jitmap_nlines(j) < 4 * n + 2);
	CHECK(jitmap_refresh(j, 1));
	CHECK_U64(jitmap_nlines(j), 4 * n + 2);
	/* A line that finds 65,536 kept makes room first: 16,384 go at a
	 * time, the lines kept never pass the budget. */
	kept = jitmap_nlines(j) - jitmap_ndropped(j);
	CHECK_U64(jitmap_ndropped(j) % 16384, 0);
	CHECK(kept > 49152 && kept <= 65536);
	CHECK_U64(kept, (4 * n + 2 - 65536 - 1) % 16384 + 1 + 49152);
	CHECK_U64(jitmap_nfuncs(j), n + 2);
	CHECK_STR(name_at(j, 0x10000000 + (4 * n - 1) * 0x10), "fn099999");
	snprintf(want, sizeof want, "fn%06zu", (4 * n - kept) % n);
	CHECK_STR(name_at(j, 0x10000000 + (4 * n - kept) * 0x10), want);
	CHECK_STR(name_at(j, 0x10000000 + (4 * n - kept - 1) * 0x10), "(none)");
	CHECK(!jitmap_refresh(j, 2));
	jitmap_free(j);
	unlink(path);
	free(path);
}

/* Is the file at path left alone for a process of uid? */
static bool
refused(const char *path, uid_t uid)
{
	struct jitmap *j = jitmap_new_file(path, uid);
	bool r;

	jitmap_refresh(j, 0);
	r = jitmap_path(j) == NULL && jitmap_lookup(j, 0x1000) == NULL;
	jitmap_free(j);
	return r;
}

/* Only regular files owned by root or the process's uid, never through a
 * symbolic link, never a FIFO. */
static void
test_checks(void)
{
	char *good = path_in("good.map"), *link = path_in("link.map");
	char *fifo = path_in("fifo.map"), *sub = path_in("dir.map");
	char *other = path_in("other.map");
	struct jitmap *j;

	put(good, "w", "1000 10 good\n");
	CHECK(!refused(good, getuid()));

	CHECK(symlink(good, link) == 0);
	CHECK(refused(link, getuid()));

	CHECK(mkfifo(fifo, 0600) == 0);
	CHECK(refused(fifo, getuid()));		/* and does not hang */

	CHECK(mkdir(sub, 0700) == 0);
	CHECK(refused(sub, getuid()));

	if (geteuid() == 0) {
		/* Owned by another user: for that user's process only. */
		put(other, "w", "1000 10 other\n");
		CHECK(chown(other, 4242, 4242) == 0);
		CHECK(refused(other, 4243));
		CHECK(!refused(other, 4242));
		/* Root's: for anyone. */
		CHECK(!refused(good, 4243));
	} else {
		/* Ours, not root's: not for another user's process. */
		CHECK(refused(good, getuid() + 1));
	}

	/* A file read once, then replaced by a link: not followed. */
	unlink(other);
	put(other, "w", "1000 10 first\n");
	j = jitmap_new_file(other, getuid());
	CHECK(jitmap_refresh(j, 0));
	CHECK(unlink(other) == 0);
	CHECK(symlink(good, other) == 0);
	CHECK(!jitmap_refresh(j, 1));
	CHECK_STR(name_at(j, 0x1000), "first");
	jitmap_free(j);

	unlink(good);
	unlink(link);
	unlink(fifo);
	unlink(other);
	rmdir(sub);
	free(good);
	free(link);
	free(fifo);
	free(sub);
	free(other);
}

/* A process's own map, found from its pid. */
static void
test_pid(void)
{
	char *path = xasprintf("/tmp/perf-%d.map", (int)getpid());
	struct jitmap *j;

	put(path, "w", "1000 10 mine\n");
	j = jitmap_new(getpid());
	CHECK(jitmap_lookup(j, 0x1000) == NULL);
	CHECK(jitmap_refresh(j, 0));
	CHECK_STR(jitmap_path(j), path);
	CHECK_STR(name_at(j, 0x1000), "mine");
	jitmap_free(j);

	/* No such process: nothing found, nothing fails. */
	j = jitmap_new(0x3fffffff);
	CHECK(!jitmap_refresh(j, 0));
	CHECK(jitmap_path(j) == NULL);
	jitmap_free(j);
	unlink(path);
	free(path);

	/* A process already gone: its map, if this process's user owns it. */
	path = xasprintf("/tmp/perf-%d.map", 0x3ffffffe);
	put(path, "w", "1000 10 gone\n");
	j = jitmap_new(0x3ffffffe);
	CHECK(jitmap_refresh(j, 0));
	CHECK_STR(name_at(j, 0x1000), "gone");
	jitmap_free(j);
	if (geteuid() == 0) {
		CHECK(chown(path, 4242, 4242) == 0);
		j = jitmap_new(0x3ffffffe);
		CHECK(!jitmap_refresh(j, 0));
		CHECK(jitmap_path(j) == NULL);
		jitmap_free(j);
	}
	unlink(path);
	free(path);
}

struct addr_seen {
	uint64_t offset;
	uint64_t samples;
	unsigned n;
};

/* Collect what agg_func_addrs reports. */
static void
addr_cb(const struct agg_addr_stat *st, void *arg)
{
	struct addr_seen *s = arg;

	s->offset = st->offset;
	s->samples += st->samples;
	s->n++;
}

/* The agg entry of func, or NULL. */
static const struct agg_func *
agg_of(const struct agg *a, const struct symtab_func *func)
{
	for (size_t i = 0; i < agg_nfuncs(a); i++)
		if (agg_func_at(a, i)->func == func)
			return agg_func_at(a, i);
	return NULL;
}

/* agg_add_func: the caller's function names the address; one address
 * under two functions (re-emitted code) is two entries. */
static void
test_agg(void)
{
	char *path = path_in("agg.map");
	struct binary_cache *c = binary_cache_new();
	struct binary *bin = binary_synthetic(c, "perf-1.map", NULL, 0);
	const struct symtab_func *f1, *f2;
	const struct agg_func *af;
	struct addr_seen seen;
	struct agg *a = agg_new(1, 1);
	struct jitmap *j;

	put(path, "w", "1000 10 f1\n");
	j = jitmap_new_file(path, getuid());
	jitmap_refresh(j, 0);
	f1 = jitmap_lookup(j, 0x1004);
	put(path, "a", "1000 10 f2\n");
	jitmap_refresh(j, 1);
	f2 = jitmap_lookup(j, 0x1004);
	CHECK(f1 != NULL && f2 != NULL && f1 != f2);

	agg_add(a, 0, test_frame_func(bin, 0x1004, f1), 1);
	agg_add(a, 0, test_frame_func(bin, 0x1004, f1), 1);
	agg_add(a, 0, test_frame_func(bin, 0x1004, f2), 1);
	agg_add(a, 0, test_frame_func(bin, 0x1008, f2), 1);
	CHECK_U64(agg_nfuncs(a), 2);
	CHECK_U64(agg_event_totals(a, 0)->samples, 4);
	af = agg_of(a, f1);
	CHECK(af != NULL && af->samples == 2 && af->bin == bin);
	memset(&seen, 0, sizeof seen);
	agg_func_addrs(a, af, addr_cb, &seen);
	CHECK_U64(seen.n, 1);
	CHECK_U64(seen.offset, 0x1004);
	CHECK_U64(seen.samples, 2);
	af = agg_of(a, f2);
	CHECK(af != NULL && af->samples == 2);
	memset(&seen, 0, sizeof seen);
	agg_func_addrs(a, af, addr_cb, &seen);
	CHECK_U64(seen.n, 2);
	CHECK_U64(seen.samples, 2);
	CHECK_STR(binary_name(bin), "perf-1.map");

	/* The window lets both go. */
	agg_tick(a);
	agg_tick(a);
	CHECK_U64(agg_event_totals(a, 0)->win_samples, 0);
	CHECK_U64(agg_of(a, f1)->win_samples, 0);
	CHECK_U64(agg_of(a, f2)->samples, 2);

	agg_free(a);
	jitmap_free(j);
	binary_cache_free(c);
	unlink(path);
	free(path);
}

int
main(void)
{
	const char *t = getenv("TMPDIR");

	snprintf(dir, sizeof dir, "%s/test_jitmap.XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror(dir);
		return 99;
	}
	test_parse();
	test_growth();
	test_overlap();
	test_reread();
	test_big();
	test_checks();
	test_pid();
	test_agg();
	rmdir(dir);
	return check_exit("test_jitmap");
}
