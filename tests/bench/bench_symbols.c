/*
 * Symbol table benchmark: the time to a first lookup in libc and in the
 * largest ELF binary under /usr/lib and /usr/bin (symbols, separate debug
 * info, PLT names, the .eh_frame_hdr table), the time to read every FDE
 * as well (the first lookup that needs one does that), and lookups per
 * second; the kernel's table from /proc/kallsyms too. Each table's peak
 * memory (the rise of VmHWM while it loads) is measured in a fresh
 * process (this program run again with --peak), so that neither the heap
 * left over by earlier loads nor their peak hides it. Prints figures
 * beside the budget; asserts nothing. Files named on the command line are
 * measured instead of the largest.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "binary.h"
#include "maps.h"
#include "symtab.h"

#define BENCH_LOOKUPS	5000000
#define BENCH_RUNS	5
#define BENCH_PEAK	"--peak"
#define BENCH_KERNEL	"[kernel]"

struct bench_file {
	char *path;
	off_t size;
	bool so;
};

/* Every ELF file of 1 MB or more found by the scan. */
static struct bench_file *files;
static size_t nfiles;
static size_t filescap;

/* A struct map covering a whole file, as if mapped at one address. */
static bool
bench_map(struct map *m, const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return false;
	memset(m, 0, sizeof *m);
	m->start = 0x7f0000000000ULL;
	m->end = m->start + (uint64_t)st.st_size;
	m->prot = MAPS_PROT_READ | MAPS_PROT_EXEC;
	m->inode = st.st_ino;
	m->dev_major = major(st.st_dev);
	m->dev_minor = minor(st.st_dev);
	m->path = (char *)path;
	return true;
}

/*
 * Time the first lookup in a new cache (identify, load, look up); with
 * bounds, the time to read every FDE too (what the first lookup that
 * falls outside the symbols adds).
 */
static double
bench_first_lookup(const struct map *m, bool bounds, size_t *nfuncs,
    size_t *nbounds)
{
	struct binary_cache *c = binary_cache_new();
	struct binary *b;
	double t0, t1;

	t0 = bench_now();
	b = binary_for_map(c, getpid(), m);
	(void)binary_lookup(b, m->offset);
	if (bounds)
		(void)binary_nbounds(b);
	t1 = bench_now();
	*nfuncs = binary_nfuncs(b);
	*nbounds = binary_nbounds(b);
	binary_cache_free(c);
	return t1 - t0;
}

/* Lookups per second at random offsets of [0, span). */
static double
bench_lookups(const struct map *m, uint64_t span, size_t *found)
{
	struct binary_cache *c = binary_cache_new();
	struct binary *b = binary_for_map(c, getpid(), m);
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	double t0, t1;
	size_t i;

	*found = 0;
	(void)binary_nfuncs(b);
	t0 = bench_now();
	for (i = 0; i < BENCH_LOOKUPS; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		if (binary_lookup(b, x % span) != NULL)
			(*found)++;
	}
	t1 = bench_now();
	binary_cache_free(c);
	return BENCH_LOOKUPS / (t1 - t0);
}

/* This process's peak resident set (VmHWM) in kB, or -1. */
static long
bench_hwm(void)
{
	char line[256];
	long kb = -1;
	FILE *f;

	if ((f = fopen("/proc/self/status", "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	}
	fclose(f);
	return kb;
}

/* Reset the peak resident set to the current one (Linux 4.0 and later). */
static bool
bench_hwm_reset(void)
{
	int fd;
	bool ok;

	if ((fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC)) == -1)
		return false;
	ok = write(fd, "5", 1) == 1;
	close(fd);
	return ok;
}

/* The rise of the peak resident set since hwm0 (kB), in MB. */
static double
bench_rise(long hwm0)
{
	return (double)(bench_hwm() - hwm0) / 1024.0;
}

/*
 * In a fresh process (--peak): load one table and print the time and the
 * rise of the peak resident set. what is BENCH_KERNEL (symtab_kernel and
 * symtab_nfuncs) or a file (its first lookup, then every FDE read).
 */
static int
bench_peak_child(const char *what)
{
	struct binary_cache *c = binary_cache_new();
	struct binary *b;
	struct map m;
	double t0, t1, t, best = 1e9, rise, brise;
	long hwm0;
	size_t n, i;
	bool reset;

	reset = bench_hwm_reset();
	if ((hwm0 = bench_hwm()) < 0) {
		binary_cache_free(c);
		return 1;
	}
	if (strcmp(what, BENCH_KERNEL) == 0) {
		t0 = bench_now();
		n = binary_nfuncs(binary_kernel(c));
		t1 = bench_now();
		rise = bench_rise(hwm0);
		binary_cache_free(c);
		for (i = 0; i < BENCH_RUNS; i++) {
			c = binary_cache_new();
			t = bench_now();
			(void)binary_nfuncs(binary_kernel(c));
			t = bench_now() - t;
			if (t < best)
				best = t;
			binary_cache_free(c);
		}
		printf("kernel symbols: %zu functions, %.2f ms (best of %d: %.2f ms),"
		    " peak +%.1f MB%s (budget: peak < 5 MB)\n", n, (t1 - t0) * 1e3,
		    BENCH_RUNS, best * 1e3, rise, reset ? "" : " (peak not reset)");
		return 0;
	}
	if (!bench_map(&m, what)) {
		binary_cache_free(c);
		return 1;
	}
	t0 = bench_now();
	b = binary_for_map(c, getpid(), &m);
	(void)binary_lookup(b, m.offset);
	t1 = bench_now();
	rise = bench_rise(hwm0);
	(void)binary_nbounds(b);
	brise = bench_rise(hwm0);
	printf("peak %s: +%.1f MB to the first lookup (%.2f ms in a fresh process),"
	    " +%.1f MB with every FDE read%s\n", what, rise, (t1 - t0) * 1e3, brise,
	    reset ? "" : " (peak not reset)");
	binary_cache_free(c);
	return 0;
}

/* Run this program again to measure the peak of loading what. */
static void
bench_peak(const char *what)
{
	pid_t pid;
	int status = 0;

	fflush(stdout);
	if ((pid = fork()) == 0) {
		execl("/proc/self/exe", "bench_symbols", BENCH_PEAK, what, (char *)NULL);
		_exit(127);
	}
	while (pid != -1 && waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (pid == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		printf("peak %s: not measured\n", what);
}

/* Measure one binary and print its figures. */
static void
bench_binary(const struct map *m, uint64_t span, off_t size)
{
	double first, t, best = 1e9, bbest = 1e9, rate;
	size_t nfuncs = 0, nbounds = 0, found, i;

	first = bench_first_lookup(m, false, &nfuncs, &nbounds);
	for (i = 0; i < BENCH_RUNS; i++) {
		t = bench_first_lookup(m, false, &nfuncs, &nbounds);
		if (t < best)
			best = t;
		t = bench_first_lookup(m, true, &nfuncs, &nbounds);
		if (t < bbest)
			bbest = t;
	}
	printf("load %s (%.1f MB, %zu functions, %zu FDEs): %.2f ms first, %.2f ms best"
	    " of %d, %.2f ms with every FDE read (budget < 50 ms for 100 MB)\n",
	    m->path, (double)size / 1e6, nfuncs, nbounds, first * 1e3, best * 1e3,
	    BENCH_RUNS, bbest * 1e3);
	rate = bench_lookups(m, span, &found);
	printf("lookup %s: %.1f M lookups/s (%.0f%% of random offsets in a function)\n",
	    m->path, rate / 1e6, 100.0 * (double)found / BENCH_LOOKUPS);
	bench_peak(m->path);
}

/* Whether path is an ELF executable or shared object. */
static bool
bench_is_elf(const char *path)
{
	unsigned char h[18];
	uint16_t type;
	int fd;
	ssize_t n;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1)
		return false;
	n = read(fd, h, sizeof h);
	close(fd);
	if (n != (ssize_t)sizeof h || memcmp(h, ELFMAG, SELFMAG) != 0)
		return false;
	type = h[EI_DATA] == ELFDATA2MSB ? (uint16_t)(h[16] << 8 | h[17]) :
	    (uint16_t)(h[17] << 8 | h[16]);
	return type == ET_EXEC || type == ET_DYN;
}

/* nftw callback: remember every ELF file of 1 MB or more. */
static int
bench_visit(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	if (flag != FTW_F || !S_ISREG(st->st_mode) || st->st_size < (1 << 20) ||
	    !bench_is_elf(path))
		return 0;
	if (nfiles == filescap) {
		filescap = filescap ? filescap * 2 : 64;
		files = realloc(files, filescap * sizeof *files);
		if (files == NULL)
			abort();
	}
	files[nfiles].path = strdup(path);
	files[nfiles].size = st->st_size;
	files[nfiles].so = strstr(path + ftw->base, ".so") != NULL;
	if (files[nfiles].path == NULL)
		abort();
	nfiles++;
	return 0;
}

/* Largest first. */
static int
bench_file_cmp(const void *a0, const void *b0)
{
	const struct bench_file *a = a0, *b = b0;

	if (a->size != b->size)
		return a->size > b->size ? -1 : 1;
	return strcmp(a->path, b->path);
}

/* Whether a file has any function symbol. */
static bool
bench_has_funcs(const char *path)
{
	struct binary_cache *c = binary_cache_new();
	struct map m;
	bool has = bench_map(&m, path) &&
	    binary_nfuncs(binary_for_map(c, getpid(), &m)) != 0;

	binary_cache_free(c);
	return has;
}

/* Whether a file has a .symtab section (the heaviest table to load). */
static bool
bench_has_symtab(const char *path)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	bool has = false;
	Elf *elf;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return false;
	if ((elf = elf_begin(fd, ELF_C_READ_MMAP, NULL)) != NULL) {
		while (!has && (scn = elf_nextscn(elf, scn)) != NULL)
			has = gelf_getshdr(scn, &sh) != NULL && sh.sh_type == SHT_SYMTAB &&
			    sh.sh_size > 1024 * sizeof (Elf64_Sym);
		elf_end(elf);
	}
	close(fd);
	return has;
}

/* Measure one file found by the scan, under a label. */
static void
bench_file(const char *label, const struct bench_file *f)
{
	struct map m;

	printf("%s: %s\n", label, f->path);
	if (bench_map(&m, f->path))
		bench_binary(&m, (uint64_t)f->size, f->size);
}

/* The executable mapping of libc in this process, from /proc/self/maps. */
static bool
bench_libc(struct map *m, char *path, size_t pathsize)
{
	char line[4096], perms[8];
	unsigned long long start, end, offset, inode;
	unsigned dmaj, dmin;
	const char *p, *base;
	bool found = false;
	int n = 0;
	FILE *f;

	if ((f = fopen("/proc/self/maps", "r")) == NULL)
		return false;
	while (!found && fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "%llx-%llx %7s %llx %x:%x %llu %n", &start, &end, perms,
		    &offset, &dmaj, &dmin, &inode, &n) < 7 || perms[2] != 'x')
			continue;
		line[strcspn(line, "\n")] = '\0';
		p = line + n;
		base = strrchr(p, '/');
		if (base == NULL || strncmp(base + 1, "libc.so", 7) != 0)
			continue;
		memset(m, 0, sizeof *m);
		m->start = start;
		m->end = end;
		m->offset = offset;
		m->inode = inode;
		m->dev_major = dmaj;
		m->dev_minor = dmin;
		m->prot = MAPS_PROT_READ | MAPS_PROT_EXEC;
		snprintf(path, pathsize, "%s", p);
		m->path = path;
		found = true;
	}
	fclose(f);
	return found;
}

/* Run the benchmark (on the files named, if any, instead of a scan). */
int
main(int argc, char **argv)
{
	char path[4096];
	struct stat st;
	struct map m;
	double t0;
	size_t i, so, withfuncs;

	if (argc == 3 && strcmp(argv[1], BENCH_PEAK) == 0)
		return bench_peak_child(argv[2]);
#if defined(__SANITIZE_ADDRESS__)
	printf("note: built with AddressSanitizer; figures are slower than a release build\n");
#endif
	bench_peak(BENCH_KERNEL);
	if (bench_libc(&m, path, sizeof path) && stat(path, &st) == 0)
		bench_binary(&m, m.end - m.start + m.offset, st.st_size);
	else
		printf("libc: not found in /proc/self/maps\n");

	if (argc > 1) {
		for (i = 1; i < (size_t)argc; i++) {
			if (bench_map(&m, argv[i]) && stat(argv[i], &st) == 0)
				bench_binary(&m, (uint64_t)st.st_size, st.st_size);
		}
		return 0;
	}
	t0 = bench_now();
	nftw("/usr/lib", bench_visit, 32, FTW_PHYS);
	nftw("/usr/bin", bench_visit, 32, FTW_PHYS);
	printf("scan /usr/lib and /usr/bin: %zu ELF files of 1 MB or more, %.0f ms\n",
	    nfiles, (bench_now() - t0) * 1e3);
	qsort(files, nfiles, sizeof *files, bench_file_cmp);
	if (nfiles != 0)
		bench_file("largest ELF file", &files[0]);
	for (i = 0; i < nfiles && !files[i].so; i++)
		;
	so = i;
	if (so != 0 && so < nfiles)
		bench_file("largest shared object", &files[so]);
	for (i = 0; i < nfiles && !bench_has_funcs(files[i].path); i++)
		;
	if (i != 0 && i != so && i < nfiles)
		bench_file("largest ELF file with function symbols", &files[i]);
	withfuncs = i;
	elf_version(EV_CURRENT);
	for (i = 0; i < nfiles && !bench_has_symtab(files[i].path); i++)
		;
	if (i != 0 && i != so && i != withfuncs && i < nfiles)
		bench_file("largest ELF file with a .symtab", &files[i]);
	for (i = 0; i < nfiles; i++)
		free(files[i].path);
	free(files);
	return 0;
}
