/*
 * A process's memory mappings, as /proc/PID/maps lists them, sorted by
 * start address, for turning an instruction pointer into (file, offset).
 */
#ifndef RS_MAPS_H
#define RS_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define MAPS_PROT_READ	0x1
#define MAPS_PROT_WRITE	0x2
#define MAPS_PROT_EXEC	0x4
#define MAPS_BUILD_ID_MAX	20	/* a GNU build-id's bytes at most, as perf gives it */

struct map {
	uint64_t start;		/* first address */
	uint64_t end;		/* one past the last address */
	uint64_t offset;	/* file offset mapped at start */
	uint64_t inode;		/* 0 for anonymous mappings */
	uint32_t dev_major;
	uint32_t dev_minor;
	unsigned prot;		/* MAPS_PROT_* */
	bool shared;		/* 's' rather than 'p' */
	bool deleted;		/* the path ended in " (deleted)" (stripped from path) */
	char *path;		/* NULL when anonymous; "[vdso]", "[heap]", ... kept as is */
	uint8_t build_id[MAPS_BUILD_ID_MAX];	/* the file's GNU build-id where the
						 * kernel told it (perf MMAP2) */
	uint8_t build_id_len;	/* 0: not told (then inode and device are) */
	void *priv;		/* owner's cache (the session keeps the binary here) */
};

struct maps {
	struct map *v;		/* sorted by start, non-overlapping */
	size_t n;
	size_t cap;
};

/* Parse the text of a maps file into out (which is emptied first).
 * Malformed lines are skipped and counted in *bad (may be NULL). Paths may
 * contain spaces. Never fails: a text with no valid line gives n == 0. */
void maps_parse(struct maps *out, const char *text, size_t len, size_t *bad);

/* Read /proc/PID/maps. Returns 0, or -1 with *cause set (caller frees). */
int maps_read(struct maps *out, pid_t pid, char **cause);

/* The mapping that contains addr, or NULL. O(log n). */
struct map *maps_find(const struct maps *m, uint64_t addr);

/* Insert a copy of one mapping (from a perf MMAP2 record), replacing the
 * parts of older mappings it overlaps. path is copied; priv starts NULL. */
void maps_insert(struct maps *m, const struct map *one);

/* Release every mapping (calls free on paths, not on priv). */
void maps_clear(struct maps *m);

#endif
