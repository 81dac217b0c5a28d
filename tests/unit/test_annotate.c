/*
 * Unit tests for src/core/annotate.c: a fixture compiled here (-O1 -g)
 * into a temporary directory, its hot function's bytes decoded, its
 * sampled addresses given instructions and source lines, its source lines
 * their text (at the DWARF path, and through a --source-dir prefix once
 * the source moved); pseudo-binaries and [unknown] code say why they have
 * no code. Exits 77 where gcc is missing.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agg.h"
#include "annotate.h"
#include "binary.h"
#include "check.h"
#include "frames.h"
#include "dwarf.h"
#include "symtab.h"

static const char src_loop[] =
	"volatile long sink;\n"
	"\n"
	"__attribute__((noinline)) long\n"
	"hot(long n)\n"
	"{\n"
	"\tlong i, s = 0;\n"
	"\n"
	"\tfor (i = 0; i < n; i++)\n"
	"\t\ts += (i * i) ^ (s >> 3);\t/* HOT_LINE */\n"
	"\treturn s;\n"
	"}\n"
	"\n"
	"int\n"
	"main(int argc, char **argv)\n"
	"{\n"
	"\t(void)argv;\n"
	"\tsink = hot(argc * 1000L);\n"
	"\treturn 0;\n"
	"}\n";

static char tmpdir[256];


/* The line of src that carries marker (1-based), or 0. */
static int
marker_line(const char *src, const char *marker)
{
	const char *at = strstr(src, marker), *p;
	int line = 1;

	if (at == NULL)
		return 0;
	for (p = src; p < at; p++)
		line += *p == '\n';
	return line;
}

/* The file offset and size of function name in the ELF file at path. */
static bool
elf_func(const char *path, const char *name, uint64_t *off, uint64_t *size)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	GElf_Sym sym;
	GElf_Phdr ph;
	Elf_Data *d;
	uint64_t vaddr = 0;
	size_t i, n;
	bool found = false;
	Elf *elf;
	int fd;

	elf_version(EV_CURRENT);
	if ((fd = open(path, O_RDONLY)) == -1)
		return false;
	if ((elf = elf_begin(fd, ELF_C_READ, NULL)) == NULL) {
		close(fd);
		return false;
	}
	while (!found && (scn = elf_nextscn(elf, scn)) != NULL) {
		if (gelf_getshdr(scn, &sh) == NULL || sh.sh_type != SHT_SYMTAB ||
		    sh.sh_entsize == 0 || (d = elf_getdata(scn, NULL)) == NULL)
			continue;
		for (i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
			if (gelf_getsym(d, (int)i, &sym) == NULL ||
			    GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
			    strcmp(elf_strptr(elf, sh.sh_link, sym.st_name), name) != 0)
				continue;
			vaddr = sym.st_value;
			*size = sym.st_size;
			found = true;
			break;
		}
	}
	if (found) {
		found = false;
		for (i = 0; elf_getphdrnum(elf, &n) == 0 && i < n; i++) {
			if (gelf_getphdr(elf, (int)i, &ph) == NULL ||
			    ph.p_type != PT_LOAD || vaddr < ph.p_vaddr ||
			    vaddr - ph.p_vaddr >= ph.p_filesz)
				continue;
			*off = vaddr - ph.p_vaddr + ph.p_offset;
			found = true;
			break;
		}
	}
	elf_end(elf);
	close(fd);
	return found;
}

/* The hot line's row among an's lines, or NULL. */
static const struct annotate_line *
hot_row(const struct annotate *an, int hot)
{
	size_t i;

	for (i = 0; i < an->nlines; i++) {
		if (an->lines[i].line == hot)
			return &an->lines[i];
	}
	return NULL;
}

/* The fixture's hot(): decoded, sampled, annotated. */
static void
test_fixture(void)
{
	int hot = marker_line(src_loop, "HOT_LINE");
	const char *dirs[1];
	struct binary_cache *sc = binary_cache_new();
	struct symtab_func fn = { .name = "hot" };
	const struct annotate_line *hl;
	struct binary *bin;
	struct annotate *an;
	struct agg *a;
	const struct agg_func *af;
	char path[600], moved[600], dir[600];
	size_t i, k;
	FILE *f;

	snprintf(path, sizeof path, "%s/src/loop.c", tmpdir);
	CHECK(check_sh("mkdir -p '%s/src'", tmpdir));
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f == NULL)
		return;
	fputs(src_loop, f);
	fclose(f);
	snprintf(path, sizeof path, "%s/loop", tmpdir);
	CHECK(check_sh("cd '%s/src' && gcc -g -O1 -no-pie -o '%s' loop.c >/dev/null 2>&1",
	    tmpdir, path));
	CHECK(elf_func(path, "hot", &fn.start, &fn.size));
	CHECK(fn.size > 0);
	bin = binary_for_path(sc, path);
	a = agg_new(1, 4);

	/* Decoded: the first instruction at the function's start. */
	an = annotate_open(bin, binary_lookup(bin, fn.start), 0, NULL, 0);
	CHECK(an->code_why == NULL);
	CHECK(an->lines_why == NULL);
	CHECK(an->source_why == NULL);
	CHECK_U64(an->start, fn.start);
	CHECK_U64(an->size, fn.size);
	CHECK(an->ninsns > 2);
	CHECK(an->main_file != NULL && strstr(an->main_file, "/src/loop.c") != NULL);
	CHECK(an->first_line >= 4 && an->first_line <= hot);
	CHECK(an->last_line >= hot && an->last_line <= 11);
	hl = hot_row(an, hot);
	CHECK(hl != NULL && hl->text != NULL && strstr(hl->text, "HOT_LINE") != NULL);
	CHECK(hl != NULL && hl->code);

	/* Samples on each instruction of the hot line, more on the last. */
	annotate_update(an, a, NULL, false);
	CHECK_U64(an->naddrs, 0);
	{
		struct dwarf_line dl;
		uint64_t off, end = fn.start + fn.size, n = 0, last = 0;

		/* Every byte's line: the hot line's instructions sampled. */
		for (off = fn.start; off < end; off++) {
			if (dwarf_line(bin, off, &dl, NULL) == 0 && dl.line == hot) {
				agg_add(a, 0, test_frame(bin, off), 1);
				n++;
				last = off;
			}
		}
		CHECK(n > 0);
		for (k = 0; k < 10; k++)
			agg_add(a, 0, test_frame(bin, last), 1);
		CHECK_U64(agg_nfuncs(a), 1);
		af = agg_func_at(a, 0);
		CHECK_U64(annotate_reach(a, af), last + 1);
		annotate_update(an, a, af, false);
		CHECK_U64(an->samples, n + 10);
		CHECK(an->naddrs > 0 && an->naddrs <= n);
		for (i = 0; i < an->naddrs; i++) {
			const struct annotate_addr *r = &an->addrs[i];

			CHECK(i == 0 || an->addrs[i - 1].offset < r->offset);
			CHECK(r->insn != NULL && *r->insn != '\0');
			CHECK(r->file != NULL && strstr(r->file, "loop.c") != NULL);
			CHECK(r->line == hot);
			CHECK(r->inlined == NULL);
		}
		CHECK_U64(an->addrs[an->hot_addr].offset, last);
		CHECK(an->addrs[an->hot_addr].pct > 10.0);
		hl = hot_row(an, hot);
		CHECK(hl != NULL && hl->samples == n + 10);
		CHECK(hl != NULL && hl->pct > 99.9);
		CHECK(&an->lines[an->hot_line] == hl);
	}
	/* The written view has the hot line and its text. */
	{
		char *buf = NULL, *cause = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&buf, &len);

		CHECK(annotate_write(mem, an, true, "target: test\n", &cause) == 0);
		fclose(mem);
		CHECK(strstr(buf, "target: test\n") != NULL);
		CHECK(strstr(buf, "function: hot\n") != NULL);
		CHECK(strstr(buf, "HOT_LINE") != NULL);
		free(buf);
		mem = open_memstream(&buf, &len);
		CHECK(annotate_write(mem, an, false, NULL, &cause) == 0);
		fclose(mem);
		snprintf(dir, sizeof dir, "loop.c:%d", hot);
		CHECK(strstr(buf, dir) != NULL);
		free(buf);
	}
	CHECK(annotate_is(an, bin, binary_lookup(bin, fn.start)));
	CHECK(!annotate_is(an, bin, NULL));
	annotate_free(an);

	/* The source moved: found under a --source-dir prefix (a suffix of
	 * its DWARF path), not without it. */
	snprintf(moved, sizeof moved, "%s/elsewhere/src", tmpdir);
	CHECK(check_sh("mkdir -p '%s' && mv '%s/src/loop.c' '%s/'", moved, tmpdir, moved));
	an = annotate_open(bin, binary_lookup(bin, fn.start), 0, NULL, 0);
	CHECK(an->source_why != NULL);
	hl = hot_row(an, hot);
	CHECK(hl != NULL && hl->text == NULL);
	annotate_free(an);
	snprintf(dir, sizeof dir, "%s/elsewhere", tmpdir);
	dirs[0] = dir;
	an = annotate_open(bin, binary_lookup(bin, fn.start), 0, dirs, 1);
	CHECK(an->source_why == NULL);
	hl = hot_row(an, hot);
	CHECK(hl != NULL && hl->text != NULL && strstr(hl->text, "HOT_LINE") != NULL);
	annotate_free(an);

	agg_free(a);
	binary_cache_free(sc);
}

/* No file behind the code ([kernel]-like, perf maps), and no bounds
 * ([unknown]): said, with the samples still counted. */
static void
test_no_code(void)
{
	struct binary_cache *sc = binary_cache_new();
	struct symtab_func fn = { .start = 0x1000, .size = 0x40, .name = "jit_fn" };
	struct binary *bin = binary_synthetic(sc, "perf-1.map", &fn, 1);
	struct agg *a = agg_new(1, 4);
	struct annotate *an;

	agg_add(a, 0, test_frame(bin, 0x1010), 1);
	agg_add(a, 0, test_frame(bin, 0x1010), 1);
	agg_add(a, 0, test_frame(bin, 0x1004), 1);
	an = annotate_open(bin, binary_lookup(bin, 0x1010),
	    annotate_reach(a, agg_func_at(a, 0)), NULL, 0);
	CHECK(an->code_why != NULL && strstr(an->code_why, "perf-1.map") != NULL);
	CHECK_U64(an->ninsns, 0);
	annotate_update(an, a, agg_func_at(a, 0), false);
	CHECK_U64(an->naddrs, 2);
	CHECK_U64(an->addrs[0].offset, 0x1004);
	CHECK(an->addrs[0].insn == NULL);
	CHECK_U64(an->addrs[an->hot_addr].offset, 0x1010);
	CHECK_U64(an->nlines, 0);
	annotate_free(an);

	an = annotate_open(bin, NULL, 0, NULL, 0);
	CHECK(an->code_why != NULL);
	CHECK_STR(an->function, "[unknown]");
	annotate_update(an, a, NULL, true);
	CHECK_U64(an->naddrs, 0);
	annotate_free(an);
	agg_free(a);
	binary_cache_free(sc);
}

/* Past the aggregator's cap of listed addresses (a budget of 1: one
 * address), the [other addresses] row comes last, labelled, with no
 * offset, instruction nor line looked up; the function's total exact. */
static void
test_other_addrs(void)
{
	struct binary_cache *sc = binary_cache_new();
	struct symtab_func fn = { .start = 0x1000, .size = 0x40, .name = "jit_fn" };
	struct binary *bin = binary_synthetic(sc, "perf-1.map", &fn, 1);
	struct agg *a = agg_new(1, 4);
	struct annotate *an;
	char *text = NULL;
	size_t len = 0;
	FILE *mem;
	char *cause = NULL;

	agg_set_addr_budget(a, 1);
	agg_add(a, 0, test_frame(bin, 0x1010), 1);
	agg_add(a, 0, test_frame(bin, 0x1004), 1);
	agg_add(a, 0, test_frame(bin, 0x1004), 1);
	agg_add(a, 0, test_frame(bin, 0x1008), 1);
	CHECK_U64(annotate_reach(a, agg_func_at(a, 0)), 0x1011);
	an = annotate_open(bin, binary_lookup(bin, 0x1010),
	    annotate_reach(a, agg_func_at(a, 0)), NULL, 0);
	annotate_update(an, a, agg_func_at(a, 0), false);
	CHECK_U64(an->naddrs, 2);
	CHECK_U64(an->samples, 4);
	CHECK(!an->addrs[0].other);
	CHECK_U64(an->addrs[0].offset, 0x1010);
	CHECK(an->addrs[1].other);
	CHECK_U64(an->addrs[1].samples, 3);
	CHECK(an->addrs[1].file == NULL && an->addrs[1].line == 0);
	CHECK(an->addrs[1].insn != NULL &&
	    strcmp(an->addrs[1].insn, "[other addresses]") == 0);
	CHECK_U64(an->hot_addr, 1);
	mem = open_memstream(&text, &len);
	CHECK(annotate_write(mem, an, false, NULL, &cause) == 0);
	fclose(mem);
	CHECK(text != NULL && strstr(text, "3  75.00%  -             [other addresses]") != NULL);
	free(text);
	annotate_free(an);
	agg_free(a);
	binary_cache_free(sc);
}

int
main(void)
{
	const char *t = getenv("TMPDIR");

	if (!check_sh("command -v gcc >/dev/null 2>&1")) {
		fprintf(stderr, "test_annotate: no gcc: skipped\n");
		return 77;
	}
	snprintf(tmpdir, sizeof tmpdir, "%s/test_annotate.XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 99;
	}
	test_fixture();
	test_no_code();
	test_other_addrs();
	check_sh("rm -rf '%s'", tmpdir);
	return check_exit("test_annotate");
}
