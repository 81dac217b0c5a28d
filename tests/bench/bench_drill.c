/*
 * Drill-down benchmark: the time to open the drill-down's data of the
 * largest function of libc.so.6 (read its bytes, disassemble them, look
 * up every instruction's source line in libc6-dbg's separate debug info,
 * then build the rows of 200 sampled addresses), in a new DWARF cache,
 * then again in the same cache (what Esc and Enter again cost). A file
 * named on the command line is measured instead of libc. Prints figures
 * beside the budget; asserts nothing.
 */
#include "config.h"

#include <dlfcn.h>
#include <elfutils/libdwelf.h>
#include <fcntl.h>
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

#include "agg.h"
#include "annotate.h"
#include "bench.h"
#include "binary.h"
#include "dwarf.h"
#include "frames.h"
#include "symtab.h"

#define BENCH_DEBUG_DIR		"/usr/lib/debug/.build-id"
#define BENCH_BUDGET_MS		200
#define BENCH_SAMPLED		200	/* sampled addresses */

/* The separate debug file of path by build-id, or path (allocated). */
static char *
bench_symfile(const char *path)
{
	const unsigned char *id;
	const void *p;
	char hex[130], dbg[400];
	ssize_t n, i;
	Elf *elf;
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		return strdup(path);
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	n = elf != NULL ? dwelf_elf_gnu_build_id(elf, &p) : -1;
	id = n > 0 ? p : NULL;
	for (i = 0; i < n && (size_t)(2 * i + 2) < sizeof hex; i++)
		snprintf(hex + 2 * i, 3, "%02x", id[i]);
	if (elf != NULL)
		elf_end(elf);
	close(fd);
	if (n >= 2) {
		snprintf(dbg, sizeof dbg, "%s/%.2s/%s.debug", BENCH_DEBUG_DIR, hex,
		    hex + 2);
		if (access(dbg, R_OK) == 0)
			return strdup(dbg);
	}
	return strdup(path);
}

/* The largest sized function of symfile (.symtab, else .dynsym) as a file
 * offset of bin, in *fn (name allocated). False if none. */
static bool
bench_largest(const char *bin, const char *symfile, struct symtab_func *fn)
{
	GElf_Phdr ph;
	GElf_Shdr sh;
	GElf_Sym sym;
	Elf_Scn *scn;
	Elf_Data *d;
	uint64_t vaddr = 0, size = 0;
	char *name = NULL;
	size_t i, n;
	Elf *elf;
	int fd, pass;
	bool found = false;

	if ((fd = open(symfile, O_RDONLY)) == -1)
		return false;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	for (pass = 0; elf != NULL && pass < 2 && size == 0; pass++) {
		for (scn = NULL; (scn = elf_nextscn(elf, scn)) != NULL;) {
			if (gelf_getshdr(scn, &sh) == NULL || sh.sh_entsize == 0 ||
			    sh.sh_type != (pass == 0 ? SHT_SYMTAB : SHT_DYNSYM) ||
			    (d = elf_getdata(scn, NULL)) == NULL)
				continue;
			for (i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
				if (gelf_getsym(d, (int)i, &sym) == NULL ||
				    GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
				    sym.st_shndx == SHN_UNDEF || sym.st_size <= size)
					continue;
				size = sym.st_size;
				vaddr = sym.st_value;
				free(name);
				name = strdup(elf_strptr(elf, sh.sh_link, sym.st_name));
			}
		}
	}
	if (elf != NULL)
		elf_end(elf);
	close(fd);
	if (size == 0 || (fd = open(bin, O_RDONLY)) == -1) {
		free(name);
		return false;
	}
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	for (i = 0; elf != NULL && elf_getphdrnum(elf, &n) == 0 && i < n; i++) {
		if (gelf_getphdr(elf, (int)i, &ph) == NULL || ph.p_type != PT_LOAD ||
		    vaddr < ph.p_vaddr || vaddr - ph.p_vaddr >= ph.p_filesz)
			continue;
		fn->start = vaddr - ph.p_vaddr + ph.p_offset;
		fn->size = size;
		fn->name = name;
		found = true;
		break;
	}
	if (elf != NULL)
		elf_end(elf);
	close(fd);
	if (!found)
		free(name);
	return found;
}

/* Open, decode and annotate fn of bin; the seconds it took. */
static double
bench_open(struct binary *bin, struct agg *a,
    uint64_t start, size_t *naddrs, size_t *nlines, const char **why)
{
	const struct symtab_func *f = binary_lookup(bin, start);
	struct annotate *an;
	double t0 = bench_now(), t;

	an = annotate_open(bin, f, 0, NULL, 0);
	annotate_update(an, a, agg_func_at(a, 0), false);
	t = bench_now() - t0;
	*naddrs = an->naddrs;
	*nlines = an->nlines;
	*why = an->code_why != NULL ? "no code" : an->lines_why != NULL ?
	    "no lines" : NULL;
	annotate_free(an);
	return t;
}

/* Measure the largest function of path. */
static void
bench_file(const char *path)
{
	char *symfile = bench_symfile(path);
	struct symtab_func fn;
	struct binary_cache *sc;
	struct binary *bin;
	struct agg *a;
	size_t i, naddrs, nlines;
	const char *why;
	double first, second;

	if (!bench_largest(path, symfile, &fn)) {
		printf("drill: %s: no sized function\n", path);
		free(symfile);
		return;
	}
	sc = binary_cache_new();
	bin = binary_for_path(sc, path);
	(void)binary_nfuncs(bin);	/* symbols read before the clock starts */
	a = agg_new(1, 1);
	for (i = 0; i < BENCH_SAMPLED; i++)
		agg_add(a, 0, test_frame(bin, fn.start + fn.size * i / BENCH_SAMPLED), 1 + i % 7);
	first = bench_open(bin, a, fn.start, &naddrs, &nlines, &why);
	second = bench_open(bin, a, fn.start, &naddrs, &nlines, &why);
	printf("drill: open %s in %s (%" PRIu64 " bytes, %zu sampled addresses, "
	    "%zu source lines; debug info %s): first %.1f ms (budget < %d ms), "
	    "again %.1f ms%s%s\n", fn.name, path, fn.size, naddrs, nlines, symfile,
	    first * 1e3, BENCH_BUDGET_MS, second * 1e3, why != NULL ? "; " : "",
	    why != NULL ? why : "");
	agg_free(a);
	binary_cache_free(sc);
	free((char *)fn.name);
	free(symfile);
}

/* Measure the files named, else libc. */
int
main(int argc, char **argv)
{
	Dl_info info;
	int i;

	elf_version(EV_CURRENT);
	if (argc > 1) {
		for (i = 1; i < argc; i++)
			bench_file(argv[i]);
		return 0;
	}
	if (dladdr((void *)printf, &info) != 0 && info.dli_fname != NULL)
		bench_file(info.dli_fname);
	else
		printf("drill: no libc found\n");
	return 0;
}
