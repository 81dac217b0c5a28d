/*
 * Separate debug files, looked for in the same places and order for the
 * symbol tables and the DWARF lookups: DIR/.build-id/xx/rest.debug for
 * each debug directory (those added, then /usr/lib/debug), then the
 * .gnu_debuglink name beside the file, in its .debug/, and under each
 * debug directory followed by the file's directory. Never prints.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <fcntl.h>
#include <gelf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "debugfile.h"
#include "xmalloc.h"

#define DEBUGFILE_DIR	"/usr/lib/debug"

/* The GNU build-id in one block of notes; returns its length, 0 if none. */
static size_t
debugfile_note_build_id(Elf_Data *d, uint8_t *out)
{
	GElf_Nhdr nh;
	size_t off = 0, next, name_off, desc_off, len;
	const char *base;

	if (d == NULL || d->d_buf == NULL)
		return 0;
	base = d->d_buf;
	while (off < d->d_size &&
	    (next = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
		if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
		    memcmp(base + name_off, "GNU", 4) == 0 && nh.n_descsz != 0) {
			len = nh.n_descsz;
			if (len > DEBUGFILE_BUILD_ID_MAX)
				len = DEBUGFILE_BUILD_ID_MAX;
			memcpy(out, base + desc_off, len);
			return len;
		}
		off = next;
	}
	return 0;
}

/* Read an ELF image's GNU build-id (notes of the program headers first). */
size_t
debugfile_build_id(Elf *elf, uint8_t *out)
{
	GElf_Phdr ph;
	GElf_Shdr sh;
	Elf_Scn *scn = NULL;
	Elf_Type type;
	size_t phnum, i, len;

	if (elf_kind(elf) != ELF_K_ELF)
		return 0;
	if (elf_getphdrnum(elf, &phnum) == 0) {
		for (i = 0; i < phnum; i++) {
			if (gelf_getphdr(elf, (int)i, &ph) == NULL ||
			    ph.p_type != PT_NOTE || ph.p_filesz == 0)
				continue;
#ifdef ELF_T_NHDR8
			type = ph.p_align == 8 ? ELF_T_NHDR8 : ELF_T_NHDR;
#else
			type = ELF_T_NHDR;
#endif
			len = debugfile_note_build_id(elf_getdata_rawchunk(elf,
			    (int64_t)ph.p_offset, ph.p_filesz, type), out);
			if (len != 0)
				return len;
		}
	}
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		if (gelf_getshdr(scn, &sh) == NULL || sh.sh_type != SHT_NOTE)
			continue;
		len = debugfile_note_build_id(elf_getdata(scn, NULL), out);
		if (len != 0)
			return len;
	}
	return 0;
}

/* The standard CRC-32 of a file's contents (slice-by-8 over 64 KiB reads). */
int
debugfile_crc32(int fd, uint32_t *out)
{
	uint32_t t[8][256], crc = 0xffffffffU, c, lo, hi;
	unsigned char *buf, *p;
	size_t i, k;
	ssize_t got;
	off_t pos = 0;

	for (i = 0; i < 256; i++) {
		c = (uint32_t)i;
		for (k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320U ^ (c >> 1) : c >> 1;
		t[0][i] = c;
	}
	for (i = 0; i < 256; i++) {
		for (k = 1; k < 8; k++)
			t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xff];
	}
	buf = xmalloc(1 << 16);
	while ((got = pread(fd, buf, 1 << 16, pos)) > 0) {
		pos += got;
		for (p = buf; got >= 8; p += 8, got -= 8) {
			lo = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 |
			    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
			hi = (uint32_t)p[4] | (uint32_t)p[5] << 8 |
			    (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
			crc = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^
			    t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24] ^
			    t[3][hi & 0xff] ^ t[2][(hi >> 8) & 0xff] ^
			    t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
		}
		for (; got > 0; p++, got--)
			crc = t[0][(crc ^ *p) & 0xff] ^ (crc >> 8);
	}
	free(buf);
	if (got < 0)
		return -1;
	*out = crc ^ 0xffffffffU;
	return 0;
}

/*
 * Open path as w's separate debug file: a regular ELF file of w's class,
 * byte order and machine, not w itself, whose build-id is w's; without
 * build-ids on both sides, one found by build-id (by_link false) is
 * taken and one found by .gnu_debuglink must have the CRC it gives.
 * Returns its descriptor (and it opened in *elfp if not NULL), or -1.
 */
static int
debugfile_try(const struct debugfile_want *w, const char *path, bool by_link,
    Elf **elfp)
{
	uint8_t id[DEBUGFILE_BUILD_ID_MAX];
	struct stat st;
	GElf_Ehdr eh;
	uint32_t got;
	size_t idlen;
	bool ok = false;
	Elf *elf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd == -1)
		return -1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (st.st_dev == w->dev && st.st_ino == w->ino)) {
		close(fd);
		return -1;
	}
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (elf != NULL && elf_kind(elf) == ELF_K_ELF &&
	    gelf_getehdr(elf, &eh) != NULL && eh.e_ident[EI_CLASS] == w->eclass &&
	    eh.e_ident[EI_DATA] == w->edata && eh.e_machine == w->emachine) {
		idlen = debugfile_build_id(elf, id);
		if (w->build_id != NULL && w->build_id_len != 0 && idlen != 0)
			ok = idlen == w->build_id_len &&
			    memcmp(id, w->build_id, idlen) == 0;
		else if (!by_link)
			ok = true;
		else
			ok = debugfile_crc32(fd, &got) == 0 && got == w->crc;
	}
	if (!ok || elfp == NULL) {
		if (elf != NULL)
			elf_end(elf);
		elf = NULL;
	}
	if (!ok) {
		close(fd);
		return -1;
	}
	if (elfp != NULL)
		*elfp = elf;
	return fd;
}

/* The directory part of path (without its last slash), allocated. */
static char *
debugfile_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	return xstrndup(path, (size_t)(slash - path));
}

/* Try path (which it takes); on success hand it to *out_path or free it. */
static int
debugfile_take(const struct debugfile_want *w, char *path, bool by_link,
    char **out_path, Elf **out_elf)
{
	int fd = debugfile_try(w, path, by_link, out_elf);

	if (fd != -1 && out_path != NULL)
		*out_path = path;
	else
		free(path);
	return fd;
}

/* Whether a .gnu_debuglink name can be looked for: one plain file name. */
static bool
debugfile_link_ok(const char *link)
{
	return link != NULL && *link != '\0' && strchr(link, '/') == NULL &&
	    strcmp(link, ".") != 0 && strcmp(link, "..") != 0;
}

/* Find w's separate debug file by build-id, then by .gnu_debuglink. */
int
debugfile_find(const struct debugfile_want *w, char **out_path, Elf **out_elf)
{
	size_t i, idlen = w->build_id != NULL ? w->build_id_len : 0;
	size_t ndirs = w->ndirs + 1;
	char *hex, *path, *dir, *namedir;
	const char *d;
	int fd = -1;

	hex = xmalloc(2 * idlen + 1);
	hex[0] = '\0';
	for (i = 0; i < idlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", w->build_id[i]);
	for (i = 0; idlen >= 2 && i < ndirs && fd == -1; i++) {
		d = i < w->ndirs ? w->dirs[i] : DEBUGFILE_DIR;
		path = xasprintf("%s/.build-id/%.2s/%s.debug", d, hex, hex + 2);
		fd = debugfile_take(w, path, false, out_path, out_elf);
	}
	free(hex);
	if (fd != -1 || !debugfile_link_ok(w->link))
		return fd;

	dir = debugfile_dirname(w->open_path);
	namedir = debugfile_dirname(w->name_path);
	for (i = 0; i < ndirs + 2 && fd == -1; i++) {
		if (i == 0)
			path = xasprintf("%s/%s", dir, w->link);
		else if (i == 1)
			path = xasprintf("%s/.debug/%s", dir, w->link);
		else {
			d = i - 2 < w->ndirs ? w->dirs[i - 2] : DEBUGFILE_DIR;
			path = xasprintf("%s%s%s/%s", d, namedir[0] == '/' ? "" : "/",
			    namedir, w->link);
		}
		fd = debugfile_take(w, path, true, out_path, out_elf);
	}
	free(namedir);
	free(dir);
	return fd;
}
