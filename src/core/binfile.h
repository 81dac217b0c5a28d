/*
 * Opening the file behind a mapping as the process that maps it sees it:
 * its inode must be the mapping's, through /proc/PID/root (another mount
 * namespace), /proc/PID/map_files or /proc/PID/exe (a deleted or
 * replaced file), else the plain path.
 */
#ifndef RS_BINFILE_H
#define RS_BINFILE_H

#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

struct map;

/* Open path read-only if it is a regular file; fills *st. fd, or -1 with
 * errno set (EISDIR, EINVAL: not a regular file). */
int binfile_open(const char *path, struct stat *st);

/*
 * Open the file behind mapping m of process pid (pid <= 0: the plain
 * path only). A file whose path now names another inode on the mapping's
 * device was replaced and is not opened; one on another device (a stacked
 * file system) is used if nothing better opens. Returns the descriptor
 * with *st filled and the path that opened in *opened (allocated), or -1.
 */
int binfile_open_map(pid_t pid, const struct map *m, struct stat *st,
    char **opened);

/* Whether the file opened as opened (st) is reachable only through /proc
 * (path names no file, or another one, here): its descriptor must then be
 * kept to read it once the process is gone. */
bool binfile_only_via_proc(const char *opened, const char *path,
    const struct stat *st);

#endif
