/*
 * The drill-down's data, UI independent: one function's code read once
 * from its binary (file offsets, pread), disassembled (capstone, AT&T
 * syntax on x86-64; raw bytes when built without it), each instruction's
 * source line and inlined call (dwarf.h), and the source text of its
 * lines (at the DWARF path, or under a --source-dir prefix). Then, as
 * often as the counts change, the rows: one per sampled address (in
 * address order) and one per source line of the function (perf annotate
 * style: the function's whole line range, cold lines too).
 */
#ifndef RS_ANNOTATE_H
#define RS_ANNOTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct agg;
struct agg_func;
struct binary;
struct symtab_func;

#define ANNOTATE_MAX_BYTES	(1U << 20)	/* code read for one function, at most */

/* One sampled address of the function; or, last, its [other addresses]
 * row (other: the samples at addresses past the aggregator's cap, agg.h;
 * no offset, instruction nor line, in no line row). */
struct annotate_addr {
	uint64_t offset;	/* file offset in the binary; other: none */
	bool other;
	uint64_t samples;
	uint64_t weight;
	double pct;		/* of the function's weight */
	const char *insn;	/* the instruction (or its bytes); NULL: unknown */
	const char *file;	/* source file; NULL: unknown */
	int line;		/* 0: unknown */
	const char *inlined;	/* in code inlined from this function, or NULL */
};

/* One source line of the function. */
struct annotate_line {
	const char *file;	/* as DWARF names it */
	int line;
	uint64_t samples;
	uint64_t weight;
	double pct;		/* of the function's weight */
	const char *text;	/* the line's source text; NULL: not readable */
	bool code;		/* some instruction of the function is on it */
};

struct annotate_insn;
struct annotate_src;

struct annotate {
	/* What was drilled into. */
	char *binary;		/* display name */
	char *path;		/* the file the code was read from */
	char *function;		/* display name */
	uint64_t start;		/* file offset of the first byte */
	uint64_t size;		/* bytes of the function (as read) */
	bool has_func;		/* false: [unknown], no bounds */
	struct binary *bin;		/* its binary (what annotate_is compares) */
	const struct symtab_func *func;

	/* Why something is missing (NULL where nothing is). */
	char *code_why;		/* no bytes: not a file, unreadable, no bounds */
	char *insn_why;		/* no instructions: built without capstone */
	char *lines_why;	/* no source lines (the DWARF reason) */
	char *source_why;	/* no source text: the first file not found */

	/* Decoded once, at open. */
	unsigned char *bytes;
	size_t nbytes;
	struct annotate_insn *insns;	/* in offset order */
	size_t ninsns;
	struct annotate_src *srcs;
	size_t nsrcs;
	const char *const *source_dirs;	/* borrowed from annotate_open's caller */
	size_t nsource_dirs;
	const char *main_file;	/* the file of most of the function's lines */
	int first_line, last_line;	/* its range */

	/* Rebuilt by annotate_update. */
	struct annotate_addr *addrs;	/* in offset order */
	size_t naddrs, addrs_cap;
	struct annotate_line *lines;	/* main file's range first, then others */
	size_t nlines, lines_cap;
	size_t nfixed_lines;		/* lines decided at open */
	uint64_t samples, weight;	/* of the function */
	size_t hot_addr, hot_line;	/* the hottest rows (0 when none) */
	char **extra;			/* strings made by updates */
	size_t nextra;
};

/*
 * Read and decode func (NULL: the binary's [unknown] code, no bounds) of
 * bin. reach is one past the highest sampled offset: the end of a
 * function whose size is unknown. Sources are looked for at their DWARF
 * path, then under each of source_dirs (DIR/PATH, then DIR/ + each
 * suffix of PATH). Strings of source lines live as long as bin. Never fails: what
 * cannot be had is said in the *_why fields.
 */
struct annotate *annotate_open(struct binary *bin,
    const struct symtab_func *func,
    uint64_t reach, const char *const *source_dirs, size_t nsource_dirs);

/* Whether an is the drill-down of (bin, func). */
bool annotate_is(const struct annotate *an, const struct binary *bin,
    const struct symtab_func *func);

/* One past the highest offset sampled in af (0 when none). */
uint64_t annotate_reach(const struct agg *a, const struct agg_func *af);

/* Rebuild the rows from af's counts (NULL: no samples), cumulative or
 * within the window. */
void annotate_update(struct annotate *an, const struct agg *a,
    const struct agg_func *af, bool window);

/* Write the address view (lines false) or the line view as text: a
 * header of key: value lines (header, already formatted, first), a blank
 * line, then every row. Returns 0, or -1 with *cause set. */
int annotate_write(FILE *fp, const struct annotate *an, bool lines,
    const char *header, char **cause);

void annotate_free(struct annotate *an);

#endif
