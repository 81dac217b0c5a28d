/*
 * The binaries that samples land in, one object per binary shared by
 * every process that maps it (key: GNU build-id, else device, inode and
 * path), and the cache that owns them all. A binary owns what is known of
 * it: the file as the target sees it, its function symbols and the
 * function bounds of its unwind tables (both read on the first lookup),
 * its one separate debug file (searched once), and the state other
 * modules attach to it (its DWARF, opened by dwarf.c when a line is first
 * asked for). Addresses are file offsets in the binary (what a mapping
 * turns an ip into), so one binary serves every load address. Freeing the
 * cache frees every binary and all that is attached to it.
 *
 * A cache is for one thread (the session's).
 */
#ifndef RS_BINARY_H
#define RS_BINARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

struct map;
struct symtab_func;

struct binary;
struct binary_cache;

enum binary_kind {
	BINARY_FILE,		/* a file mapped by a process (or named by path) */
	BINARY_VDSO,		/* "[vdso]": read from a process's memory */
	BINARY_KERNEL,		/* "[kernel]": names from /proc/kallsyms */
	BINARY_ANON,		/* "[anon]": memory of no file, no functions */
	BINARY_SYNTHETIC,	/* made from a list of functions (JIT maps, tests) */
};

/* The state other modules keep per binary, freed with it. */
enum binary_slot {
	BINARY_SLOT_DWARF,	/* dwarf.c: the Dwfl and its answers */
	BINARY_SLOT_CFI,	/* unwind.c: its call frame information */
	BINARY_NSLOTS
};

struct binary_cache *binary_cache_new(void);
void binary_cache_free(struct binary_cache *c);

/* Search dir for separate debug files (DIR/.build-id/xx/rest.debug, and
 * DIR/BINARY-DIR/DEBUGLINK), after the dirs added before it and before
 * /usr/lib/debug. Binaries whose debug file was searched already are not
 * searched again. */
void binary_cache_add_debug_dir(struct binary_cache *c, const char *dir);

/* Told of each file binary b whose symbols were read from neither a
 * .symtab of its own nor a local debug file, and that has a build-id
 * (debuginfod.c asks a server for its debug file); called while b is
 * loaded, on its first lookup. */
typedef void (*binary_nodebug_fn)(void *arg, struct binary *b);
void binary_cache_set_nodebug(struct binary_cache *c, binary_nodebug_fn fn,
    void *arg);

/* Read the [kernel] table from path, a file in /proc/kallsyms' format,
 * instead of /proc/kallsyms (tests); before its first lookup. */
void binary_cache_set_kallsyms(struct binary_cache *c, const char *path);

/* Binaries registered so far. */
size_t binary_cache_count(const struct binary_cache *c);

/*
 * The binary behind mapping m of process pid. Found in the cache by
 * (device, inode, path), else by build-id; else registered. Where the
 * kernel told m's build-id (m->build_id_len), by that alone, with no key
 * kept per path: a file that opens with another build-id is not read,
 * and one registered while its file could not be opened takes the file
 * of a later mapping that opens. The file is the one pid maps (its inode
 * checked against the mapping's, binfile.c);
 * where only /proc reaches it, it is kept open. "[vdso]" is read from
 * pid's memory (m->start..m->end) and shared by build-id; this process's
 * own vdso image where pid's cannot be read. Symbols are read on the
 * first lookup. Never NULL: an unreadable file gives a binary without
 * functions. Anonymous mappings and pseudo-files other than the vdso give
 * the [anon] binary.
 */
struct binary *binary_for_map(struct binary_cache *c, pid_t pid,
    const struct map *m);

/* binary_for_map, found once per mapping and kept in m->priv (the
 * resolver's and the unwinder's mappings). */
struct binary *binary_of_map(struct binary_cache *c, pid_t pid, struct map *m);

/* The binary of the file at path as this process sees it (tools, tests). */
struct binary *binary_for_path(struct binary_cache *c, const char *path);

/* The pseudo-binaries: "[kernel]" (names from /proc/kallsyms where
 * readable, offset = kernel address) and "[anon]" (no functions). */
struct binary *binary_kernel(struct binary_cache *c);
struct binary *binary_anon(struct binary_cache *c);

/* Read b's symbols now if not done yet (else the first lookup does). */
void binary_preload(struct binary *b);

/* A binary made from a list of functions (copied), for JIT maps, tests
 * and benchmarks. Names are used as given (not demangled). */
struct binary *binary_synthetic(struct binary_cache *c, const char *name,
    const struct symtab_func *funcs, size_t n);

/* The function containing offset, or NULL (the caller names it [unknown]).
 * A symbol with a size covers only [start, start+size); a zero-size one
 * reaches to the next symbol, but neither past the end of the unwind-table
 * function it is in nor into the next one. Where no symbol covers offset,
 * the unwind-table function that does is named BINARY+0xSTART (START: its
 * file offset, in lower-case hex); NAME@plt is a PLT stub. The first
 * lookup in a binary reads its symbols. */
const struct symtab_func *binary_lookup(struct binary *b, uint64_t offset);

const char *binary_name(const struct binary *b);	/* basename, "[kernel]" */
const char *binary_path(const struct binary *b);	/* full path as mapped */
uint32_t binary_id(const struct binary *b);		/* dense, from 0 */
enum binary_kind binary_kind(const struct binary *b);
/* Its GNU build-id (*len bytes), or NULL where it has none. */
const uint8_t *binary_build_id(const struct binary *b, size_t *len);
size_t binary_nfuncs(struct binary *b);			/* loads if needed */
/* The ELF address (p_vaddr space) of file offset off of b, through its
 * PT_LOAD headers (read with its symbols): 0, or -1 where no segment
 * holds it in the file. */
int binary_vaddr(struct binary *b, uint64_t off, uint64_t *vaddr);
/* Function i of b's symbol table (0 .. binary_nfuncs - 1), by start;
 * NULL past the end. */
const struct symtab_func *binary_func_at(struct binary *b, size_t i);
size_t binary_nbounds(struct binary *b);		/* FDEs; loads if needed */

/*
 * A new descriptor of the binary's file, the one registered (same inode,
 * or same build-id), *st filled; -1 with errno set where it cannot be
 * opened (ENOENT for pseudo-binaries). The caller closes it.
 */
int binary_open(struct binary *b, struct stat *st);

/*
 * A new descriptor of the binary's separate debug file, searched once
 * per binary (by build-id under each debug dir then /usr/lib/debug, then
 * by link, its .gnu_debuglink name with CRC crc, beside the file, in its
 * .debug/ and under each debug dir: debugfile.c) and remembered; -1 if it
 * has none. Its path (allocated) in *path if not NULL.
 */
int binary_debug_file(struct binary *b, const char *link, uint32_t crc,
    char **path);

/*
 * Take the file at path (fetched from debuginfod; the caller checked its
 * build-id) as file b's separate debug file: b's symbols, bounds and
 * DWARF are dropped and read again, from it, on the next lookup, so every
 * symtab_func of b handed out so far is invalid.
 */
void binary_set_debug_file(struct binary *b, const char *path);

/* The vdso's ELF image as read from a process (*len bytes), or NULL for
 * other binaries. */
const unsigned char *binary_image(const struct binary *b, size_t *len);

/* The state slot s of b holds, or NULL; set it (destroy, if not NULL, is
 * called on it when the cache is freed). */
void *binary_slot(const struct binary *b, enum binary_slot s);
void binary_set_slot(struct binary *b, enum binary_slot s, void *p,
    void (*destroy)(void *));

/*
 * Shedding what cold binaries hold. The cache counts ticks
 * (binary_cache_tick); a binary is in use when sampled or mapped by a
 * live process (binary_use, by the resolver) and held while pinned (a
 * drill-down, whose lines point into its DWARF state). Past the budget of
 * binaries holding DWARF or CFI state or a kept descriptor (128), the
 * files unused for cold ticks and not pinned shed them, oldest first,
 * down to 3/4 of it: their symbols stay (rows point into them), the rest
 * is read again when asked for (a file only /proc reached, once its last
 * mapping is gone, cannot be). Each call also drops the path keys of the
 * files unused for cold ticks that are gone. Returns how many shed.
 */
void binary_cache_tick(struct binary_cache *c);
void binary_use(struct binary *b);
void binary_pin(struct binary *b);
void binary_unpin(struct binary *b);
size_t binary_cache_shed(struct binary_cache *c, uint64_t cold);
void binary_cache_set_budget(struct binary_cache *c, size_t heavy);
/* The keys kept by (device, inode, path); how many binary_cache_shed
 * dropped in *forgotten if not NULL: those of files gone (no file at the
 * path, or another one) whose binaries were unused for cold ticks. */
size_t binary_cache_paths(const struct binary_cache *c, uint64_t *forgotten);
/* Binaries shed so far; the budget in *budget if not NULL. */
uint64_t binary_cache_shed_count(const struct binary_cache *c, size_t *budget);

#endif
