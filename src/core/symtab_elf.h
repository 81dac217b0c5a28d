/*
 * What the symbol loaders read of one ELF image through libelf: its
 * header, PT_LOAD segments (virtual addresses to file offsets), every
 * section's flags and address, the sections looked for by name, and the
 * function symbols of a .symtab or .dynsym as table candidates.
 */
#ifndef RS_SYMTAB_ELF_H
#define RS_SYMTAB_ELF_H

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ehframe_src;
struct symtab_cands;

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define SYMTAB_HOST_DATA	ELFDATA2MSB
#else
#define SYMTAB_HOST_DATA	ELFDATA2LSB
#endif

/* A PT_LOAD segment: turns virtual addresses into file offsets. */
struct symtab_seg {
	uint64_t vaddr;
	uint64_t memsz;
	uint64_t offset;
	uint64_t filesz;
	uint32_t flags;
};

/* What the loader needs of each section. */
struct symtab_sec {
	uint64_t flags;
	uint64_t addr;
	uint64_t size;
};

/* What the loader keeps of one ELF image while it reads it. */
struct symtab_elf {
	Elf *elf;
	GElf_Ehdr eh;
	struct symtab_sec *secs;	/* by section index */
	size_t nsecs;
	Elf_Scn *symtab;
	Elf_Scn *dynsym;
	Elf_Scn *eh_frame_hdr;
	Elf_Scn *eh_frame;
	Elf_Scn *plt;
	Elf_Scn *plt_sec;
	Elf_Scn *plt_got;
	Elf_Scn *rel_plt;
	Elf_Scn *debuglink;
	struct symtab_seg *segs;	/* PT_LOAD, in header order */
	size_t nsegs;
};

/* Read what the loader needs of an ELF image; -1 if it is not an
 * executable or shared object. Release with symtab_elf_close either way. */
int symtab_elf_open(struct symtab_elf *e, Elf *elf);
void symtab_elf_close(struct symtab_elf *e);

/*
 * Add the function symbols of the symbol table scn of e to the
 * candidates, their addresses turned into file offsets through the
 * segments of segs (e itself, or the binary a debug file belongs to: its
 * symbols have the binary's addresses).
 */
void symtab_elf_syms(struct symtab_cands *cs, const struct symtab_elf *e,
    Elf_Scn *scn, const struct symtab_elf *segs);

/* Add the function symbols of the dynamic symbol table found through
 * PT_DYNAMIC, for an image without section headers (a file truncated
 * after it was mapped, whose headers were at its end). */
void symtab_elf_dyn_syms(struct symtab_cands *cs, const struct symtab_elf *e);

/* The bytes of a section that has some in the file, its address in
 * *addr and its header in *sh (if not NULL); NULL if none. */
Elf_Data *symtab_elf_scn_bytes(Elf_Scn *scn, uint64_t *addr, GElf_Shdr *sh);

/* The file offset of vaddr where a segment with these PF_ flags has it in
 * the file (*seg: that segment, if not NULL): 0, else -1. */
int symtab_elf_offset(const struct symtab_elf *e, uint64_t vaddr,
    uint32_t flags, uint64_t *offset, const struct symtab_seg **seg);

/* Where e's unwind tables are: .eh_frame_hdr (its section, else its
 * program header) and .eh_frame (its section, else where the header
 * points). -1 if e has neither or is not in this host's byte order. */
int symtab_elf_eh_src(const struct symtab_elf *e, struct ehframe_src *src);

/* The file name and CRC of e's .gnu_debuglink; NULL if it has none. */
const char *symtab_elf_debuglink(const struct symtab_elf *e, uint32_t *crc);

#endif
