/*
 * The settings file, htop style: $XDG_CONFIG_HOME/rrstat-top/rrstat-toprc
 * (~/.config/... without XDG_CONFIG_HOME), one `key=value` per line, `#`
 * comments. This module reads and writes lines; what a key means is the
 * caller's (options.c reads them, the screen's S key writes them).
 */
#ifndef RS_RCFILE_H
#define RS_RCFILE_H

#include <stddef.h>

#define RCFILE_MAX_BYTES	(64 * 1024)	/* a larger file is refused */
#define RCFILE_MAX_LINE		1024		/* a longer line is reported */

/* One setting as read: key and value trimmed of blanks. */
struct rcfile_entry {
	char *key;
	char *value;
	unsigned line;		/* 1-based */
};

/* A line that is not a setting, for the caller to report. */
struct rcfile_bad {
	unsigned line;
	char *why;		/* translated */
};

struct rcfile {
	struct rcfile_entry *entries;
	size_t nentries;
	struct rcfile_bad *bad;
	size_t nbad;
};

/* The settings file's path (caller frees), or NULL where neither
 * XDG_CONFIG_HOME nor HOME is set to an absolute path. */
char *rcfile_path(void);

/* Read path into rc: a missing file is an empty one. Lines that are not
 * `key=value` go to rc->bad. Returns -1 with *cause set where the file
 * exists and cannot be read (or is too large or not a regular file). */
int rcfile_read(const char *path, struct rcfile *rc, char **cause);

/* Free what rcfile_read filled in. */
void rcfile_free(struct rcfile *rc);

/* Set each of n settings in the file at path, keeping its comments,
 * other keys and order: a key's first line is replaced, later lines of
 * the same key dropped, new keys appended. The directory is made where
 * missing; the file is replaced atomically (a temporary file, fsync,
 * rename), never left half-written. Returns -1 with *cause set. */
int rcfile_update(const char *path, const struct rcfile_entry *set,
    size_t n, char **cause);

#endif
