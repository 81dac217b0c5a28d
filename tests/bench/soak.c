/* soak: a target that churns everything rrstat-top keeps per process.
 *
 * Until the time SOAK_END (seconds since the epoch, from the environment;
 * else now + SECONDS), over and over:
 * - threads come and go: each lives a few milliseconds, running JIT code;
 * - JIT code: each thread emits a fresh 64 KB straight run of additions
 *   (x86-64) into anonymous memory at an address never used before, made
 *   read-execute with mprotect, and appends its line to /tmp/perf-PID.map
 *   (the map grows all the time; names come back every 1,000 pieces, as a
 *   JIT re-emits the same functions); a sample lands anywhere in the run,
 *   so the addresses sampled keep changing;
 * - libraries: one of the LIBDIR/soak-N.so built before the start (each a
 *   distinct binary) is copied under a new name, dlopen'd, called, then
 *   dlclose'd and removed;
 * - every EXEC_SECONDS (default 30) it execs itself (same pid, a new
 *   address space, the same growing map).
 * Prints its counts at each exec and at the end.
 *
 * Usage: soak SECONDS LIBDIR [EXEC_SECONDS]. Elsewhere than on x86-64 it
 * exits 77 at once.
 */
#define _GNU_SOURCE 1
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define SOAK_CODE	(64 * 1024)	/* bytes of one piece of JIT code */
#define SOAK_BASE	0x200000000000ULL	/* where JIT code starts */
#define SOAK_NAMES	1000		/* distinct JIT function names */
#define SOAK_LIBS_MAX	256

typedef uint64_t (*soak_fn)(uint64_t n);

static unsigned long long threads_run, pieces, libs_run;
static unsigned long long next_piece;	/* JIT pieces ever emitted */
static FILE *map_file;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char **lib_paths;
static size_t nlibs;
static const char *libdir;

/* Wall-clock seconds. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A fresh piece of JIT code, named in the perf map; NULL if none. */
static soak_fn
soak_emit(unsigned long long k)
{
	size_t i, n = (SOAK_CODE - 16) / 4;
	unsigned char *p, *q;
	void *hint = (void *)(uintptr_t)(SOAK_BASE +
	    (k % (1ULL << 26)) * (SOAK_CODE + 4096));

	p = mmap(hint, SOAK_CODE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	q = p;
	/* mov rcx, rdi */
	*q++ = 0x48; *q++ = 0x89; *q++ = 0xf9;
	for (i = 0; i < n; i++) {	/* add rax, 1 */
		*q++ = 0x48; *q++ = 0x83; *q++ = 0xc0; *q++ = 0x01;
	}
	/* dec rcx; jnz p + 3; ret */
	*q++ = 0x48; *q++ = 0xff; *q++ = 0xc9;
	*q++ = 0x0f; *q++ = 0x85;
	{
		int32_t rel = (int32_t)((p + 3) - (q + 4));

		memcpy(q, &rel, 4);
		q += 4;
	}
	*q++ = 0xc3;
	if (mprotect(p, SOAK_CODE, PROT_READ | PROT_EXEC) != 0) {
		munmap(p, SOAK_CODE);
		return NULL;
	}
	pthread_mutex_lock(&lock);
	fprintf(map_file, "%llx %zx jit_fn_%llu\n", (unsigned long long)(uintptr_t)p,
	    (size_t)(q - p), k % SOAK_NAMES);
	fflush(map_file);
	pieces++;
	pthread_mutex_unlock(&lock);
	return (soak_fn)(void *)p;
}

/* One thread's life: emit a piece, run it a few milliseconds, unmap it. */
static void *
soak_thread(void *arg)
{
	unsigned long long k = (unsigned long long)(uintptr_t)arg;
	double end = now() + 0.004 + (double)(k % 8) * 0.001;
	soak_fn f = soak_emit(k);

	if (f == NULL)
		return NULL;
	while (now() < end)
		f(4);
	munmap((void *)(uintptr_t)f, SOAK_CODE);
	return NULL;
}

/* Copy one of the libraries under a new name, load it, call it, drop it. */
static void
soak_lib(unsigned long long k)
{
	char path[4096], cmd[8300];
	soak_fn f;
	void *h;

	if (nlibs == 0)
		return;
	snprintf(path, sizeof path, "%s/run-%d-%llu.so", libdir, (int)getpid(), k);
	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", lib_paths[k % nlibs], path);
	if (system(cmd) != 0)
		return;
	if ((h = dlopen(path, RTLD_NOW | RTLD_LOCAL)) != NULL) {
		if ((f = (soak_fn)dlsym(h, "soak_lib_work")) != NULL) {
			double end = now() + 0.005;

			while (now() < end)
				f(1000);
		}
		dlclose(h);
		libs_run++;
	}
	unlink(path);
}

/* Find LIBDIR/soak-N.so for N = 0, 1, ... */
static void
soak_find_libs(void)
{
	char path[4096];

	lib_paths = calloc(SOAK_LIBS_MAX, sizeof *lib_paths);
	for (nlibs = 0; nlibs < SOAK_LIBS_MAX; nlibs++) {
		snprintf(path, sizeof path, "%s/soak-%zu.so", libdir, nlibs);
		if (access(path, R_OK) != 0)
			break;
		lib_paths[nlibs] = strdup(path);
	}
}

/* Run. */
int
main(int argc, char **argv)
{
	double end, next_exec, exec_every;
	const char *e;
	char buf[64], mpath[64];
	pthread_t t[2];
	unsigned long long gen;

#if !defined(__x86_64__)
	return 77;
#endif
	if (argc < 3) {
		fprintf(stderr, "usage: soak SECONDS LIBDIR [EXEC_SECONDS]\n");
		return 2;
	}
	libdir = argv[2];
	exec_every = argc > 3 ? atof(argv[3]) : 30;
	end = (e = getenv("SOAK_END")) != NULL ? atof(e) : now() + atof(argv[1]);
	gen = (e = getenv("SOAK_GEN")) != NULL ? strtoull(e, NULL, 10) : 0;
	next_piece = (e = getenv("SOAK_PIECE")) != NULL ? strtoull(e, NULL, 10) : 0;
	threads_run = (e = getenv("SOAK_THREADS")) != NULL ? strtoull(e, NULL, 10) : 0;
	snprintf(mpath, sizeof mpath, "/tmp/perf-%d.map", (int)getpid());
	if ((map_file = fopen(mpath, "a")) == NULL) {
		perror(mpath);
		return 1;
	}
	soak_find_libs();
	next_exec = now() + exec_every;
	while (now() < end) {
		for (int i = 0; i < 2; i++)
			if (pthread_create(&t[i], NULL, soak_thread,
			    (void *)(uintptr_t)next_piece++) != 0)
				t[i] = 0;
		for (int i = 0; i < 2; i++)
			if (t[i] != 0) {
				pthread_join(t[i], NULL);
				threads_run++;
			}
		/* Every library in turn (next_piece itself, a multiple
		 * of 16, would pick only 2 of 32). */
		if (next_piece % 16 == 0)
			soak_lib(next_piece / 16);
		if (now() >= next_exec && now() + 1 < end) {
			printf("soak: generation %llu: %llu threads, %llu JIT pieces, "
			    "%llu libraries so far\n", gen, threads_run, next_piece, libs_run);
			fflush(stdout);
			fclose(map_file);
			snprintf(buf, sizeof buf, "%.3f", end);
			setenv("SOAK_END", buf, 1);
			snprintf(buf, sizeof buf, "%llu", gen + 1);
			setenv("SOAK_GEN", buf, 1);
			snprintf(buf, sizeof buf, "%llu", next_piece);
			setenv("SOAK_PIECE", buf, 1);
			snprintf(buf, sizeof buf, "%llu", threads_run);
			setenv("SOAK_THREADS", buf, 1);
			execv("/proc/self/exe", argv);
			perror("exec");
			return 1;
		}
	}
	printf("soak: done: %llu threads, %llu JIT pieces (%llu named), "
	    "%llu libraries, %llu generations\n", threads_run, next_piece, pieces,
	    libs_run, gen + 1);
	return 0;
}
