/*
 * Unit tests for the settings file: its path from XDG_CONFIG_HOME or
 * HOME, reading settings with their line numbers and bad lines set
 * aside, and updates that keep the file's other lines, make missing
 * directories, follow a link and leave no temporary file behind.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "rcfile.h"
#include "xmalloc.h"

static char dir[] = "/tmp/rrstat-test-rcfile.XXXXXX";

/* Write text to path. */
static void
put(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	if (f == NULL)
		return;
	CHECK(fwrite(text, 1, len, f) == len);
	fclose(f);
}

/* The whole file at path (caller frees), or NULL. */
static char *
get(const char *path)
{
	char *buf = xcalloc(1, 65536);
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL) {
		free(buf);
		return NULL;
	}
	n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* The number of entries of directory d. */
static int
entries(const char *d)
{
	DIR *dp = opendir(d);
	struct dirent *de;
	int n = 0;

	if (dp == NULL)
		return -1;
	while ((de = readdir(dp)) != NULL)
		n += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	closedir(dp);
	return n;
}

/* XDG_CONFIG_HOME first, then HOME, relative ones ignored. */
static void
test_path(void)
{
	char *p;

	setenv("XDG_CONFIG_HOME", "/x/cfg", 1);
	setenv("HOME", "/home/u", 1);
	p = rcfile_path();
	CHECK_STR(p, "/x/cfg/rrstat-top/rrstat-toprc");
	free(p);
	setenv("XDG_CONFIG_HOME", "relative", 1);
	p = rcfile_path();
	CHECK_STR(p, "/home/u/.config/rrstat-top/rrstat-toprc");
	free(p);
	unsetenv("XDG_CONFIG_HOME");
	p = rcfile_path();
	CHECK_STR(p, "/home/u/.config/rrstat-top/rrstat-toprc");
	free(p);
	unsetenv("HOME");
	CHECK(rcfile_path() == NULL);
}

/* Settings, comments, blanks and bad lines. */
static void
test_read(void)
{
	static const char text[] = "# a comment\n"
	    "\n"
	    "event = page-faults\n"
	    "  sort=total  \r\n"
	    "no equals sign\n"
	    "=value without key\n"
	    "bad key=1\n"
	    "window=\n"
	    "freq=500";		/* no final newline */
	struct rcfile rc;
	char *path = xasprintf("%s/rc", dir), *cause = NULL;

	put(path, text, sizeof text - 1);
	CHECK(rcfile_read(path, &rc, &cause) == 0);
	CHECK_U64(rc.nentries, 4);
	if (rc.nentries == 4) {
		CHECK_STR(rc.entries[0].key, "event");
		CHECK_STR(rc.entries[0].value, "page-faults");
		CHECK_U64(rc.entries[0].line, 3);
		CHECK_STR(rc.entries[1].key, "sort");
		CHECK_STR(rc.entries[1].value, "total");
		CHECK_U64(rc.entries[1].line, 4);
		CHECK_STR(rc.entries[2].key, "window");
		CHECK_STR(rc.entries[2].value, "");
		CHECK_STR(rc.entries[3].key, "freq");
		CHECK_STR(rc.entries[3].value, "500");
		CHECK_U64(rc.entries[3].line, 9);
	}
	CHECK_U64(rc.nbad, 3);
	if (rc.nbad == 3) {
		CHECK_U64(rc.bad[0].line, 5);
		CHECK_U64(rc.bad[1].line, 6);
		CHECK_U64(rc.bad[2].line, 7);
	}
	rcfile_free(&rc);

	/* A NUL byte and a line too long are bad lines, not the end. */
	{
		char buf[3000];
		size_t n;

		memcpy(buf, "a=1\nb\0c=2\n", 10);
		n = 10;
		memset(buf + n, 'x', 2000);
		n += 2000;
		memcpy(buf + n, "=y\nd=4\n", 7);
		n += 7;
		put(path, buf, n);
	}
	CHECK(rcfile_read(path, &rc, &cause) == 0);
	CHECK_U64(rc.nentries, 2);
	CHECK_U64(rc.nbad, 2);
	if (rc.nentries == 2 && rc.nbad == 2) {
		CHECK_STR(rc.entries[1].key, "d");
		CHECK_U64(rc.entries[1].line, 4);
		CHECK_U64(rc.bad[0].line, 2);
		CHECK_U64(rc.bad[1].line, 3);
	}
	rcfile_free(&rc);

	/* A missing file is an empty one; a directory is an error. */
	unlink(path);
	CHECK(rcfile_read(path, &rc, &cause) == 0);
	CHECK_U64(rc.nentries + rc.nbad, 0);
	rcfile_free(&rc);
	CHECK(rcfile_read(dir, &rc, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "not a regular file") != NULL);
	free(cause);
	free(path);
}

/* Updates keep what they do not set, and replace atomically. */
static void
test_update(void)
{
	char *sub = xasprintf("%s/a/b", dir);
	char *path = xasprintf("%s/rrstat-toprc", sub), *cause = NULL, *text;
	char *link = xasprintf("%s/link", dir), *real = xasprintf("%s/real", dir);
	struct rcfile_entry set[] = {
		{ .key = (char *)"sort", .value = (char *)"function" },
		{ .key = (char *)"delay", .value = (char *)"0.5" },
	};
	struct stat st;

	/* Missing directories are made; a new file has a header. */
	CHECK(rcfile_update(path, set, 2, &cause) == 0);
	text = get(path);
	CHECK(text != NULL && text[0] == '#');
	CHECK(text != NULL && strstr(text, "\nsort=function\ndelay=0.5\n") != NULL);
	free(text);
	CHECK(stat(sub, &st) == 0 && (st.st_mode & 0777) == 0700);

	/* Comments, other keys and order kept; duplicates dropped. */
	put(path, "# mine\nsort = self\ncolor=no\nsort=total\n", 39);
	chmod(path, 0600);
	CHECK(rcfile_update(path, set, 2, &cause) == 0);
	text = get(path);
	CHECK_STR(text, "# mine\nsort=function\ncolor=no\ndelay=0.5\n");
	free(text);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
	CHECK(entries(sub) == 1);	/* no temporary file left */

	/* A link stays a link; its file is the one written. */
	put(real, "color=yes\n", 10);
	CHECK(symlink(real, link) == 0);
	CHECK(rcfile_update(link, set, 1, &cause) == 0);
	CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
	text = get(real);
	CHECK_STR(text, "color=yes\nsort=function\n");
	free(text);

	/* A directory in the way: an error, nothing written. */
	CHECK(rcfile_update(sub, set, 1, &cause) == -1);
	CHECK(cause != NULL);
	free(cause);
	CHECK(entries(sub) == 1);

	unlink(path);
	unlink(link);
	unlink(real);
	rmdir(sub);
	*strrchr(sub, '/') = '\0';
	rmdir(sub);
	free(sub);
	free(path);
	free(link);
	free(real);
}

int
main(void)
{
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_path();
	test_read();
	test_update();
	check_sh("rm -rf %s", dir);
	return check_exit("test_rcfile");
}
