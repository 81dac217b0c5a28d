/* Opening a mapped file as the target process sees it. */
#include "config.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "binfile.h"
#include "maps.h"
#include "xmalloc.h"

/* The ways to reach the file behind a mapping, in binfile_open_map. */
enum binfile_via {
	BINFILE_VIA_MAP_FILES,	/* /proc/PID/map_files/START-END: the mapping's own file */
	BINFILE_VIA_EXE,	/* /proc/PID/exe: the executable, if its inode matches */
	BINFILE_VIA_ROOT,	/* /proc/PID/root/PATH: the target's mount namespace */
	BINFILE_VIA_PATH,	/* PATH in ours */
};

/* Open path read-only if it is a regular file; fills *st. */
int
binfile_open(const char *path, struct stat *st)
{
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd == -1)
		return -1;
	if (fstat(fd, st) != 0)
		err = errno;
	else if (!S_ISREG(st->st_mode))
		err = S_ISDIR(st->st_mode) ? EISDIR : EINVAL;
	else
		return fd;
	close(fd);
	errno = err;
	return -1;
}

/* The path to try one way to m's file, allocated; NULL if it does not apply. */
static char *
binfile_via_path(pid_t pid, const struct map *m, enum binfile_via via)
{
	if (pid <= 0 && via != BINFILE_VIA_PATH)
		return NULL;
	switch (via) {
	case BINFILE_VIA_MAP_FILES:
		return xasprintf("/proc/%ld/map_files/%" PRIx64 "-%" PRIx64,
		    (long)pid, m->start, m->end);
	case BINFILE_VIA_EXE:
		return m->inode != 0 ? xasprintf("/proc/%ld/exe", (long)pid) : NULL;
	case BINFILE_VIA_ROOT:
		return xasprintf("/proc/%ld/root%s", (long)pid, m->path);
	case BINFILE_VIA_PATH:
		return xstrdup(m->path);
	}
	return NULL;
}

/*
 * Open the file behind a mapping, as the process maps it: a deleted one
 * through map_files, else through /proc/PID/exe; else (and first for a
 * file not deleted) through the process's root directory, else the
 * plain path.
 */
int
binfile_open_map(pid_t pid, const struct map *m, struct stat *st, char **opened)
{
	static const enum binfile_via deleted[] = { BINFILE_VIA_MAP_FILES,
	    BINFILE_VIA_EXE, BINFILE_VIA_ROOT, BINFILE_VIA_PATH };
	static const enum binfile_via present[] = { BINFILE_VIA_ROOT,
	    BINFILE_VIA_PATH, BINFILE_VIA_MAP_FILES, BINFILE_VIA_EXE };
	const enum binfile_via *order = m->deleted ? deleted : present;
	struct stat one, weak_st;
	char *p, *weak = NULL;
	int fd, weak_fd = -1;
	size_t i;

	*opened = NULL;
	for (i = 0; i < 4; i++) {
		if ((p = binfile_via_path(pid, m, order[i])) == NULL)
			continue;
		if ((fd = binfile_open(p, &one)) == -1) {
			free(p);
			continue;
		}
		if (order[i] == BINFILE_VIA_MAP_FILES || m->inode == 0 ||
		    (uint64_t)one.st_ino == m->inode)
			goto found;
		if (order[i] != BINFILE_VIA_EXE && !m->deleted && weak == NULL &&
		    one.st_dev != makedev(m->dev_major, m->dev_minor)) {
			weak = p;
			weak_fd = fd;
			weak_st = one;
			continue;
		}
		close(fd);
		free(p);
	}
	if (weak == NULL)
		return -1;
	*st = weak_st;
	*opened = weak;
	return weak_fd;

found:
	if (weak != NULL) {
		close(weak_fd);
		free(weak);
	}
	*st = one;
	*opened = p;
	return fd;
}

/* Whether the file opened as opened is reachable only through /proc. */
bool
binfile_only_via_proc(const char *opened, const char *path, const struct stat *st)
{
	struct stat here;

	if (strcmp(opened, path) == 0)
		return false;
	return stat(path, &here) != 0 || here.st_dev != st->st_dev ||
	    here.st_ino != st->st_ino;
}
