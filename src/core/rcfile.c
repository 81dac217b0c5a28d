/*
 * The settings file: read into key/value entries with their line numbers
 * (bad lines set aside for the caller to report), and updated in place
 * through a temporary file and rename, so a reader never sees half of it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "rcfile.h"
#include "xmalloc.h"

#define RCFILE_DIR	"rrstat-top"
#define RCFILE_NAME	"rrstat-toprc"

/* The settings file's path. */
char *
rcfile_path(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	/* The XDG base directory spec ignores a relative XDG_CONFIG_HOME. */
	if (xdg != NULL && xdg[0] == '/')
		return xasprintf("%s/%s/%s", xdg, RCFILE_DIR, RCFILE_NAME);
	if (home != NULL && home[0] == '/')
		return xasprintf("%s/.config/%s/%s", home, RCFILE_DIR,
		    RCFILE_NAME);
	return NULL;
}

/* The whole file at path into *text (NUL-terminated, caller frees): 0,
 * 1 where it does not exist, -1 with *cause set. */
static int
rcfile_slurp(const char *path, char **text, size_t *len, char **cause)
{
	struct stat st;
	size_t got = 0;
	ssize_t n;
	char *buf, *why = NULL;
	int fd;

	*text = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0) {
		if (errno == ENOENT)
			return 1;
		*cause = xasprintf(_("%s: %s"), path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0)
		why = xasprintf(_("%s: %s"), path, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		why = xasprintf(_("%s: not a regular file"), path);
	else if (st.st_size > RCFILE_MAX_BYTES)
		why = xasprintf(_("%s: larger than %d bytes"), path,
		    RCFILE_MAX_BYTES);
	if (why != NULL) {
		*cause = why;
		close(fd);
		return -1;
	}
	buf = xmalloc(RCFILE_MAX_BYTES + 1);
	while (got < RCFILE_MAX_BYTES &&
	    (n = read(fd, buf + got, RCFILE_MAX_BYTES - got)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			*cause = xasprintf(_("%s: %s"), path, strerror(errno));
			free(buf);
			close(fd);
			return -1;
		}
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*text = buf;
	*len = got;
	return 0;
}

/* s without leading and trailing blanks, in place. */
static char *
rcfile_trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\r'))
		*--end = '\0';
	return s;
}

/* Whether s is a key: letters, digits, '-' and '_'. */
static bool
rcfile_is_key(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (!(*s >= 'a' && *s <= 'z') && !(*s >= 'A' && *s <= 'Z') &&
		    !(*s >= '0' && *s <= '9') && *s != '-' && *s != '_')
			return false;
	}
	return true;
}

/* Split one line (its own copy, changed) into key and value: 1 for a
 * setting, 0 for a blank line or a comment, -1 with *why (translated,
 * static) for anything else. */
static int
rcfile_split(char *line, char **key, char **value, const char **why)
{
	char *s = rcfile_trim(line), *eq;

	if (*s == '\0' || *s == '#')
		return 0;
	if (strlen(line) > RCFILE_MAX_LINE) {
		*why = _("line too long");
		return -1;
	}
	if ((eq = strchr(s, '=')) == NULL) {
		*why = _("not a 'key=value' setting");
		return -1;
	}
	*eq = '\0';
	*key = rcfile_trim(s);
	*value = rcfile_trim(eq + 1);
	if (!rcfile_is_key(*key)) {
		*why = _("not a 'key=value' setting");
		return -1;
	}
	return 1;
}

/* Read the settings file. */
int
rcfile_read(const char *path, struct rcfile *rc, char **cause)
{
	char *text, *line, *next, *key, *value;
	const char *why;
	unsigned no = 0;
	size_t len;
	int rc_slurp;

	memset(rc, 0, sizeof *rc);
	if ((rc_slurp = rcfile_slurp(path, &text, &len, cause)) != 0)
		return rc_slurp < 0 ? -1 : 0;
	for (line = text; line != NULL && line < text + len; line = next) {
		no++;
		if ((next = memchr(line, '\n', (size_t)(text + len - line))) !=
		    NULL)
			*next++ = '\0';
		if (strlen(line) != (size_t)((next != NULL ? next - 1 :
		    text + len) - line)) {
			why = _("contains a NUL byte");
			goto bad;
		}
		switch (rcfile_split(line, &key, &value, &why)) {
		case 0:
			continue;
		case 1:
			rc->entries = xreallocarray(rc->entries,
			    rc->nentries + 1, sizeof *rc->entries);
			rc->entries[rc->nentries++] = (struct rcfile_entry){
			    .key = xstrdup(key), .value = xstrdup(value),
			    .line = no };
			continue;
		}
bad:
		rc->bad = xreallocarray(rc->bad, rc->nbad + 1,
		    sizeof *rc->bad);
		rc->bad[rc->nbad++] = (struct rcfile_bad){ .line = no,
		    .why = xstrdup(why) };
	}
	free(text);
	return 0;
}

/* Free a read file. */
void
rcfile_free(struct rcfile *rc)
{
	size_t i;

	for (i = 0; i < rc->nentries; i++) {
		free(rc->entries[i].key);
		free(rc->entries[i].value);
	}
	for (i = 0; i < rc->nbad; i++)
		free(rc->bad[i].why);
	free(rc->entries);
	free(rc->bad);
	memset(rc, 0, sizeof *rc);
}

/* Make the directories above path (mode 0700, as the XDG spec asks):
 * 0, or -1 with *cause set. */
static int
rcfile_mkdirs(const char *path, char **cause)
{
	char *dir = xstrdup(path), *p;

	for (p = dir + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
			*cause = xasprintf(_("cannot make %s: %s"), dir,
			    strerror(errno));
			free(dir);
			return -1;
		}
		*p = '/';
	}
	free(dir);
	return 0;
}

/* Whether the line of the old file (a copy) sets key. */
static bool
rcfile_line_sets(const char *line, const char *key)
{
	char *copy = xstrdup(line), *k, *v;
	const char *why;
	bool yes;

	yes = rcfile_split(copy, &k, &v, &why) == 1 && strcmp(k, key) == 0;
	free(copy);
	return yes;
}

/* The new text of the file: old (or NULL) with the n settings applied
 * (caller frees). */
static char *
rcfile_merge(const char *old, const struct rcfile_entry *set, size_t n)
{
	bool *done = xcalloc(n ? n : 1, sizeof *done);
	char *out = xstrdup(""), *tmp, *line;
	const char *p, *nl;
	size_t i;

	for (p = old; p != NULL && *p != '\0'; p = nl != NULL ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		line = nl != NULL ? xstrndup(p, (size_t)(nl - p)) : xstrdup(p);
		for (i = 0; i < n && !rcfile_line_sets(line, set[i].key); i++)
			;
		if (i < n && done[i]) {
			free(line);
			continue;
		}
		if (i < n) {
			done[i] = true;
			tmp = xasprintf("%s%s=%s\n", out, set[i].key,
			    set[i].value);
		} else
			tmp = xasprintf("%s%s\n", out, line);
		free(line);
		free(out);
		out = tmp;
	}
	if (old == NULL || *old == '\0') {
		free(out);
		out = xasprintf("# %s\n", _("rrstat-top settings (the S key "
		    "writes them; command-line options override them)"));
	}
	for (i = 0; i < n; i++) {
		if (done[i])
			continue;
		tmp = xasprintf("%s%s=%s\n", out, set[i].key, set[i].value);
		free(out);
		out = tmp;
	}
	free(done);
	return out;
}

/* Write all of text to fd: 0 or -1 with errno set. */
static int
rcfile_write_all(int fd, const char *text, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, text, len)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		text += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Update settings in the file, atomically. */
int
rcfile_update(const char *path, const struct rcfile_entry *set, size_t n,
    char **cause)
{
	char *old = NULL, *text, *real, *tmp;
	struct stat st;
	mode_t mode = 0644;
	size_t len;
	int fd, err;

	if (rcfile_mkdirs(path, cause) < 0)
		return -1;
	/* A link (dotfiles kept elsewhere) is followed: its file is the
	 * one replaced, and stays linked. */
	real = realpath(path, NULL);
	if (real == NULL)
		real = xstrdup(path);
	if (rcfile_slurp(real, &old, &len, cause) < 0) {
		free(real);
		return -1;
	}
	if (old != NULL && stat(real, &st) == 0)
		mode = st.st_mode & 07777;
	text = rcfile_merge(old, set, n);
	free(old);
	tmp = xasprintf("%s.XXXXXX", real);
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		*cause = xasprintf(_("cannot write %s: %s"), path,
		    strerror(errno));
		goto fail;
	}
	if (fchmod(fd, mode) < 0 ||
	    rcfile_write_all(fd, text, strlen(text)) < 0 || fsync(fd) < 0) {
		err = errno;
		close(fd);
		unlink(tmp);
		*cause = xasprintf(_("cannot write %s: %s"), path,
		    strerror(err));
		goto fail;
	}
	if (close(fd) < 0 || rename(tmp, real) < 0) {
		err = errno;
		unlink(tmp);
		*cause = xasprintf(_("cannot write %s: %s"), path,
		    strerror(err));
		goto fail;
	}
	free(tmp);
	free(text);
	free(real);
	return 0;
fail:
	free(tmp);
	free(text);
	free(real);
	return -1;
}
