/* dlopen_late: a shared library loaded after the profiler has attached.
 *
 * Sleeps (blocked, no CPU) for DELAY seconds, then dlopens LIB and calls
 * its dl_hot until SECONDS. Attach before DELAY and every on-CPU sample is
 * in dl_hot, in LIB (libdlhot.so).
 *
 * Usage: dlopen_late LIB [SECONDS [DELAY]]   (defaults 30 and 1; exits by
 * itself) */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef void (*hot_fn)(unsigned long n);

/* Monotonic time in seconds. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	double secs = argc > 2 ? atof(argv[2]) : 30;
	double delay = argc > 3 ? atof(argv[3]) : 1;
	double start = now();
	struct timespec ts;
	void *lib, *sym;
	hot_fn hot;

	if (argc < 2) {
		fprintf(stderr, "usage: dlopen_late LIB [SECONDS [DELAY]]\n");
		return 2;
	}
	if (delay > secs)
		delay = secs;
	ts.tv_sec = (time_t)delay;
	ts.tv_nsec = (long)((delay - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) != 0)
		continue;
	if ((lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL)) == NULL) {
		fprintf(stderr, "dlopen_late: %s\n", dlerror());
		return 1;
	}
	if ((sym = dlsym(lib, "dl_hot")) == NULL) {
		fprintf(stderr, "dlopen_late: %s\n", dlerror());
		return 1;
	}
	memcpy(&hot, &sym, sizeof hot);
	while (now() < start + secs)
		hot(1UL << 20);
	dlclose(lib);
	return 0;
}
