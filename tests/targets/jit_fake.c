/* jit_fake: JIT code without a JIT.
 *
 * Emits a tiny loop's machine code (x86-64: mov rcx, rdi; 1: dec rcx;
 * jnz 1b; ret) twice into anonymous memory, each copy in a mapping of its
 * own, written read-write and then made read-execute with mprotect, as a
 * JIT does; and names the copies in /tmp/perf-PID.map (jit_warm_loop,
 * then jit_hot_loop), one line each, flushed as it emits them, between a
 * malformed line and a name with spaces for an address it never runs.
 *
 * For DELAY seconds it calls jit_warm_loop (the map names only it so far),
 * then emits jit_hot_loop, appends its line and calls it until SECONDS:
 * from DELAY on, every on-CPU sample is in jit_hot_loop. With "nomap" no
 * map is written, and every sample is in anonymous memory.
 *
 * The map is removed on exit and on SIGTERM, SIGINT and SIGHUP.
 *
 * Usage: jit_fake [SECONDS [DELAY [nomap]]]   (defaults 30 and 0; exits by
 * itself). Elsewhere than on x86-64 it exits 77 at once. */
#define _GNU_SOURCE 1
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

typedef void (*jit_fn)(unsigned long n);

static char map_path[64];
static FILE *map_file;

/* Monotonic time in seconds. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Remove the map and end (a signal handler: async-signal-safe calls only). */
static void
on_signal(int sig)
{
	(void)sig;
	if (map_path[0] != '\0')
		unlink(map_path);
	_exit(0);
}

/* Remove the map at a normal exit. */
static void
at_exit(void)
{
	if (map_file != NULL)
		fclose(map_file);
	if (map_path[0] != '\0')
		unlink(map_path);
}

#if defined(__x86_64__)
static const unsigned char loop_code[] = {
	0x48, 0x89, 0xf9,	/* mov %rdi,%rcx */
	0x48, 0xff, 0xc9,	/* 1: dec %rcx */
	0x75, 0xfb,		/* jnz 1b */
	0xc3,			/* ret */
};

/* Emit the loop into a fresh mapping and name it in the map. */
static jit_fn
emit(const char *name)
{
	long page = sysconf(_SC_PAGESIZE);
	void *mem;
	jit_fn fn;

	mem = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		perror("jit_fake: mmap");
		exit(1);
	}
	memcpy(mem, loop_code, sizeof loop_code);
	if (mprotect(mem, (size_t)page, PROT_READ | PROT_EXEC) != 0) {
		perror("jit_fake: mprotect");
		exit(1);
	}
	if (map_file != NULL) {
		fprintf(map_file, "%lx %zx %s\n", (unsigned long)(uintptr_t)mem,
		    sizeof loop_code, name);
		fflush(map_file);
	}
	memcpy(&fn, &mem, sizeof fn);
	return fn;
}
#endif

int
main(int argc, char **argv)
{
#if defined(__x86_64__)
	double secs = argc > 1 ? atof(argv[1]) : 30;
	double delay = argc > 2 ? atof(argv[2]) : 0;
	int nomap = argc > 3 && strcmp(argv[3], "nomap") == 0;
	double start = now();
	jit_fn warm, hot;

	if (!nomap) {
		snprintf(map_path, sizeof map_path, "/tmp/perf-%d.map", (int)getpid());
		signal(SIGTERM, on_signal);
		signal(SIGINT, on_signal);
		signal(SIGHUP, on_signal);
		atexit(at_exit);
		if ((map_file = fopen(map_path, "w")) == NULL) {
			perror(map_path);
			return 1;
		}
		fprintf(map_file, "this line is not a perf map line\n");
		fprintf(map_file, "10 20 never run, a name with spaces\n");
	}
	warm = emit("jit_warm_loop");
	while (now() < start + delay)
		warm(1UL << 20);
	hot = emit("jit_hot_loop");
	while (now() < start + secs)
		hot(1UL << 20);
	return 0;
#else
	(void)argc;
	(void)argv;
	fprintf(stderr, "jit_fake: x86-64 only\n");
	return 77;
#endif
}
