/*
 * Per-binary symbol tables, shared by every process that maps the binary.
 * Addresses are file offsets in the binary (what a mapping turns an ip
 * into), so one table serves every load address. Tables load lazily, on
 * the first lookup: the binary's .symtab, else its separate debug file's
 * (by build-id or .gnu_debuglink), else its .dynsym; NAME@plt for PLT
 * stubs; function bounds from .eh_frame_hdr/.eh_frame for code that no
 * symbol covers. DWARF is never read here.
 */
#ifndef RS_SYMBOLS_H
#define RS_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct map;

struct symtab_func {
	uint64_t start;		/* file offset of the first byte (kernel: address) */
	uint64_t size;		/* bytes; 0 when the symbol has no size */
	const char *name;	/* demangled; valid as long as the cache */
};

struct symtab_cache;
struct symtab_bin;

struct symtab_cache *symtab_cache_new(void);
void symtab_cache_free(struct symtab_cache *c);

/* Search dir for separate debug files (DIR/.build-id/xx/rest.debug, and
 * DIR/BINARY-DIR/DEBUGLINK), after the dirs added before it and before
 * /usr/lib/debug. Binaries loaded already are not read again. */
void symtab_cache_add_debug_dir(struct symtab_cache *c, const char *dir);

/* Read the [kernel] table from path, a file in /proc/kallsyms' format,
 * instead of /proc/kallsyms (tests); before its first lookup. */
void symtab_cache_set_kallsyms(struct symtab_cache *c, const char *path);

/* The binary behind mapping m of process pid. Found in the cache by
 * (device, inode, path), else by build-id; else registered. The file is
 * the one pid maps (its inode checked against the mapping's): opened
 * through /proc/PID/root, falling back to the plain path; a deleted or
 * replaced one through /proc/PID/map_files or /proc/PID/exe; where only
 * /proc reaches it, it is kept open. "[vdso]" is read from pid's memory
 * (m->start..m->end) and shared by build-id; this process's own vdso
 * image where pid's cannot be read. Symbols are read on the first
 * lookup. Never NULL: an unreadable file gives a binary without
 * functions. Anonymous mappings and pseudo-files other than the vdso give
 * the [anon] binary. */
struct symtab_bin *symtab_for_map(struct symtab_cache *c, pid_t pid,
    const struct map *m);

/* The pseudo-binaries: "[kernel]" (names from /proc/kallsyms where
 * readable, offset = kernel address) and "[anon]" (no functions). */
struct symtab_bin *symtab_kernel(struct symtab_cache *c);
struct symtab_bin *symtab_anon(struct symtab_cache *c);

/* A binary made from a list of functions (copied), for tests and
 * benchmarks. Names are used as given (not demangled). */
struct symtab_bin *symtab_synthetic(struct symtab_cache *c, const char *name,
    const struct symtab_func *funcs, size_t n);

/* The function containing offset, or NULL (the caller names it [unknown]).
 * A symbol with a size covers only [start, start+size); a zero-size one
 * reaches to the next symbol, but neither past the end of the unwind-table
 * function it is in nor into the next one. Where no symbol covers offset,
 * the unwind-table function that does is named BINARY+0xSTART (START: its
 * file offset, in lower-case hex); NAME@plt is a PLT stub. */
const struct symtab_func *symtab_lookup(struct symtab_bin *b, uint64_t offset);

const char *symtab_name(const struct symtab_bin *b);	/* basename, "[kernel]" */
const char *symtab_path(const struct symtab_bin *b);	/* full path as mapped */
uint32_t symtab_id(const struct symtab_bin *b);		/* dense, from 0 */
size_t symtab_nfuncs(struct symtab_bin *b);		/* loads if needed */
size_t symtab_nbounds(struct symtab_bin *b);		/* FDEs; loads if needed */

#endif
