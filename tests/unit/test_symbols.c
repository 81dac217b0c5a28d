/*
 * Unit tests for the symbol tables: ELF fixtures written at test time
 * (aliases, sizes, labels, versions, segments, build-ids, malformed
 * files), this test's own executable, libc and the vdso as mapped, the
 * pseudo-binaries, and synthetic tables.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "maps.h"
#include "symbols.h"

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
name_at(struct symtab_bin *b, uint64_t offset)
{
	const struct symtab_func *f = symtab_lookup(b, offset);

	return f != NULL ? f->name : NULL;
}

/* The start of the function at offset in b, or UINT64_MAX. */
static uint64_t
start_at(struct symtab_bin *b, uint64_t offset)
{
	const struct symtab_func *f = symtab_lookup(b, offset);

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
test_fixture_table(struct symtab_cache *c)
{
	struct fx fx = { main_syms, sizeof main_syms / sizeof main_syms[0],
	    main_dyns, 1, id_x, sizeof id_x };
	struct symtab_bin *b;
	struct map m;
	char *path;

	path = fx_file("libmain.so.1", &fx);
	fx_map(&m, path, 0x7f0000001000ULL);
	b = symtab_for_map(c, getpid(), &m);
	CHECK_STR(symtab_name(b), "libmain.so.1");
	CHECK_STR(symtab_path(b), path);

	/* Aliases: global > weak > local, unversioned, shortest, strcmp. */
	CHECK_STR(name_at(b, T(0x201100)), "a_global_longer");
	CHECK_STR(name_at(b, T(0x20111f)), "a_global_longer");
	CHECK_U64(start_at(b, T(0x201110)), T(0x201100));
	CHECK_STR(name_at(b, T(0x201140)), "bbbbbb");
	CHECK_STR(name_at(b, T(0x201180)), "ccc_a");
	CHECK_STR(name_at(b, T(0x2011c8)), "d_ver");
	CHECK_STR(name_at(b, T(0x201500)), "e_weak");

	/* Sized symbols cover their size, zero-size ones up to the next. */
	CHECK(symtab_lookup(b, T(0x201120)) == NULL);
	CHECK_STR(name_at(b, T(0x20120f)), "f_sized");
	CHECK_STR(name_at(b, T(0x201208)), "f_sized");	/* label inside: dropped */
	CHECK(symtab_lookup(b, T(0x201210)) == NULL);
	CHECK(symtab_lookup(b, T(0x2012ff)) == NULL);
	CHECK_STR(name_at(b, T(0x201300)), "g_zero");
	CHECK_STR(name_at(b, T(0x2013ff)), "g_zero");
	CHECK_U64(start_at(b, T(0x2013ff)), T(0x201300));
	CHECK_STR(name_at(b, T(0x201400)), "h_sized");
	CHECK(symtab_lookup(b, T(0x201420)) == NULL);

	/* Nested sized symbols: the innermost that contains the offset. */
	CHECK_STR(name_at(b, T(0x201610)), "nested_outer");
	CHECK_STR(name_at(b, T(0x201625)), "nested_inner");
	CHECK_STR(name_at(b, T(0x201640)), "nested_outer");
	CHECK_STR(name_at(b, T(0x20167f)), "nested_outer");
	CHECK(symtab_lookup(b, T(0x201680)) == NULL);

	/* A label in code is a function; "$x", objects, ABS, UNDEF are not. */
	CHECK_STR(name_at(b, T(0x201700)), "label_gap");
	CHECK_STR(name_at(b, T(0x201800)), "label_gap");
	CHECK_STR(name_at(b, T(0x201a3f)), "label_gap");
	CHECK_STR(name_at(b, T(0x201a40)), "ifunc_sym");
	CHECK(symtab_lookup(b, T(0x201a50)) == NULL);
	CHECK(symtab_lookup(b, T(0x201b00)) == NULL);	/* name out of range */
	CHECK(symtab_lookup(b, T(0x201d00)) == NULL);	/* .dynsym not read */

	/* Names are demangled, Rust hashes dropped. */
	CHECK_STR(name_at(b, T(0x201c00)), "foo::bar()");
	CHECK_STR(name_at(b, T(0x201c04)), "foo::bar()");
	CHECK_STR(name_at(b, T(0x201c40)), "core::fmt::write");

	/* A last zero-size symbol stops at the end of its section. */
	CHECK_STR(name_at(b, T(0x201fff)), "last_zero");
	CHECK_U64(T(0x202000), H(0x205000));
	CHECK_STR(name_at(b, H(0x205000)), "hot_func");
	CHECK_U64(start_at(b, H(0x20503f)), 0x2000);
	CHECK(symtab_lookup(b, H(0x205040)) == NULL);
	CHECK_STR(name_at(b, H(0x2050bf)), "hot_zero");
	CHECK(symtab_lookup(b, H(0x2050c0)) == NULL);	/* .rodata */
	CHECK(symtab_lookup(b, H(0x2050d0)) == NULL);	/* not a code label */
	CHECK(symtab_lookup(b, 0) == NULL);
	CHECK(symtab_lookup(b, UINT64_MAX) == NULL);

	/* a, b, c, d, e, f, g, h, 2 nested, label, ifunc, 2 mangled, last, 2 hot */
	CHECK_U64(symtab_nfuncs(b), 17);
	free(path);
}

/* .dynsym when .symtab has no functions. */
static void
test_fixture_dynsym(struct symtab_cache *c)
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
	struct symtab_bin *b;
	struct map m;
	char *path;

	path = fx_file("libdyn.so", &fx);
	fx_map(&m, path, 0x7f0000100000ULL);
	b = symtab_for_map(c, getpid(), &m);
	CHECK_U64(symtab_nfuncs(b), 2);
	CHECK_STR(name_at(b, T(0x201108)), "dyn_func");
	CHECK_STR(name_at(b, H(0x205010)), "dyn_hot");
	CHECK_U64(start_at(b, H(0x20501f)), 0x2010);
	free(path);
}

/* Sharing: by path and inode, by build-id; none across different files. */
static void
test_fixture_identity(struct symtab_cache *c)
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
	struct symtab_bin *b1, *b2, *b3, *b4, *b5, *b6;
	struct map m1, m2, m3, m4, m5;
	char *p1, *p2, *p3, *p4, *p5;

	p1 = fx_file("libid1.so", &fx);
	p2 = fx_file("libid2.so", &fx);		/* a copy: same build-id */
	p3 = fx_file("libid3.so", &fy);		/* another build-id */
	p4 = fx_file("libnoid4.so", &fnoid);
	p5 = fx_file("libnoid5.so", &fnoid);	/* a copy without build-id */

	fx_map(&m1, p1, 0x7f0000200000ULL);
	b1 = symtab_for_map(c, getpid(), &m1);
	m1.start += 0x10000;			/* another mapping of the file */
	m1.offset = 0;
	CHECK(symtab_for_map(c, getpid(), &m1) == b1);
	CHECK(symtab_for_map(c, 1, &m1) == b1);	/* another process */
	fx_map(&m2, p2, 0x7f0000300000ULL);
	b2 = symtab_for_map(c, getpid(), &m2);
	CHECK(b2 == b1);
	CHECK_STR(symtab_name(b2), "libid1.so");
	fx_map(&m3, p3, 0x7f0000400000ULL);
	b3 = symtab_for_map(c, getpid(), &m3);
	CHECK(b3 != b1);
	fx_map(&m4, p4, 0x7f0000500000ULL);
	fx_map(&m5, p5, 0x7f0000600000ULL);
	b4 = symtab_for_map(c, getpid(), &m4);
	b5 = symtab_for_map(c, getpid(), &m5);
	CHECK(b4 != b5 && b4 != b1 && b5 != b3);
	CHECK_U64(symtab_id(b3), symtab_id(b1) + 1);
	CHECK_U64(symtab_id(b5), symtab_id(b4) + 1);
	CHECK_STR(name_at(b5, T(0x201100)), "shared_func");

	/*
	 * Loading is lazy: a file replaced after registration but before the
	 * first lookup is read if it has the same build-id, and refused if
	 * not (its symbols would be another binary's).
	 */
	free(fx_file("libid1.so", &fother));
	b6 = symtab_for_map(c, getpid(), &m3);
	CHECK(b6 == b3);
	free(fx_file("libid3.so", &fnew));
	CHECK_U64(symtab_nfuncs(b3), 0);
	CHECK(symtab_lookup(b3, T(0x201100)) == NULL);
	fnew.build_id_len = 16;
	free(fx_file("libnoid4.so", &fnew));		/* no build-id before */
	CHECK_U64(symtab_nfuncs(b4), 0);
	CHECK_STR(name_at(b2, T(0x201100)), "other_func");

	free(p1);
	free(p2);
	free(p3);
	free(p4);
	free(p5);
}

/* Malformed, truncated, empty and non-regular files: no functions, no crash. */
static void
test_fixture_malformed(void)
{
	struct fx fx = { main_syms, sizeof main_syms / sizeof main_syms[0],
	    main_dyns, 1, id_x, sizeof id_x };
	struct fx_buf buf = { NULL, 0 };
	struct symtab_cache *c;
	struct symtab_bin *b;
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

	c = symtab_cache_new();
	path = fx_write("empty.so", "", 0);
	fx_map(&m, path, 0x1000);
	CHECK_U64(symtab_nfuncs(symtab_for_map(c, getpid(), &m)), 0);
	free(path);
	path = fx_write("garbage.so", garbage, sizeof garbage);
	fx_map(&m, path, 0x1000);
	CHECK_U64(symtab_nfuncs(symtab_for_map(c, getpid(), &m)), 0);
	free(path);
	symtab_cache_free(c);

	/* Every truncation of the headers' regions. */
	for (cut = 0; cut < buf.len; cut += (cut < 0x200 || cut > eh->e_shoff) ? 7 : 251) {
		c = symtab_cache_new();
		path = fx_write("cut.so", buf.p, cut);
		fx_map(&m, path, 0x1000);
		b = symtab_for_map(c, getpid(), &m);
		if (cut <= eh->e_shoff)
			CHECK_U64(symtab_nfuncs(b), 0);
		else
			(void)symtab_lookup(b, T(0x201100));
		symtab_cache_free(c);
		free(path);
	}

	/* Corrupt header fields, one byte at a time. */
	for (pos = 0; pos < buf.len; pos++) {
		if (pos >= 0x200 && pos < FX_HOT_OFF + FX_SEG2_SIZE)
			continue;
		c = symtab_cache_new();
		buf.p[pos] ^= 0xa5;
		path = fx_write("flip.so", buf.p, buf.len);
		buf.p[pos] ^= 0xa5;
		fx_map(&m, path, 0x1000);
		b = symtab_for_map(c, getpid(), &m);
		nfunc += symtab_nfuncs(b);
		(void)symtab_lookup(b, T(0x201100));
		(void)symtab_lookup(b, H(0x2050bf));
		symtab_cache_free(c);
		free(path);
	}
	CHECK(nfunc > 0);

	/* A symbol table linked to a section that is not a string table. */
	sh = (Elf64_Shdr *)(buf.p + eh->e_shoff);
	sh[FX_SEC_SYMTAB].sh_link = FX_SEC_TEXT;
	sh[FX_SEC_DYNSYM].sh_link = 4242;
	c = symtab_cache_new();
	path = fx_write("badlink.so", buf.p, buf.len);
	fx_map(&m, path, 0x1000);
	CHECK_U64(symtab_nfuncs(symtab_for_map(c, getpid(), &m)), 0);
	free(path);

	/* Not regular files: a directory, a device, a FIFO (must not block). */
	m.path = tmpdir;
	CHECK_U64(symtab_nfuncs(symtab_for_map(c, getpid(), &m)), 0);
	m.path = (char *)"/dev/zero";
	CHECK_U64(symtab_nfuncs(symtab_for_map(c, getpid(), &m)), 0);
	snprintf(fifo, sizeof fifo, "%s/fifo.so", tmpdir);
	if (mkfifo(fifo, 0600) == 0) {
		m.path = fifo;
		CHECK_U64(symtab_nfuncs(symtab_for_map(c, getpid(), &m)), 0);
		unlink(fifo);
	}
	symtab_cache_free(c);
	free(buf.p);
}

/* One line of /proc/self/maps that contains addr (or has the given path). */
static bool
self_map(uint64_t addr, const char *want_path, struct map *out, char *path,
    size_t pathsize)
{
	char line[4096], perms[8], *p;
	unsigned long long start, end, offset, inode;
	unsigned dmaj, dmin;
	int n = 0;
	bool found = false;
	FILE *f;

	if ((f = fopen("/proc/self/maps", "r")) == NULL)
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
		snprintf(path, pathsize, "%s", p);
		out->path = *path != '\0' ? path : NULL;
		found = true;
	}
	fclose(f);
	return found;
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
test_self(struct symtab_cache *c)
{
	int (*volatile fn)(int) = symtab_test_target;
	uint64_t addr = (uint64_t)(uintptr_t)fn, off;
	const struct symtab_func *f;
	struct symtab_bin *b;
	char path[4096], exe[4096];
	struct map m;
	ssize_t n;

	CHECK(fn(3) >= 0);
	if (!self_map(addr, NULL, &m, path, sizeof path)) {
		CHECK(!"own mapping not found");
		return;
	}
	b = symtab_for_map(c, getpid(), &m);
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		CHECK_STR(symtab_path(b), exe);
		CHECK_STR(symtab_name(b), strrchr(exe, '/') + 1);
	}
	off = addr - m.start + m.offset;
	f = symtab_lookup(b, off);
	CHECK(f != NULL);
	if (f == NULL)
		return;
	CHECK_STR(f->name, "symtab_test_target");
	CHECK_U64(f->start, off);
	CHECK(f->size > 0);
	CHECK(symtab_lookup(b, off + 1) == f);
	CHECK(symtab_lookup(b, off + f->size - 1) == f);
	CHECK(symtab_lookup(b, off + f->size) != f);
	CHECK(symtab_nfuncs(b) > 10);

	/* main() too, in the same mapping. */
	addr = (uint64_t)(uintptr_t)main;
	if (addr >= m.start && addr < m.end) {
		CHECK_STR(name_at(b, addr - m.start + m.offset), "main");
		CHECK_U64(start_at(b, addr - m.start + m.offset), addr - m.start + m.offset);
	}
}

/* getpid() in libc.so.6 (through .dynsym: Debian strips .symtab). */
static void
test_libc(struct symtab_cache *c)
{
	pid_t (*volatile fn)(void) = getpid;
	uint64_t addr = (uint64_t)(uintptr_t)fn, off;
	const struct symtab_func *f;
	struct symtab_bin *b, *b2;
	struct map m, m2;
	char path[4096], path2[4096];

	if (!self_map(addr, NULL, &m, path, sizeof path) || m.path == NULL ||
	    strncmp(symtab_name(symtab_for_map(c, getpid(), &m)), "libc", 4) != 0) {
		fprintf(stderr, "test_symbols: getpid is not in libc here, skipped\n");
		return;
	}
	b = symtab_for_map(c, getpid(), &m);
	CHECK_STR(symtab_name(b), "libc.so.6");
	off = addr - m.start + m.offset;
	f = symtab_lookup(b, off);
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK(strcmp(f->name, "getpid") == 0 || strcmp(f->name, "__getpid") == 0);
		CHECK_U64(f->start, off);
	}
	CHECK(symtab_nfuncs(b) > 1000);
	f = symtab_lookup(b, off);
	CHECK(f != NULL && strchr(f->name, '@') == NULL);

	/* libc's first (read-only) mapping is the same binary. */
	if (self_map(0, m.path, &m2, path2, sizeof path2)) {
		b2 = symtab_for_map(c, getpid(), &m2);
		CHECK(b2 == b);
	}
}

/* The vdso: its own image, offsets from the mapping's start. */
static void
test_vdso(struct symtab_cache *c)
{
	const struct symtab_func *f;
	struct symtab_bin *b;
	char path[64];
	struct map m;
	uint64_t off;
	bool gettime = false;

	if (!self_map(0, "[vdso]", &m, path, sizeof path)) {
		fprintf(stderr, "test_symbols: no [vdso] mapping, skipped\n");
		return;
	}
	b = symtab_for_map(c, getpid(), &m);
	CHECK_STR(symtab_name(b), "[vdso]");
	CHECK(symtab_for_map(c, 1, &m) == b);
	CHECK(symtab_nfuncs(b) >= 2);
	for (off = 0; off < m.end - m.start; off++) {
		f = symtab_lookup(b, off);
		if (f == NULL)
			continue;
		CHECK(f->start <= off);
		if (strcmp(f->name, "__vdso_clock_gettime") == 0 ||
		    strcmp(f->name, "clock_gettime") == 0)
			gettime = true;
	}
	CHECK(gettime);
}

/* [kernel]: /proc/kallsyms where addresses are shown. */
static void
test_kernel(struct symtab_cache *c)
{
	char line[512], name[256], type;
	unsigned long long addr, want = 0;
	struct symtab_bin *k;
	FILE *f;

	k = symtab_kernel(c);
	CHECK(symtab_kernel(c) == k);
	CHECK_STR(symtab_name(k), "[kernel]");
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
		CHECK_U64(symtab_nfuncs(k), 0);
		fprintf(stderr, "test_symbols: kernel addresses hidden, [kernel] empty\n");
		return;
	}
	CHECK(symtab_nfuncs(k) > 1000);
	CHECK_STR(name_at(k, want), "schedule");
	CHECK_U64(start_at(k, want + 1), want);
}

/* Anonymous mappings and pseudo-files other than the vdso: [anon]. */
static void
test_anon(struct symtab_cache *c)
{
	static const char *pseudo[] = { "[heap]", "[stack]", "[vvar]",
	    "[anon:arena]", "[vsyscall]" };
	struct symtab_bin *a;
	struct map m;
	size_t i;

	memset(&m, 0, sizeof m);
	m.start = 0x10000;
	m.end = 0x20000;
	a = symtab_for_map(c, getpid(), &m);
	CHECK(a == symtab_anon(c));
	CHECK_STR(symtab_name(a), "[anon]");
	CHECK_U64(symtab_nfuncs(a), 0);
	CHECK(symtab_lookup(a, 0x100) == NULL);
	for (i = 0; i < sizeof pseudo / sizeof pseudo[0]; i++) {
		m.path = (char *)pseudo[i];
		CHECK(symtab_for_map(c, getpid(), &m) == a);
	}
}

/* A file that cannot be read: a binary without functions, named anyway. */
static void
test_unreadable(struct symtab_cache *c)
{
	struct symtab_bin *b;
	struct map m;

	memset(&m, 0, sizeof m);
	m.start = 0x400000;
	m.end = 0x401000;
	m.inode = 12345;
	m.path = (char *)"/nonexistent-rrstat-dir/libnothere.so.3";
	b = symtab_for_map(c, getpid(), &m);
	CHECK(b != NULL);
	CHECK(b != symtab_anon(c));
	CHECK_STR(symtab_name(b), "libnothere.so.3");
	CHECK_STR(symtab_path(b), "/nonexistent-rrstat-dir/libnothere.so.3");
	CHECK_U64(symtab_nfuncs(b), 0);
	CHECK(symtab_lookup(b, 0) == NULL);
	CHECK(symtab_lookup(b, 0x1234) == NULL);
	CHECK(symtab_for_map(c, getpid(), &m) == b);

	/* A long path (the cache key does not fit on the stack). */
	m.path = malloc(1024);
	if (m.path == NULL)
		abort();
	memset(m.path, 'x', 1023);
	m.path[0] = '/';
	m.path[1023] = '\0';
	b = symtab_for_map(c, getpid(), &m);
	CHECK(symtab_for_map(c, getpid(), &m) == b);
	CHECK_U64(strlen(symtab_name(b)), 1022);
	CHECK_U64(symtab_nfuncs(b), 0);
	free(m.path);
}

/* Ids are dense from 0 in creation order. */
static void
test_ids(void)
{
	struct symtab_func f = { 0x10, 0x10, "f" };
	struct symtab_cache *c = symtab_cache_new();
	struct symtab_bin *a, *k, *s;
	struct map m;

	memset(&m, 0, sizeof m);
	a = symtab_anon(c);
	k = symtab_kernel(c);
	s = symtab_synthetic(c, "synthetic", &f, 1);
	CHECK_U64(symtab_id(a), 0);
	CHECK_U64(symtab_id(k), 1);
	CHECK_U64(symtab_id(s), 2);
	CHECK_U64(symtab_id(symtab_for_map(c, getpid(), &m)), 0);
	m.path = (char *)"/nonexistent-rrstat-dir/x";
	CHECK_U64(symtab_id(symtab_for_map(c, getpid(), &m)), 3);
	CHECK_U64(symtab_id(symtab_anon(c)), 0);
	symtab_cache_free(c);
}

/* Synthetic tables: sizes, gaps, zero-size symbols, duplicates. */
static void
test_synthetic(struct symtab_cache *c)
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
	struct symtab_bin *b;

	for (r = 0; r < n; r++) {
		/* Every rotation of the input gives the same table. */
		for (i = 0; i < n; i++)
			rot[i] = funcs[(i + r) % n];
		b = symtab_synthetic(c, "synth", rot, n);
		memset(rot, 0, sizeof rot);	/* copied */
		CHECK_STR(symtab_name(b), "synth");
		CHECK_U64(symtab_nfuncs(b), 7);
		CHECK(symtab_lookup(b, 0) == NULL);
		CHECK(symtab_lookup(b, 0xff) == NULL);
		CHECK_STR(name_at(b, 0x100), "sized_a");
		CHECK_STR(name_at(b, 0x108), "sized_a");
		CHECK_STR(name_at(b, 0x10f), "sized_a");
		CHECK(symtab_lookup(b, 0x110) == NULL);
		CHECK(symtab_lookup(b, 0x1ff) == NULL);
		CHECK_STR(name_at(b, 0x200), "zero_b");
		CHECK_STR(name_at(b, 0x27f), "zero_b");
		CHECK_STR(name_at(b, 0x280), "_ZN3foo3barEv");	/* not demangled */
		CHECK_STR(name_at(b, 0x2ff), "_ZN3foo3barEv");
		CHECK_STR(name_at(b, 0x300), "sized_b");
		CHECK_U64(start_at(b, 0x31f), 0x300);
		CHECK(symtab_lookup(b, 0x31f) != NULL && symtab_lookup(b, 0x31f)->size == 0x20);
		CHECK(symtab_lookup(b, 0x320) == NULL);
		CHECK(symtab_lookup(b, 0x3ff) == NULL);
		CHECK_STR(name_at(b, 0x400), "last");
		CHECK_STR(name_at(b, 0x4ff), "last");
		/* The preferred alias has no size: the table takes its alias's. */
		CHECK_STR(name_at(b, 0x50f), "w");
		CHECK(symtab_lookup(b, 0x510) == NULL);
		CHECK(symtab_lookup(b, 0xfff) == NULL);
		CHECK_STR(name_at(b, 0x1000), "final");
		CHECK_STR(name_at(b, 0x123456), "final");
		CHECK_STR(name_at(b, UINT64_MAX - 1), "final");
	}

	b = symtab_synthetic(c, "one", &one, 1);
	mutable[0] = 'M';
	CHECK_STR(name_at(b, 0x10), "mutable");
	CHECK(symtab_lookup(b, 0xf) == NULL);

	b = symtab_synthetic(c, "empty", NULL, 0);
	CHECK_U64(symtab_nfuncs(b), 0);
	CHECK(symtab_lookup(b, 0x10) == NULL);
}

/* Many functions in random order, at kernel-like and at small offsets. */
static void
test_synthetic_many(struct symtab_cache *c)
{
	enum { N = 4000 };
	static struct symtab_func funcs[N];
	static char names[N][16];
	uint64_t x = 88172645463325252ULL, base;
	struct symtab_bin *b;
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
		b = symtab_synthetic(c, "many", funcs, N);
		CHECK_U64(symtab_nfuncs(b), N);
		for (i = 0; i < N; i++) {
			const struct symtab_func *f = symtab_lookup(b, funcs[i].start + 0xff);

			if (f == NULL || f != symtab_lookup(b, funcs[i].start) ||
			    strcmp(f->name, funcs[i].name) != 0 || f->start != funcs[i].start)
				bad++;
			if (funcs[i].size != 0 && symtab_lookup(b, funcs[i].start + 0x100) != NULL)
				bad++;
		}
		CHECK_U64(bad, 0);
	}
}

/* Remove the fixtures. */
static void
cleanup(void)
{
	static const char *names[] = { "libmain.so.1", "libdyn.so", "libid1.so",
	    "libid2.so", "libid3.so", "libnoid4.so", "libnoid5.so", "empty.so",
	    "garbage.so", "cut.so", "flip.so", "badlink.so", "fifo.so" };
	char path[512];
	size_t i;

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
	struct symtab_cache *c;
	const char *t = getenv("TMPDIR");

	snprintf(tmpdir, sizeof tmpdir, "%s/test_symbols.XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 99;
	}

	c = symtab_cache_new();
	test_fixture_table(c);
	test_fixture_dynsym(c);
	test_fixture_identity(c);
	test_self(c);
	test_libc(c);
	test_vdso(c);
	test_kernel(c);
	test_anon(c);
	test_unreadable(c);
	test_synthetic(c);
	test_synthetic_many(c);
	symtab_cache_free(c);

	test_fixture_malformed();
	test_ids();
	symtab_cache_free(NULL);
	cleanup();
	return check_exit("test_symbols");
}
