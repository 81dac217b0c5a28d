/* faults: a page-fault heavy loop.
 *
 * fault_pages maps anonymous pages, writes one byte to each (one minor
 * fault per page, taken at the store in fault_pages) and unmaps them, so
 * nearly every page-faults sample lands in fault_pages.
 *
 * Usage: faults [SECONDS]   (default 30; exits by itself) */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 8
#define HOT __attribute__((noipa))
#else
#define HOT __attribute__((noinline))
#endif

void fault_pages(size_t npages, size_t pagesize);

/* Maps NPAGES pages, touches each one, unmaps them. */
HOT void
fault_pages(size_t npages, size_t pagesize)
{
	volatile char *p;
	size_t i;

	p = mmap(NULL, npages * pagesize, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("faults: mmap");
		exit(1);
	}
	for (i = 0; i < npages; i++)
		p[i * pagesize] = 1;
	munmap((void *)p, npages * pagesize);
}

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
	double secs = argc > 1 ? atof(argv[1]) : 30;
	double end = now() + secs;
	size_t pagesize = (size_t)sysconf(_SC_PAGESIZE);

	while (now() < end)
		fault_pages(256, pagesize);
	return 0;
}
