/*
 * Unit tests for src/core/dwarf.c: fixture programs compiled here (gcc,
 * and clang or g++ where installed) into a temporary directory; their
 * functions found through their own symbol tables, their lines by the
 * markers in their sources. Exits 77 where gcc, objcopy or strip is
 * missing.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <elfutils/libdwelf.h>
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

#include "binary.h"
#include "check.h"
#include "dwarf.h"

/* A hot loop in its own function; the file is built -O1, not PIE. */
static const char src_loop[] =
	"volatile long sink;\n"
	"\n"
	"__attribute__((noinline)) long\n"
	"hot(long n)\t/* HOT_START */\n"
	"{\n"
	"\tlong i, s = 0;\n"
	"\n"
	"\tfor (i = 0; i < n; i++)\n"
	"\t\ts += (i * i) ^ (s >> 3);\t/* HOT_LINE */\n"
	"\treturn s;\n"
	"}\t/* HOT_END */\n"
	"\n"
	"int\n"
	"main(int argc, char **argv)\n"
	"{\n"
	"\t(void)argv;\n"
	"\tsink = hot(argc * 1000L);\n"
	"\treturn 0;\n"
	"}\n";

/* A static inline function called from a loop, and one inlined into
 * another inlined function; built -O2, PIE. */
static const char src_inline[] =
	"volatile long sink;\n"
	"\n"
	"static inline long\n"
	"mix(long a, long b)\n"
	"{\n"
	"\ta ^= b * 0x9e3779b97f4a7c15L;\t/* INLINE_BODY */\n"
	"\treturn (a << 7) | (long)((unsigned long)a >> 57);\t/* INLINE_BODY2 */\n"
	"}\n"
	"\n"
	"static inline __attribute__((always_inline)) long\n"
	"twice(long a, long b)\n"
	"{\n"
	"\treturn mix(a, b) - mix(b, a);\t/* NESTED_CALL */\n"
	"}\n"
	"\n"
	"__attribute__((noinline)) long\n"
	"caller(long n)\n"
	"{\n"
	"\tlong i, s = 0;\n"
	"\n"
	"\tfor (i = 0; i < n; i++)\n"
	"\t\ts = mix(s, i);\t/* CALL_LINE */\n"
	"\treturn s;\n"
	"}\n"
	"\n"
	"__attribute__((noinline)) long\n"
	"caller2(long n)\n"
	"{\n"
	"\tlong i, s = 0;\n"
	"\n"
	"\tfor (i = 0; i < n; i++)\n"
	"\t\ts = twice(s, i);\t/* CALL_LINE2 */\n"
	"\treturn s;\n"
	"}\n"
	"\n"
	"int\n"
	"main(int argc, char **argv)\n"
	"{\n"
	"\t(void)argv;\n"
	"\tsink = caller(argc * 1000L) + caller2(argc * 1000L);\n"
	"\treturn 0;\n"
	"}\n";

/* An inline function in a C++ namespace: named by its demangled linkage
 * name. */
static const char src_cxx[] =
	"volatile long sink;\n"
	"\n"
	"namespace ns {\n"
	"template <typename T> inline T\n"
	"mix(T a, T b)\n"
	"{\n"
	"\ta ^= b * 0x9e3779b97f4a7c15L;\t/* CXX_BODY */\n"
	"\treturn (a << 7) | (T)((unsigned long)a >> 57);\n"
	"}\n"
	"}\n"
	"\n"
	"__attribute__((noinline)) long\n"
	"caller(long n)\n"
	"{\n"
	"\tlong i, s = 0;\n"
	"\n"
	"\tfor (i = 0; i < n; i++)\n"
	"\t\ts = ns::mix<long>(s, i);\t/* CXX_CALL */\n"
	"\treturn s;\n"
	"}\n"
	"\n"
	"int\n"
	"main(int argc, char **)\n"
	"{\n"
	"\tsink = caller(argc * 1000L);\n"
	"\treturn 0;\n"
	"}\n";

/* A static inline function in a header included as "../inc/helper.h",
 * for the paths of files in other directories. */
static const char src_helper[] =
	"static inline long\n"
	"helper(long a, long b)\n"
	"{\n"
	"\ta ^= b * 0x9e3779b97f4a7c15L;\t/* HELPER_BODY */\n"
	"\treturn (a << 7) | (long)((unsigned long)a >> 57);\n"
	"}\n";
static const char src_main[] =
	"#include \"../inc/helper.h\"\n"
	"\n"
	"volatile long sink;\n"
	"\n"
	"__attribute__((noinline)) long\n"
	"caller(long n)\n"
	"{\n"
	"\tlong i, s = 0;\n"
	"\n"
	"\tfor (i = 0; i < n; i++)\n"
	"\t\ts = helper(s, i);\t/* HELPER_CALL */\n"
	"\treturn s;\n"
	"}\n"
	"\n"
	"int\n"
	"main(int argc, char **argv)\n"
	"{\n"
	"\t(void)argv;\n"
	"\tsink = caller(argc);\n"
	"\treturn 0;\n"
	"}\n";

static char tmpdir[256];


/* A path in the temporary directory (static buffer, 8 in turn). */
static const char * __attribute__((format(printf, 1, 2)))
tpath(const char *fmt, ...)
{
	static char bufs[8][600];
	static unsigned next;
	char *p = bufs[next++ % 8], name[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof name, fmt, ap);
	va_end(ap);
	snprintf(p, 600, "%s/%s", tmpdir, name);
	return p;
}

/* Write text to the file name in the temporary directory. */
static bool
put(const char *name, const void *text, size_t len)
{
	FILE *f = fopen(tpath("%s", name), "w");
	bool ok;

	if (f == NULL)
		return false;
	ok = fwrite(text, 1, len, f) == len;
	return fclose(f) == 0 && ok;
}

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

/* True if s ends with suffix. */
static bool
ends_with(const char *s, const char *suffix)
{
	size_t n, m;

	if (s == NULL)
		return false;
	n = strlen(s);
	m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The file offset and size of function name in the ELF file at path, from
 * its .symtab through its PT_LOADs; the address in *vaddr. False if none. */
static bool
elf_func(const char *path, const char *name, uint64_t *off, uint64_t *size,
    uint64_t *vaddr)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	GElf_Sym sym;
	GElf_Phdr ph;
	Elf_Data *d;
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
			*vaddr = sym.st_value;
			*size = sym.st_size;
			found = true;
			break;
		}
	}
	if (found) {
		found = false;
		for (i = 0; elf_getphdrnum(elf, &n) == 0 && i < n; i++) {
			if (gelf_getphdr(elf, (int)i, &ph) == NULL ||
			    ph.p_type != PT_LOAD || *vaddr < ph.p_vaddr ||
			    *vaddr - ph.p_vaddr >= ph.p_filesz)
				continue;
			*off = *vaddr - ph.p_vaddr + ph.p_offset;
			found = true;
			break;
		}
	}
	elf_end(elf);
	close(fd);
	return found;
}

/* The build-id of the ELF file at path in lower-case hex; false if none. */
static bool
elf_build_id(const char *path, char *hex, size_t hexsize)
{
	const unsigned char *id;
	const void *p;
	ssize_t n, i;
	Elf *elf;
	int fd;

	elf_version(EV_CURRENT);
	if ((fd = open(path, O_RDONLY)) == -1)
		return false;
	if ((elf = elf_begin(fd, ELF_C_READ, NULL)) == NULL) {
		close(fd);
		return false;
	}
	n = dwelf_elf_gnu_build_id(elf, &p);
	id = p;
	for (i = 0; i < n && (size_t)(2 * i + 2) < hexsize; i++)
		snprintf(hex + 2 * i, 3, "%02x", id[i]);
	elf_end(elf);
	close(fd);
	return n >= 2;
}

/* The number of descriptors this process has open. */
static int
open_fds(void)
{
	struct dirent *de;
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	closedir(d);
	return n - 1;		/* opendir's own */
}

/* Compile src (written as file) into name with compiler cc and flags. */
static bool
build(const char *cc, const char *name, const char *file, const char *src,
    const char *flags)
{
	if (!put(file, src, strlen(src)))
		return false;
	return check_sh("cd '%s' && %s -g %s -Wl,--build-id=sha1 -o '%s' '%s' "
	    ">/dev/null 2>&1", tmpdir, cc, flags, name, file);
}

/*
 * The hot loop of fixture binary path (from source loop.c; symbols read
 * from symfile) is found: every offset of hot() is in loop.c, between its
 * first and last line (or on line 0), and some offset is on the marked
 * line. Returns how many offsets were on it.
 */
static int
check_loop(struct binary_cache *c, const char *path, const char *symfile)
{
	int first = marker_line(src_loop, "HOT_START");
	int last = marker_line(src_loop, "HOT_END");
	int hot = marker_line(src_loop, "HOT_LINE");
	uint64_t off, size, vaddr, i;
	struct dwarf_line l;
	int onhot = 0, inside = 0, fails = 0;
	char *why;

	if (!elf_func(symfile, "hot", &off, &size, &vaddr)) {
		fprintf(stderr, "test_dwarf: no hot() in %s\n", symfile);
		CHECK(0);
		return 0;
	}
	CHECK(size > 0);
	for (i = 0; i < size; i++) {
		why = NULL;
		if (dwarf_line(binary_for_path(c, path), off + i, &l, &why) != 0) {
			if (fails++ == 0)
				fprintf(stderr, "test_dwarf: %s+%#" PRIx64 ": %s\n",
				    path, off + i, why);
			free(why);
			continue;
		}
		/* Line 0: code of no line (clang marks loop set-up so). */
		inside += ends_with(l.file, "/loop.c") && (l.line == 0 ||
		    (l.line >= first && l.line <= last));
		onhot += ends_with(l.file, "/loop.c") && l.line == hot;
	}
	CHECK_U64(fails, 0);
	CHECK_U64(inside, size);
	CHECK(onhot > 0);
	return onhot;
}

/* Past the cache's budget, cold binaries shed their DWARF (read again
 * when asked), the pinned and recently used ones keep it, symbols stay. */
static void
test_shed(void)
{
	struct binary_cache *c = binary_cache_new();
	struct binary *a, *b;
	struct dwarf_line l, l2;
	uint64_t off, size, vaddr;
	size_t nfuncs;

	CHECK(elf_func(tpath("loop"), "hot", &off, &size, &vaddr));
	a = binary_for_path(c, tpath("loop"));
	b = binary_for_path(c, tpath("loop-pie"));
	binary_cache_set_budget(c, 1);
	nfuncs = binary_nfuncs(a);
	CHECK(dwarf_line(a, off, &l, NULL) == 0 && l.line > 0);
	(void)dwarf_line(b, 0, &l2, NULL);	/* opens its DWARF state */
	CHECK(dwarf_nlines(a) > 0 && dwarf_nlines(b) > 0);

	/* Nothing is cold yet. */
	CHECK_U64(binary_cache_shed(c, 2), 0);
	binary_cache_tick(c);
	binary_cache_tick(c);
	binary_use(b);
	binary_cache_tick(c);
	/* a unused for 3 ticks sheds; b used a tick ago keeps its state. */
	CHECK_U64(binary_cache_shed(c, 2), 1);
	CHECK_U64(dwarf_nlines(a), 0);
	CHECK(dwarf_nlines(b) > 0);
	CHECK_U64(binary_nfuncs(a), nfuncs);
	CHECK(binary_lookup(a, off) != NULL);
	/* Read again on demand, the same answer. */
	CHECK(dwarf_line(a, off, &l2, NULL) == 0 && l2.line == l.line);
	CHECK(dwarf_nlines(a) > 0);

	/* Pinned: kept however cold; within the budget: nothing shed. */
	binary_pin(a);
	binary_cache_set_budget(c, 0);
	binary_cache_tick(c);
	binary_cache_tick(c);
	binary_cache_tick(c);
	CHECK_U64(binary_cache_shed(c, 2), 1);
	CHECK(dwarf_nlines(a) > 0);
	CHECK_U64(dwarf_nlines(b), 0);
	binary_cache_set_budget(c, 1);
	binary_unpin(a);
	CHECK_U64(binary_cache_shed(c, 2), 0);
	CHECK(dwarf_nlines(a) > 0);
	CHECK_U64(binary_cache_shed_count(c, NULL), 2);
	binary_cache_free(c);
}

/* (1) -O1 -g, not PIE (file offsets are not addresses), then PIE, then
 * PIE linked at a high address (a bias between offsets and addresses). */
static void
test_loop(void)
{
	struct binary_cache *c = binary_cache_new();
	uint64_t off, size, vaddr;
	struct dwarf_line l, l2;
	size_t n;

	CHECK(build("gcc", "loop", "loop.c", src_loop, "-O1 -no-pie"));
	CHECK(elf_func(tpath("loop"), "hot", &off, &size, &vaddr));
	CHECK(off != vaddr);
	check_loop(c, tpath("loop"), tpath("loop"));

	/* Cached: the same answer, the same strings, nothing new. */
	CHECK(dwarf_line(binary_for_path(c, tpath("loop")), off, &l, NULL) == 0);
	n = dwarf_nlines(binary_for_path(c, tpath("loop")));
	CHECK(dwarf_line(binary_for_path(c, tpath("loop")), off, &l2, NULL) == 0);
	CHECK(l.file == l2.file && l.line == l2.line && l.line > 0);
	CHECK_U64(dwarf_nlines(binary_for_path(c, tpath("loop"))), n);
	CHECK_U64(binary_cache_count(c), 1);

	CHECK(build("gcc", "loop-pie", "loop.c", src_loop, "-O1 -fPIE -pie"));
	check_loop(c, tpath("loop-pie"), tpath("loop-pie"));
	CHECK_U64(binary_cache_count(c), 2);
	if (build("gcc", "loop-high", "loop.c", src_loop,
	    "-O1 -fPIE -pie -Wl,-Ttext-segment=0x7000000")) {
		CHECK(elf_func(tpath("loop-high"), "hot", &off, &size, &vaddr));
		CHECK(vaddr >= 0x7000000);
		check_loop(c, tpath("loop-high"), tpath("loop-high"));
		CHECK_U64(binary_cache_count(c), 3);
	}
	binary_cache_free(c);
}

/*
 * Scan function func of the inline fixture at path for an offset inlined
 * depth deep whose inlined[k].function is names[k], called from line
 * lines[k] of file; its own line must be one of body[0..1]. Returns how
 * many offsets matched.
 */
static int
scan_inlined(struct binary_cache *c, const char *path, const char *func,
    const char *file, size_t depth, const char *const *names,
    const int *lines, const int *body)
{
	uint64_t off, size, vaddr, i;
	struct dwarf_line l;
	int match = 0, plain = 0;
	size_t k;
	bool ok;

	if (!elf_func(path, func, &off, &size, &vaddr)) {
		CHECK(0);
		return 0;
	}
	for (i = 0; i < size; i++) {
		if (dwarf_line(binary_for_path(c, path), off + i, &l, NULL) != 0)
			continue;
		plain += l.ninlined == 0;
		if (l.ninlined < depth)
			continue;
		ok = l.line == body[0] || l.line == body[1];
		for (k = 0; k < depth; k++) {
			ok = ok && l.inlined[k].function != NULL &&
			    strcmp(l.inlined[k].function, names[k]) == 0 &&
			    l.inlined[k].line == lines[k] &&
			    ends_with(l.inlined[k].file, file);
		}
		match += ok;
	}
	CHECK(plain > 0);
	return match;
}

/* (2) A static inline function in a loop, built -O2: the offsets of its
 * body name it and the caller's line; nested inlining gives two frames. */
static void
test_inline(void)
{
	struct binary_cache *c = binary_cache_new();
	static const char *const one[] = { "mix" };
	static const char *const two[] = { "mix", "twice" };
	int body[2] = { marker_line(src_inline, "INLINE_BODY "),
	    marker_line(src_inline, "INLINE_BODY2") };
	int call[1] = { marker_line(src_inline, "CALL_LINE ") };
	int nested[2] = { marker_line(src_inline, "NESTED_CALL"),
	    marker_line(src_inline, "CALL_LINE2") };
	int found;

	CHECK(body[0] > 0 && body[1] > 0 && call[0] > 0 && nested[0] > 0);
	CHECK(build("gcc", "inline", "inline.c", src_inline, "-O2 -fPIE -pie"));
	found = scan_inlined(c, tpath("inline"), "caller", "/inline.c", 1, one,
	    call, body);
	if (found == 0)
		fprintf(stderr, "test_dwarf: no offset of caller() in mix()\n");
	CHECK(found > 0);
	found = scan_inlined(c, tpath("inline"), "caller2", "/inline.c", 2, two,
	    nested, body);
	if (found == 0)
		fprintf(stderr, "test_dwarf: no offset of caller2() in mix() in twice()\n");
	CHECK(found > 0);
	binary_cache_free(c);
}

/*
 * Paths: the file of the line and of the call are the line table's
 * directory (relative to the unit's comp dir, which may be relative too)
 * and name, normalised: "./sub" + "../inc" + "helper.h" is
 * "./inc/helper.h"; "/T/src/sub/./main.c" is "/T/src/sub/main.c".
 */
static void
test_paths(void)
{
	struct binary_cache *c = binary_cache_new();
	static const char *const one[] = { "helper" };
	int body[2] = { marker_line(src_helper, "HELPER_BODY"),
	    marker_line(src_helper, "HELPER_BODY") + 1 };
	int call[1] = { marker_line(src_main, "HELPER_CALL") };
	uint64_t off, size, vaddr, i;
	char abs[600], want[600];
	struct dwarf_line l;
	size_t k;
	int found, clean = 0, n = 0;

	CHECK(check_sh("mkdir -p '%s' '%s'", tpath("src/sub"), tpath("src/inc")));
	CHECK(put("src/inc/helper.h", src_helper, strlen(src_helper)));
	CHECK(put("src/sub/main.c", src_main, strlen(src_main)));
	CHECK(check_sh("cd '%s' && gcc -g -O2 -fdebug-prefix-map='%s'/src=. -o "
	    "../../paths main.c && gcc -g -O2 -o ../../paths-abs '%s'/src/sub/./main.c",
	    tpath("src/sub"), tmpdir, tmpdir));

	/* Relative: "./sub" and "../inc" give ./inc/helper.h. */
	found = scan_inlined(c, tpath("paths"), "caller", "/sub/main.c", 1, one,
	    call, body);
	CHECK(found > 0);
	CHECK(elf_func(tpath("paths"), "caller", &off, &size, &vaddr));
	for (i = 0, found = 0; i < size; i++) {
		if (dwarf_line(binary_for_path(c, tpath("paths")), off + i, &l, NULL) != 0)
			continue;
		if (l.ninlined > 0) {
			CHECK_STR(l.file, "./inc/helper.h");
			CHECK_STR(l.inlined[0].file, "./sub/main.c");
			found++;
		} else
			CHECK_STR(l.file, "./sub/main.c");
	}
	CHECK(found > 0);

	/* Absolute, with "./" in it. */
	snprintf(abs, sizeof abs, "%s/src/inc/helper.h", tmpdir);
	snprintf(want, sizeof want, "%s/src/sub/main.c", tmpdir);
	CHECK(elf_func(tpath("paths-abs"), "caller", &off, &size, &vaddr));
	for (i = 0, found = 0; i < size; i++) {
		if (dwarf_line(binary_for_path(c, tpath("paths-abs")), off + i, &l, NULL) != 0)
			continue;
		n++;
		clean += strstr(l.file, "/./") == NULL && strstr(l.file, "/../") == NULL;
		for (k = 0; k < l.ninlined; k++)
			clean -= strstr(l.inlined[k].file, "/./") != NULL;
		if (l.ninlined > 0) {
			CHECK_STR(l.file, abs);
			CHECK_STR(l.inlined[0].file, want);
			found++;
		}
	}
	CHECK(found > 0);
	CHECK(n > 0 && clean == n);

	/* A path with nothing to drop but "/." in it (a hidden directory). */
	CHECK(check_sh("mkdir -p '%s' && cp '%s' '%s' && cd '%s' && gcc -g -O1 -o "
	    "../loop-hidden '%s'", tpath(".hid"), tpath("loop.c"),
	    tpath(".hid/loop.c"), tpath(".hid"), tpath(".hid/loop.c")));
	snprintf(want, sizeof want, "%s/.hid/loop.c", tmpdir);
	CHECK(elf_func(tpath("loop-hidden"), "hot", &off, &size, &vaddr));
	CHECK(dwarf_line(binary_for_path(c, tpath("loop-hidden")), off, &l, NULL) == 0);
	CHECK_STR(l.file, want);
	binary_cache_free(c);
}

/* The C++ fixture with g++: the inlined function is named demangled. */
static void
test_cxx(void)
{
	struct binary_cache *c;
	static const char *const one[] = { "long ns::mix<long>(long, long)" };
	int body[2] = { marker_line(src_cxx, "CXX_BODY"),
	    marker_line(src_cxx, "CXX_BODY") + 1 };
	int call[1] = { marker_line(src_cxx, "CXX_CALL") };

	if (!build("g++", "cxx", "cxx.cc", src_cxx, "-O2")) {
		fprintf(stderr, "test_dwarf: no g++: C++ names not tested\n");
		return;
	}
	c = binary_cache_new();
	CHECK(scan_inlined(c, tpath("cxx"), "_Z6callerl", "/cxx.cc", 1, one,
	    call, body) > 0);
	binary_cache_free(c);
}

/* Without .debug_aranges (clang leaves it out; objcopy removes it from a
 * gcc build), or with it for some units only, units are found through
 * their own ranges. */
static void
test_no_aranges(void)
{
	static const char other[] = "long other(long x) { return x * 3; }\n";
	struct binary_cache *c = binary_cache_new();

	CHECK(check_sh("cd '%s' && objcopy --remove-section=.debug_aranges loop "
	    "loop-noar", tmpdir));
	check_loop(c, tpath("loop-noar"), tpath("loop-noar"));
	if (build("clang", "loop-clang", "loop.c", src_loop, "-O1")) {
		if (check_sh("readelf -S '%s' | grep -q debug_aranges",
		    tpath("loop-clang")))
			fprintf(stderr, "test_dwarf: clang emitted .debug_aranges\n");
		check_loop(c, tpath("loop-clang"), tpath("loop-clang"));
	} else
		fprintf(stderr, "test_dwarf: no clang: clang's DWARF not tested\n");

	/* .debug_aranges for another unit only, placed before hot()'s: libdwfl
	 * takes that unit for hot()'s addresses (as in Go binaries). */
	CHECK(put("other.c", other, strlen(other)));
	CHECK(check_sh("cd '%s' && gcc -g -O1 -c other.c && gcc -g -O1 -c loop.c && "
	    "objcopy --remove-section=.debug_aranges loop.o && "
	    "gcc -o loop-partial other.o loop.o", tmpdir));
	if (!check_sh("readelf -S '%s' | grep -q debug_aranges", tpath("loop-partial")))
		fprintf(stderr, "test_dwarf: gcc emitted no .debug_aranges\n");
	check_loop(c, tpath("loop-partial"), tpath("loop-partial"));
	binary_cache_free(c);
}

/* (3) A stripped copy has no debug info, every time (the failure is
 * cached, and asked for without why too). */
static void
test_stripped(void)
{
	struct binary_cache *c = binary_cache_new();
	uint64_t off, size, vaddr;
	struct dwarf_line l;
	char *why = NULL;
	int i;

	CHECK(elf_func(tpath("loop"), "hot", &off, &size, &vaddr));
	CHECK(check_sh("strip -o '%s' '%s'", tpath("loop-stripped"), tpath("loop")));
	for (i = 0; i < 2; i++) {
		CHECK(dwarf_line(binary_for_path(c, tpath("loop-stripped")), off, &l, &why) == -1);
		CHECK(why != NULL && strstr(why, "debug info") != NULL);
		CHECK(l.file == NULL && l.line == 0 && l.ninlined == 0);
		free(why);
		why = NULL;
	}
	CHECK(dwarf_line(binary_for_path(c, tpath("loop-stripped")), off, &l, NULL) == -1);
	binary_cache_free(c);
}

/* (4) Split debug info: by build-id under an added debug directory, by
 * .gnu_debuglink beside the file; a debug file of another build is not
 * taken. */
static void
test_split(void)
{
	struct binary_cache *c;
	uint64_t off, size, vaddr;
	struct dwarf_line l;
	char hex[130], *why = NULL;

	CHECK(elf_build_id(tpath("loop"), hex, sizeof hex));
	CHECK(check_sh("cd '%s' && objcopy --only-keep-debug loop loop.debug && "
	    "strip -o loop-split loop && mkdir -p dbg/.build-id/%.2s && "
	    "cp loop.debug dbg/.build-id/%.2s/%s.debug", tmpdir, hex, hex, hex + 2));
	CHECK(elf_func(tpath("loop"), "hot", &off, &size, &vaddr));

	/* Not found without the directory. */
	c = binary_cache_new();
	CHECK(dwarf_line(binary_for_path(c, tpath("loop-split")), off, &l, &why) == -1);
	CHECK(why != NULL && strstr(why, "debug info") != NULL);
	free(why);
	why = NULL;
	binary_cache_free(c);

	c = binary_cache_new();
	binary_cache_add_debug_dir(c, tpath("nonexistent"));
	binary_cache_add_debug_dir(c, tpath("dbg/"));
	check_loop(c, tpath("loop-split"), tpath("loop"));
	binary_cache_free(c);

	/* By .gnu_debuglink, beside the file and in its .debug/. */
	c = binary_cache_new();
	CHECK(check_sh("cd '%s' && objcopy --add-gnu-debuglink=loop.debug loop-split "
	    "loop-linked && mkdir -p sub/.debug && cp loop-linked sub/ && "
	    "cp loop.debug sub/.debug/", tmpdir));
	check_loop(c, tpath("loop-linked"), tpath("loop"));
	check_loop(c, tpath("sub/loop-linked"), tpath("loop"));
	binary_cache_free(c);

	/* A debuglink to another build's debug file: refused by build-id. */
	c = binary_cache_new();
	CHECK(check_sh("cd '%s' && mkdir -p other && objcopy --only-keep-debug inline "
	    "other/loop.debug && objcopy --add-gnu-debuglink=other/loop.debug "
	    "loop-split other/loop-wrong", tmpdir));
	CHECK(dwarf_line(binary_for_path(c, tpath("other/loop-wrong")), off, &l, &why) == -1);
	CHECK(why != NULL && strstr(why, "debug info") != NULL);
	free(why);
	binary_cache_free(c);
}

/* (5) Files that are not binaries with debug info: -1 with a reason. */
static void
test_bad_files(void)
{
	struct binary_cache *c = binary_cache_new(), *cut;
	static const char garbage[] = "\177ELF\002\001\001 this is not an ELF file at all";
	unsigned char noise[4096];
	struct dwarf_line l;
	char *why = NULL;
	size_t i;
	uint64_t off, size, vaddr;

	CHECK(dwarf_line(binary_for_path(c, tpath("no-such-file")), 0x1000, &l, &why) == -1);
	CHECK(why != NULL && strstr(why, "cannot read") != NULL &&
	    strstr(why, "no-such-file") != NULL);
	free(why);
	why = NULL;

	CHECK(put("garbage", garbage, sizeof garbage));
	CHECK(dwarf_line(binary_for_path(c, tpath("garbage")), 0, &l, &why) == -1);
	CHECK(why != NULL && strstr(why, "cannot read") != NULL);
	free(why);
	why = NULL;

	for (i = 0; i < sizeof noise; i++)
		noise[i] = (unsigned char)(i * 7919 + (i >> 3));
	CHECK(put("noise", noise, sizeof noise));
	CHECK(dwarf_line(binary_for_path(c, tpath("noise")), 16, &l, &why) == -1);
	CHECK(why != NULL);
	free(why);
	why = NULL;

	CHECK(put("empty", "", 0));
	CHECK(dwarf_line(binary_for_path(c, tpath("empty")), 0, &l, &why) == -1);
	CHECK(why != NULL);
	free(why);
	why = NULL;

	CHECK(dwarf_line(binary_for_path(c, tmpdir), 0, &l, &why) == -1);
	CHECK(why != NULL && strstr(why, "cannot read") != NULL);
	free(why);
	why = NULL;

	CHECK(dwarf_line(binary_for_path(c, "[vdso]"), 0x100, &l, &why) == -1);
	CHECK(why != NULL && strcmp(why, "no debug info") == 0);
	free(why);
	why = NULL;

	/* A truncated binary (in a cache of its own: it has the build-id of
	 * loop, and a binary is one object per build-id). */
	CHECK(check_sh("head -c 3000 '%s' > '%s'", tpath("loop"), tpath("loop-cut")));
	cut = binary_cache_new();
	CHECK(dwarf_line(binary_for_path(cut, tpath("loop-cut")), 0x1000, &l, &why) == -1);
	CHECK(why != NULL);
	free(why);
	why = NULL;
	binary_cache_free(cut);

	/* Offsets outside the segments of a good binary, then a good one. */
	CHECK(dwarf_line(binary_for_path(c, tpath("loop")), UINT64_MAX, &l, &why) == -1);
	CHECK(why != NULL);
	free(why);
	why = NULL;
	CHECK(dwarf_line(binary_for_path(c, tpath("loop")), 0, &l, NULL) == -1);
	CHECK(elf_func(tpath("loop"), "hot", &off, &size, &vaddr));
	CHECK(dwarf_line(binary_for_path(c, tpath("loop")), off, &l, NULL) == 0);
	binary_cache_free(c);
}

/* Nothing but an empty cache; NULL is freed as nothing. */
static void
test_empty(void)
{
	struct binary_cache *c = binary_cache_new();

	binary_cache_add_debug_dir(c, "");
	binary_cache_add_debug_dir(c, "/nonexistent///");
	CHECK_U64(binary_cache_count(c), 0);
	CHECK_U64(dwarf_nlines(binary_for_path(c, tpath("loop"))), 0);
	binary_cache_free(c);
	binary_cache_free(NULL);
}

/* Run every test. */
int
main(void)
{
	const char *t = getenv("TMPDIR");
	int fds;

	snprintf(tmpdir, sizeof tmpdir, "%s/test_dwarf.XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp");
	test_empty();
	if (!check_sh("{ command -v gcc && command -v objcopy && command -v strip; } >/dev/null") ||
	    mkdtemp(tmpdir) == NULL) {
		fprintf(stderr, "test_dwarf: no gcc/objcopy/strip: skipped\n");
		return 77;
	}
	if (!build("gcc", "probe", "probe.c", "int main(void) { return 0; }\n", "")) {
		fprintf(stderr, "test_dwarf: gcc cannot build: skipped\n");
		(void)check_sh("rm -rf '%s'", tmpdir);
		return 77;
	}
	fds = open_fds();
	test_loop();
	test_shed();
	test_inline();
	test_cxx();
	test_paths();
	test_no_aranges();
	test_stripped();
	test_split();
	test_bad_files();
	CHECK_U64(open_fds(), fds);
	(void)check_sh("rm -rf '%s'", tmpdir);
	return check_exit("test_dwarf");
}
