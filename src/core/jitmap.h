/*
 * Names of JIT code from perf map files (/tmp/perf-PID.map), one reader
 * per process. A JIT that wants its code named appends a line
 * "START SIZE NAME" (hex, hex, the rest of the line) for each piece of code
 * it emits; a later line wins over an earlier one for the bytes they share.
 * Functions of the same name are one struct symtab_func, so re-emitted
 * code folds into one function; the pointers stay valid until
 * jitmap_free, across re-reads and resets.
 */
#ifndef RS_JITMAP_H
#define RS_JITMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct symtab_func;
struct jitmap;

/* The reader of process pid's perf map. Nothing is read before the first
 * jitmap_refresh, which finds the file: /tmp/perf-PID.map and, where the
 * process has another pid in its own pid namespace, /tmp/perf-NSPID.map,
 * both through /proc/PID/root when it is in another mount namespace; for
 * a process already gone, /tmp/perf-PID.map owned by root or this
 * process's user. */
struct jitmap *jitmap_new(pid_t pid);

/* The reader of the file at path, for a process whose uid is uid (tests). */
struct jitmap *jitmap_new_file(const char *path, uid_t uid);

void jitmap_free(struct jitmap *j);

/* Look at the file, at most once per value of tick: read what was appended
 * since the last read (at most a few MiB per call; the rest on the next
 * ticks), or everything again if the file was replaced, truncated or
 * rewritten. A file is read only if it is a regular file, not reached
 * through a symbolic link, owned by root or by the process's effective or
 * filesystem uid (else it is left alone, as perf does). Returns true if the
 * table changed. Never fails: a missing file is looked for again later. */
bool jitmap_refresh(struct jitmap *j, uint64_t tick);

/* Forget the table and the file, to find and read it again on the next
 * refresh (the process exec'd). Function pointers stay valid. */
void jitmap_reset(struct jitmap *j);

/* The process is gone: free all but the names, which stay valid (nothing
 * is found in it any more). */
void jitmap_retire(struct jitmap *j);

/* The JIT function whose code contains addr, or NULL. O(log n). */
const struct symtab_func *jitmap_lookup(const struct jitmap *j, uint64_t addr);

/* The file in use, or NULL while none was found. */
const char *jitmap_path(const struct jitmap *j);

size_t jitmap_nlines(const struct jitmap *j);	/* entries read (valid lines) */
/* The oldest lines forgotten: past 65,536 lines kept, down to 3/4 of it
 * (their addresses are found no more; their names stay). */
size_t jitmap_ndropped(const struct jitmap *j);
size_t jitmap_nbad(const struct jitmap *j);	/* malformed lines skipped */
size_t jitmap_nfuncs(const struct jitmap *j);	/* distinct names */

#endif
