/*
 * Source line benchmark: the time to a first line found in a new cache
 * (open the binary, find its debug info, read the unit's line table and
 * scopes), then per lookup at the middle of distinct functions spread
 * over the binary, then per cached lookup. The binary is the one whose
 * separate debug file under /usr/lib/debug/.build-id is the largest (its
 * build-id found among the ELF files under /usr/lib, /usr/bin, /usr/sbin,
 * /usr/libexec), else libc.so.6; files named on the command line are
 * measured instead. Prints figures beside the budget; asserts nothing.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <dlfcn.h>
#include <elfutils/libdwelf.h>
#include <fcntl.h>
#include <ftw.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "binary.h"
#include "dwarf.h"

#define BENCH_DEBUG_DIR		"/usr/lib/debug/.build-id"
#define BENCH_FUNCS		2000	/* distinct functions looked up */
#define BENCH_RUNS		5	/* fresh caches for the first lookup */
#define BENCH_CACHED		20	/* passes over the cached offsets */
#define BENCH_BUDGET_MS		200

/* The build-id looked for by the scan, and the binary found with it. */
static char want_id[130];
static char *found_path;

/* Open path with libelf (fd in *fd); NULL if it is not an ELF file. */
static Elf *
bench_elf(const char *path, int *fd)
{
	Elf *elf;

	if ((*fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1)
		return NULL;
	elf = elf_begin(*fd, ELF_C_READ_MMAP, NULL);
	if (elf == NULL || elf_kind(elf) != ELF_K_ELF) {
		if (elf != NULL)
			elf_end(elf);
		close(*fd);
		return NULL;
	}
	return elf;
}

/* The build-id of elf in hex; false if it has none. */
static bool
bench_build_id(Elf *elf, char *hex, size_t size)
{
	const unsigned char *id;
	const void *p;
	ssize_t n, i;

	if ((n = dwelf_elf_gnu_build_id(elf, &p)) < 2 || (size_t)(2 * n) >= size)
		return false;
	id = p;
	for (i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", id[i]);
	return true;
}

/* nftw callback: stop at the ELF file whose build-id is want_id. */
static int
bench_scan(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	char hex[130];
	Elf *elf;
	int fd;
	bool hit;

	if (type != FTW_F || !S_ISREG(st->st_mode) || st->st_size < 4096 ||
	    strncmp(path, "/usr/lib/debug/", 15) == 0 ||
	    (elf = bench_elf(path, &fd)) == NULL)
		return 0;
	hit = bench_build_id(elf, hex, sizeof hex) && strcmp(hex, want_id) == 0;
	elf_end(elf);
	close(fd);
	if (hit)
		found_path = strdup(path);
	return hit;
}

/* The largest separate debug file by build-id, and its binary; false if
 * there is none or its binary is not found. */
static bool
bench_largest(char **bin, char **debug)
{
	static const char *const roots[] = { "/usr/lib", "/usr/bin", "/usr/sbin",
	    "/usr/libexec", "/lib", "/lib64", "/usr/local" };
	char path[600], best[600] = "";
	struct dirent *de, *fe;
	struct stat st;
	off_t bestsize = 0;
	DIR *d, *f;
	size_t i;

	if ((d = opendir(BENCH_DEBUG_DIR)) == NULL)
		return false;
	while ((de = readdir(d)) != NULL) {
		if (strlen(de->d_name) != 2)
			continue;
		snprintf(path, sizeof path, "%s/%s", BENCH_DEBUG_DIR, de->d_name);
		if ((f = opendir(path)) == NULL)
			continue;
		while ((fe = readdir(f)) != NULL) {
			size_t n = strlen(fe->d_name);

			if (n < 7 || strcmp(fe->d_name + n - 6, ".debug") != 0)
				continue;
			snprintf(path, sizeof path, "%s/%s/%s", BENCH_DEBUG_DIR,
			    de->d_name, fe->d_name);
			if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
			    st.st_size > bestsize) {
				bestsize = st.st_size;
				snprintf(best, sizeof best, "%s", path);
				snprintf(want_id, sizeof want_id, "%s%.*s", de->d_name,
				    (int)(n - 6), fe->d_name);
			}
		}
		closedir(f);
	}
	closedir(d);
	if (bestsize == 0)
		return false;
	for (i = 0; i < sizeof roots / sizeof roots[0] && found_path == NULL; i++)
		(void)nftw(roots[i], bench_scan, 32, FTW_PHYS);
	if (found_path == NULL)
		return false;
	*bin = found_path;
	*debug = strdup(best);
	return true;
}

/* The bytes of DWARF (.debug_* sections) in the file at path, as read
 * (uncompressed); those in the file in *stored. */
static uint64_t
bench_debug_bytes(const char *path, uint64_t *stored)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	GElf_Chdr ch;
	uint64_t total = 0;
	size_t shstrndx;
	const char *name;
	Elf *elf;
	int fd;

	*stored = 0;
	if ((elf = bench_elf(path, &fd)) == NULL)
		return 0;
	if (elf_getshdrstrndx(elf, &shstrndx) == 0) {
		while ((scn = elf_nextscn(elf, scn)) != NULL) {
			if (gelf_getshdr(scn, &sh) == NULL || sh.sh_type == SHT_NOBITS ||
			    (name = elf_strptr(elf, shstrndx, sh.sh_name)) == NULL)
				continue;
			if (strncmp(name, ".debug_", 7) != 0)
				continue;
			*stored += sh.sh_size;
			if ((sh.sh_flags & SHF_COMPRESSED) != 0 &&
			    gelf_getchdr(scn, &ch) != NULL)
				total += ch.ch_size;
			else
				total += sh.sh_size;
		}
	}
	elf_end(elf);
	close(fd);
	return total;
}

/* Order offsets. */
static int
bench_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The file offsets of the middle of up to max functions, spread evenly
 * over the sized functions of symfile's .symtab (else .dynsym), through
 * the PT_LOADs of bin; the largest function first (crt code before it
 * may have no DWARF). Returns how many.
 */
static size_t
bench_offsets(const char *bin, const char *symfile, uint64_t *offs, size_t max)
{
	Elf_Scn *scn = NULL;
	GElf_Phdr *loads = NULL, ph;
	GElf_Shdr sh;
	GElf_Sym sym;
	Elf_Data *data;
	uint64_t *all = NULL, v, big = 0, bigsize = 0;
	size_t nall = 0, cap = 0, nloads = 0, i, j, n;
	Elf *elf;
	int fd, pass;

	if ((elf = bench_elf(bin, &fd)) == NULL)
		return 0;
	if (elf_getphdrnum(elf, &n) == 0 && n > 0) {
		loads = calloc(n, sizeof *loads);
		for (i = 0; loads != NULL && i < n; i++) {
			if (gelf_getphdr(elf, (int)i, &ph) != NULL && ph.p_type == PT_LOAD)
				loads[nloads++] = ph;
		}
	}
	elf_end(elf);
	close(fd);
	if ((elf = bench_elf(symfile, &fd)) == NULL) {
		free(loads);
		return 0;
	}
	for (pass = 0; pass < 2 && nall == 0; pass++) {
		while ((scn = elf_nextscn(elf, scn)) != NULL) {
			if (gelf_getshdr(scn, &sh) == NULL || sh.sh_entsize == 0 ||
			    sh.sh_type != (pass == 0 ? SHT_SYMTAB : SHT_DYNSYM) ||
			    (data = elf_getdata(scn, NULL)) == NULL)
				continue;
			for (i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
				if (gelf_getsym(data, (int)i, &sym) == NULL ||
				    GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
				    sym.st_size == 0 || sym.st_shndx == SHN_UNDEF)
					continue;
				v = sym.st_value + sym.st_size / 2;
				for (j = 0; j < nloads; j++) {
					if (v >= loads[j].p_vaddr &&
					    v - loads[j].p_vaddr < loads[j].p_filesz)
						break;
				}
				if (j == nloads)
					continue;
				if (nall == cap) {
					cap = cap == 0 ? 1024 : 2 * cap;
					all = realloc(all, cap * sizeof *all);
					if (all == NULL)
						abort();
				}
				all[nall++] = v - loads[j].p_vaddr + loads[j].p_offset;
				if (sym.st_size > bigsize) {
					bigsize = sym.st_size;
					big = all[nall - 1];
				}
			}
		}
	}
	elf_end(elf);
	close(fd);
	free(loads);
	qsort(all, nall, sizeof *all, bench_cmp);
	for (i = j = 0; i < nall; i++) {	/* distinct offsets */
		if (j == 0 || all[j - 1] != all[i])
			all[j++] = all[i];
	}
	nall = j;
	n = nall < max ? nall : max;
	for (i = 0; i < n; i++)			/* spread, in a scattered order */
		offs[i] = all[((i * 7919) % n) * nall / n];
	for (i = 0; i < n && offs[i] != big; i++)	/* the largest first */
		;
	offs[i < n ? i : 0] = offs[0];
	offs[0] = big;
	free(all);
	return n;
}

/* Measure path (its DWARF in dbgfile, symbols read from symfile). */
static void
bench_file(const char *path, const char *dbgfile, const char *symfile)
{
	struct binary_cache *c;
	struct binary *b;
	struct dwarf_line l;
	uint64_t *offs = calloc(BENCH_FUNCS, sizeof *offs);
	double t0, t1, first[BENCH_RUNS], tmp, next, cached;
	uint64_t bytes, stored;
	size_t n, i, k, lines = 0, inl = 0, tries = 0;
	const char *name = strrchr(path, '/');
	char *why = NULL;
	int rc = -1;

	if (offs == NULL || (n = bench_offsets(path, symfile, offs, BENCH_FUNCS)) < 2) {
		printf("dwarf: %s: no sized functions to look up\n", path);
		free(offs);
		return;
	}
	/* The first line found in a new cache (after the misses before it:
	 * code without DWARF, such as a static library's). */
	for (k = 0; k < BENCH_RUNS; k++) {
		c = binary_cache_new();
		b = binary_for_path(c, path);
		t0 = bench_now();
		for (i = 0; i < n; i++) {
			if ((rc = dwarf_line(b, offs[i], &l, &why)) == 0 ||
			    dwarf_nlines(b) == 0)
				break;
			free(why);
			why = NULL;
		}
		t1 = bench_now();
		first[k] = t1 - t0;
		binary_cache_free(c);
		if (rc != 0) {
			printf("dwarf: %s: %s\n", path, why != NULL ? why : "no line");
			free(why);
			free(offs);
			return;
		}
		tries = i + 1;
	}
	for (k = 1; k < BENCH_RUNS; k++) {		/* median */
		for (i = k; i > 0 && first[i - 1] > first[i]; i--) {
			tmp = first[i];
			first[i] = first[i - 1];
			first[i - 1] = tmp;
		}
	}

	c = binary_cache_new();
	b = binary_for_path(c, path);
	for (i = 0; i < tries; i++)
		(void)dwarf_line(b, offs[i], &l, NULL);
	t0 = bench_now();
	for (i = tries; i < n; i++) {
		if (dwarf_line(b, offs[i], &l, NULL) == 0) {
			lines++;
			inl += l.ninlined > 0;
		}
	}
	next = (bench_now() - t0) / (double)(n - tries > 0 ? n - tries : 1);
	t0 = bench_now();
	for (k = 0; k < BENCH_CACHED; k++) {
		for (i = 0; i < n; i++)
			(void)dwarf_line(b, offs[i], &l, NULL);
	}
	cached = (bench_now() - t0) / (double)(BENCH_CACHED * n);
	binary_cache_free(c);

	bytes = bench_debug_bytes(dbgfile, &stored);
	printf("dwarf: first line lookup in %s (%.1f MB of debug info): %.1f ms "
	    "(budget < %d ms), then %.1f us per lookup\n",
	    name != NULL ? name + 1 : path, (double)bytes / (1024.0 * 1024.0),
	    first[BENCH_RUNS / 2] * 1e3, BENCH_BUDGET_MS, next * 1e6);
	printf("dwarf:   debug info in %s (%.1f MB as stored); median of %d "
	    "first lines (%zu lookups each), from %.1f to %.1f ms; then %zu "
	    "distinct functions: %zu with a line, %zu in inlined code; cached "
	    "lookups %.0f ns\n", dbgfile, (double)stored / (1024.0 * 1024.0),
	    BENCH_RUNS, tries, first[0] * 1e3, first[BENCH_RUNS - 1] * 1e3,
	    n - tries, lines, inl, cached * 1e9);
	free(offs);
}

/* The file that holds path's DWARF: its separate debug file by build-id
 * under /usr/lib/debug, else path itself (allocated). */
static char *
bench_dwarf_file(const char *path)
{
	char hex[130], dbg[400];
	uint64_t stored;
	Elf *elf;
	int fd;
	bool id;

	if ((elf = bench_elf(path, &fd)) == NULL)
		return strdup(path);
	id = bench_build_id(elf, hex, sizeof hex);
	elf_end(elf);
	close(fd);
	if (id && bench_debug_bytes(path, &stored) == 0) {
		snprintf(dbg, sizeof dbg, "%s/%.2s/%s.debug", BENCH_DEBUG_DIR, hex,
		    hex + 2);
		if (access(dbg, R_OK) == 0)
			return strdup(dbg);
	}
	return strdup(path);
}

/* Measure the files named, else the binary with the largest debug file. */
int
main(int argc, char **argv)
{
	char *bin = NULL, *debug = NULL;
	Dl_info info;
	int i;

	elf_version(EV_CURRENT);
	if (argc > 1) {
		for (i = 1; i < argc; i++) {
			debug = bench_dwarf_file(argv[i]);
			bench_file(argv[i], debug, debug);
			free(debug);
		}
		return 0;
	}
	if (bench_largest(&bin, &debug)) {
		bench_file(bin, debug, debug);
		free(bin);
		free(debug);
		return 0;
	}
	if (dladdr((void *)printf, &info) != 0 && info.dli_fname != NULL) {
		printf("dwarf: no separate debug file with its binary here; "
		    "measuring %s\n", info.dli_fname);
		debug = bench_dwarf_file(info.dli_fname);
		bench_file(info.dli_fname, debug, debug);
		free(debug);
		return 0;
	}
	printf("dwarf: nothing to measure\n");
	return 0;
}
