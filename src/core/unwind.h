/*
 * Unwinding a user stack copied with a sample (struct rs_ustack and the
 * bytes from its sp, sample.h) into the return addresses above the
 * sampled pc, on the session's thread, never the sampler's.
 *
 * unwind_fp follows the frame-pointer chain (saved rbp, return address
 * above it) inside the copy. unwind_cfi steps frame by frame with the
 * call frame information of each binary (.eh_frame, else .debug_frame
 * of the binary or its separate debug file) through libdw: the rules of
 * each row (CFA, saved registers, return address) evaluated over the
 * registers known and the bytes copied. The CFI and the rows looked up
 * are kept in the binary (binary.h, BINARY_SLOT_CFI), so every process
 * that maps a binary shares them. Where a frame has no CFI but its frame
 * pointer is known, one frame-pointer step is taken.
 *
 * A stack ends cleanly at its outermost frame (return address undefined
 * in the CFI, or a zero frame pointer or return address); it is cut short
 * ("truncated") where a frame cannot be unwound: no mapping or no rule
 * for its pc, a register or a slot outside the copy, no progress.
 */
#ifndef RS_UNWIND_H
#define RS_UNWIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct binary_cache;
struct maps;
struct rs_addr;
struct rs_ustack;

/* What one unwind gave. */
struct unwind_result {
	size_t n;		/* addresses written, leaf first */
	bool truncated;		/* ended on a frame that could not be unwound */
};

/* Walk the frame pointers of a copied stack (bytes[0..len) at us->sp):
 * at most max addresses into out (the pc first, then the return
 * addresses, flagged RS_ADDR_CALLER). */
void unwind_fp(const struct rs_ustack *us, const unsigned char *bytes,
    size_t len, struct rs_addr *out, size_t max, struct unwind_result *res);

/* Unwind a copied stack of process pid with CFI, its binaries found
 * through maps (pid's mappings; a mapping's binary is registered in bins
 * and kept in its priv, as the resolver does). */
void unwind_cfi(struct binary_cache *bins, pid_t pid, struct maps *maps,
    const struct rs_ustack *us, const unsigned char *bytes, size_t len,
    struct rs_addr *out, size_t max, struct unwind_result *res);

/*
 * Whether the program at path keeps frame pointers: of its functions of
 * 16 bytes or more but the C runtime's start-up code (up to UNWIND_FP_LOOK
 * of them, spread over the table), the share in percent that begin by
 * setting one up (push %rbp, after an endbr64, then mov %rsp,%rbp within
 * the first 20 bytes). Returns it, or -1 where the file or its
 * symbols cannot be read. -g alone chooses fp at UNWIND_FP_ENOUGH % and
 * more, else dwarf.
 */
#define UNWIND_FP_LOOK		500
#define UNWIND_FP_ENOUGH	50
int unwind_fp_share(const char *path);

#endif
