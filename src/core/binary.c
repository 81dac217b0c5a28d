/*
 * The binary objects and their cache.
 *
 * A binary is identified when first seen (the file opened as the target
 * maps it, binfile.c, and its GNU build-id read cheaply from the notes)
 * and loaded on its first lookup: its symbols through the loaders
 * (symtab_elf.c for .symtab, else the separate debug file's .symtab,
 * else .dynsym; symtab_plt.c for NAME@plt; symtab_kallsyms.c for the
 * kernel), its function bounds through symtab_fde.c, the table built by
 * symtab.c. A vdso is read from the target's memory (vdso.c) and shared
 * by build-id.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "binary.h"
#include "binfile.h"
#include "debugfile.h"
#include "maps.h"
#include "symtab.h"
#include "symtab_elf.h"
#include "symtab_fde.h"
#include "symtab_kallsyms.h"
#include "symtab_plt.h"
#include "vdso.h"
#include "xmalloc.h"

#define BINARY_BUILD_ID_MAX	DEBUGFILE_BUILD_ID_MAX
#define BINARY_HEAVY_BUDGET	128	/* binaries with DWARF, CFI or a kept fd */

struct binary {
	struct binary_cache *cache;
	enum binary_kind kind;
	uint32_t id;
	char *path;		/* as mapped (or as given) */
	const char *name;	/* basename of path, or a pseudo name */
	bool loaded;

	/* Files only: how to reopen it, and how to know it is the same. */
	char *open_path;	/* what opened at registration; NULL: nothing did */
	int open_errno;		/* why nothing did */
	int fd;			/* kept open where only /proc reaches the file; -1 */
	dev_t st_dev;
	ino_t st_ino;
	uint8_t build_id[BINARY_BUILD_ID_MAX];
	size_t build_id_len;
	unsigned char eclass, edata;	/* what its debug file must have */
	GElf_Half emachine;

	/* Its separate debug file, once searched. */
	bool debug_searched;
	char *debug_path;	/* NULL: none */

	/* The vdso only: its image as read from a process (a few pages). */
	unsigned char *image;
	size_t image_len;

	struct symtab syms;
	struct symtab_fdes fdes;
	struct symtab_seg *loads;	/* PT_LOAD headers, read with the symbols */
	size_t nloads;

	void *slots[BINARY_NSLOTS];
	void (*destroy[BINARY_NSLOTS])(void *);

	/* Shedding (binary_cache_shed): the cache's tick of its last use,
	 * holders that keep its heavy parts, whether its kept fd was shed. */
	uint64_t used;
	unsigned pins;
	bool fd_shed;
};

struct binary_entry {
	struct binary_entry *next;
	uint64_t hash;
	struct binary *bin;
	size_t keylen;
	unsigned char key[];
};

/* A chained hash table from a byte string to a binary. */
struct binary_hash {
	struct binary_entry **buckets;
	size_t nbuckets;	/* a power of two, or 0 */
	size_t n;
};

struct binary_cache {
	struct binary **bins;		/* by id */
	size_t nbins;
	size_t binscap;
	struct binary_hash by_file;	/* (dev, inode, path) */
	struct binary_hash by_build_id;
	struct binary *vdso;		/* this process's own vdso (the fallback) */
	struct binary *kernel;
	struct binary *anon;
	char **debug_dirs;		/* searched before /usr/lib/debug */
	size_t ndebug_dirs;
	char *kallsyms;			/* NULL: /proc/kallsyms */
	binary_nodebug_fn nodebug;	/* told of a file without debug info */
	void *nodebug_arg;
	uint64_t now;			/* binary_cache_tick's count */
	uint64_t shed;			/* binaries whose heavy parts were shed */
	uint64_t paths_forgotten;	/* by_file keys of gone files dropped */
	size_t heavy_budget;		/* binaries with heavy parts, at most */
};

/* FNV-1a over a byte string. */
static uint64_t
binary_hash_bytes(const void *key, size_t len)
{
	const unsigned char *p = key;
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* The binary stored under key, or NULL. */
static struct binary *
binary_hash_find(const struct binary_hash *h, const void *key, size_t len)
{
	struct binary_entry *e;
	uint64_t hv;

	if (h->nbuckets == 0)
		return NULL;
	hv = binary_hash_bytes(key, len);
	for (e = h->buckets[hv & (h->nbuckets - 1)]; e != NULL; e = e->next) {
		if (e->hash == hv && e->keylen == len &&
		    memcmp(e->key, key, len) == 0)
			return e->bin;
	}
	return NULL;
}

/* Store b under key (which is copied); the key must not be there yet. */
static void
binary_hash_add(struct binary_hash *h, const void *key, size_t len,
    struct binary *b)
{
	struct binary_entry *e, *next, **nb;
	size_t i, nn;

	if (h->n >= h->nbuckets) {
		nn = h->nbuckets ? h->nbuckets * 2 : 64;
		nb = xcalloc(nn, sizeof *nb);
		for (i = 0; i < h->nbuckets; i++) {
			for (e = h->buckets[i]; e != NULL; e = next) {
				next = e->next;
				e->next = nb[e->hash & (nn - 1)];
				nb[e->hash & (nn - 1)] = e;
			}
		}
		free(h->buckets);
		h->buckets = nb;
		h->nbuckets = nn;
	}
	e = xmalloc(sizeof *e + len);
	e->hash = binary_hash_bytes(key, len);
	e->bin = b;
	e->keylen = len;
	memcpy(e->key, key, len);
	e->next = h->buckets[e->hash & (h->nbuckets - 1)];
	h->buckets[e->hash & (h->nbuckets - 1)] = e;
	h->n++;
}

/* Release a hash table's entries (not the binaries). */
static void
binary_hash_free(struct binary_hash *h)
{
	struct binary_entry *e, *next;
	size_t i;

	for (i = 0; i < h->nbuckets; i++) {
		for (e = h->buckets[i]; e != NULL; e = next) {
			next = e->next;
			free(e);
		}
	}
	free(h->buckets);
	memset(h, 0, sizeof *h);
}

/* Create an empty cache. */
struct binary_cache *
binary_cache_new(void)
{
	struct binary_cache *c;

	elf_version(EV_CURRENT);
	c = xcalloc(1, sizeof *c);
	c->heavy_budget = BINARY_HEAVY_BUDGET;
	return c;
}

/* Drop b's DWARF and CFI state and its kept descriptor (its symbols stay;
 * the state is read again on the next question). */
static void
binary_shed_one(struct binary *b)
{
	size_t i;

	for (i = 0; i < BINARY_NSLOTS; i++) {
		if (b->slots[i] != NULL && b->destroy[i] != NULL)
			b->destroy[i](b->slots[i]);
		b->slots[i] = NULL;
	}
	if (b->fd != -1) {
		close(b->fd);
		b->fd = -1;
		b->fd_shed = true;
	}
}

/* Release one binary, what is attached to it and everything it owns. */
static void
binary_free(struct binary *b)
{
	binary_shed_one(b);
	symtab_free(&b->syms);
	symtab_fde_free(&b->fdes);
	free(b->loads);
	free(b->image);
	free(b->debug_path);
	free(b->open_path);
	free(b->path);
	free(b);
}

/* Release the cache, every binary in it and every name handed out. */
void
binary_cache_free(struct binary_cache *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nbins; i++)
		binary_free(c->bins[i]);
	free(c->bins);
	binary_hash_free(&c->by_file);
	binary_hash_free(&c->by_build_id);
	for (i = 0; i < c->ndebug_dirs; i++)
		free(c->debug_dirs[i]);
	free(c->debug_dirs);
	free(c->kallsyms);
	free(c);
}

/* Read the [kernel] table from path instead of /proc/kallsyms. */
void
binary_cache_set_kallsyms(struct binary_cache *c, const char *path)
{
	free(c->kallsyms);
	c->kallsyms = path != NULL ? xstrdup(path) : NULL;
}

/* Search dir for separate debug files, before those added later and
 * before /usr/lib/debug. */
void
binary_cache_add_debug_dir(struct binary_cache *c, const char *dir)
{
	size_t len = strlen(dir);

	while (len > 1 && dir[len - 1] == '/')
		len--;
	if (len == 0)
		return;
	c->debug_dirs = xreallocarray(c->debug_dirs, c->ndebug_dirs + 1,
	    sizeof *c->debug_dirs);
	c->debug_dirs[c->ndebug_dirs++] = xstrndup(dir, len);
}

/* How many binaries there are. */
size_t
binary_cache_count(const struct binary_cache *c)
{
	return c->nbins;
}

/* Register a new binary with the next id. */
static struct binary *
binary_new(struct binary_cache *c, enum binary_kind kind, const char *path)
{
	struct binary *b;
	const char *slash;

	b = xcalloc(1, sizeof *b);
	b->cache = c;
	b->kind = kind;
	b->fd = -1;
	b->open_errno = ENOENT;
	b->id = (uint32_t)c->nbins;
	b->path = xstrdup(path);
	slash = strrchr(b->path, '/');
	b->name = (slash != NULL && slash[1] != '\0') ? slash + 1 : b->path;
	b->syms.demangle = (kind == BINARY_FILE || kind == BINARY_VDSO ||
	    kind == BINARY_KERNEL);

	if (c->nbins == c->binscap) {
		c->binscap = c->binscap ? c->binscap * 2 : 16;
		c->bins = xreallocarray(c->bins, c->binscap, sizeof *c->bins);
	}
	c->bins[c->nbins++] = b;
	return b;
}

/*
 * The vdso binary of an image (which it takes): the one registered with
 * the same build-id (or, without one, the same bytes), else a new one
 * that reads the image on its first lookup. NULL (and the image freed)
 * if it is not an ELF image.
 */
static struct binary *
binary_vdso_image(struct binary_cache *c, unsigned char *img, size_t len)
{
	unsigned char key[16 + 6 + 16];
	uint8_t id[BINARY_BUILD_ID_MAX];
	struct binary_hash *h = &c->by_build_id;
	struct binary *b;
	const void *k = id;
	size_t idlen = 0, klen;
	uint64_t sum = binary_hash_bytes(img, len), len64 = len;
	Elf *elf;

	if (len < SELFMAG || memcmp(img, ELFMAG, SELFMAG) != 0 ||
	    (elf = elf_memory((char *)img, len)) == NULL) {
		free(img);
		return NULL;
	}
	if (elf_kind(elf) == ELF_K_ELF)
		idlen = debugfile_build_id(elf, id);
	elf_end(elf);
	klen = idlen;
	if (idlen == 0) {
		/* No build-id: by content, under a key no mapped file has. */
		memset(key, 0, 16);
		memcpy(key + 16, "[vdso]", 6);
		memcpy(key + 22, &sum, 8);
		memcpy(key + 30, &len64, 8);
		h = &c->by_file;
		k = key;
		klen = sizeof key;
	}
	if ((b = binary_hash_find(h, k, klen)) != NULL) {
		free(img);
		return b;
	}
	b = binary_new(c, BINARY_VDSO, "[vdso]");
	b->image = img;
	b->image_len = len;
	memcpy(b->build_id, id, idlen);
	b->build_id_len = idlen;
	binary_hash_add(h, k, klen, b);
	return b;
}

/* The vdso of this process (the fallback where a target's is unreadable). */
static struct binary *
binary_vdso_own(struct binary_cache *c)
{
	unsigned char *img;
	size_t len;

	if (c->vdso != NULL)
		return c->vdso;
	if (vdso_own(&img, &len))
		c->vdso = binary_vdso_image(c, img, len);
	if (c->vdso == NULL)
		c->vdso = binary_new(c, BINARY_VDSO, "[vdso]");
	return c->vdso;
}

/* The vdso mapped by m in process pid: its image read from the process's
 * memory, else this process's own. */
static struct binary *
binary_vdso(struct binary_cache *c, pid_t pid, const struct map *m)
{
	struct binary *b = NULL;
	unsigned char *img;
	size_t len;

	if (vdso_read(pid, m->start, m->end, &img, &len))
		b = binary_vdso_image(c, img, len);
	return b != NULL ? b : binary_vdso_own(c);
}

/*
 * The key of a mapped file in the by_file table, in buf if it fits (else
 * allocated: *key != buf); returns its length.
 */
static size_t
binary_file_key(const struct map *m, unsigned char *buf, size_t bufsize,
    unsigned char **key)
{
	size_t len = strlen(m->path);
	unsigned char *k;

	k = (16 + len <= bufsize) ? buf : xmalloc(16 + len);
	memcpy(k, &m->dev_major, 4);
	memcpy(k + 4, &m->dev_minor, 4);
	memcpy(k + 8, &m->inode, 8);
	memcpy(k + 16, m->path, len);
	*key = k;
	return 16 + len;
}

/* What registration reads of a file: its identity and ELF header. */
struct binary_ident {
	struct stat st;
	uint8_t id[BINARY_BUILD_ID_MAX];
	size_t idlen;
	GElf_Ehdr eh;
	bool has_eh;
	int err;			/* errno where it did not open */
};

/* Give b the file opened as opened (fd, which it takes) and its identity. */
static void
binary_file_set(struct binary *b, const struct map *m, int fd, char *opened,
    const struct binary_ident *ident)
{
	b->open_path = opened;
	if (fd != -1 && binfile_only_via_proc(opened, m->path, &ident->st))
		b->fd = fd;
	else if (fd != -1)
		close(fd);
	b->st_dev = ident->st.st_dev;
	b->st_ino = ident->st.st_ino;
	memcpy(b->build_id, ident->id, ident->idlen);
	b->build_id_len = ident->idlen;
	if (ident->has_eh) {
		b->eclass = ident->eh.e_ident[EI_CLASS];
		b->edata = ident->eh.e_ident[EI_DATA];
		b->emachine = ident->eh.e_machine;
	}
	if (ident->idlen != 0 &&
	    binary_hash_find(&b->cache->by_build_id, ident->id, ident->idlen) == NULL)
		binary_hash_add(&b->cache->by_build_id, ident->id, ident->idlen, b);
}

/* Open the file behind m in pid and read its identity; fd or -1. */
static int
binary_file_open(pid_t pid, const struct map *m, char **opened,
    struct binary_ident *ident)
{
	Elf *elf;
	int fd;

	memset(ident, 0, sizeof *ident);
	errno = 0;
	fd = binfile_open_map(pid, m, &ident->st, opened);
	if (fd == -1) {
		ident->err = errno != 0 ? errno : ENOENT;
		return -1;
	}
	if ((elf = elf_begin(fd, ELF_C_READ_MMAP, NULL)) != NULL) {
		ident->idlen = debugfile_build_id(elf, ident->id);
		ident->has_eh = elf_kind(elf) == ELF_K_ELF &&
		    gelf_getehdr(elf, &ident->eh) != NULL;
		elf_end(elf);
	}
	return fd;
}

/* Whether the file opened as fd (ident) is not the one m's build-id
 * names; then it is closed. */
static bool
binary_file_other(const struct map *m, int fd, char **opened,
    struct binary_ident *ident)
{
	if (fd == -1 || (ident->idlen == m->build_id_len &&
	    memcmp(ident->id, m->build_id, ident->idlen) == 0))
		return false;
	close(fd);
	free(*opened);
	*opened = NULL;
	memset(ident, 0, sizeof *ident);
	ident->err = ESTALE;
	return true;
}

/* Open the file behind m in pid (whose build-id the kernel told, in
 * place of its inode) if it has that build-id: fd, or -1 (ESTALE in
 * ident->err where the path names another file now). Where the path
 * names another file (replaced since it was mapped), the mapping's own
 * file is tried first, as for a deleted one (/proc/PID/map_files). */
static int
binary_file_open_id(pid_t pid, const struct map *m, char **opened,
    struct binary_ident *ident)
{
	struct map gone;
	int fd = binary_file_open(pid, m, opened, ident);

	if (!binary_file_other(m, fd, opened, ident))
		return fd;
	if (m->deleted)
		return -1;
	gone = *m;
	gone.deleted = true;
	fd = binary_file_open(pid, &gone, opened, ident);
	return binary_file_other(m, fd, opened, ident) ? -1 : fd;
}

/*
 * The binary of file mapping m whose build-id the kernel told (perf's
 * MMAP2 records): one per build-id, whatever the path, and no key per
 * path (copies of a library under fresh names, each deleted once loaded,
 * are one binary; a path may name another file later). The first
 * mapping through which a file with that build-id opens gives the binary
 * its file (its functions): one registered while none could (its copy
 * already gone) gets it from a later copy still there.
 */
static struct binary *
binary_for_build_id(struct binary_cache *c, pid_t pid, const struct map *m)
{
	struct binary_ident ident;
	struct binary *b;
	char *opened;
	int fd;

	b = binary_hash_find(&c->by_build_id, m->build_id, m->build_id_len);
	if (b != NULL) {
		if (b->kind == BINARY_FILE && (b->open_path == NULL || b->fd_shed) &&
		    (fd = binary_file_open_id(pid, m, &opened, &ident)) != -1) {
			/* Read again where nothing could be before. */
			if (b->open_path == NULL)
				b->loaded = false;
			free(b->open_path);
			binary_file_set(b, m, fd, opened, &ident);
			b->fd_shed = false;
		}
		return b;
	}
	fd = binary_file_open_id(pid, m, &opened, &ident);
	b = binary_new(c, BINARY_FILE, m->path);
	if (fd == -1) {
		b->open_errno = ident.err;
		memcpy(ident.id, m->build_id, m->build_id_len);
		ident.idlen = m->build_id_len;
	}
	binary_file_set(b, m, fd, opened, &ident);
	return b;
}

/* The binary behind mapping m of process pid. */
struct binary *
binary_for_map(struct binary_cache *c, pid_t pid, const struct map *m)
{
	struct binary_ident ident;
	struct binary *b;
	unsigned char buf[256], *key;
	size_t keylen;
	char *opened;
	int fd;

	if (m->path == NULL || m->path[0] != '/') {
		if (m->path != NULL && strcmp(m->path, "[vdso]") == 0)
			return binary_vdso(c, pid, m);
		return binary_anon(c);
	}
	if (m->build_id_len != 0)
		return binary_for_build_id(c, pid, m);

	keylen = binary_file_key(m, buf, sizeof buf, &key);
	if ((b = binary_hash_find(&c->by_file, key, keylen)) != NULL) {
		/* Nothing opened for it yet: another process may reach it. */
		if (b->kind == BINARY_FILE && b->open_path == NULL &&
		    (fd = binary_file_open(pid, m, &opened, &ident)) != -1) {
			binary_file_set(b, m, fd, opened, &ident);
			b->loaded = false;
		} else if (b->fd_shed &&
		    (fd = binary_file_open(pid, m, &opened, &ident)) != -1) {
			/* Mapped again: reachable through this mapping. */
			free(b->open_path);
			binary_file_set(b, m, fd, opened, &ident);
			b->fd_shed = false;
		}
		goto out;
	}

	fd = binary_file_open(pid, m, &opened, &ident);
	if (ident.idlen != 0 &&
	    (b = binary_hash_find(&c->by_build_id, ident.id, ident.idlen)) != NULL) {
		if (b->kind == BINARY_FILE && b->open_path == NULL) {
			/* Registered by a build-id told, its file gone:
			 * this one is it. */
			binary_file_set(b, m, fd, opened, &ident);
			b->loaded = false;
		} else {
			close(fd);
			free(opened);
		}
		binary_hash_add(&c->by_file, key, keylen, b);
		goto out;
	}

	b = binary_new(c, BINARY_FILE, m->path);
	if (fd == -1)
		b->open_errno = ident.err;
	binary_file_set(b, m, fd, opened, &ident);
	binary_hash_add(&c->by_file, key, keylen, b);

out:
	if (key != buf)
		free(key);
	return b;
}

/* The binary of a mapping, kept in the mapping. */
struct binary *
binary_of_map(struct binary_cache *c, pid_t pid, struct map *m)
{
	if (m->priv == NULL)
		m->priv = binary_for_map(c, pid, m);
	return m->priv;
}

/* The binary of a file named by path, as this process sees it. */
struct binary *
binary_for_path(struct binary_cache *c, const char *path)
{
	struct binary *b;
	struct stat st;
	struct map m;
	char *abs = NULL;

	memset(&m, 0, sizeof m);
	/* A relative path names a file from here: made absolute (a binary's
	 * path is). */
	if (path[0] != '/' && path[0] != '[' && (abs = realpath(path, NULL)) != NULL)
		path = abs;
	m.path = (char *)path;
	m.prot = MAPS_PROT_READ | MAPS_PROT_EXEC;
	if (path[0] == '/' && stat(path, &st) == 0) {
		m.inode = (uint64_t)st.st_ino;
		m.dev_major = major(st.st_dev);
		m.dev_minor = minor(st.st_dev);
	}
	b = binary_for_map(c, 0, &m);
	free(abs);
	return b;
}

/* Whether an open file is still the one identified at registration. */
static bool
binary_same_file(const struct binary *b, const struct stat *st, int fd)
{
	uint8_t id[BINARY_BUILD_ID_MAX];
	size_t idlen = 0;
	Elf *elf;

	if (st->st_dev == b->st_dev && st->st_ino == b->st_ino)
		return true;
	if (b->build_id_len == 0 ||
	    (elf = elf_begin(fd, ELF_C_READ_MMAP, NULL)) == NULL)
		return false;
	idlen = debugfile_build_id(elf, id);
	elf_end(elf);
	return idlen == b->build_id_len && memcmp(id, b->build_id, idlen) == 0;
}

/* A new descriptor of b's file, checked to be the same one. */
int
binary_open(struct binary *b, struct stat *st)
{
	const char *tries[2];
	size_t i;
	int fd, err;

	if (b->kind != BINARY_FILE) {
		errno = ENOENT;
		return -1;
	}
	if (b->open_path == NULL) {
		errno = b->open_errno;
		return -1;
	}
	if (b->fd != -1) {
		fd = fcntl(b->fd, F_DUPFD_CLOEXEC, 0);
		if (fd != -1 && fstat(fd, st) == 0)
			return fd;
		if (fd != -1)
			close(fd);
	}
	err = ENOENT;
	tries[0] = b->open_path;
	tries[1] = strcmp(b->open_path, b->path) != 0 ? b->path : NULL;
	for (i = 0; i < 2 && tries[i] != NULL; i++) {
		errno = 0;
		if ((fd = binfile_open(tries[i], st)) == -1) {
			if (errno != 0)
				err = errno;
			continue;
		}
		if (binary_same_file(b, st, fd))
			return fd;
		close(fd);
		err = ESTALE;
	}
	errno = err;
	return -1;
}

/* b's separate debug file: searched once, then reopened. */
int
binary_debug_file(struct binary *b, const char *link, uint32_t crc,
    char **path)
{
	const struct binary_cache *c = b->cache;
	struct debugfile_want w = {
		.dirs = (const char *const *)c->debug_dirs,
		.ndirs = c->ndebug_dirs,
		.open_path = b->open_path,
		.name_path = b->path,
		.dev = b->st_dev,
		.ino = b->st_ino,
		.eclass = b->eclass,
		.edata = b->edata,
		.emachine = b->emachine,
		.build_id = b->build_id,
		.build_id_len = b->build_id_len,
		.link = link,
		.crc = crc,
	};
	struct stat st;
	int fd;

	if (path != NULL)
		*path = NULL;
	if (b->kind != BINARY_FILE || b->open_path == NULL)
		return -1;
	if (b->debug_searched) {
		if (b->debug_path == NULL ||
		    (fd = binfile_open(b->debug_path, &st)) == -1)
			return -1;
	} else {
		b->debug_searched = true;
		fd = debugfile_find(&w, &b->debug_path, NULL);
		if (fd == -1)
			return -1;
	}
	if (path != NULL)
		*path = xstrdup(b->debug_path);
	return fd;
}

/* Tell the cache's hook that file b has neither a .symtab nor a local
 * debug file (where it has a build-id to ask for one by). */
static void
binary_nodebug(struct binary *b)
{
	const struct binary_cache *c = b->cache;

	if (c->nodebug != NULL && b->build_id_len != 0)
		c->nodebug(c->nodebug_arg, b);
}

/*
 * Fill b from an ELF image (file: whether it is b's file, which may have
 * a separate debug file; else the vdso's image): symbols from its .symtab,
 * else from its separate debug file's, else from its .dynsym; NAME@plt
 * for its PLT stubs; bounds from its unwind tables. Addresses become file
 * offsets through the image's PT_LOADs (a debug file's symbols too: their
 * addresses are the same).
 */
static void
binary_load_elf(struct binary *b, Elf *elf, bool file)
{
	struct symtab_cands cs = { 0 };
	struct symtab_elf e, de;
	const char *link;
	uint32_t crc = 0;
	Elf *delf = NULL;
	int dfd = -1;

	if (symtab_elf_open(&e, elf) != 0 || e.nsegs == 0) {
		symtab_elf_close(&e);
		return;
	}
	if (e.symtab != NULL)
		symtab_elf_syms(&cs, &e, e.symtab, &e);
	if (cs.n == 0 && file) {
		/* The candidates' names stay in the debug file's string
		 * table: it is closed once the table is built. */
		link = symtab_elf_debuglink(&e, &crc);
		if ((dfd = binary_debug_file(b, link, crc, NULL)) != -1 &&
		    (delf = elf_begin(dfd, ELF_C_READ_MMAP, NULL)) != NULL) {
			if (symtab_elf_open(&de, delf) == 0 && de.symtab != NULL)
				symtab_elf_syms(&cs, &de, de.symtab, &e);
			symtab_elf_close(&de);
		}
	}
	if (file && dfd == -1 && e.symtab == NULL)
		binary_nodebug(b);
	if (cs.n == 0 && e.dynsym != NULL)
		symtab_elf_syms(&cs, &e, e.dynsym, &e);
	else if (cs.n == 0)
		symtab_elf_dyn_syms(&cs, &e);	/* no section headers */
	symtab_fde_load(&b->fdes, &e, file);
	symtab_plt_cands(&cs, &e);
	symtab_build(&b->syms, &cs, b->fdes.v, b->fdes.n);
	symtab_cands_free(&cs);
	b->loads = xreallocarray(NULL, e.nsegs, sizeof *b->loads);
	memcpy(b->loads, e.segs, e.nsegs * sizeof *b->loads);
	b->nloads = e.nsegs;
	if (delf != NULL)
		elf_end(delf);
	if (dfd != -1)
		close(dfd);
	symtab_elf_close(&e);
}

/* Open b's file as an ELF image; the descriptor in *fdp. */
static Elf *
binary_elf(struct binary *b, int *fdp)
{
	struct stat st;
	Elf *elf;
	int fd;

	if ((fd = binary_open(b, &st)) == -1)
		return NULL;
	if ((elf = elf_begin(fd, ELF_C_READ_MMAP, NULL)) == NULL) {
		close(fd);
		return NULL;
	}
	*fdp = fd;
	return elf;
}

/* Read the symbols of a file. */
static void
binary_load_file(struct binary *b)
{
	Elf *elf;
	int fd;

	if ((elf = binary_elf(b, &fd)) == NULL)
		return;
	binary_load_elf(b, elf, true);
	elf_end(elf);
	close(fd);
}

/* Read the vdso's symbols from the image read at registration. */
static void
binary_load_vdso(struct binary *b)
{
	Elf *elf;

	if (b->image == NULL)
		return;
	elf = elf_memory((char *)b->image, b->image_len);
	if (elf != NULL) {
		binary_load_elf(b, elf, false);
		elf_end(elf);
	}
}

/* Read b's symbols if not done yet. */
static void
binary_load(struct binary *b)
{
	if (b->loaded)
		return;
	b->loaded = true;
	switch (b->kind) {
	case BINARY_FILE:
		binary_load_file(b);
		break;
	case BINARY_VDSO:
		binary_load_vdso(b);
		break;
	case BINARY_KERNEL:
		symtab_kallsyms_load(&b->syms, b->cache->kallsyms != NULL ?
		    b->cache->kallsyms : SYMTAB_KALLSYMS);
		break;
	case BINARY_SYNTHETIC:
	case BINARY_ANON:
		break;
	}
}

/* Read the ends of b's unwind-table functions (reopening the file). */
static void
binary_fde_resolve(struct binary *b)
{
	struct symtab_elf e;
	Elf *elf;
	int fd;

	if ((elf = binary_elf(b, &fd)) == NULL) {
		symtab_fde_resolve(&b->fdes, NULL);
		return;
	}
	if (symtab_elf_open(&e, elf) == 0)
		symtab_fde_resolve(&b->fdes, &e);
	else
		symtab_fde_resolve(&b->fdes, NULL);
	symtab_elf_close(&e);
	elf_end(elf);
	close(fd);
}

/* Read b's symbols now if not done yet. */
void
binary_preload(struct binary *b)
{
	binary_load(b);
}

/* The [kernel] pseudo-binary. */
struct binary *
binary_kernel(struct binary_cache *c)
{
	if (c->kernel == NULL)
		c->kernel = binary_new(c, BINARY_KERNEL, "[kernel]");
	return c->kernel;
}

/* The [anon] pseudo-binary: no functions. */
struct binary *
binary_anon(struct binary_cache *c)
{
	if (c->anon == NULL) {
		c->anon = binary_new(c, BINARY_ANON, "[anon]");
		c->anon->loaded = true;
	}
	return c->anon;
}

/* A binary made from a copy of a list of functions. */
struct binary *
binary_synthetic(struct binary_cache *c, const char *name,
    const struct symtab_func *funcs, size_t n)
{
	struct binary *b;

	b = binary_new(c, BINARY_SYNTHETIC, name);
	b->name = b->path;
	symtab_build_given(&b->syms, funcs, n);
	b->loaded = true;
	return b;
}

/* The function containing offset: a symbol's, else an FDE's; or NULL. */
const struct symtab_func *
binary_lookup(struct binary *b, uint64_t offset)
{
	const struct symtab_func *f;
	struct symtab_func *fn;

	binary_load(b);
	if ((f = symtab_find(&b->syms, offset)) != NULL)
		return f;
	if ((fn = symtab_fde_find(&b->fdes, offset)) == NULL)
		return NULL;
	if (b->fdes.pending) {
		binary_fde_resolve(b);
		if ((fn = symtab_fde_find(&b->fdes, offset)) == NULL)
			return NULL;
	}
	symtab_fde_name(fn, b->name);
	return fn;
}

/* How many functions b's unwind tables give, loading it if needed. */
size_t
binary_nbounds(struct binary *b)
{
	binary_load(b);
	if (b->fdes.pending)
		binary_fde_resolve(b);
	return b->fdes.n;
}

/* How many functions b has, loading it if needed. */
size_t
binary_nfuncs(struct binary *b)
{
	binary_load(b);
	return b->syms.nfuncs;
}

/* The ELF address of file offset off. */
int
binary_vaddr(struct binary *b, uint64_t off, uint64_t *vaddr)
{
	binary_load(b);
	for (size_t i = 0; i < b->nloads; i++) {
		const struct symtab_seg *g = &b->loads[i];

		if (off >= g->offset && off - g->offset < g->filesz) {
			*vaddr = off - g->offset + g->vaddr;
			return 0;
		}
	}
	return -1;
}

/* Function i of b's table. */
const struct symtab_func *
binary_func_at(struct binary *b, size_t i)
{
	binary_load(b);
	return i < b->syms.nfuncs ? &b->syms.funcs[i] : NULL;
}

/* The binary's short name. */
const char *
binary_name(const struct binary *b)
{
	return b->name;
}

/* The binary's path as mapped. */
const char *
binary_path(const struct binary *b)
{
	return b->path;
}

/* The binary's dense id. */
uint32_t
binary_id(const struct binary *b)
{
	return b->id;
}

/* What kind of binary b is. */
enum binary_kind
binary_kind(const struct binary *b)
{
	return b->kind;
}

/* The binary's GNU build-id, or NULL. */
const uint8_t *
binary_build_id(const struct binary *b, size_t *len)
{
	*len = b->build_id_len;
	return b->build_id_len != 0 ? b->build_id : NULL;
}

/* The vdso's image. */
const unsigned char *
binary_image(const struct binary *b, size_t *len)
{
	*len = b->image_len;
	return b->image;
}

/* What slot s of b holds. */
void *
binary_slot(const struct binary *b, enum binary_slot s)
{
	return b->slots[s];
}

/* Put p in slot s of b, to be destroyed with it. */
void
binary_set_slot(struct binary *b, enum binary_slot s, void *p,
    void (*destroy)(void *))
{
	b->slots[s] = p;
	b->destroy[s] = destroy;
}

/* Call fn(arg, b) for each file b found without debug info from now on. */
void
binary_cache_set_nodebug(struct binary_cache *c, binary_nodebug_fn fn,
    void *arg)
{
	c->nodebug = fn;
	c->nodebug_arg = arg;
}

/* Take the file at path as b's debug file: b's tables are dropped, to
 * be read again (from it) on the next lookup. */
void
binary_set_debug_file(struct binary *b, const char *path)
{
	free(b->debug_path);
	b->debug_path = xstrdup(path);
	b->debug_searched = true;
	if (b->slots[BINARY_SLOT_DWARF] != NULL) {
		if (b->destroy[BINARY_SLOT_DWARF] != NULL)
			b->destroy[BINARY_SLOT_DWARF](b->slots[BINARY_SLOT_DWARF]);
		b->slots[BINARY_SLOT_DWARF] = NULL;
	}
	symtab_free(&b->syms);
	symtab_fde_free(&b->fdes);
	free(b->loads);
	b->loads = NULL;
	b->nloads = 0;
	b->loaded = false;
}

/* Count a tick: binaries unused since are getting colder. */
void
binary_cache_tick(struct binary_cache *c)
{
	c->now++;
}

/* b is in use now (sampled, or mapped by a live process). */
void
binary_use(struct binary *b)
{
	b->used = b->cache->now;
}

/* Keep b's heavy parts while held (a drill-down keeps its DWARF's names). */
void
binary_pin(struct binary *b)
{
	b->pins++;
}

/* Let go of a binary_pin. */
void
binary_unpin(struct binary *b)
{
	if (b->pins > 0)
		b->pins--;
}

/* Whether b holds DWARF or CFI state or a kept descriptor. */
static bool
binary_heavy(const struct binary *b)
{
	size_t i;

	for (i = 0; i < BINARY_NSLOTS; i++)
		if (b->slots[i] != NULL)
			return true;
	return b->fd != -1;
}

/* Order binaries by last use, oldest first. */
static int
binary_cmp_used(const void *x, const void *y)
{
	const struct binary *a = *(struct binary *const *)x;
	const struct binary *b = *(struct binary *const *)y;

	return a->used < b->used ? -1 : a->used > b->used;
}

/* Whether the file a by_file key names (device, inode, path) is gone:
 * its path names no file here, or another one. */
static bool
binary_key_gone(const struct binary_entry *e)
{
	char path[4096];
	uint64_t ino;
	struct stat st;

	if (e->keylen <= 16 || e->keylen - 16 >= sizeof path)
		return false;
	memcpy(&ino, e->key + 8, 8);
	memcpy(path, e->key + 16, e->keylen - 16);
	path[e->keylen - 16] = '\0';
	if (path[0] != '/')
		return false;	/* not a path: the vdso's content key */
	return stat(path, &st) != 0 ? errno == ENOENT || errno == ENOTDIR :
	    ino != 0 && (uint64_t)st.st_ino != ino;
}

/*
 * Drop the path keys of files that are gone, whose binaries no live
 * process maps and no sample named for cold ticks: no mapping can have
 * that key again (copies of a library under fresh names, each deleted,
 * would keep one each). The binaries stay (rows point to them).
 */
static void
binary_forget_paths(struct binary_cache *c, uint64_t cold)
{
	struct binary_hash *h = &c->by_file;
	struct binary_entry *e, **pe;

	for (size_t i = 0; i < h->nbuckets; i++) {
		for (pe = &h->buckets[i]; (e = *pe) != NULL;) {
			if (e->bin->kind == BINARY_FILE && e->bin->pins == 0 &&
			    e->bin->used + cold <= c->now && binary_key_gone(e)) {
				*pe = e->next;
				free(e);
				h->n--;
				c->paths_forgotten++;
			} else
				pe = &e->next;
		}
	}
}

/* Path keys kept, and how many were dropped (their files gone). */
size_t
binary_cache_paths(const struct binary_cache *c, uint64_t *forgotten)
{
	if (forgotten != NULL)
		*forgotten = c->paths_forgotten;
	return c->by_file.n;
}

/*
 * Drop the path keys of cold files that are gone; past the budget of
 * binaries with heavy parts, shed the coldest: files not used
 * (binary_use) for cold ticks and not pinned, oldest use first, down to
 * 3/4 of the budget. Returns how many were shed.
 */
size_t
binary_cache_shed(struct binary_cache *c, uint64_t cold)
{
	struct binary **v;
	size_t i, n = 0, nheavy = 0, done = 0, keep;

	binary_forget_paths(c, cold);
	for (i = 0; i < c->nbins; i++)
		if (binary_heavy(c->bins[i]))
			nheavy++;
	if (nheavy <= c->heavy_budget)
		return 0;
	v = xreallocarray(NULL, nheavy, sizeof *v);
	for (i = 0; i < c->nbins; i++) {
		struct binary *b = c->bins[i];

		if (binary_heavy(b) && b->kind == BINARY_FILE && b->pins == 0 &&
		    b->used + cold <= c->now)
			v[n++] = b;
	}
	qsort(v, n, sizeof *v, binary_cmp_used);
	keep = c->heavy_budget - c->heavy_budget / 4;
	for (i = 0; i < n && nheavy > keep; i++, nheavy--, done++)
		binary_shed_one(v[i]);
	free(v);
	c->shed += done;
	return done;
}

/* Set the budget of binaries with heavy parts (tests). */
void
binary_cache_set_budget(struct binary_cache *c, size_t heavy)
{
	c->heavy_budget = heavy;
}

/* The budget and how many binaries shed their heavy parts so far. */
uint64_t
binary_cache_shed_count(const struct binary_cache *c, size_t *budget)
{
	if (budget != NULL)
		*budget = c->heavy_budget;
	return c->shed;
}
