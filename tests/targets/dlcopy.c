/* dlcopy: copies of one library, each loaded, run and deleted in turn.
 *
 * First copies LIB to DIR/keep.so and dlopens it: that copy stays, and
 * its file; its dl_hot runs alone for DELAY_MS milliseconds. Then, until
 * SECONDS have passed: copies LIB to DIR/copy-N.so
 * (N = 0, 1, ...), dlopens it, calls its dl_hot for RUN_MS milliseconds
 * and keep.so's for a quarter of that, dlcloses it, deletes it and
 * sleeps GAP_MS milliseconds (most of the time no copy is there); then
 * prints how many copies it ran. Every copy has LIB's build-id, under a
 * path never seen before; most are gone by the time a profiler looks at
 * their samples. Nearly all of its CPU time is in dl_hot (the copying is
 * a few microseconds a copy).
 *
 * Usage: dlcopy LIB DIR [SECONDS [RUN_MS [GAP_MS [DELAY_MS]]]]
 * (defaults 30, 20, 30 and 0) */
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef void (*hot_fn)(unsigned long n);

/* Monotonic time in seconds. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Copy the file from to the new file to; 0, or -1. */
static int
copy(const char *from, const char *to)
{
	char buf[65536];
	ssize_t n;
	int in, out, rc = 0;

	if ((in = open(from, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if ((out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755)) < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n) {
			rc = -1;
			break;
		}
	if (n < 0)
		rc = -1;
	close(in);
	if (close(out) != 0)
		rc = -1;
	return rc;
}

/* Copy from to the new file to and dlopen it: its handle, its dl_hot in
 * *hot; NULL (said why) where it cannot. */
static void *
load(const char *from, const char *to, hot_fn *hot)
{
	void *lib, *sym;

	if (copy(from, to) < 0) {
		perror(to);
		return NULL;
	}
	if ((lib = dlopen(to, RTLD_NOW | RTLD_LOCAL)) == NULL ||
	    (sym = dlsym(lib, "dl_hot")) == NULL) {
		fprintf(stderr, "dlcopy: %s\n", dlerror());
		return NULL;
	}
	memcpy(hot, &sym, sizeof *hot);
	return lib;
}

/* Sleep for secs seconds. */
static void
pause_for(double secs)
{
	struct timespec ts;

	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) != 0)
		continue;
}

int
main(int argc, char **argv)
{
	double secs = argc > 3 ? atof(argv[3]) : 30;
	double run = (argc > 4 ? atof(argv[4]) : 20) / 1000;
	double gap = (argc > 5 ? atof(argv[5]) : 30) / 1000;
	double delay = (argc > 6 ? atof(argv[6]) : 0) / 1000;
	double start = now(), end;
	unsigned long copies = 0;
	char path[4096];
	hot_fn hot, keep;
	void *lib;

	if (argc < 3) {
		fprintf(stderr, "usage: dlcopy LIB DIR [SECONDS [RUN_MS [GAP_MS [DELAY_MS]]]]\n");
		return 2;
	}
	snprintf(path, sizeof path, "%s/keep.so", argv[2]);
	if (load(argv[1], path, &keep) == NULL)
		return 1;
	for (end = now() + delay; now() < end;)
		keep(1UL << 14);
	while (now() < start + secs) {
		snprintf(path, sizeof path, "%s/copy-%lu.so", argv[2], copies);
		if ((lib = load(argv[1], path, &hot)) == NULL)
			return 1;
		for (end = now() + run; now() < end;)
			hot(1UL << 14);
		for (end = now() + run / 4; now() < end;)
			keep(1UL << 14);
		dlclose(lib);
		unlink(path);
		copies++;
		pause_for(gap);
	}
	printf("copies: %lu\n", copies);
	return 0;
}
