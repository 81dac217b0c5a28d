/*
 * Separate debug files: where a binary's is looked for (by GNU build-id
 * under the debug directories, then by its .gnu_debuglink name beside
 * it, in its .debug/ and under the debug directories) and what one must
 * be to be taken. Shared by the symbol tables and the DWARF lookups.
 */
#ifndef RS_DEBUGFILE_H
#define RS_DEBUGFILE_H

#include <sys/types.h>

#include <gelf.h>
#include <stddef.h>
#include <stdint.h>

#define DEBUGFILE_BUILD_ID_MAX	64	/* build-id bytes kept at most */

/* The binary whose debug file is wanted, and where to look. */
struct debugfile_want {
	const char *const *dirs;	/* searched before /usr/lib/debug */
	size_t ndirs;
	const char *open_path;	/* the file as opened: its link is looked for beside it */
	const char *name_path;	/* its name: its directory goes under the debug dirs */
	dev_t dev;		/* the binary itself, never taken */
	ino_t ino;
	unsigned char eclass, edata;	/* what a debug file must have */
	GElf_Half emachine;
	const unsigned char *build_id;	/* NULL or build_id_len 0: none */
	size_t build_id_len;
	const char *link;	/* .gnu_debuglink name, or NULL */
	uint32_t crc;		/* .gnu_debuglink CRC */
};

/* The GNU build-id of an ELF image into out (DEBUGFILE_BUILD_ID_MAX bytes); its length, 0 if none. */
size_t debugfile_build_id(Elf *elf, uint8_t *out);

/* The standard CRC-32 of a file's contents (as .gnu_debuglink has it); 0 or -1. */
int debugfile_crc32(int fd, uint32_t *out);

/*
 * Find w's separate debug file. Returns its descriptor, or -1; its name
 * (malloc'd) in *out_path and it opened in *out_elf, each if not NULL.
 */
int debugfile_find(const struct debugfile_want *w, char **out_path, Elf **out_elf);

#endif
