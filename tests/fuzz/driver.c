/*
 * The fuzz harnesses' main where libFuzzer is not linked in (the plain
 * and sanitizer builds): every file given, or every file of a directory
 * given, goes through LLVMFuzzerTestOneInput once. With no argument it
 * runs the harness's checked-in corpus, $TESTS_SRCDIR/fuzz/corpus/NAME
 * for a program named fuzz_NAME: a regression test in make check.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "xmalloc.h"

/* Order directory entries by name, so runs are repeatable. */
static int
driver_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run one input file through the harness; 0, or -1 if unreadable. */
static int
driver_file(const char *path)
{
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0, n;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (cap - len < 4096) {
			cap = cap * 2 + 4096;
			buf = xrealloc(buf, cap);
		}
		if ((n = fread(buf + len, 1, cap - len, f)) == 0)
			break;
		len += n;
	}
	fclose(f);
	/* Exactly len bytes, so that reading past them is caught. */
	{
		unsigned char *exact = xmalloc(len > 0 ? len : 1);

		memcpy(exact, buf, len);
		free(buf);
		LLVMFuzzerTestOneInput(exact, len);
		free(exact);
	}
	return 0;
}

/* Run a file, or every file of a directory; the number run, or -1. */
static int
driver_path(const char *path)
{
	struct dirent *de;
	struct stat st;
	char **names = NULL;
	size_t n = 0;
	int rc = 0;
	DIR *d;

	if (stat(path, &st) == -1) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return driver_file(path) == 0 ? 1 : -1;
	if ((d = opendir(path)) == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		names = xreallocarray(names, n + 1, sizeof *names);
		names[n++] = xasprintf("%s/%s", path, de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, driver_cmp);
	for (size_t i = 0; i < n; i++) {
		if (rc >= 0 && driver_file(names[i]) == 0)
			rc++;
		else
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

/* Run the inputs named on the command line, or the harness's corpus. */
int
main(int argc, char **argv)
{
	const char *srcdir = getenv("TESTS_SRCDIR");
	char *self = xstrdup(argv[0]), *name = basename(self), *dir;
	int total = 0, n;

	if (strncmp(name, "fuzz_", 5) == 0)
		name += 5;
	if (argc < 2) {
		if (srcdir == NULL) {
			fprintf(stderr, "%s: no input given and TESTS_SRCDIR not set\n",
			    argv[0]);
			free(self);
			return 2;
		}
		dir = xasprintf("%s/fuzz/corpus/%s", srcdir, name);
		n = driver_path(dir);
		free(dir);
		if (n <= 0) {
			fprintf(stderr, "%s: an empty or unreadable corpus\n", argv[0]);
			free(self);
			return 1;
		}
		total = n;
	}
	for (int i = 1; i < argc; i++) {
		if ((n = driver_path(argv[i])) < 0) {
			free(self);
			return 1;
		}
		total += n;
	}
	printf("%s: %d inputs run\n", name, total);
	free(self);
	return 0;
}
