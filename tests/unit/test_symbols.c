/*
 * Unit tests for the symbol tables: ELF fixtures written at test time
 * (aliases, sizes, labels, versions, segments, build-ids, malformed
 * files), programs compiled at test time (stripped, split debug info by
 * build-id and by .gnu_debuglink, PLT stubs lazy and BIND_NOW, corrupted
 * unwind tables), hand-made unwind tables, this test's own executable,
 * libc and the vdso as mapped, the pseudo-binaries, kallsyms text written
 * at test time, and synthetic tables.
 */
#include "config.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
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
#include "ehframe.h"
#include "maps.h"
#include "symtab.h"

/* The fixtures' layout: two executable segments with different biases. */
#define FX_TEXT_VADDR	0x201000ULL	/* file offset 0x1000: vaddr - 0x200000 */
#define FX_TEXT_OFF	0x1000ULL
#define FX_TEXT_SIZE	0x1000ULL
#define FX_HOT_VADDR	0x205000ULL	/* file offset 0x2000: vaddr - 0x203000 */
#define FX_HOT_OFF	0x2000ULL
#define FX_HOT_SIZE	0xc0ULL		/* then .rodata, to 0x100 */
#define FX_SEG2_SIZE	0x100ULL
#define FX_NOTE_OFF	0x100ULL

/* Fixture section indices. */
enum {
	FX_SEC_NULL,
	FX_SEC_TEXT,
	FX_SEC_HOT,
	FX_SEC_RODATA,
	FX_SEC_NOTE,
	FX_SEC_SYMTAB,
	FX_SEC_STRTAB,
	FX_SEC_DYNSYM,
	FX_SEC_DYNSTR,
	FX_SEC_SHSTRTAB,
	FX_NSECS
};

struct fx_sym {
	const char *name;
	uint64_t value;
	uint64_t size;
	unsigned char type;
	unsigned char bind;
	uint16_t shndx;
	uint32_t bad_name;	/* nonzero: st_name set to this (out of range) */
};

struct fx {
	const struct fx_sym *syms;
	size_t nsyms;
	const struct fx_sym *dyns;
	size_t ndyns;
	const uint8_t *build_id;	/* NULL: no build-id note */
	size_t build_id_len;
};

struct fx_buf {
	unsigned char *p;
	size_t len;
};

int main(void);

static char tmpdir[256];
static unsigned fx_serial;

/* Make sure buf holds at least len bytes (new bytes zeroed). */
static void
fx_reserve(struct fx_buf *buf, size_t len)
{
	if (len <= buf->len)
		return;
	buf->p = realloc(buf->p, len);
	if (buf->p == NULL)
		abort();
	memset(buf->p + buf->len, 0, len - buf->len);
	buf->len = len;
}

/* Write bytes at an offset. */
static void
fx_put(struct fx_buf *buf, size_t off, const void *data, size_t len)
{
	fx_reserve(buf, off + len);
	memcpy(buf->p + off, data, len);
}

/* Append a symbol table and its string table; returns the symtab offset. */
static size_t
fx_symtab(struct fx_buf *buf, const struct fx_sym *syms, size_t n,
    size_t *symsize, size_t *stroff, size_t *strsize, unsigned *firstglobal)
{
	Elf64_Sym s;
	size_t off, i, soff, slen = 1;

	off = (buf->len + 7) & ~(size_t)7;
	*symsize = (n + 1) * sizeof s;
	soff = off + *symsize;
	fx_reserve(buf, soff + 1);
	*firstglobal = 1;
	for (i = 0; i < n; i++) {
		if (syms[i].bind == STB_LOCAL)
			*firstglobal = (unsigned)i + 2;
	}
	for (i = 0; i < n; i++) {
		memset(&s, 0, sizeof s);
		if (syms[i].bad_name != 0)
			s.st_name = syms[i].bad_name;
		else {
			s.st_name = (Elf64_Word)slen;
			fx_put(buf, soff + slen, syms[i].name, strlen(syms[i].name) + 1);
			slen += strlen(syms[i].name) + 1;
		}
		s.st_info = (unsigned char)ELF64_ST_INFO(syms[i].bind, syms[i].type);
		s.st_shndx = syms[i].shndx;
		s.st_value = syms[i].value;
		s.st_size = syms[i].size;
		fx_put(buf, off + (i + 1) * sizeof s, &s, sizeof s);
	}
	*stroff = soff;
	*strsize = slen;
	fx_reserve(buf, soff + slen);
	return off;
}

/* Fill one section header. */
static void
fx_shdr(Elf64_Shdr *sh, uint32_t name, uint32_t type, uint64_t flags,
    uint64_t addr, uint64_t off, uint64_t size, uint32_t link, uint32_t info,
    uint64_t entsize)
{
	memset(sh, 0, sizeof *sh);
	sh->sh_name = name;
	sh->sh_type = type;
	sh->sh_flags = flags;
	sh->sh_addr = addr;
	sh->sh_offset = off;
	sh->sh_size = size;
	sh->sh_link = link;
	sh->sh_info = info;
	sh->sh_addralign = entsize ? 8 : 1;
	sh->sh_entsize = entsize;
}

/* Build a small ELF shared object image in buf. */
static void
fx_build(struct fx_buf *buf, const struct fx *fx)
{
	static const char shstr[] = "\0.text\0.text.hot\0.rodata\0.note.gnu.build-id\0"
	    ".symtab\0.strtab\0.dynsym\0.dynstr\0.shstrtab";
	Elf64_Ehdr eh;
	Elf64_Phdr ph[3];
	Elf64_Shdr sh[FX_NSECS];
	Elf64_Nhdr nh;
	size_t symoff, symsize, stroff, strsize, dynoff, dynsize, dstroff, dstrsize;
	size_t shstroff, shoff, notesize = 0;
	unsigned symfirst, dynfirst;

	memset(buf->p, 0, buf->len);
	buf->len = 0;
	fx_reserve(buf, FX_HOT_OFF + FX_SEG2_SIZE);
	memset(buf->p + FX_TEXT_OFF, 0xc3, FX_TEXT_SIZE);
	memset(buf->p + FX_HOT_OFF, 0xc3, FX_SEG2_SIZE);

	if (fx->build_id != NULL) {
		nh.n_namesz = 4;
		nh.n_descsz = (Elf64_Word)fx->build_id_len;
		nh.n_type = NT_GNU_BUILD_ID;
		fx_put(buf, FX_NOTE_OFF, &nh, sizeof nh);
		fx_put(buf, FX_NOTE_OFF + sizeof nh, "GNU", 4);
		fx_put(buf, FX_NOTE_OFF + sizeof nh + 4, fx->build_id, fx->build_id_len);
		notesize = sizeof nh + 4 + ((fx->build_id_len + 3) & ~(size_t)3);
	}

	symoff = fx_symtab(buf, fx->syms, fx->nsyms, &symsize, &stroff, &strsize,
	    &symfirst);
	dynoff = fx_symtab(buf, fx->dyns, fx->ndyns, &dynsize, &dstroff, &dstrsize,
	    &dynfirst);
	shstroff = buf->len;
	fx_put(buf, shstroff, shstr, sizeof shstr);
	shoff = (buf->len + 7) & ~(size_t)7;

	fx_shdr(&sh[FX_SEC_NULL], 0, SHT_NULL, 0, 0, 0, 0, 0, 0, 0);
	fx_shdr(&sh[FX_SEC_TEXT], 1, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR,
	    FX_TEXT_VADDR, FX_TEXT_OFF, FX_TEXT_SIZE, 0, 0, 0);
	fx_shdr(&sh[FX_SEC_HOT], 7, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR,
	    FX_HOT_VADDR, FX_HOT_OFF, FX_HOT_SIZE, 0, 0, 0);
	fx_shdr(&sh[FX_SEC_RODATA], 17, SHT_PROGBITS, SHF_ALLOC,
	    FX_HOT_VADDR + FX_HOT_SIZE, FX_HOT_OFF + FX_HOT_SIZE,
	    FX_SEG2_SIZE - FX_HOT_SIZE, 0, 0, 0);
	fx_shdr(&sh[FX_SEC_NOTE], 25, SHT_NOTE, 0, 0, FX_NOTE_OFF, notesize, 0, 0, 0);
	sh[FX_SEC_NOTE].sh_addralign = 4;
	fx_shdr(&sh[FX_SEC_SYMTAB], 44, SHT_SYMTAB, 0, 0, symoff, symsize,
	    FX_SEC_STRTAB, symfirst, sizeof (Elf64_Sym));
	fx_shdr(&sh[FX_SEC_STRTAB], 52, SHT_STRTAB, 0, 0, stroff, strsize, 0, 0, 0);
	fx_shdr(&sh[FX_SEC_DYNSYM], 60, SHT_DYNSYM, SHF_ALLOC, 0, dynoff, dynsize,
	    FX_SEC_DYNSTR, dynfirst, sizeof (Elf64_Sym));
	fx_shdr(&sh[FX_SEC_DYNSTR], 68, SHT_STRTAB, SHF_ALLOC, 0, dstroff, dstrsize,
	    0, 0, 0);
	fx_shdr(&sh[FX_SEC_SHSTRTAB], 76, SHT_STRTAB, 0, 0, shstroff, sizeof shstr,
	    0, 0, 0);
	fx_put(buf, shoff, sh, sizeof sh);

	memset(ph, 0, sizeof ph);
	ph[0].p_type = PT_LOAD;
	ph[0].p_flags = PF_R | PF_X;
	ph[0].p_offset = FX_TEXT_OFF;
	ph[0].p_vaddr = ph[0].p_paddr = FX_TEXT_VADDR;
	ph[0].p_filesz = ph[0].p_memsz = FX_TEXT_SIZE;
	ph[0].p_align = 0x1000;
	ph[1] = ph[0];
	ph[1].p_offset = FX_HOT_OFF;
	ph[1].p_vaddr = ph[1].p_paddr = FX_HOT_VADDR;
	ph[1].p_filesz = ph[1].p_memsz = FX_SEG2_SIZE;
	ph[2].p_type = PT_NOTE;
	ph[2].p_flags = PF_R;
	ph[2].p_offset = FX_NOTE_OFF;
	ph[2].p_filesz = ph[2].p_memsz = notesize;
	ph[2].p_align = 4;
	fx_put(buf, sizeof eh, ph, sizeof ph);

	memset(&eh, 0, sizeof eh);
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	eh.e_ident[EI_DATA] = ELFDATA2MSB;
#else
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
#endif
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_DYN;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof eh;
	eh.e_shoff = shoff;
	eh.e_ehsize = sizeof eh;
	eh.e_phentsize = sizeof (Elf64_Phdr);
	eh.e_phnum = fx->build_id != NULL ? 3 : 2;
	eh.e_shentsize = sizeof (Elf64_Shdr);
	eh.e_shnum = FX_NSECS;
	eh.e_shstrndx = FX_SEC_SHSTRTAB;
	fx_put(buf, 0, &eh, sizeof eh);
}

/* Write bytes to dir/name through a rename (so a new inode); returns path. */
static char *
fx_write(const char *name, const void *data, size_t len)
{
	char tmp[512], *path;
	int fd;

	path = malloc(512);
	if (path == NULL)
		abort();
	snprintf(path, 512, "%s/%s", tmpdir, name);
	snprintf(tmp, sizeof tmp, "%s/.tmp%u", tmpdir, fx_serial++);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd == -1 || (len != 0 && write(fd, data, len) != (ssize_t)len) ||
	    close(fd) != 0 || rename(tmp, path) != 0) {
		fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
		abort();
	}
	return path;
}

/* Build a fixture and write it as dir/name. */
static char *
fx_file(const char *name, const struct fx *fx)
{
	struct fx_buf buf = { NULL, 0 };
	char *path;

	fx_reserve(&buf, 1);
	fx_build(&buf, fx);
	path = fx_write(name, buf.p, buf.len);
	free(buf.p);
	return path;
}

/* A struct map for a file, as /proc/PID/maps would show its text. */
static void
fx_map(struct map *m, char *path, uint64_t start)
{
	struct stat st;

	memset(m, 0, sizeof *m);
	m->start = start;
	m->end = start + 0x1000;
	m->offset = FX_TEXT_OFF;
	m->prot = MAPS_PROT_READ | MAPS_PROT_EXEC;
	m->path = path;
	if (stat(path, &st) == 0) {
		m->inode = st.st_ino;
		m->dev_major = major(st.st_dev);
		m->dev_minor = minor(st.st_dev);
	}
}

/* The name of the function at offset in b, or NULL. */
static const char *
name_at(struct binary *b, uint64_t offset)
{
	const struct symtab_func *f = binary_lookup(b, offset);

	return f != NULL ? f->name : NULL;
}

/* The start of the function at offset in b, or UINT64_MAX. */
static uint64_t
start_at(struct binary *b, uint64_t offset)
{
	const struct symtab_func *f = binary_lookup(b, offset);

	return f != NULL ? f->start : UINT64_MAX;
}

#define T(v)	((v) - 0x200000ULL)	/* .text vaddr to file offset */
#define H(v)	((v) - 0x203000ULL)	/* .text.hot vaddr to file offset */

static const uint8_t id_x[20] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77 };
static const uint8_t id_y[20] = { 0x99, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33 };

/* The main fixture's symbol table. */
static const struct fx_sym main_syms[] = {
	{ "a_local", 0x201100, 0x20, STT_FUNC, STB_LOCAL, FX_SEC_TEXT, 0 },
	{ "e_local", 0x201500, 0x10, STT_FUNC, STB_LOCAL, FX_SEC_TEXT, 0 },
	{ "label_gap", 0x201700, 0, STT_NOTYPE, STB_LOCAL, FX_SEC_TEXT, 0 },
	{ "label_inside", 0x201208, 0, STT_NOTYPE, STB_LOCAL, FX_SEC_TEXT, 0 },
	{ "$x", 0x201800, 0, STT_NOTYPE, STB_LOCAL, FX_SEC_TEXT, 0 },
	{ "an_object", 0x201900, 0x10, STT_OBJECT, STB_LOCAL, FX_SEC_TEXT, 0 },
	{ "ro_label", 0x2050d0, 0, STT_NOTYPE, STB_LOCAL, FX_SEC_RODATA, 0 },
	{ "bad_name", 0x201b00, 0x10, STT_FUNC, STB_LOCAL, FX_SEC_TEXT, 0xfffff },
	{ "a_weak", 0x201100, 0x20, STT_FUNC, STB_WEAK, FX_SEC_TEXT, 0 },
	{ "a_global_longer", 0x201100, 0x20, STT_FUNC, STB_GLOBAL, FX_SEC_TEXT, 0 },
	{ "b@@VERS_1", 0x201140, 0x10, STT_FUNC, STB_GLOBAL, FX_SEC_TEXT, 0 },
	{ "bbbbbb", 0x201140, 0x10, STT_FUNC, STB_GLOBAL, FX_SEC_TEXT, 0 },
	{ "ccc_x", 0x201180, 0x10, STT_FUNC, STB_GLOBAL, FX_SEC_TEXT, 0 },
	{ "cc_weak", 0x201180, 0x10, STT_FUNC, STB_WEAK, FX_SEC_TEXT, 0 },
	{ "ccc_a", 0x201180, 0x10, STT_FUNC, STB_GLOBAL, FX_SEC_TEXT, 0 },
	{ "ccc_m", 0x201180, 0x10, STT_FUNC, STB_GLOBAL, FX_SEC_TEXT, 0 },
	{ "d_ver@@GLIBC_2.2", 0x2011c0, 0x10, STT_FUNC, STB_GLOBAL, FX_SEC_TEXT, 0 },
	{ "f_sized", 0x201200, 0x10, STT_FUNC, STB_GLOBAL, FX_SEC_TEXT, 0 },
	{ "g_zero", 0x201300, 0, STT_FUNC, STB_GLOBAL, FX_SEC_TEXT, 0 },
	{ "h_sized", 0x201400, 0x20, STT_FUNC, STB_GLOBAL, FX_SEC_TEXT, 0 },
	{ "e_weak", 0x201500, 0x10, STT_FUNC, STB_WEAK, FX_SEC_TEXT, 0 },
	{ "nested_outer", 0x201600, 0x80, STT_FUNC, STB_GLOBAL, FX_SEC_TEXT, 0 },
	{ "nested_inner", 0x201620, 0x10, STT_FUNC, STB_GLOBAL, FX_SEC_TEXT, 0 },
	{ "abs_func", 0x201a00, 0x10, STT_FUNC, STB_GLOBAL, SHN_ABS, 0 },
	{ "undef_func", 0, 0, STT_FUNC, STB_GLOBAL, SHN_UNDEF, 0 },
	{ "ifunc_sym", 0x201a40, 0x10, STT_GNU_IFUNC, STB_GLOBAL, FX_SEC_TEXT, 0 },
	{ "_ZN3foo3barEv", 0x201c00, 0x10, STT_FUNC, STB_GLOBAL, FX_SEC_TEXT, 0 },
	{ "_ZN4core3fmt5write17h0123456789abcdefE", 0x201c40, 0x10, STT_FUNC,
	    STB_GLOBAL, FX_SEC_TEXT, 0 },
	{ "last_zero", 0x201f00, 0, STT_FUNC, STB_GLOBAL, FX_SEC_TEXT, 0 },
	{ "hot_func", 0x205000, 0x40, STT_FUNC, STB_GLOBAL, FX_SEC_HOT, 0 },
	{ "hot_zero", 0x205080, 0, STT_FUNC, STB_GLOBAL, FX_SEC_HOT, 0 },
};

/* Only in .dynsym: must not show while .symtab has functions. */
static const struct fx_sym main_dyns[] = {
	{ "dyn_only", 0x201d00, 0x10, STT_FUNC, STB_GLOBAL, FX_SEC_TEXT, 0 },
};

/* Aliases, sizes, labels, versions, segments, demangling in one file. */
static void
test_fixture_table(struct binary_cache *c)
{
	struct fx fx = { main_syms, sizeof main_syms / sizeof main_syms[0],
	    main_dyns, 1, id_x, sizeof id_x };
	struct binary *b;
	struct map m;
	char *path;

	path = fx_file("libmain.so.1", &fx);
	fx_map(&m, path, 0x7f0000001000ULL);
	b = binary_for_map(c, getpid(), &m);
	CHECK_STR(binary_name(b), "libmain.so.1");
	CHECK_STR(binary_path(b), path);

	/* Aliases: global > weak > local, unversioned, shortest, strcmp. */
	CHECK_STR(name_at(b, T(0x201100)), "a_global_longer");
	CHECK_STR(name_at(b, T(0x20111f)), "a_global_longer");
	CHECK_U64(start_at(b, T(0x201110)), T(0x201100));
	CHECK_STR(name_at(b, T(0x201140)), "bbbbbb");
	CHECK_STR(name_at(b, T(0x201180)), "ccc_a");
	CHECK_STR(name_at(b, T(0x2011c8)), "d_ver");
	CHECK_STR(name_at(b, T(0x201500)), "e_weak");

	/* Sized symbols cover their size, zero-size ones up to the next. */
	CHECK(binary_lookup(b, T(0x201120)) == NULL);
	CHECK_STR(name_at(b, T(0x20120f)), "f_sized");
	CHECK_STR(name_at(b, T(0x201208)), "f_sized");	/* label inside: dropped */
	CHECK(binary_lookup(b, T(0x201210)) == NULL);
	CHECK(binary_lookup(b, T(0x2012ff)) == NULL);
	CHECK_STR(name_at(b, T(0x201300)), "g_zero");
	CHECK_STR(name_at(b, T(0x2013ff)), "g_zero");
	CHECK_U64(start_at(b, T(0x2013ff)), T(0x201300));
	CHECK_STR(name_at(b, T(0x201400)), "h_sized");
	CHECK(binary_lookup(b, T(0x201420)) == NULL);

	/* Nested sized symbols: the innermost that contains the offset. */
	CHECK_STR(name_at(b, T(0x201610)), "nested_outer");
	CHECK_STR(name_at(b, T(0x201625)), "nested_inner");
	CHECK_STR(name_at(b, T(0x201640)), "nested_outer");
	CHECK_STR(name_at(b, T(0x20167f)), "nested_outer");
	CHECK(binary_lookup(b, T(0x201680)) == NULL);

	/* A label in code is a function; "$x", objects, ABS, UNDEF are not. */
	CHECK_STR(name_at(b, T(0x201700)), "label_gap");
	CHECK_STR(name_at(b, T(0x201800)), "label_gap");
	CHECK_STR(name_at(b, T(0x201a3f)), "label_gap");
	CHECK_STR(name_at(b, T(0x201a40)), "ifunc_sym");
	CHECK(binary_lookup(b, T(0x201a50)) == NULL);
	CHECK(binary_lookup(b, T(0x201b00)) == NULL);	/* name out of range */
	CHECK(binary_lookup(b, T(0x201d00)) == NULL);	/* .dynsym not read */

	/* Names are demangled, Rust hashes dropped. */
	CHECK_STR(name_at(b, T(0x201c00)), "foo::bar()");
	CHECK_STR(name_at(b, T(0x201c04)), "foo::bar()");
	CHECK_STR(name_at(b, T(0x201c40)), "core::fmt::write");

	/* A last zero-size symbol stops at the end of its section. */
	CHECK_STR(name_at(b, T(0x201fff)), "last_zero");
	CHECK_U64(T(0x202000), H(0x205000));
	CHECK_STR(name_at(b, H(0x205000)), "hot_func");
	CHECK_U64(start_at(b, H(0x20503f)), 0x2000);
	CHECK(binary_lookup(b, H(0x205040)) == NULL);
	CHECK_STR(name_at(b, H(0x2050bf)), "hot_zero");
	CHECK(binary_lookup(b, H(0x2050c0)) == NULL);	/* .rodata */
	CHECK(binary_lookup(b, H(0x2050d0)) == NULL);	/* not a code label */
	CHECK(binary_lookup(b, 0) == NULL);
	CHECK(binary_lookup(b, UINT64_MAX) == NULL);

	/* a, b, c, d, e, f, g, h, 2 nested, label, ifunc, 2 mangled, last, 2 hot */
	CHECK_U64(binary_nfuncs(b), 17);
	free(path);
}

/* .dynsym when .symtab has no functions. */
static void
test_fixture_dynsym(struct binary_cache *c)
{
	static const struct fx_sym syms[] = {
		{ "an_object", 0x201900, 0x10, STT_OBJECT, STB_GLOBAL, FX_SEC_TEXT, 0 },
		{ "ro_label", 0x2050d0, 0, STT_NOTYPE, STB_LOCAL, FX_SEC_RODATA, 0 },
	};
	static const struct fx_sym dyns[] = {
		{ "dyn_func", 0x201100, 0x10, STT_FUNC, STB_GLOBAL, FX_SEC_TEXT, 0 },
		{ "dyn_weak", 0x201100, 0x10, STT_FUNC, STB_WEAK, FX_SEC_TEXT, 0 },
		{ "dyn_hot", 0x205010, 0x10, STT_FUNC, STB_GLOBAL, FX_SEC_HOT, 0 },
	};
	struct fx fx = { syms, 2, dyns, 3, NULL, 0 };
	struct binary *b;
	struct map m;
	char *path;

	path = fx_file("libdyn.so", &fx);
	fx_map(&m, path, 0x7f0000100000ULL);
	b = binary_for_map(c, getpid(), &m);
	CHECK_U64(binary_nfuncs(b), 2);
	CHECK_STR(name_at(b, T(0x201108)), "dyn_func");
	CHECK_STR(name_at(b, H(0x205010)), "dyn_hot");
	CHECK_U64(start_at(b, H(0x20501f)), 0x2010);
	free(path);
}

/* Sharing: by path and inode, by build-id; none across different files. */
static void
test_fixture_identity(struct binary_cache *c)
{
	static const struct fx_sym syms[] = {
		{ "shared_func", 0x201100, 0x10, STT_FUNC, STB_GLOBAL, FX_SEC_TEXT, 0 },
	};
	static const struct fx_sym syms2[] = {
		{ "other_func", 0x201100, 0x10, STT_FUNC, STB_GLOBAL, FX_SEC_TEXT, 0 },
	};
	struct fx fx = { syms, 1, NULL, 0, id_y, sizeof id_y };
	struct fx fy = { syms, 1, NULL, 0, id_x, 16 };
	struct fx fnoid = { syms, 1, NULL, 0, NULL, 0 };
	struct fx fother = { syms2, 1, NULL, 0, id_y, sizeof id_y };
	struct fx fnew = { syms2, 1, NULL, 0, id_x, 12 };
	struct binary *b1, *b2, *b3, *b4, *b5, *b6;
	struct map m1, m2, m3, m4, m5;
	char *p1, *p2, *p3, *p4, *p5;

	p1 = fx_file("libid1.so", &fx);
	p2 = fx_file("libid2.so", &fx);		/* a copy: same build-id */
	p3 = fx_file("libid3.so", &fy);		/* another build-id */
	p4 = fx_file("libnoid4.so", &fnoid);
	p5 = fx_file("libnoid5.so", &fnoid);	/* a copy without build-id */

	fx_map(&m1, p1, 0x7f0000200000ULL);
	b1 = binary_for_map(c, getpid(), &m1);
	m1.start += 0x10000;			/* another mapping of the file */
	m1.offset = 0;
	CHECK(binary_for_map(c, getpid(), &m1) == b1);
	CHECK(binary_for_map(c, 1, &m1) == b1);	/* another process */
	fx_map(&m2, p2, 0x7f0000300000ULL);
	b2 = binary_for_map(c, getpid(), &m2);
	CHECK(b2 == b1);
	CHECK_STR(binary_name(b2), "libid1.so");
	fx_map(&m3, p3, 0x7f0000400000ULL);
	b3 = binary_for_map(c, getpid(), &m3);
	CHECK(b3 != b1);
	fx_map(&m4, p4, 0x7f0000500000ULL);
	fx_map(&m5, p5, 0x7f0000600000ULL);
	b4 = binary_for_map(c, getpid(), &m4);
	b5 = binary_for_map(c, getpid(), &m5);
	CHECK(b4 != b5 && b4 != b1 && b5 != b3);
	CHECK_U64(binary_id(b3), binary_id(b1) + 1);
	CHECK_U64(binary_id(b5), binary_id(b4) + 1);
	CHECK_STR(name_at(b5, T(0x201100)), "shared_func");

	/*
	 * Loading is lazy: a file replaced after registration but before the
	 * first lookup is read if it has the same build-id, and refused if
	 * not (its symbols would be another binary's).
	 */
	free(fx_file("libid1.so", &fother));
	b6 = binary_for_map(c, getpid(), &m3);
	CHECK(b6 == b3);
	free(fx_file("libid3.so", &fnew));
	CHECK_U64(binary_nfuncs(b3), 0);
	CHECK(binary_lookup(b3, T(0x201100)) == NULL);
	fnew.build_id_len = 16;
	free(fx_file("libnoid4.so", &fnew));		/* no build-id before */
	CHECK_U64(binary_nfuncs(b4), 0);
	CHECK_STR(name_at(b2, T(0x201100)), "other_func");

	free(p1);
	free(p2);
	free(p3);
	free(p4);
	free(p5);
}

/* A mapping as a perf MMAP2 record with a build-id tells it: the
 * build-id in place of device and inode. */
static void
fx_map_id(struct map *m, char *path, uint64_t start, const uint8_t *id,
    size_t len)
{
	fx_map(m, path, start);
	m->inode = 0;
	m->dev_major = m->dev_minor = 0;
	memcpy(m->build_id, id, len);
	m->build_id_len = (uint8_t)len;
}

/*
 * Mappings whose build-id the kernel told: every copy of a library (each
 * under a fresh path, most deleted before they are looked at) is one
 * binary, named by the first copy that opens, with no key kept per path;
 * a path that names a file with another build-id is not read for it.
 */
static void
test_fixture_told_build_id(void)
{
	static const uint8_t id_c[20] = { 0xc0, 0xff, 0xee, 0x01, 0x02, 0x03 };
	static const uint8_t id_d[20] = { 0xd0, 0xff, 0xee, 0x01, 0x02, 0x03 };
	static const struct fx_sym syms[] = {
		{ "copy_func", 0x201100, 0x10, STT_FUNC, STB_GLOBAL, FX_SEC_TEXT, 0 },
	};
	struct fx fc = { syms, 1, NULL, 0, id_c, sizeof id_c };
	struct fx fo = { syms, 1, NULL, 0, id_x, sizeof id_x };
	struct fx fd = { syms, 1, NULL, 0, id_d, sizeof id_d };
	struct binary_cache *c = binary_cache_new();
	struct binary *b, *b2;
	struct map m;
	char gone[4096], *p1, *p2, *p3;
	const uint8_t *id;
	size_t n, len;

	/* The first copy is gone before it is looked at: no functions yet. */
	snprintf(gone, sizeof gone, "%s/copy-0.so", tmpdir);
	fx_map_id(&m, gone, 0x7f0000100000ULL, id_c, sizeof id_c);
	b = binary_for_map(c, getpid(), &m);
	CHECK(binary_lookup(b, T(0x201100)) == NULL);
	id = binary_build_id(b, &len);
	CHECK(id != NULL && len == sizeof id_c && memcmp(id, id_c, len) == 0);
	/* A later copy still there gives it its file. */
	p1 = fx_file("copy-1.so", &fc);
	fx_map_id(&m, p1, 0x7f0000200000ULL, id_c, sizeof id_c);
	CHECK(binary_for_map(c, getpid(), &m) == b);
	CHECK_STR(name_at(b, T(0x201100)), "copy_func");
	unlink(p1);
	/* Many more copies, each deleted: the same binary, nothing new. */
	n = binary_cache_count(c);
	for (int i = 2; i < 200; i++) {
		snprintf(gone, sizeof gone, "%s/copy-%d.so", tmpdir, i);
		fx_map_id(&m, gone, 0x7f0000300000ULL + 0x10000ULL * (uint64_t)i,
		    id_c, sizeof id_c);
		CHECK(binary_for_map(c, getpid(), &m) == b);
	}
	CHECK_U64(binary_cache_count(c), n);
	CHECK_STR(name_at(b, T(0x201100)), "copy_func");
	/* The same file read from /proc (no build-id told): the same binary. */
	p2 = fx_file("copy-again.so", &fc);
	fx_map(&m, p2, 0x7f0001000000ULL);
	CHECK(binary_for_map(c, getpid(), &m) == b);
	/* Registered by a build-id told, every copy gone; then a copy read
	 * from /proc (no build-id told) is its file. */
	snprintf(gone, sizeof gone, "%s/copy-d0.so", tmpdir);
	fx_map_id(&m, gone, 0x7f0001100000ULL, id_d, sizeof id_d);
	b2 = binary_for_map(c, getpid(), &m);
	CHECK(b2 != b);
	CHECK(binary_lookup(b2, T(0x201100)) == NULL);
	p3 = fx_file("copy-d1.so", &fd);
	fx_map(&m, p3, 0x7f0001200000ULL);
	CHECK(binary_for_map(c, getpid(), &m) == b2);
	CHECK_STR(name_at(b2, T(0x201100)), "copy_func");
	/* A path whose file has another build-id than the one told: a binary
	 * of its own, which that file does not fill. */
	free(fx_file("copy-other.so", &fo));
	snprintf(gone, sizeof gone, "%s/copy-other.so", tmpdir);
	fx_map_id(&m, gone, 0x7f0002000000ULL, id_y, sizeof id_y);
	b2 = binary_for_map(c, getpid(), &m);
	CHECK(b2 != b);
	CHECK_U64(binary_nfuncs(b2), 0);
	CHECK(binary_for_map(c, getpid(), &m) == b2);
	binary_cache_free(c);
	free(p1);
	free(p2);
	free(p3);
}

/*
 * Path keys of files that are gone are dropped once their binaries are
 * cold (copies of a library without build-id, each deleted, would keep
 * one each): not while a sample or a live mapping uses the binary, nor
 * while the file is there; the binaries stay.
 */
static void
test_forget_paths(void)
{
	static const struct fx_sym syms[] = {
		{ "noid_func", 0x201100, 0x10, STT_FUNC, STB_GLOBAL, FX_SEC_TEXT, 0 },
	};
	struct fx fnoid = { syms, 1, NULL, 0, NULL, 0 };
	struct binary_cache *c = binary_cache_new();
	struct binary *gone, *used, *there;
	struct map m;
	char *p1, *p2, *p3;
	uint64_t forgotten;
	size_t nbins;

	p1 = fx_file("noid-gone.so", &fnoid);
	p2 = fx_file("noid-used.so", &fnoid);
	p3 = fx_file("noid-there.so", &fnoid);
	fx_map(&m, p1, 0x7f0000100000ULL);
	gone = binary_for_map(c, getpid(), &m);
	fx_map(&m, p2, 0x7f0000200000ULL);
	used = binary_for_map(c, getpid(), &m);
	fx_map(&m, p3, 0x7f0000300000ULL);
	there = binary_for_map(c, getpid(), &m);
	CHECK(gone != used && used != there && gone != there);
	CHECK_STR(name_at(gone, T(0x201100)), "noid_func");
	CHECK_U64(binary_cache_paths(c, &forgotten), 3);
	CHECK_U64(forgotten, 0);
	nbins = binary_cache_count(c);
	unlink(p1);
	unlink(p2);
	/* Not cold yet: kept. */
	for (int i = 0; i < 10; i++)
		binary_cache_tick(c);
	binary_cache_shed(c, 32);
	CHECK_U64(binary_cache_paths(c, NULL), 3);
	for (int i = 0; i < 40; i++)
		binary_cache_tick(c);
	binary_use(used);
	binary_cache_shed(c, 32);
	CHECK_U64(binary_cache_paths(c, &forgotten), 2);
	CHECK_U64(forgotten, 1);
	CHECK_U64(binary_cache_count(c), nbins);
	CHECK_STR(name_at(gone, T(0x201100)), "noid_func");
	for (int i = 0; i < 40; i++)
		binary_cache_tick(c);
	binary_cache_shed(c, 32);
	CHECK_U64(binary_cache_paths(c, &forgotten), 1);	/* the file there */
	CHECK_U64(forgotten, 2);
	binary_cache_free(c);
	free(p1);
	free(p2);
	free(p3);
}

/* Malformed, truncated, empty and non-regular files: no functions, no crash. */
static void
test_fixture_malformed(void)
{
	struct fx fx = { main_syms, sizeof main_syms / sizeof main_syms[0],
	    main_dyns, 1, id_x, sizeof id_x };
	struct fx_buf buf = { NULL, 0 };
	struct binary_cache *c;
	struct binary *b;
	struct map m;
	unsigned char garbage[4096];
	size_t i, cut, pos, nfunc = 0;
	char *path, fifo[512];
	Elf64_Ehdr *eh;
	Elf64_Shdr *sh;

	fx_reserve(&buf, 1);
	fx_build(&buf, &fx);
	eh = (Elf64_Ehdr *)buf.p;
	for (i = 0; i < sizeof garbage; i++)
		garbage[i] = (unsigned char)(i * 7919 >> 3);

	c = binary_cache_new();
	path = fx_write("empty.so", "", 0);
	fx_map(&m, path, 0x1000);
	CHECK_U64(binary_nfuncs(binary_for_map(c, getpid(), &m)), 0);
	free(path);
	path = fx_write("garbage.so", garbage, sizeof garbage);
	fx_map(&m, path, 0x1000);
	CHECK_U64(binary_nfuncs(binary_for_map(c, getpid(), &m)), 0);
	free(path);
	binary_cache_free(c);

	/* Every truncation of the headers' regions. */
	for (cut = 0; cut < buf.len; cut += (cut < 0x200 || cut > eh->e_shoff) ? 7 : 251) {
		c = binary_cache_new();
		path = fx_write("cut.so", buf.p, cut);
		fx_map(&m, path, 0x1000);
		b = binary_for_map(c, getpid(), &m);
		if (cut <= eh->e_shoff)
			CHECK_U64(binary_nfuncs(b), 0);
		else
			(void)binary_lookup(b, T(0x201100));
		binary_cache_free(c);
		free(path);
	}

	/* Corrupt header fields, one byte at a time. */
	for (pos = 0; pos < buf.len; pos++) {
		if (pos >= 0x200 && pos < FX_HOT_OFF + FX_SEG2_SIZE)
			continue;
		c = binary_cache_new();
		buf.p[pos] ^= 0xa5;
		path = fx_write("flip.so", buf.p, buf.len);
		buf.p[pos] ^= 0xa5;
		fx_map(&m, path, 0x1000);
		b = binary_for_map(c, getpid(), &m);
		nfunc += binary_nfuncs(b);
		(void)binary_lookup(b, T(0x201100));
		(void)binary_lookup(b, H(0x2050bf));
		binary_cache_free(c);
		free(path);
	}
	CHECK(nfunc > 0);

	/* A symbol table linked to a section that is not a string table. */
	sh = (Elf64_Shdr *)(buf.p + eh->e_shoff);
	sh[FX_SEC_SYMTAB].sh_link = FX_SEC_TEXT;
	sh[FX_SEC_DYNSYM].sh_link = 4242;
	c = binary_cache_new();
	path = fx_write("badlink.so", buf.p, buf.len);
	fx_map(&m, path, 0x1000);
	CHECK_U64(binary_nfuncs(binary_for_map(c, getpid(), &m)), 0);
	free(path);

	/* Not regular files: a directory, a device, a FIFO (must not block). */
	m.path = tmpdir;
	CHECK_U64(binary_nfuncs(binary_for_map(c, getpid(), &m)), 0);
	m.path = (char *)"/dev/zero";
	CHECK_U64(binary_nfuncs(binary_for_map(c, getpid(), &m)), 0);
	snprintf(fifo, sizeof fifo, "%s/fifo.so", tmpdir);
	if (mkfifo(fifo, 0600) == 0) {
		m.path = fifo;
		CHECK_U64(binary_nfuncs(binary_for_map(c, getpid(), &m)), 0);
		unlink(fifo);
	}
	binary_cache_free(c);
	free(buf.p);
}

/* One line of /proc/PID/maps that contains addr (or has the given path). */
static bool
pid_map(pid_t pid, uint64_t addr, const char *want_path, struct map *out,
    char *path, size_t pathsize)
{
	char line[4096], perms[8], *p, file[64];
	unsigned long long start, end, offset, inode;
	unsigned dmaj, dmin;
	int n = 0;
	bool found = false;
	FILE *f;

	snprintf(file, sizeof file, "/proc/%ld/maps", (long)pid);
	if ((f = fopen(file, "r")) == NULL)
		return false;
	while (!found && fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "%llx-%llx %7s %llx %x:%x %llu %n", &start, &end, perms,
		    &offset, &dmaj, &dmin, &inode, &n) < 7)
			continue;
		p = line + n;
		p[strcspn(p, "\n")] = '\0';
		if (want_path != NULL ? strcmp(p, want_path) != 0 :
		    (addr < start || addr >= end))
			continue;
		memset(out, 0, sizeof *out);
		out->start = start;
		out->end = end;
		out->offset = offset;
		out->inode = inode;
		out->dev_major = dmaj;
		out->dev_minor = dmin;
		out->prot = (perms[0] == 'r' ? MAPS_PROT_READ : 0) |
		    (perms[1] == 'w' ? MAPS_PROT_WRITE : 0) |
		    (perms[2] == 'x' ? MAPS_PROT_EXEC : 0);
		n = (int)strlen(p);
		if (n > 10 && strcmp(p + n - 10, " (deleted)") == 0) {
			p[n - 10] = '\0';
			out->deleted = true;
		}
		snprintf(path, pathsize, "%s", p);
		out->path = *path != '\0' ? path : NULL;
		found = true;
	}
	fclose(f);
	return found;
}

/* One line of /proc/self/maps that contains addr (or has the given path). */
static bool
self_map(uint64_t addr, const char *want_path, struct map *out, char *path,
    size_t pathsize)
{
	return pid_map(getpid(), addr, want_path, out, path, pathsize);
}

#if defined(__clang__)
#define TEST_NOCLONE
#else
#define TEST_NOCLONE __attribute__((noclone))
#endif

/* A function of this executable, for it to find itself. */
static __attribute__((noinline, used)) TEST_NOCLONE int
symtab_test_target(int x)
{
	int i, acc = 0;

	for (i = 0; i < x; i++)
		acc += i * x ^ (acc >> 3);
	return acc;
}

/* This very test program: its own function by name and offset. */
static void
test_self(struct binary_cache *c)
{
	int (*volatile fn)(int) = symtab_test_target;
	uint64_t addr = (uint64_t)(uintptr_t)fn, off;
	const struct symtab_func *f;
	struct binary *b;
	char path[4096], exe[4096];
	struct map m;
	ssize_t n;

	CHECK(fn(3) >= 0);
	if (!self_map(addr, NULL, &m, path, sizeof path)) {
		CHECK(!"own mapping not found");
		return;
	}
	b = binary_for_map(c, getpid(), &m);
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		CHECK_STR(binary_path(b), exe);
		CHECK_STR(binary_name(b), strrchr(exe, '/') + 1);
	}
	off = addr - m.start + m.offset;
	f = binary_lookup(b, off);
	CHECK(f != NULL);
	if (f == NULL)
		return;
	CHECK_STR(f->name, "symtab_test_target");
	CHECK_U64(f->start, off);
	CHECK(f->size > 0);
	CHECK(binary_lookup(b, off + 1) == f);
	CHECK(binary_lookup(b, off + f->size - 1) == f);
	CHECK(binary_lookup(b, off + f->size) != f);
	CHECK(binary_nfuncs(b) > 10);

	/* main() too, in the same mapping. */
	addr = (uint64_t)(uintptr_t)main;
	if (addr >= m.start && addr < m.end) {
		CHECK_STR(name_at(b, addr - m.start + m.offset), "main");
		CHECK_U64(start_at(b, addr - m.start + m.offset), addr - m.start + m.offset);
	}
}

/* getpid() in libc.so.6 (through .dynsym: Debian strips .symtab). */
static void
test_libc(struct binary_cache *c)
{
	pid_t (*volatile fn)(void) = getpid;
	uint64_t addr = (uint64_t)(uintptr_t)fn, off;
	const struct symtab_func *f;
	struct binary *b, *b2;
	struct map m, m2;
	char path[4096], path2[4096];

	if (!self_map(addr, NULL, &m, path, sizeof path) || m.path == NULL ||
	    strncmp(binary_name(binary_for_map(c, getpid(), &m)), "libc", 4) != 0) {
		fprintf(stderr, "test_symbols: getpid is not in libc here, skipped\n");
		return;
	}
	b = binary_for_map(c, getpid(), &m);
	CHECK_STR(binary_name(b), "libc.so.6");
	off = addr - m.start + m.offset;
	f = binary_lookup(b, off);
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK(strcmp(f->name, "getpid") == 0 || strcmp(f->name, "__getpid") == 0);
		CHECK_U64(f->start, off);
	}
	CHECK(binary_nfuncs(b) > 1000);
	f = binary_lookup(b, off);
	CHECK(f != NULL && strchr(f->name, '@') == NULL);

	/* libc's first (read-only) mapping is the same binary. */
	if (self_map(0, m.path, &m2, path2, sizeof path2)) {
		b2 = binary_for_map(c, getpid(), &m2);
		CHECK(b2 == b);
	}
}

/* The vdso: its own image, offsets from the mapping's start. */
static void
test_vdso(struct binary_cache *c)
{
	const struct symtab_func *f;
	struct binary *b;
	char path[64];
	struct map m;
	uint64_t off;
	bool gettime = false;

	if (!self_map(0, "[vdso]", &m, path, sizeof path)) {
		fprintf(stderr, "test_symbols: no [vdso] mapping, skipped\n");
		return;
	}
	b = binary_for_map(c, getpid(), &m);
	CHECK_STR(binary_name(b), "[vdso]");
	CHECK(binary_for_map(c, 1, &m) == b);
	CHECK(binary_nfuncs(b) >= 2);
	for (off = 0; off < m.end - m.start; off++) {
		f = binary_lookup(b, off);
		if (f == NULL)
			continue;
		CHECK(f->start <= off);
		if (strcmp(f->name, "__vdso_clock_gettime") == 0 ||
		    strcmp(f->name, "clock_gettime") == 0)
			gettime = true;
	}
	CHECK(gettime);
}

/* Whether b has a function named name (or the same without "__vdso_"). */
static bool
has_func(struct binary *b, uint64_t size, const char *name)
{
	const struct symtab_func *f;
	uint64_t off;

	for (off = 0; off < size; off++) {
		f = binary_lookup(b, off);
		if (f != NULL && (strcmp(f->name, name) == 0 ||
		    (strncmp(name, "__vdso_", 7) == 0 && strcmp(f->name, name + 7) == 0)))
			return true;
	}
	return false;
}

/* A forked child that waits until *wfd is closed; returns its pid. */
static pid_t
child_start(int *wfd)
{
	int fds[2];
	char ch;
	pid_t pid;

	if (pipe(fds) != 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(fds[1]);
		while (read(fds[0], &ch, 1) == -1 && errno == EINTR)
			;
		_exit(0);
	}
	close(fds[0]);
	if (pid == -1) {
		close(fds[1]);
		return -1;
	}
	*wfd = fds[1];
	return pid;
}

/* End a child from child_start. */
static void
child_stop(pid_t pid, int wfd)
{
	close(wfd);
	while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
		;
}

/*
 * The vdso of another process is read from its memory (an image only the
 * child still holds gives that image's functions; one build-id, one
 * table), gives the same functions as our own, and falls back to our own
 * once the process is gone.
 */
static void
test_vdso_child(void)
{
	static const struct fx_sym syms[] = {
		{ "child_only", 0x201100, 0x10, STT_FUNC, STB_GLOBAL, FX_SEC_TEXT, 0 },
	};
	struct fx fx = { syms, 1, NULL, 0, id_y, sizeof id_y };
	struct fx fnoid = { syms, 1, NULL, 0, NULL, 0 };
	struct binary_cache *c1 = binary_cache_new(), *c2 = binary_cache_new();
	struct fx_buf img = { NULL, 0 }, noid = { NULL, 0 };
	struct binary *b1, *b2, *bf, *bn;
	const struct symtab_func *f1, *f2;
	char path[64], cpath[64];
	struct map m, cm, fake, fake2;
	uint64_t off, size;
	int wfd = -1;
	pid_t pid;

	fx_reserve(&img, 1);
	fx_build(&img, &fx);
	fx_reserve(&noid, 1);
	fx_build(&noid, &fnoid);
	if (!self_map(0, "[vdso]", &m, path, sizeof path) ||
	    (pid = child_start(&wfd)) == -1) {
		fprintf(stderr, "test_symbols: no [vdso] mapping or no fork, skipped\n");
		goto out;
	}
	/* Our copies of the images are gone: only the child has them. */
	memset(img.p, 0, img.len);
	memset(noid.p, 0, noid.len);
	memset(&fake, 0, sizeof fake);
	fake.start = (uint64_t)(uintptr_t)img.p;
	fake.end = fake.start + img.len;
	fake.path = "[vdso]";
	fake.prot = MAPS_PROT_READ | MAPS_PROT_EXEC;
	fake2 = fake;
	fake2.start = (uint64_t)(uintptr_t)noid.p;
	fake2.end = fake2.start + noid.len;

	CHECK(pid_map(pid, 0, "[vdso]", &cm, cpath, sizeof cpath));
	size = cm.end - cm.start;
	b1 = binary_for_map(c1, pid, &cm);
	CHECK_STR(binary_name(b1), "[vdso]");
	CHECK(has_func(b1, size, "__vdso_clock_gettime"));
	CHECK(binary_for_map(c1, getpid(), &m) == b1);	/* one build-id */

	bf = binary_for_map(c1, pid, &fake);
	CHECK(bf != b1);
	CHECK_STR(binary_name(bf), "[vdso]");
	CHECK_STR(name_at(bf, T(0x201100)), "child_only");
	CHECK(binary_for_map(c1, pid, &fake) == bf);
	bn = binary_for_map(c1, pid, &fake2);		/* no build-id: by bytes */
	CHECK(bn != bf && bn != b1);
	CHECK_STR(name_at(bn, T(0x201100)), "child_only");
	CHECK(binary_for_map(c1, pid, &fake2) == bn);
	child_stop(pid, wfd);

	/* Gone: our own vdso, the same functions at the same offsets. */
	b2 = binary_for_map(c2, pid, &cm);
	CHECK(has_func(b2, size, "__vdso_clock_gettime"));
	CHECK_U64(binary_nfuncs(b2), binary_nfuncs(b1));
	for (off = 0; off < size; off++) {
		f1 = binary_lookup(b1, off);
		f2 = binary_lookup(b2, off);
		CHECK((f1 == NULL) == (f2 == NULL));
		if (f1 == NULL || f2 == NULL)
			continue;
		CHECK_U64(f1->start, f2->start);
		if (strcmp(f1->name, f2->name) != 0)
			CHECK_STR(f1->name, f2->name);
	}
	CHECK(binary_for_map(c2, pid, &fake) == b2);	/* unreadable: ours */
	CHECK(binary_for_map(c2, -1, &fake) == b2);
out:
	binary_cache_free(c1);
	binary_cache_free(c2);
	free(img.p);
	free(noid.p);
}

/*
 * A mapped file replaced (rename onto its path) or deleted after it was
 * mapped: named from what is mapped (through map_files where this
 * process may read it, kept open), never from the file now at the path.
 */
static void
test_replaced(void)
{
	static const struct fx_sym syms[] = {
		{ "mapped_func", 0x201100, 0x10, STT_FUNC, STB_GLOBAL, FX_SEC_TEXT, 0 },
	};
	static const struct fx_sym syms2[] = {
		{ "new_func", 0x201100, 0x10, STT_FUNC, STB_GLOBAL, FX_SEC_TEXT, 0 },
	};
	struct fx fx = { syms, 1, NULL, 0, id_x, 8 };
	struct fx fnew = { syms2, 1, NULL, 0, id_x, 9 };
	struct binary_cache *c = binary_cache_new(), *ct = binary_cache_new();
	struct binary *b, *bd, *bt;
	char *p, *pd, mpath[600], files[128];
	struct map m, old, md, mt;
	void *addr = MAP_FAILED, *addrd = MAP_FAILED;
	bool direct;
	int fd;

	p = fx_file("replaced.so", &fx);
	pd = fx_file("deleted.so", &fx);
	fx_map(&old, p, 0x7f0000700000ULL);	/* as a MMAP record showed it */
	if ((fd = open(p, O_RDONLY)) != -1) {
		addr = mmap(NULL, 0x1000, PROT_READ, MAP_PRIVATE, fd, FX_TEXT_OFF);
		close(fd);
	}
	if ((fd = open(pd, O_RDONLY)) != -1) {
		addrd = mmap(NULL, 0x1000, PROT_READ, MAP_PRIVATE, fd, FX_TEXT_OFF);
		close(fd);
	}
	CHECK(addr != MAP_FAILED && addrd != MAP_FAILED);
	if (addr == MAP_FAILED || addrd == MAP_FAILED)
		goto out;
	free(fx_file("replaced.so", &fnew));
	unlink(pd);
	snprintf(files, sizeof files, "/proc/self/map_files/%lx-%lx",
	    (unsigned long)(uintptr_t)addr, (unsigned long)(uintptr_t)addr + 0x1000);
	direct = access(files, R_OK) == 0;
	fprintf(stderr, "test_symbols: map_files %s\n", direct ? "readable" : "not readable");

	/* Not marked deleted: the path's new inode is refused. */
	CHECK(binary_nfuncs(binary_for_map(c, 1 << 30, &old)) == 0);

	CHECK(self_map((uint64_t)(uintptr_t)addr, NULL, &m, mpath, sizeof mpath));
	CHECK(m.deleted);
	b = binary_for_map(c, getpid(), &m);
	CHECK(self_map((uint64_t)(uintptr_t)addrd, NULL, &md, mpath + 300, 300));
	CHECK(md.deleted);
	bd = binary_for_map(c, getpid(), &md);
	/* As a MMAP2 record with the build-id told it (no inode, not marked
	 * deleted: it was mapped before the path named another file): the
	 * mapping's own file, never the path's. */
	mt = m;
	mt.deleted = false;
	mt.inode = 0;
	mt.dev_major = mt.dev_minor = 0;
	memcpy(mt.build_id, id_x, 8);
	mt.build_id_len = 8;
	bt = binary_for_map(ct, getpid(), &mt);
	munmap(addr, 0x1000);		/* read later: the file was kept open */
	addr = MAP_FAILED;
	munmap(addrd, 0x1000);
	addrd = MAP_FAILED;
	CHECK(name_at(b, T(0x201100)) == NULL ||
	    strcmp(name_at(b, T(0x201100)), "new_func") != 0);
	CHECK(name_at(bt, T(0x201100)) == NULL ||
	    strcmp(name_at(bt, T(0x201100)), "new_func") != 0);
	if (direct) {
		CHECK_STR(name_at(b, T(0x201100)), "mapped_func");
		CHECK_STR(name_at(bd, T(0x201100)), "mapped_func");
		CHECK_STR(name_at(bt, T(0x201100)), "mapped_func");
	} else {
		CHECK_U64(binary_nfuncs(b), 0);
		CHECK_U64(binary_nfuncs(bt), 0);
	}
out:
	if (addr != MAP_FAILED)
		munmap(addr, 0x1000);
	if (addrd != MAP_FAILED)
		munmap(addrd, 0x1000);
	unlink(p);
	unlink(pd);
	free(p);
	free(pd);
	binary_cache_free(c);
	binary_cache_free(ct);
}

/* [kernel]: /proc/kallsyms where addresses are shown. */
static void
test_kernel(struct binary_cache *c)
{
	char line[512], name[256], type;
	unsigned long long addr, want = 0;
	struct binary *k;
	FILE *f;

	k = binary_kernel(c);
	CHECK(binary_kernel(c) == k);
	CHECK_STR(binary_name(k), "[kernel]");
	if ((f = fopen("/proc/kallsyms", "r")) != NULL) {
		while (fgets(line, sizeof line, f) != NULL) {
			if (sscanf(line, "%llx %c %255s", &addr, &type, name) == 3 &&
			    type == 'T' && strcmp(name, "schedule") == 0) {
				want = addr;
				break;
			}
		}
		fclose(f);
	}
	if (want == 0) {
		CHECK_U64(binary_nfuncs(k), 0);
		fprintf(stderr, "test_symbols: kernel addresses hidden, [kernel] empty\n");
		return;
	}
	CHECK(binary_nfuncs(k) > 1000);
	CHECK_STR(name_at(k, want), "schedule");
	CHECK_U64(start_at(k, want + 1), want);
}

/* A new cache whose [kernel] table is read from text written as dir/name. */
static struct binary_cache *
ks_cache(const char *name, const char *text, size_t len)
{
	struct binary_cache *c = binary_cache_new();
	char *path = fx_write(name, text, len);

	binary_cache_set_kallsyms(c, path);
	free(path);
	return c;
}

/* binary_preload reads the table now: the file can go afterwards (the
 * session preloads [kernel] after its first tick). */
static void
test_kernel_preload(void)
{
	static const char text[] =
	    "ffffffff81000000 T _text\n"
	    "ffffffff81000100 T early_fn\n"
	    "ffffffff81000200 T late_fn\n";
	struct binary_cache *c = binary_cache_new();
	char *path = fx_write("kallsyms-preload", text, sizeof text - 1);
	struct binary *k;

	binary_cache_set_kallsyms(c, path);
	k = binary_kernel(c);
	binary_preload(k);
	CHECK(unlink(path) == 0);
	CHECK_STR(name_at(k, 0xffffffff81000180ULL), "early_fn");
	binary_preload(k);
	CHECK_U64(binary_nfuncs(k), 3);
	free(path);
	binary_cache_free(c);
}

/*
 * kallsyms: one symbol per address (T, then W or w, then t; then the
 * shortest name; then byte order), other types left out, each reaching
 * to the next, the last to the end; module symbols after the sorted run
 * in any order, even below it; names demangled.
 */
static void
test_kallsyms_select(void)
{
	static const char text[] =
	    "ffffffff81000000 T _stext\n"
	    "ffffffff81000000 t a_loc\n"
	    "ffffffff81000000 T _text\n"
	    "ffffffff81000010 t zz\n"
	    "ffffffff81000010 W weak_upper\n"
	    "ffffffff81000020 t lb\n"
	    "ffffffff81000020 w weak_lower\n"
	    "ffffffff81000030 t bbb\n"
	    "ffffffff81000030 t cc\n"
	    "ffffffff81000030 t aaa\n"
	    "ffffffff81000040 t qb\n"
	    "ffffffff81000040 t qa\n"
	    "ffffffff81000050 T __pfx_func\n"
	    "ffffffff81000060 T func\n"
	    "ffffffff81000070 D data_sym\n"
	    "ffffffff81000078 R rodata_sym\n"
	    "ffffffff81000080 t _ZN3foo3barEv\n"
	    "ffffffff81000090 T last_vmlinux\n"
	    "ffffffffc0002000 t mod_b\t[mod]\n"
	    "ffffffffc0001000 t mod_a\t[mod]\n"
	    "ffffffffc0003000 T mod_c\t[mod]\n"
	    "ffffffffc0001800 d mod_data\t[mod]\n"
	    "ffffffff80000000 t below\t[low]\n"
	    "ffffffffc0001000 T mod_a_global\t[mod]\n";
	struct binary_cache *c = ks_cache("kallsyms-select", text, sizeof text - 1);
	struct binary *k = binary_kernel(c);
	const struct symtab_func *f;

	CHECK_U64(binary_nfuncs(k), 13);
	CHECK(binary_lookup(k, 0) == NULL);
	CHECK(binary_lookup(k, 0xffffffff7fffffffULL) == NULL);
	CHECK_STR(name_at(k, 0xffffffff80000000ULL), "below");
	CHECK_STR(name_at(k, 0xffffffff80ffffffULL), "below");
	CHECK_STR(name_at(k, 0xffffffff81000000ULL), "_text");
	CHECK_STR(name_at(k, 0xffffffff8100000fULL), "_text");
	CHECK_STR(name_at(k, 0xffffffff81000010ULL), "weak_upper");
	CHECK_STR(name_at(k, 0xffffffff81000020ULL), "weak_lower");
	CHECK_STR(name_at(k, 0xffffffff81000030ULL), "cc");
	CHECK_STR(name_at(k, 0xffffffff81000040ULL), "qa");
	CHECK_STR(name_at(k, 0xffffffff81000050ULL), "__pfx_func");
	CHECK_STR(name_at(k, 0xffffffff8100005fULL), "__pfx_func");
	CHECK_STR(name_at(k, 0xffffffff81000060ULL), "func");
	CHECK_STR(name_at(k, 0xffffffff81000070ULL), "func");	/* data left out */
	CHECK_STR(name_at(k, 0xffffffff8100007fULL), "func");
	CHECK_STR(name_at(k, 0xffffffff81000080ULL), "foo::bar()");
	CHECK_STR(name_at(k, 0xffffffff81000090ULL), "last_vmlinux");
	CHECK_STR(name_at(k, 0xffffffffc0000fffULL), "last_vmlinux");
	CHECK_STR(name_at(k, 0xffffffffc0001000ULL), "mod_a_global");
	CHECK_STR(name_at(k, 0xffffffffc0001800ULL), "mod_a_global");
	CHECK_STR(name_at(k, 0xffffffffc0002000ULL), "mod_b");
	CHECK_STR(name_at(k, 0xffffffffc0003000ULL), "mod_c");
	CHECK_STR(name_at(k, UINT64_MAX - 1), "mod_c");
	CHECK(binary_lookup(k, UINT64_MAX) == NULL);

	f = binary_lookup(k, 0xffffffff81000065ULL);
	CHECK(f != NULL && f == binary_lookup(k, 0xffffffff81000060ULL));
	CHECK(f != NULL && f->start == 0xffffffff81000060ULL && f->size == 0);
	CHECK_U64(start_at(k, 0xffffffffc0002abcULL), 0xffffffffc0002000ULL);
	binary_cache_free(c);
}

/* kallsyms: lines that are not "HEX T NAME" are skipped, whatever else. */
static void
test_kallsyms_malformed(void)
{
	static const char head[] =
	    "ffffffff81000000 T good_first\n"
	    "\n"
	    "garbage\n"
	    "ffffffff81000100\n"
	    "ffffffff81000100 T\n"
	    "ffffffff81000100 T \n"
	    "ffffffff81000100  T two_spaces\n"
	    " ffffffff81000100 T leading_space\n"
	    "0xffffffff81000100 T hex_prefix\n"
	    "-ffffffff81000100 T minus\n"
	    "1ffffffff81000100 T too_big\n"
	    "ffffffff8100010g T bad_digit\n"
	    "ffffffff81000100 TT double_type\n"
	    "ffffffff81000100\tT tab_before_type\n"
	    "ffffffff81000100 t\ttab_after_type\n"
	    "ffffffff81000100 X unknown_type\n"
	    "ffffffff81000100 d data\n"
	    "ffffffff81000100 r rodata\n"
	    "ffffffff81000100 b bss\n"
	    "ffffffff81000100 U undefined\n"
	    "ffffffff81000100 a absolute\n"
	    "FFFFFFFF81000200 T upper_hex\n"
	    "0000000000000000ffffffff81000300 T leading_zeros\n"
	    "ffffffff81000400 t first_word more words\n"
	    "ffffffff81000500 t name_then_tab\t[mod]\n";
	static const char tail[] =
	    "ffffffff81000600 T after_long\n"
	    "ffffffff81000700 T no_newline";
	size_t longlen = 70000, len;
	struct binary_cache *c;
	struct binary *k;
	char *text;

	/* A line longer than any kallsyms line (the reader's buffer): skipped. */
	len = sizeof head - 1 + longlen + 1 + sizeof tail - 1;
	if ((text = malloc(len)) == NULL)
		abort();
	memcpy(text, head, sizeof head - 1);
	memset(text + sizeof head - 1, 'x', longlen);
	memcpy(text + sizeof head - 1, "ffffffff81000580 T ", 19);
	text[sizeof head - 1 + longlen] = '\n';
	memcpy(text + sizeof head + longlen, tail, sizeof tail - 1);
	c = ks_cache("kallsyms-malformed", text, len);
	free(text);
	k = binary_kernel(c);

	CHECK_U64(binary_nfuncs(k), 7);
	CHECK_STR(name_at(k, 0xffffffff81000000ULL), "good_first");
	CHECK_STR(name_at(k, 0xffffffff810001ffULL), "good_first");
	CHECK_STR(name_at(k, 0xffffffff81000200ULL), "upper_hex");
	CHECK_STR(name_at(k, 0xffffffff81000300ULL), "leading_zeros");
	CHECK_STR(name_at(k, 0xffffffff81000400ULL), "first_word");
	CHECK_STR(name_at(k, 0xffffffff81000500ULL), "name_then_tab");
	CHECK_STR(name_at(k, 0xffffffff81000580ULL), "name_then_tab");
	CHECK_STR(name_at(k, 0xffffffff81000600ULL), "after_long");
	CHECK_STR(name_at(k, 0xffffffff81000700ULL), "no_newline");
	binary_cache_free(c);
}

/* kallsyms with addresses hidden (kptr_restrict), empty, or unreadable:
 * an empty [kernel]. */
static void
test_kallsyms_hidden(void)
{
	static const char hidden[] =
	    "0000000000000000 T _text\n"
	    "0000000000000000 T schedule\n"
	    "0000000000000000 t helper\n"
	    "0000000000000000 t mod_func\t[mod]\n";
	struct binary_cache *c, *d;
	struct binary *k;

	c = ks_cache("kallsyms-hidden", hidden, sizeof hidden - 1);
	k = binary_kernel(c);
	CHECK_U64(binary_nfuncs(k), 0);
	CHECK(binary_lookup(k, 0) == NULL);
	CHECK(binary_lookup(k, 0xffffffff81000000ULL) == NULL);
	binary_cache_free(c);

	c = ks_cache("kallsyms-empty", "", 0);
	k = binary_kernel(c);
	CHECK_U64(binary_nfuncs(k), 0);
	CHECK(binary_lookup(k, 0xffffffff81000000ULL) == NULL);
	binary_cache_free(c);

	c = binary_cache_new();
	binary_cache_set_kallsyms(c, "/nonexistent-rrstat-dir/kallsyms");
	k = binary_kernel(c);
	CHECK_U64(binary_nfuncs(k), 0);
	CHECK(binary_lookup(k, 0xffffffff81000000ULL) == NULL);
	binary_cache_free(c);

	/* Set back to /proc/kallsyms: the same table as a cache never set. */
	c = binary_cache_new();
	binary_cache_set_kallsyms(c, "/nonexistent-rrstat-dir/kallsyms");
	binary_cache_set_kallsyms(c, NULL);
	d = binary_cache_new();
	CHECK_U64(binary_nfuncs(binary_kernel(c)), binary_nfuncs(binary_kernel(d)));
	binary_cache_free(d);
	binary_cache_free(c);
}

/*
 * kallsyms of a realistic size: read in many pieces (lines split between
 * reads), names over many pool blocks, __pfx_ names sharing their
 * function's, a sorted run then modules in random order.
 */
static void
test_kallsyms_many(void)
{
	enum { N = 30000, NMOD = 6000 };
	static uint64_t addr[N + NMOD];
	static char names[N + NMOD][48];
	uint64_t x = 0x2545f4914f6cdd1dULL, a = 0xffffffff81000000ULL;
	size_t i, j, order[NMOD], tmp, bad = 0, len = 0, cap = 0;
	struct binary_cache *c;
	struct binary *k;
	const struct symtab_func *f;
	char *text = NULL, line[128];
	int n;

	for (i = 0; i < N; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		if (i % 2 == 0)
			snprintf(names[i], sizeof names[i], "__pfx_f%zu_%.*s", i / 2,
			    (int)(x % 24), "abcdefghijklmnopqrstuvwxyz");
		else
			snprintf(names[i], sizeof names[i], "%s", names[i - 1] + 6);
		addr[i] = a;
		a += (i % 2 == 0) ? 16 : 16 + (x % 4096);
	}
	for (i = 0; i < NMOD; i++) {
		/* Half of them below the sorted run. */
		addr[N + i] = (i % 2 ? 0xffffffffc0000000ULL : 0xffffffff80000000ULL) +
		    (uint64_t)i * 0x40;
		snprintf(names[N + i], sizeof names[N + i], "m%zu", i);
		order[i] = i;
	}
	for (i = NMOD - 1; i > 0; i--) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		j = x % (i + 1);
		tmp = order[i];
		order[i] = order[j];
		order[j] = tmp;
	}
	for (i = 0; i < N + NMOD; i++) {
		j = i < N ? i : N + order[i - N];
		n = snprintf(line, sizeof line, "%016" PRIx64 " %c %s%s\n", addr[j],
		    "TtTW"[j % 4], names[j], j < N ? "" : "\t[mod]");
		if (len + (size_t)n > cap) {
			cap = cap ? cap * 2 : 65536;
			if ((text = realloc(text, cap)) == NULL)
				abort();
		}
		memcpy(text + len, line, (size_t)n);
		len += (size_t)n;
	}
	CHECK(len > 4 * 65536);
	c = ks_cache("kallsyms-many", text, len);
	free(text);
	k = binary_kernel(c);

	CHECK_U64(binary_nfuncs(k), N + NMOD);
	for (i = 0; i < N + NMOD; i++) {
		f = binary_lookup(k, addr[i]);
		if (f == NULL || f->start != addr[i] || strcmp(f->name, names[i]) != 0 ||
		    binary_lookup(k, addr[i] + 15) != f)
			bad++;
	}
	CHECK_U64(bad, 0);
	CHECK(binary_lookup(k, 0xffffffff80000000ULL - 1) == NULL);
	CHECK_STR(name_at(k, UINT64_MAX - 1), "m5999");
	binary_cache_free(c);
}

/* Anonymous mappings and pseudo-files other than the vdso: [anon]. */
static void
test_anon(struct binary_cache *c)
{
	static const char *pseudo[] = { "[heap]", "[stack]", "[vvar]",
	    "[anon:arena]", "[vsyscall]" };
	struct binary *a;
	struct map m;
	size_t i;

	memset(&m, 0, sizeof m);
	m.start = 0x10000;
	m.end = 0x20000;
	a = binary_for_map(c, getpid(), &m);
	CHECK(a == binary_anon(c));
	CHECK_STR(binary_name(a), "[anon]");
	CHECK_U64(binary_nfuncs(a), 0);
	CHECK(binary_lookup(a, 0x100) == NULL);
	for (i = 0; i < sizeof pseudo / sizeof pseudo[0]; i++) {
		m.path = (char *)pseudo[i];
		CHECK(binary_for_map(c, getpid(), &m) == a);
	}
}

/* A file that cannot be read: a binary without functions, named anyway. */
static void
test_unreadable(struct binary_cache *c)
{
	struct binary *b;
	struct map m;

	memset(&m, 0, sizeof m);
	m.start = 0x400000;
	m.end = 0x401000;
	m.inode = 12345;
	m.path = (char *)"/nonexistent-rrstat-dir/libnothere.so.3";
	b = binary_for_map(c, getpid(), &m);
	CHECK(b != NULL);
	CHECK(b != binary_anon(c));
	CHECK_STR(binary_name(b), "libnothere.so.3");
	CHECK_STR(binary_path(b), "/nonexistent-rrstat-dir/libnothere.so.3");
	CHECK_U64(binary_nfuncs(b), 0);
	CHECK(binary_lookup(b, 0) == NULL);
	CHECK(binary_lookup(b, 0x1234) == NULL);
	CHECK(binary_for_map(c, getpid(), &m) == b);

	/* A long path (the cache key does not fit on the stack). */
	m.path = malloc(1024);
	if (m.path == NULL)
		abort();
	memset(m.path, 'x', 1023);
	m.path[0] = '/';
	m.path[1023] = '\0';
	b = binary_for_map(c, getpid(), &m);
	CHECK(binary_for_map(c, getpid(), &m) == b);
	CHECK_U64(strlen(binary_name(b)), 1022);
	CHECK_U64(binary_nfuncs(b), 0);
	free(m.path);
}

/* Ids are dense from 0 in creation order. */
static void
test_ids(void)
{
	struct symtab_func f = { 0x10, 0x10, "f" };
	struct binary_cache *c = binary_cache_new();
	struct binary *a, *k, *s;
	struct map m;

	memset(&m, 0, sizeof m);
	a = binary_anon(c);
	k = binary_kernel(c);
	s = binary_synthetic(c, "synthetic", &f, 1);
	CHECK_U64(binary_id(a), 0);
	CHECK_U64(binary_id(k), 1);
	CHECK_U64(binary_id(s), 2);
	CHECK_U64(binary_id(binary_for_map(c, getpid(), &m)), 0);
	m.path = (char *)"/nonexistent-rrstat-dir/x";
	CHECK_U64(binary_id(binary_for_map(c, getpid(), &m)), 3);
	CHECK_U64(binary_id(binary_anon(c)), 0);
	binary_cache_free(c);
}

/* Synthetic tables: sizes, gaps, zero-size symbols, duplicates. */
static void
test_synthetic(struct binary_cache *c)
{
	struct symtab_func funcs[] = {
		{ 0x400, 0, "last" },
		{ 0x300, 0x20, "sized_c" },
		{ 0x100, 0x10, "sized_a" },
		{ 0x300, 0, "c@VER" },
		{ 0x200, 0, "zero_b" },
		{ 0x108, 0, "inside_a" },
		{ 0x300, 0x20, "alias_longer_c" },
		{ 0x300, 0x20, "sized_b" },
		{ 0x280, 0x0, "_ZN3foo3barEv" },
		{ 0x500, 0x10, "w_longer" },
		{ 0x500, 0, "w" },
		{ 0x1000, 0, "final" },
	};
	size_t n = sizeof funcs / sizeof funcs[0], r, i;
	struct symtab_func rot[sizeof funcs / sizeof funcs[0]];
	char mutable[] = "mutable";
	struct symtab_func one = { 0x10, 0, mutable };
	struct binary *b;

	for (r = 0; r < n; r++) {
		/* Every rotation of the input gives the same table. */
		for (i = 0; i < n; i++)
			rot[i] = funcs[(i + r) % n];
		b = binary_synthetic(c, "synth", rot, n);
		memset(rot, 0, sizeof rot);	/* copied */
		CHECK_STR(binary_name(b), "synth");
		CHECK_U64(binary_nfuncs(b), 7);
		CHECK(binary_lookup(b, 0) == NULL);
		CHECK(binary_lookup(b, 0xff) == NULL);
		CHECK_STR(name_at(b, 0x100), "sized_a");
		CHECK_STR(name_at(b, 0x108), "sized_a");
		CHECK_STR(name_at(b, 0x10f), "sized_a");
		CHECK(binary_lookup(b, 0x110) == NULL);
		CHECK(binary_lookup(b, 0x1ff) == NULL);
		CHECK_STR(name_at(b, 0x200), "zero_b");
		CHECK_STR(name_at(b, 0x27f), "zero_b");
		CHECK_STR(name_at(b, 0x280), "_ZN3foo3barEv");	/* not demangled */
		CHECK_STR(name_at(b, 0x2ff), "_ZN3foo3barEv");
		CHECK_STR(name_at(b, 0x300), "sized_b");
		CHECK_U64(start_at(b, 0x31f), 0x300);
		CHECK(binary_lookup(b, 0x31f) != NULL && binary_lookup(b, 0x31f)->size == 0x20);
		CHECK(binary_lookup(b, 0x320) == NULL);
		CHECK(binary_lookup(b, 0x3ff) == NULL);
		CHECK_STR(name_at(b, 0x400), "last");
		CHECK_STR(name_at(b, 0x4ff), "last");
		/* The preferred alias has no size: the table takes its alias's. */
		CHECK_STR(name_at(b, 0x50f), "w");
		CHECK(binary_lookup(b, 0x510) == NULL);
		CHECK(binary_lookup(b, 0xfff) == NULL);
		CHECK_STR(name_at(b, 0x1000), "final");
		CHECK_STR(name_at(b, 0x123456), "final");
		CHECK_STR(name_at(b, UINT64_MAX - 1), "final");
	}

	b = binary_synthetic(c, "one", &one, 1);
	mutable[0] = 'M';
	CHECK_STR(name_at(b, 0x10), "mutable");
	CHECK(binary_lookup(b, 0xf) == NULL);

	b = binary_synthetic(c, "empty", NULL, 0);
	CHECK_U64(binary_nfuncs(b), 0);
	CHECK(binary_lookup(b, 0x10) == NULL);
}

/* Many functions in random order, at kernel-like and at small offsets. */
static void
test_synthetic_many(struct binary_cache *c)
{
	enum { N = 4000 };
	static struct symtab_func funcs[N];
	static char names[N][16];
	uint64_t x = 88172645463325252ULL, base;
	struct binary *b;
	size_t i, j, bad = 0;
	struct symtab_func tmp;

	for (base = 0; base != 2; base++) {
		for (i = 0; i < N; i++) {
			snprintf(names[i], sizeof names[i], "f%zu", i);
			funcs[i].start = (base ? 0xffffffff81000000ULL : 0x1000) +
			    (uint64_t)i * 0x1234567;
			funcs[i].size = (i % 3 == 0) ? 0 : 0x100;
			funcs[i].name = names[i];
		}
		for (i = N - 1; i > 0; i--) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			j = x % (i + 1);
			tmp = funcs[i];
			funcs[i] = funcs[j];
			funcs[j] = tmp;
		}
		b = binary_synthetic(c, "many", funcs, N);
		CHECK_U64(binary_nfuncs(b), N);
		for (i = 0; i < N; i++) {
			const struct symtab_func *f = binary_lookup(b, funcs[i].start + 0xff);

			if (f == NULL || f != binary_lookup(b, funcs[i].start) ||
			    strcmp(f->name, funcs[i].name) != 0 || f->start != funcs[i].start)
				bad++;
			if (funcs[i].size != 0 && binary_lookup(b, funcs[i].start + 0x100) != NULL)
				bad++;
		}
		CHECK_U64(bad, 0);
	}
}

/*
 * Compiled fixtures: a small program built at test time by the C
 * compiler, then stripped, split from its debug info, linked lazy and
 * BIND_NOW. Its top-level asm gives a zero-size symbol (cc_zero), an FDE
 * without a symbol 16 bytes after it, and a one-byte symbol 16 further.
 */
static const char cc_source[] =
	"#include <stdlib.h>\n"
	"#include <unistd.h>\n"
	"#define HOT __attribute__((noinline, noclone, used))\n"
	"volatile long cc_sink;\n"
	"__asm__(\".text\\n.p2align 4\\n.globl cc_zero\\n.type cc_zero, @function\\n\"\n"
	"    \"cc_zero:\\n\\tnop\\n\\tret\\n.p2align 4\\n\"\n"
	"    \".cfi_startproc\\n\\tnop\\n\\tnop\\n\\tret\\n.cfi_endproc\\n.p2align 4\\n\"\n"
	"    \".globl cc_after\\n.type cc_after, @function\\ncc_after:\\n\\tret\\n\"\n"
	"    \".size cc_after, 1\\n\");\n"
	"HOT long cc_alpha(long n)\n"
	"{\n\tlong i, s = 0;\n\tfor (i = 0; i < n; i++)\n\t\ts += labs(i - n / 2);\n\treturn s;\n}\n"
	"HOT static long cc_local(long n)\n"
	"{\n\tlong i, s = 1;\n\tfor (i = 0; i < n; i++)\n\t\ts = s * 3 + i;\n\treturn s;\n}\n"
	"int main(int argc, char **argv)\n"
	"{\n\tpid_t (*volatile gp)(void) = getpid;\n\t(void)argv;\n"
	"\tcc_sink = cc_alpha(argc) + cc_local(argc) + getpid() + gp();\n\treturn 0;\n}\n";

static char ccdir[300];
static bool cc_ok;


/* A path in the compiled fixtures' directory (static buffer, 4 in turn). */
static const char * __attribute__((format(printf, 1, 2)))
cc_path(const char *fmt, ...)
{
	static char bufs[4][600];
	static unsigned next;
	char *p = bufs[next++ % 4], name[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof name, fmt, ap);
	va_end(ap);
	snprintf(p, 600, "%s/%s", ccdir, name);
	return p;
}

/* Compile the fixture program as name with extra flags; true if built. */
static bool
cc_build(const char *name, const char *flags)
{
	return check_sh("cd '%s' && gcc -std=gnu11 -O2 -fno-builtin -fno-toplevel-reorder "
	    "-fasynchronous-unwind-tables %s -o '%s' prog.c >/dev/null 2>&1",
	    ccdir, flags, name);
}

/* Write the fixture's source and check the tools are there. */
static void
cc_setup(void)
{
	FILE *f;

	snprintf(ccdir, sizeof ccdir, "%s/cc", tmpdir);
	if (mkdir(ccdir, 0755) != 0 || (f = fopen(cc_path("prog.c"), "w")) == NULL)
		return;
	fputs(cc_source, f);
	fclose(f);
#if defined(__x86_64__)
	cc_ok = check_sh("command -v objcopy >/dev/null && command -v strip >/dev/null") &&
	    cc_build("prog", "-Wl,--build-id=sha1");
#endif
	if (!cc_ok)
		fprintf(stderr, "test_symbols: no gcc/objcopy/strip or not x86-64: "
		    "compiled fixtures skipped\n");
}

/* Open an ELF file with libelf; NULL if it cannot. */
static Elf *
cc_elf(const char *path, int *fd)
{
	Elf *elf;

	elf_version(EV_CURRENT);
	if ((*fd = open(path, O_RDONLY)) == -1)
		return NULL;
	if ((elf = elf_begin(*fd, ELF_C_READ, NULL)) == NULL)
		close(*fd);
	return elf;
}

/* The file offset of vaddr through the PT_LOAD headers, or UINT64_MAX. */
static uint64_t
cc_offset(Elf *elf, uint64_t vaddr)
{
	GElf_Phdr ph;
	size_t n, i;

	if (elf_getphdrnum(elf, &n) != 0)
		return UINT64_MAX;
	for (i = 0; i < n; i++) {
		if (gelf_getphdr(elf, (int)i, &ph) != NULL && ph.p_type == PT_LOAD &&
		    vaddr >= ph.p_vaddr && vaddr - ph.p_vaddr < ph.p_filesz)
			return vaddr - ph.p_vaddr + ph.p_offset;
	}
	return UINT64_MAX;
}

/* The file offset and size of symbol name in path's .symtab. */
static uint64_t
cc_sym(const char *path, const char *name, uint64_t *size)
{
	Elf_Scn *scn = NULL;
	Elf_Data *d;
	GElf_Shdr sh;
	GElf_Sym sym;
	uint64_t off = UINT64_MAX;
	const char *s;
	size_t i;
	Elf *elf;
	int fd;

	if ((elf = cc_elf(path, &fd)) == NULL)
		return UINT64_MAX;
	while (off == UINT64_MAX && (scn = elf_nextscn(elf, scn)) != NULL) {
		if (gelf_getshdr(scn, &sh) == NULL || sh.sh_type != SHT_SYMTAB ||
		    (d = elf_getdata(scn, NULL)) == NULL)
			continue;
		for (i = 0; i < sh.sh_size / sizeof (Elf64_Sym); i++) {
			if (gelf_getsym(d, (int)i, &sym) == NULL ||
			    (s = elf_strptr(elf, sh.sh_link, sym.st_name)) == NULL ||
			    strcmp(s, name) != 0)
				continue;
			off = cc_offset(elf, sym.st_value);
			if (size != NULL)
				*size = sym.st_size;
			break;
		}
	}
	elf_end(elf);
	close(fd);
	return off;
}

/* The file offset, size and entry size of section name, or UINT64_MAX. */
static uint64_t
cc_section(const char *path, const char *name, uint64_t *size, uint64_t *entsize)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	uint64_t off = UINT64_MAX;
	size_t shstrndx;
	const char *s;
	Elf *elf;
	int fd;

	if ((elf = cc_elf(path, &fd)) == NULL)
		return UINT64_MAX;
	if (elf_getshdrstrndx(elf, &shstrndx) == 0) {
		while ((scn = elf_nextscn(elf, scn)) != NULL) {
			if (gelf_getshdr(scn, &sh) == NULL ||
			    (s = elf_strptr(elf, shstrndx, sh.sh_name)) == NULL ||
			    strcmp(s, name) != 0)
				continue;
			off = sh.sh_offset;
			*size = sh.sh_size;
			if (entsize != NULL)
				*entsize = sh.sh_entsize;
			break;
		}
	}
	elf_end(elf);
	close(fd);
	return off;
}

/* The GNU build-id of path in hex, or "" if it has none. */
static void
cc_build_id(const char *path, char *hex, size_t hexsize)
{
	unsigned char buf[4096];
	uint64_t off, size;
	Elf64_Nhdr nh;
	size_t i;
	int fd;

	hex[0] = '\0';
	off = cc_section(path, ".note.gnu.build-id", &size, NULL);
	if (off == UINT64_MAX || size > sizeof buf || (fd = open(path, O_RDONLY)) == -1)
		return;
	if (pread(fd, buf, size, (off_t)off) == (ssize_t)size && size >= sizeof nh + 4) {
		memcpy(&nh, buf, sizeof nh);
		for (i = 0; i < nh.n_descsz && sizeof nh + 4 + i < size &&
		    2 * i + 3 <= hexsize; i++)
			snprintf(hex + 2 * i, 3, "%02x", buf[sizeof nh + 4 + i]);
	}
	close(fd);
}

/* The binary behind a compiled fixture in cache c. */
static struct binary *
cc_bin(struct binary_cache *c, const char *path, struct map *m)
{
	fx_map(m, (char *)path, 0x7f0000001000ULL);
	return binary_for_map(c, getpid(), m);
}

/* The name BINARY+0xOFF, in a static buffer. */
static const char *
cc_fde_name(const char *binary, uint64_t off)
{
	static char buf[300];

	snprintf(buf, sizeof buf, "%s+0x%" PRIx64, binary, off);
	return buf;
}

/* Symbols first, FDEs between them, zero-size symbols capped by FDEs. */
static void
test_cc_bounds(struct binary_cache *c)
{
	uint64_t zero, after, alpha, asize;
	const struct symtab_func *f;
	struct binary *b;
	struct map m;

	zero = cc_sym(cc_path("prog"), "cc_zero", NULL);
	after = cc_sym(cc_path("prog"), "cc_after", NULL);
	alpha = cc_sym(cc_path("prog"), "cc_alpha", &asize);
	CHECK(zero != UINT64_MAX && alpha != UINT64_MAX);
	CHECK_U64(after, zero + 0x20);
	if (zero == UINT64_MAX || after != zero + 0x20 || alpha == UINT64_MAX)
		return;
	b = cc_bin(c, cc_path("prog"), &m);
	CHECK(binary_nbounds(b) >= 5);
	CHECK_STR(name_at(b, alpha), "cc_alpha");
	CHECK_STR(name_at(b, alpha + asize - 1), "cc_alpha");
	CHECK_STR(name_at(b, zero), "cc_zero");
	CHECK_STR(name_at(b, zero + 0xf), "cc_zero");
	/* The FDE after cc_zero: named for itself, not swallowed. */
	f = binary_lookup(b, zero + 0x10);
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK_STR(f->name, cc_fde_name("prog", zero + 0x10));
		CHECK_U64(f->start, zero + 0x10);
		CHECK_U64(f->size, 3);
		CHECK(binary_lookup(b, zero + 0x12) == f);
	}
	CHECK(binary_lookup(b, zero + 0x13) == NULL);	/* past the FDE */
	CHECK(binary_lookup(b, zero + 0x1f) == NULL);
	CHECK_STR(name_at(b, after), "cc_after");
	CHECK(binary_lookup(b, after + 1) == NULL);
}

/* A stripped copy: functions from .eh_frame, BINARY+0xSTART, one each.
 * (A cache of its own: in c it is the unstripped file, by build-id.) */
static void
test_cc_stripped(void)
{
	struct binary_cache *c;
	uint64_t zero, alpha, local, mainoff, asize, lsize;
	const struct symtab_func *f, *g;
	struct binary *b;
	struct map m;
	uint64_t i;

	if (!check_sh("strip -o '%s' '%s'", cc_path("prog.stripped"), cc_path("prog"))) {
		CHECK(!"strip failed");
		return;
	}
	zero = cc_sym(cc_path("prog"), "cc_zero", NULL);
	alpha = cc_sym(cc_path("prog"), "cc_alpha", &asize);
	local = cc_sym(cc_path("prog"), "cc_local", &lsize);
	mainoff = cc_sym(cc_path("prog"), "main", NULL);
	CHECK(cc_sym(cc_path("prog.stripped"), "cc_alpha", NULL) == UINT64_MAX);
	c = binary_cache_new();
	b = cc_bin(c, cc_path("prog.stripped"), &m);
	CHECK_STR(binary_name(b), "prog.stripped");
	f = binary_lookup(b, alpha);
	CHECK(f != NULL);
	if (f == NULL) {
		binary_cache_free(c);
		return;
	}
	CHECK_STR(f->name, cc_fde_name("prog.stripped", alpha));
	CHECK_U64(f->start, alpha);
	CHECK(f->size >= asize);
	for (i = 0; i < asize; i++) {
		if (binary_lookup(b, alpha + i) != f)
			break;
	}
	CHECK_U64(i, asize);			/* one function, one row */
	g = binary_lookup(b, local + lsize / 2);
	CHECK(g != NULL && g != f);
	if (g != NULL)
		CHECK_STR(g->name, cc_fde_name("prog.stripped", local));
	CHECK_STR(name_at(b, mainoff + 1), cc_fde_name("prog.stripped", mainoff));
	CHECK(binary_lookup(b, zero) == NULL);	/* no symbol, no FDE */
	CHECK_STR(name_at(b, zero + 0x11), cc_fde_name("prog.stripped", zero + 0x10));
	CHECK(binary_nbounds(b) >= 5);
	binary_cache_free(c);
}

/* The end of the last PT_LOAD's bytes in path's file, or 0. */
static uint64_t
cc_loaded_end(const char *path)
{
	GElf_Phdr ph;
	uint64_t end = 0;
	size_t n, i;
	Elf *elf;
	int fd;

	if ((elf = cc_elf(path, &fd)) == NULL)
		return 0;
	if (elf_getphdrnum(elf, &n) == 0)
		for (i = 0; i < n; i++)
			if (gelf_getphdr(elf, (int)i, &ph) != NULL &&
			    ph.p_type == PT_LOAD && ph.p_offset + ph.p_filesz > end)
				end = ph.p_offset + ph.p_filesz;
	elf_end(elf);
	close(fd);
	return end;
}

/* A file truncated after its loaded part (as one cut while mapped: the
 * section headers and .symtab gone): its dynamic symbols, found through
 * PT_DYNAMIC and either hash table, name its exported functions. */
static void
test_cc_truncated(void)
{
	static const char *const styles[] = { "gnu", "sysv" };
	char name[32], flags[64];
	struct binary_cache *c;
	struct binary *b;
	struct map m;
	uint64_t alpha, end;

	for (size_t i = 0; i < sizeof styles / sizeof styles[0]; i++) {
		snprintf(name, sizeof name, "trunc-%s", styles[i]);
		snprintf(flags, sizeof flags, "-rdynamic -Wl,--hash-style=%s", styles[i]);
		if (!cc_build(name, flags)) {
			CHECK(!"gcc -rdynamic failed");
			continue;
		}
		alpha = cc_sym(cc_path("%s", name), "cc_alpha", NULL);
		end = cc_loaded_end(cc_path("%s", name));
		CHECK(alpha != UINT64_MAX && end > 0);
		if (alpha == UINT64_MAX || end == 0 ||
		    truncate(cc_path("%s", name), (off_t)end) != 0) {
			CHECK(!"cannot truncate the fixture");
			continue;
		}
		CHECK(cc_sym(cc_path("%s", name), "cc_alpha", NULL) == UINT64_MAX);
		c = binary_cache_new();
		b = cc_bin(c, cc_path("%s", name), &m);
		CHECK_STR(name_at(b, alpha + 1), "cc_alpha");
		CHECK_U64(start_at(b, alpha + 1), alpha);
		binary_cache_free(c);
	}
}

/* Separate debug info by build-id: names for a stripped binary. */
static void
test_cc_debug_build_id(void)
{
	char hex[2 * 64 + 1], dir[700];
	uint64_t alpha, local, zero;
	struct binary_cache *c;
	struct binary *b;
	struct map m;

	cc_build_id(cc_path("prog"), hex, sizeof hex);
	CHECK(strlen(hex) == 40);
	if (strlen(hex) < 4)
		return;
	snprintf(dir, sizeof dir, "%s/dbg/.build-id/%.2s", ccdir, hex);
	if (!check_sh("objcopy --only-keep-debug '%s' '%s' && mkdir -p '%s' && "
	    "cp '%s' '%s/%s.debug'", cc_path("prog"), cc_path("prog.debug"), dir,
	    cc_path("prog.debug"), dir, hex + 2)) {
		CHECK(!"objcopy --only-keep-debug failed");
		return;
	}
	alpha = cc_sym(cc_path("prog"), "cc_alpha", NULL);
	local = cc_sym(cc_path("prog"), "cc_local", NULL);
	zero = cc_sym(cc_path("prog"), "cc_zero", NULL);

	/* Not in the default directory: no names. */
	c = binary_cache_new();
	b = cc_bin(c, cc_path("prog.stripped"), &m);
	CHECK_STR(name_at(b, alpha), cc_fde_name("prog.stripped", alpha));
	binary_cache_free(c);

	c = binary_cache_new();
	binary_cache_add_debug_dir(c, cc_path("nothing-here"));
	binary_cache_add_debug_dir(c, cc_path("dbg/"));
	b = cc_bin(c, cc_path("prog.stripped"), &m);
	CHECK_STR(name_at(b, alpha + 1), "cc_alpha");
	CHECK_STR(name_at(b, local), "cc_local");	/* a local: .symtab only */
	CHECK_STR(name_at(b, zero + 1), "cc_zero");
	CHECK_STR(name_at(b, zero + 0x10), cc_fde_name("prog.stripped", zero + 0x10));
	CHECK(binary_lookup(b, zero + 0x13) == NULL);
	CHECK(binary_nfuncs(b) > 5);
	binary_cache_free(c);
}

/* Separate debug info by .gnu_debuglink, its CRC checked (no build-id). */
static void
test_cc_debuglink(void)
{
	static const char *const layouts[] = {
		"beside", "dotdebug", "global", "badcrc", "nolink",
	};
	char dbg[400];
	uint64_t alpha;
	struct binary_cache *c;
	struct binary *b;
	struct map m;
	const char *bin;
	size_t i;
	bool ok;

	if (!cc_build("nb", "-Wl,--build-id=none") ||
	    !check_sh("cd '%s' && objcopy --only-keep-debug nb nb.debug && "
	    "objcopy --strip-all --add-gnu-debuglink=nb.debug nb nb.dl && "
	    "strip -o nb.nolink nb", ccdir)) {
		CHECK(!"cannot build the debuglink fixtures");
		return;
	}
	alpha = cc_sym(cc_path("nb"), "cc_alpha", NULL);
	CHECK(alpha != UINT64_MAX);
	snprintf(dbg, sizeof dbg, "%s/dbg2", ccdir);
	for (i = 0; i < sizeof layouts / sizeof layouts[0]; i++) {
		const char *l = layouts[i];

		ok = check_sh("mkdir -p '%s/%s' && cp '%s' '%s/%s/nb.dl'", ccdir, l,
		    cc_path(strcmp(l, "nolink") == 0 ? "nb.nolink" : "nb.dl"), ccdir, l);
		if (strcmp(l, "beside") == 0 || strcmp(l, "nolink") == 0)
			ok = ok && check_sh("cp '%s' '%s/%s/'", cc_path("nb.debug"), ccdir, l);
		else if (strcmp(l, "dotdebug") == 0)
			ok = ok && check_sh("mkdir -p '%s/%s/.debug' && cp '%s' '%s/%s/.debug/'",
			    ccdir, l, cc_path("nb.debug"), ccdir, l);
		else if (strcmp(l, "global") == 0)
			ok = ok && check_sh("mkdir -p '%s%s/%s' && cp '%s' '%s%s/%s/'", dbg, ccdir,
			    l, cc_path("nb.debug"), dbg, ccdir, l);
		else	/* a debug file one byte off: its CRC does not match */
			ok = ok && check_sh("cp '%s' '%s/%s/' && printf 'X' | dd of='%s/%s/nb.debug' "
			    "bs=1 seek=100 conv=notrunc 2>/dev/null", cc_path("nb.debug"),
			    ccdir, l, ccdir, l);
		CHECK(ok);
		if (!ok)
			continue;
		c = binary_cache_new();
		if (strcmp(l, "global") == 0)
			binary_cache_add_debug_dir(c, dbg);
		bin = cc_path("%s/nb.dl", l);
		b = cc_bin(c, bin, &m);
		if (strcmp(l, "badcrc") == 0 || strcmp(l, "nolink") == 0)
			CHECK_STR(name_at(b, alpha), cc_fde_name("nb.dl", alpha));
		else
			CHECK_STR(name_at(b, alpha), "cc_alpha");
		binary_cache_free(c);
	}
}

/* NAME@plt in .plt, .plt.sec and .plt.got, lazy and BIND_NOW; no _init. */
static void
test_cc_plt(void)
{
	static const struct {
		const char *name;
		const char *flags;
	} builds[] = {
		{ "plt_lazy", "-Wl,-z,lazy" },
		{ "plt_now", "-Wl,-z,now" },
		{ "plt_ibt", "-fcf-protection=full -Wl,-z,ibtplt" },
		{ "plt_nopie", "-fno-pie -no-pie -Wl,-z,now" },
	};
	static const char *const secs[] = { ".plt", ".plt.sec", ".plt.got" };
	const struct symtab_func *f;
	struct binary_cache *c;
	struct binary *b;
	uint64_t off, size, entsize, o;
	struct map m;
	size_t i, j;
	int labs_seen, getpid_seen, init_seen, named;

	for (i = 0; i < sizeof builds / sizeof builds[0]; i++) {
		if (!cc_build(builds[i].name, builds[i].flags)) {
			if (i < 2)
				CHECK(!"cannot build the PLT fixture");
			else
				fprintf(stderr, "test_symbols: %s not built, skipped\n",
				    builds[i].name);
			continue;
		}
		c = binary_cache_new();
		b = cc_bin(c, cc_path("%s", builds[i].name), &m);
		labs_seen = getpid_seen = init_seen = named = 0;
		for (j = 0; j < sizeof secs / sizeof secs[0]; j++) {
			off = cc_section(cc_path("%s", builds[i].name), secs[j], &size, &entsize);
			if (off == UINT64_MAX)
				continue;
			for (o = off; o < off + size; o++) {
				if ((f = binary_lookup(b, o)) == NULL)
					continue;
				if (strcmp(f->name, "_init") == 0)
					init_seen++;
				if (strstr(f->name, "@plt") == NULL)
					continue;
				named++;
				CHECK(f->start >= off && f->start + f->size <= off + size);
				CHECK(f->size == 16 || f->size == 8);
				if (strcmp(f->name, "labs@plt") == 0)
					labs_seen++;
				if (strcmp(f->name, "getpid@plt") == 0)
					getpid_seen++;
			}
		}
		CHECK(labs_seen >= 8);
		CHECK(getpid_seen >= 8);
		CHECK(named >= 24);
		CHECK(init_seen == 0);
		if (labs_seen < 8 || getpid_seen < 8)
			fprintf(stderr, "test_symbols: %s: labs@plt %d, getpid@plt %d bytes\n",
			    builds[i].name, labs_seen, getpid_seen);
		binary_cache_free(c);
	}
}

/* Corrupted unwind tables in a real ELF file: no crash, symbols intact. */
static void
test_cc_corrupt(void)
{
	static const char *const secs[] = { ".eh_frame_hdr", ".eh_frame" };
	struct fx_buf buf = { NULL, 0 };
	uint64_t off, size, alpha, pos, nb = 0;
	struct binary_cache *c;
	struct binary *b;
	struct stat st;
	struct map m;
	char *path;
	size_t i;
	int fd;

	alpha = cc_sym(cc_path("prog"), "cc_alpha", NULL);
	if ((fd = open(cc_path("prog.stripped"), O_RDONLY)) == -1 || fstat(fd, &st) != 0) {
		CHECK(!"no prog.stripped");
		return;
	}
	fx_reserve(&buf, (size_t)st.st_size);
	CHECK(read(fd, buf.p, buf.len) == (ssize_t)buf.len);
	close(fd);
	for (i = 0; i < 2; i++) {
		off = cc_section(cc_path("prog.stripped"), secs[i], &size, NULL);
		CHECK(off != UINT64_MAX && off + size <= buf.len);
		if (off == UINT64_MAX || off + size > buf.len)
			continue;
		for (pos = off; pos < off + size; pos++) {
			buf.p[pos] ^= (unsigned char)(0x80 >> (pos & 7));
			path = fx_write("ehflip", buf.p, buf.len);
			buf.p[pos] ^= (unsigned char)(0x80 >> (pos & 7));
			c = binary_cache_new();
			fx_map(&m, path, 0x1000);
			b = binary_for_map(c, getpid(), &m);
			(void)binary_lookup(b, alpha);
			(void)binary_lookup(b, alpha + 7);
			nb += binary_nbounds(b);
			binary_cache_free(c);
			free(path);
		}
	}
	CHECK(nb > 0);
	/* Truncated inside the tables: the section headers go too. */
	for (pos = buf.len / 2; pos < buf.len; pos += buf.len / 16) {
		path = fx_write("ehflip", buf.p, (size_t)pos);
		c = binary_cache_new();
		fx_map(&m, path, 0x1000);
		(void)binary_lookup(binary_for_map(c, getpid(), &m), alpha);
		binary_cache_free(c);
		free(path);
	}
	free(buf.p);
}

/* A growing byte buffer for hand-made unwind tables. */
struct eb {
	unsigned char p[1024];
	size_t n;
};

/* Append n bytes of v (host order). */
static void
eb_put(struct eb *e, uint64_t v, size_t n)
{
	uint8_t u8 = (uint8_t)v;
	uint16_t u16 = (uint16_t)v;
	uint32_t u32 = (uint32_t)v;

	if (e->n + n > sizeof e->p)
		abort();
	if (n == 1)
		memcpy(e->p + e->n, &u8, 1);
	else if (n == 2)
		memcpy(e->p + e->n, &u16, 2);
	else if (n == 4)
		memcpy(e->p + e->n, &u32, 4);
	else
		memcpy(e->p + e->n, &v, 8);
	e->n += n;
}

/* Append an unsigned LEB128 number. */
static void
eb_uleb(struct eb *e, uint64_t v)
{
	do {
		eb_put(e, (v & 0x7f) | (v >= 0x80 ? 0x80 : 0), 1);
		v >>= 7;
	} while (v != 0);
}

/* Append a string with its NUL. */
static void
eb_str(struct eb *e, const char *s)
{
	size_t i;

	for (i = 0; i <= strlen(s); i++)
		eb_put(e, (unsigned char)s[i], 1);
}

/* Patch the 4-byte length of the entry at start, padding it to 4. */
static void
eb_end(struct eb *e, size_t start, bool len64)
{
	uint32_t len;
	uint64_t len8;

	while ((e->n - start) % 4 != 0)
		eb_put(e, 0, 1);	/* DW_CFA_nop */
	if (len64) {
		len8 = e->n - start - 12;
		memcpy(e->p + start + 4, &len8, 8);
	} else {
		len = (uint32_t)(e->n - start - 4);
		memcpy(e->p + start, &len, 4);
	}
}

/* Start a CIE: returns its offset. */
static size_t
eb_cie(struct eb *e, unsigned version, const char *aug, bool len64)
{
	size_t start = e->n;

	if (len64) {
		eb_put(e, 0xffffffffU, 4);
		eb_put(e, 0, 8);
		eb_put(e, 0, 8);		/* CIE id */
	} else {
		eb_put(e, 0, 4);
		eb_put(e, 0, 4);
	}
	eb_put(e, version, 1);
	eb_str(e, aug);
	if (version == 4) {
		eb_put(e, 8, 1);
		eb_put(e, 0, 1);
	}
	eb_uleb(e, 1);			/* code alignment */
	eb_put(e, 0x78, 1);		/* data alignment -8 (sleb) */
	if (version == 1)
		eb_put(e, 16, 1);
	else
		eb_uleb(e, 16);
	return start;
}

/* Start an FDE for the CIE at cie: returns its offset. */
static size_t
eb_fde(struct eb *e, size_t cie, bool len64)
{
	size_t start = e->n;

	if (len64) {
		eb_put(e, 0xffffffffU, 4);
		eb_put(e, 0, 8);
		eb_put(e, e->n - cie, 8);
	} else {
		eb_put(e, 0, 4);
		eb_put(e, e->n - cie, 4);
	}
	return start;
}

#define EB_EH	0x10000ULL	/* the hand-made .eh_frame's address */
#define EB_HDR	0x20000ULL	/* its .eh_frame_hdr's */

/* The hand-made tables' functions, sorted. */
static const struct ehframe_fde eb_want[] = {
	{ 0x1000, 0x1040, 0 },		/* zR, pcrel|sdata4 */
	{ 0x2000, 0x2020, 0 },		/* zPLR, udata8 */
	{ 0x3000, 0x3010, 0 },		/* no augmentation: absptr */
	{ 0x4000, 0x4030, 0 },		/* 64-bit lengths, udata4 */
	{ 0x5000, 0x5008, 0 },		/* uleb128 */
	{ 0x6000, 0x6100, 0 },		/* version 4, sdata2; cut at 0x6100 */
	{ 0x6100, 0x6110, 0 },
};

/* Build .eh_frame with one FDE per encoding (and some to refuse). */
static void
eb_build(struct eb *e, uint64_t *fdes)
{
	size_t cie, fde, k = 0;

	memset(e, 0, sizeof *e);
	cie = eb_cie(e, 1, "zR", false);
	eb_uleb(e, 1);
	eb_put(e, 0x1b, 1);			/* pcrel | sdata4 */
	eb_end(e, cie, false);
	fde = eb_fde(e, cie, false);
	eb_put(e, (uint64_t)(0x1000 - (EB_EH + e->n)), 4);
	eb_put(e, 0x40, 4);
	eb_uleb(e, 0);
	eb_end(e, fde, false);
	fdes[k++] = EB_EH + fde;

	cie = eb_cie(e, 3, "zPLR", false);
	eb_uleb(e, 7);
	eb_put(e, 0x9b, 1);			/* personality: indirect pcrel sdata4 */
	eb_put(e, 0x12345678, 4);
	eb_put(e, 0x1b, 1);			/* LSDA */
	eb_put(e, 0x04, 1);			/* udata8 */
	eb_end(e, cie, false);
	fde = eb_fde(e, cie, false);
	eb_put(e, 0x2000, 8);
	eb_put(e, 0x20, 8);
	eb_uleb(e, 4);
	eb_put(e, 0, 4);
	eb_end(e, fde, false);
	fdes[k++] = EB_EH + fde;

	cie = eb_cie(e, 1, "", false);
	eb_end(e, cie, false);
	fde = eb_fde(e, cie, false);
	eb_put(e, 0x3000, 8);
	eb_put(e, 0x10, 8);
	eb_end(e, fde, false);
	fdes[k++] = EB_EH + fde;

	cie = eb_cie(e, 1, "zR", true);
	eb_uleb(e, 1);
	eb_put(e, 0x03, 1);			/* udata4 */
	eb_end(e, cie, true);
	fde = eb_fde(e, cie, true);
	eb_put(e, 0x4000, 4);
	eb_put(e, 0x30, 4);
	eb_uleb(e, 0);
	eb_end(e, fde, true);
	fdes[k++] = EB_EH + fde;

	cie = eb_cie(e, 1, "zR", false);
	eb_uleb(e, 1);
	eb_put(e, 0x01, 1);			/* uleb128 */
	eb_end(e, cie, false);
	fde = eb_fde(e, cie, false);
	eb_uleb(e, 0x5000);
	eb_uleb(e, 0x8);
	eb_uleb(e, 0);
	eb_end(e, fde, false);
	fdes[k++] = EB_EH + fde;

	cie = eb_cie(e, 4, "zR", false);
	eb_uleb(e, 1);
	eb_put(e, 0x0a, 1);			/* sdata2 */
	eb_end(e, cie, false);
	fde = eb_fde(e, cie, false);
	eb_put(e, 0x6000, 2);
	eb_put(e, 0x200, 2);			/* overlaps the next: cut */
	eb_uleb(e, 0);
	eb_end(e, fde, false);
	fdes[k++] = EB_EH + fde;
	fde = eb_fde(e, cie, false);
	eb_put(e, 0x6100, 2);
	eb_put(e, 0x10, 2);
	eb_uleb(e, 0);
	eb_end(e, fde, false);
	fdes[k++] = EB_EH + fde;

	/* Refused: datarel in .eh_frame, textrel, an unknown augmentation. */
	cie = eb_cie(e, 1, "zR", false);
	eb_uleb(e, 1);
	eb_put(e, 0x3b, 1);
	eb_end(e, cie, false);
	fde = eb_fde(e, cie, false);
	eb_put(e, 0x7000, 4);
	eb_put(e, 0x10, 4);
	eb_uleb(e, 0);
	eb_end(e, fde, false);
	cie = eb_cie(e, 1, "zR", false);
	eb_uleb(e, 1);
	eb_put(e, 0x23, 1);
	eb_end(e, cie, false);
	fde = eb_fde(e, cie, false);
	eb_put(e, 0x7100, 4);
	eb_put(e, 0x10, 4);
	eb_uleb(e, 0);
	eb_end(e, fde, false);
	cie = eb_cie(e, 1, "zQR", false);
	eb_uleb(e, 1);
	eb_put(e, 0x03, 1);
	eb_end(e, cie, false);
	fde = eb_fde(e, cie, false);
	eb_put(e, 0x7200, 4);
	eb_put(e, 0x10, 4);
	eb_uleb(e, 0);
	eb_end(e, fde, false);
	/* An FDE of zero length, and one whose CIE pointer is wild. */
	fde = eb_fde(e, cie, false);
	eb_put(e, 0x7300, 4);
	eb_put(e, 0, 4);
	eb_uleb(e, 0);
	eb_end(e, fde, false);
	fde = e->n;
	eb_put(e, 12, 4);
	eb_put(e, 0x7fffffff, 4);
	eb_put(e, 0x7400, 4);
	eb_put(e, 0x10, 4);
	eb_put(e, 0, 4);			/* terminator */
}

/* Build an .eh_frame_hdr for the FDEs in table encoding tblenc. */
static void
eb_hdr(struct eb *h, const uint64_t *fdes, size_t n, unsigned tblenc, bool bad)
{
	size_t i, size = (tblenc & 0x0f) == 0x04 ? 8 : 4;
	uint64_t base = (tblenc & 0x70) == 0x30 ? EB_HDR : 0;

	memset(h, 0, sizeof *h);
	eb_put(h, 1, 1);
	eb_put(h, 0x1b, 1);		/* eh_frame_ptr: pcrel sdata4 */
	eb_put(h, 0x03, 1);		/* fde_count: udata4 */
	eb_put(h, tblenc, 1);
	eb_put(h, EB_EH - (EB_HDR + 4), 4);
	eb_put(h, n, 4);
	for (i = 0; i < n; i++) {
		/* The table says where each FDE starts; a wrong one is dropped. */
		eb_put(h, eb_want[i].start + (bad && i == 2 ? 1 : 0) - base, size);
		eb_put(h, fdes[i] - base, size);
	}
}

/* Whether fdes matches eb_want (all, or all but the third). */
static bool
eb_match(const struct ehframe_fde *v, size_t n, bool skip_third)
{
	size_t i, j = 0;

	for (i = 0; i < sizeof eb_want / sizeof eb_want[0]; i++) {
		if (skip_third && i == 2)
			continue;
		if (j >= n || v[j].start != eb_want[i].start || v[j].end != eb_want[i].end)
			return false;
		j++;
	}
	return j == n;
}

/* Every pointer encoding the hand-made tables use, through both paths. */
static void
test_ehframe_encodings(void)
{
	size_t nwant = sizeof eb_want / sizeof eb_want[0], n, i;
	struct ehframe_src src;
	struct ehframe_fde *v;
	uint64_t fdes[16], addr = 0;
	struct eb eh, hdr;

	eb_build(&eh, fdes);
	memset(&src, 0, sizeof src);
	src.eh = eh.p;
	src.ehsize = eh.n;
	src.ehaddr = EB_EH;
	src.ptrsize = 8;
	n = ehframe_read(&src, &v);
	CHECK(eb_match(v, n, false));
	for (i = 0; i < n; i++)
		CHECK(v[i].fde >= EB_EH && v[i].fde < EB_EH + eh.n);
	free(v);

	/* The table, datarel sdata4 (the fast path) and absolute udata8. */
	eb_hdr(&hdr, fdes, nwant, 0x3b, false);
	src.hdr = hdr.p;
	src.hdrsize = hdr.n;
	src.hdraddr = EB_HDR;
	CHECK(ehframe_hdr_eh_addr(&src, &addr) == 0);
	CHECK_U64(addr, EB_EH);
	n = ehframe_hdr_table(&src, &v);
	CHECK_U64(n, nwant);
	for (i = 0; i < n && i < nwant; i++) {
		CHECK_U64(v[i].start, eb_want[i].start);
		CHECK_U64(v[i].end, 0);
		CHECK_U64(v[i].fde, fdes[i]);
	}
	ehframe_resolve(&src, v, n);
	for (i = 0; i < n && i < nwant - 2; i++)
		CHECK_U64(v[i].end, eb_want[i].end);
	free(v);
	n = ehframe_read(&src, &v);
	CHECK(eb_match(v, n, false));
	free(v);

	eb_hdr(&hdr, fdes, nwant, 0x04, true);
	src.hdrsize = hdr.n;
	n = ehframe_read(&src, &v);
	CHECK(eb_match(v, n, true));
	free(v);

	/* No .eh_frame: the table alone still has its starts. */
	src.eh = NULL;
	n = ehframe_hdr_table(&src, &v);
	CHECK_U64(n, nwant);
	ehframe_resolve(&src, v, n);
	for (i = 0; i < n; i++)
		CHECK_U64(v[i].end, 0);
	free(v);
	n = ehframe_read(&src, &v);
	CHECK_U64(n, 0);
	CHECK(v == NULL);

	/* 4-byte pointers: the absptr FDE is read as 4 bytes and fails. */
	src.eh = eh.p;
	src.hdr = NULL;
	src.ptrsize = 4;
	n = ehframe_read(&src, &v);
	CHECK(n >= 4 && n < nwant);
	free(v);
	src.ptrsize = 3;
	CHECK_U64(ehframe_read(&src, &v), 0);
}

/* Run the unwind-table readers on a copy of exactly len bytes. */
static size_t
eb_run(const unsigned char *hdr, size_t hdrlen, const unsigned char *eh,
    size_t ehlen, unsigned ptrsize)
{
	struct ehframe_src src;
	struct ehframe_fde *v;
	unsigned char *h = NULL, *e = NULL;
	uint64_t addr;
	size_t n, total = 0;

	if (hdr != NULL && (h = malloc(hdrlen ? hdrlen : 1)) != NULL)
		memcpy(h, hdr, hdrlen);
	if (eh != NULL && (e = malloc(ehlen ? ehlen : 1)) != NULL)
		memcpy(e, eh, ehlen);
	memset(&src, 0, sizeof src);
	src.hdr = h;
	src.hdrsize = hdrlen;
	src.hdraddr = EB_HDR;
	src.eh = e;
	src.ehsize = ehlen;
	src.ehaddr = EB_EH;
	src.ptrsize = ptrsize;
	(void)ehframe_hdr_eh_addr(&src, &addr);
	n = ehframe_hdr_table(&src, &v);
	ehframe_resolve(&src, v, n);
	free(v);
	total = ehframe_read(&src, &v);
	free(v);
	free(h);
	free(e);
	return total;
}

/* Truncated, corrupted and random unwind tables: never out of bounds. */
static void
test_ehframe_malformed(void)
{
	uint64_t fdes[16], x = 0x2545f4914f6cdd1dULL;
	unsigned char garbage[512];
	struct eb eh, hdr;
	size_t cut, pos, i, bit;

	eb_build(&eh, fdes);
	eb_hdr(&hdr, fdes, sizeof eb_want / sizeof eb_want[0], 0x3b, false);
	CHECK(eb_run(hdr.p, hdr.n, eh.p, eh.n, 8) == sizeof eb_want / sizeof eb_want[0]);
	for (cut = 0; cut <= eh.n; cut++) {
		(void)eb_run(hdr.p, hdr.n, eh.p, cut, 8);
		(void)eb_run(NULL, 0, eh.p, cut, 4);
	}
	for (cut = 0; cut <= hdr.n; cut++)
		(void)eb_run(hdr.p, cut, eh.p, eh.n, 8);
	for (pos = 0; pos < eh.n; pos++) {
		for (bit = 0; bit < 8; bit += 3) {
			eh.p[pos] ^= (unsigned char)(1 << bit);
			(void)eb_run(hdr.p, hdr.n, eh.p, eh.n, 8);
			(void)eb_run(NULL, 0, eh.p, eh.n, 8);
			eh.p[pos] ^= (unsigned char)(1 << bit);
		}
		eh.p[pos] ^= 0xff;
		(void)eb_run(NULL, 0, eh.p, eh.n, 8);
		eh.p[pos] ^= 0xff;
	}
	for (pos = 0; pos < hdr.n; pos++) {
		for (bit = 0; bit < 8; bit++) {
			hdr.p[pos] ^= (unsigned char)(1 << bit);
			(void)eb_run(hdr.p, hdr.n, eh.p, eh.n, 8);
			hdr.p[pos] ^= (unsigned char)(1 << bit);
		}
	}
	for (i = 0; i < 2000; i++) {
		for (pos = 0; pos < sizeof garbage; pos++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			garbage[pos] = (unsigned char)x;
		}
		garbage[0] = 1;		/* a plausible header */
		garbage[4] = (unsigned char)(i & 0x7f);
		(void)eb_run(garbage, 1 + x % sizeof garbage, garbage + 64,
		    x % (sizeof garbage - 64), (i & 1) ? 8 : 4);
	}
	CHECK(eb_run(NULL, 0, NULL, 0, 8) == 0);
}

/* Remove the fixtures. */
static void
cleanup(void)
{
	static const char *names[] = { "libmain.so.1", "libdyn.so", "libid1.so",
	    "libid2.so", "libid3.so", "libnoid4.so", "libnoid5.so", "empty.so",
	    "replaced.so", "deleted.so", "copy-again.so", "copy-other.so",
	    "noid-there.so", "copy-d1.so",
	    "garbage.so", "cut.so", "flip.so", "badlink.so", "fifo.so", "ehflip",
	    "kallsyms-select", "kallsyms-malformed", "kallsyms-hidden",
	    "kallsyms-empty", "kallsyms-many" };
	char path[512];
	size_t i;

	if (ccdir[0] != '\0')
		(void)check_sh("rm -rf '%s'", ccdir);
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", tmpdir, names[i]);
		unlink(path);
	}
	rmdir(tmpdir);
}

/* Run every test. */
int
main(void)
{
	struct binary_cache *c;
	const char *t = getenv("TMPDIR");

	snprintf(tmpdir, sizeof tmpdir, "%s/test_symbols.XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 99;
	}

	c = binary_cache_new();
	test_fixture_table(c);
	test_fixture_dynsym(c);
	test_fixture_identity(c);
	test_self(c);
	test_libc(c);
	test_vdso(c);
	test_vdso_child();
	test_replaced();
	test_kernel(c);
	test_kallsyms_select();
	test_kernel_preload();
	test_kallsyms_malformed();
	test_kallsyms_hidden();
	test_kallsyms_many();
	test_anon(c);
	test_unreadable(c);
	test_synthetic(c);
	test_synthetic_many(c);
	cc_setup();
	if (cc_ok) {
		test_cc_bounds(c);
		test_cc_stripped();
		test_cc_truncated();
		test_cc_debug_build_id();
		test_cc_debuglink();
		test_cc_plt();
		test_cc_corrupt();
	}
	binary_cache_free(c);

	test_ehframe_encodings();
	test_ehframe_malformed();

	test_fixture_malformed();
	test_fixture_told_build_id();
	test_forget_paths();
	test_ids();
	binary_cache_free(NULL);
	cleanup();
	return check_exit("test_symbols");
}
