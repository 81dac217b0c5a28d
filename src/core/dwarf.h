/*
 * Source lines of code addresses, from DWARF through libdwfl. Addresses
 * are file offsets in a binary (binary.h), so one answer serves every
 * process that maps it. Nothing is read until a line is asked for; then
 * the binary's file is opened once (one Dwfl per binary, kept in the
 * binary until its cache is freed) and its debug info found: in the file
 * itself, else the binary's separate debug file (binary_debug_file: by
 * build-id, else by .gnu_debuglink, never over the network). Lookups run
 * on the thread that owns the binary cache. Answers are cached per
 * (binary, offset). For a return address (a caller's frame in a call
 * chain), ask for the offset before it: the call is there.
 */
#ifndef RS_DWARF_H
#define RS_DWARF_H

#include <stddef.h>
#include <stdint.h>

struct binary;

/* One inlined call the address is in. */
struct dwarf_frame {
	const char *function;	/* the inlined function, demangled; NULL if unnamed */
	const char *file;	/* where it was called from; NULL when unknown */
	int line;		/* 0 when unknown */
};

/* The source line of an address. Strings live as long as the binary. */
struct dwarf_line {
	/* The source file as compiled, joined to its unit's compilation
	 * directory and normalised (no "." or "dir/.." segments); relative
	 * where the build recorded it so (-fdebug-prefix-map=DIR=.).
	 * NULL when unknown. */
	const char *file;
	int line;		/* 0 when unknown (DWARF's line 0: code that
				 * belongs to no line, such as set-up code) */
	int column;		/* 0 when unknown */
	/* Innermost first: inlined[0] is the inlined function the address
	 * is in, called from inlined[0].file:line; that call is in the
	 * function of inlined[1], if any, and so on out to the function
	 * the code was compiled into. NULL and 0 when not inlined. */
	const struct dwarf_frame *inlined;
	size_t ninlined;
};

/*
 * The source line of file offset off in binary b. Returns 0, or
 * -1 with *why (if why is not NULL) set to a short reason a UI can show,
 * allocated (caller frees): for the binary, "cannot read PATH: ..." or
 * "no debug info" (pseudo-binaries such as "[kernel]", "[vdso]" and
 * "[anon]" have none); for the address, "no debug info for this
 * address", "no line table", "no line for this address" or "offset
 * outside the binary's segments". *out is zeroed on failure. Failures are
 * cached like answers: a binary that cannot be read is not tried again.
 */
int dwarf_line(struct binary *b, uint64_t off, struct dwarf_line *out,
    char **why);

/* Answers cached for b so far (tests and benchmarks). */
size_t dwarf_nlines(const struct binary *b);

#endif
