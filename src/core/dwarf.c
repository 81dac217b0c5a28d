/*
 * Source lines through libdwfl: the DWARF of a binary is its own state,
 * kept in the binary object (binary.h, slot BINARY_SLOT_DWARF), opened
 * on the first lookup in that binary and kept until the binary cache is
 * freed.
 *
 * The binary's file (binary_open: the file the target maps) is reported
 * with dwfl_report_elf at its own addresses (base 0, p_vaddr added), so a
 * file offset becomes an address through the binary's PT_LOAD headers
 * plus the bias libdwfl reports. The compile unit comes from libdwfl
 * (through .debug_aranges); where that finds none or a wrong one (clang
 * leaves .debug_aranges out, Go has it for its C parts only), from a
 * table of every unit's ranges built once. The line is the last row of
 * the unit's line table at or before the address. The inlined calls are
 * the DW_TAG_inlined_subroutine DIEs on the way from the function around
 * the address (each unit's functions are tabled by range on its first
 * lookup) down to the innermost scope, with their DW_AT_call_file/line.
 *
 * Separate debug files come from the binary's one search
 * (binary_debug_file), through this module's find_debuginfo callback:
 * the standard callback would also ask debuginfod, over the network, and
 * lookups run on the UI's thread. Every answer, failures included, is
 * cached per offset; strings are interned per binary.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "binary.h"
#include "demangle.h"
#include "dwarf.h"
#include "i18n.h"
#include "sorted.h"
#include "xmalloc.h"

/*
 * DWARF constants, as the standard numbers them. <dwarf.h> cannot be
 * included: this module's own header has its name and comes first on the
 * include path.
 */
#define DWARF_TAG_CLASS_TYPE		0x02
#define DWARF_TAG_ENTRY_POINT		0x03
#define DWARF_TAG_LEXICAL_BLOCK		0x0b
#define DWARF_TAG_STRUCTURE_TYPE	0x13
#define DWARF_TAG_UNION_TYPE		0x17
#define DWARF_TAG_INLINED_SUBROUTINE	0x1d
#define DWARF_TAG_MODULE		0x1e
#define DWARF_TAG_WITH_STMT		0x22
#define DWARF_TAG_CATCH_BLOCK		0x25
#define DWARF_TAG_SUBPROGRAM		0x2e
#define DWARF_TAG_TRY_BLOCK		0x32
#define DWARF_TAG_INTERFACE_TYPE	0x38
#define DWARF_TAG_NAMESPACE		0x39
#define DWARF_AT_NAME			0x03
#define DWARF_AT_COMP_DIR		0x1b
#define DWARF_AT_CALL_FILE		0x58
#define DWARF_AT_CALL_LINE		0x59
#define DWARF_AT_LINKAGE_NAME		0x6e
#define DWARF_AT_MIPS_LINKAGE_NAME	0x2007
#define DWARF_UT_COMPILE		0x01
#define DWARF_UT_PARTIAL		0x03
#define DWARF_UT_SKELETON		0x04

#define DWARF_MIN_SLOTS		64	/* first size of every hash table */
#define DWARF_MAX_DEPTH		256	/* of DIE nesting followed */

/* A cached answer: a line, or why there is none. */
struct dwarf_entry {
	uint64_t off;
	bool used;
	const char *why;		/* interned; NULL when line is the answer */
	struct dwarf_line line;		/* inlined: allocated, owned here */
};

/* An address range of a DIE (a compile unit, a function), in DWARF's
 * addresses. */
struct dwarf_range {
	Dwarf_Addr start;		/* first: sorted by it (sorted.h) */
	Dwarf_Addr end;
	Dwarf_Die die;
};

/* A table of ranges, sorted by start. */
struct dwarf_ranges {
	struct dwarf_range *r;
	size_t n;
	size_t cap;
};

/* The functions of one compile unit, read on its first lookup. */
struct dwarf_unit {
	Dwarf_Off off;			/* the unit DIE's offset */
	struct dwarf_ranges funcs;
};

/* One binary: its Dwfl once opened, and its answers. */
struct dwarf_bin {
	struct binary *bin;
	const char *why;		/* interned: why no line can be found */

	Dwfl *dwfl;
	Dwfl_Module *mod;
	Dwarf *dw;
	Dwarf_Addr bias;		/* libdwfl's address of vaddr 0 */
	Dwarf_Addr dwbias;		/* libdwfl's address of DWARF's 0 */

	struct dwarf_ranges cus;	/* units by range, where libdwfl */
	bool cus_built;			/* finds none (no .debug_aranges) */
	struct dwarf_unit *units;	/* by offset: units read so far */
	size_t nunits;

	struct dwarf_entry *slots;	/* open addressing by offset */
	size_t nslots;
	size_t nused;

	char **strs;			/* interned strings, open addressing */
	size_t nstrs_slots;
	size_t nstrs;
};


static int dwarf_find_debuginfo(Dwfl_Module *, void **, const char *,
    Dwarf_Addr, const char *, const char *, GElf_Word, char **);

/* The callbacks of every Dwfl: binaries are reported with their fd, so
 * find_elf is not used; separate debug files come from dwarf_find_debuginfo. */
static const Dwfl_Callbacks dwarf_callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = dwarf_find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

/* FNV-1a hash of a string. */
static uint64_t
dwarf_hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/* Mix an offset into a hash (splitmix64's finaliser). */
static uint64_t
dwarf_hash_off(uint64_t x)
{
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* The cache's copy of s (one per distinct string), or NULL for NULL. */
static const char *
dwarf_intern(struct dwarf_bin *c, const char *s)
{
	char **old;
	size_t i, n, mask;

	if (s == NULL)
		return NULL;
	if (2 * (c->nstrs + 1) > c->nstrs_slots) {
		old = c->strs;
		n = c->nstrs_slots;
		c->nstrs_slots = n == 0 ? DWARF_MIN_SLOTS : 2 * n;
		c->strs = xcalloc(c->nstrs_slots, sizeof *c->strs);
		mask = c->nstrs_slots - 1;
		while (n-- > 0) {
			if (old[n] == NULL)
				continue;
			for (i = dwarf_hash_str(old[n]) & mask; c->strs[i] != NULL;
			    i = (i + 1) & mask)
				;
			c->strs[i] = old[n];
		}
		free(old);
	}
	mask = c->nstrs_slots - 1;
	for (i = dwarf_hash_str(s) & mask; c->strs[i] != NULL; i = (i + 1) & mask) {
		if (strcmp(c->strs[i], s) == 0)
			return c->strs[i];
	}
	c->nstrs++;
	return c->strs[i] = xstrdup(s);
}

/* Release a binary: its Dwfl (every fd and Elf libdwfl holds), answers. */
static void
dwarf_bin_free(struct dwarf_bin *b)
{
	size_t i;

	if (b->dwfl != NULL)
		dwfl_end(b->dwfl);
	for (i = 0; i < b->nslots; i++) {
		if (b->slots[i].used)
			free((void *)b->slots[i].line.inlined);
	}
	free(b->slots);
	free(b->cus.r);
	for (i = 0; i < b->nunits; i++)
		free(b->units[i].funcs.r);
	free(b->units);
	for (i = 0; i < b->nstrs_slots; i++)
		free(b->strs[i]);
	free(b->strs);
	free(b);
}

/* The binary slot's destructor. */
static void
dwarf_bin_destroy(void *p)
{
	dwarf_bin_free(p);
}

/* Answers cached so far for b (lines and failures at an offset). */
size_t
dwarf_nlines(const struct binary *b)
{
	const struct dwarf_bin *d = binary_slot(b, BINARY_SLOT_DWARF);

	return d != NULL ? d->nused : 0;
}

/* The slot of off in b: its answer, or an unused slot to fill. */
static struct dwarf_entry *
dwarf_entry_get(struct dwarf_bin *b, uint64_t off)
{
	struct dwarf_entry *old, *e;
	size_t i, n, mask;

	if (2 * (b->nused + 1) > b->nslots) {
		old = b->slots;
		n = b->nslots;
		b->nslots = n == 0 ? DWARF_MIN_SLOTS : 2 * n;
		b->slots = xcalloc(b->nslots, sizeof *b->slots);
		mask = b->nslots - 1;
		while (n-- > 0) {
			if (!old[n].used)
				continue;
			for (i = dwarf_hash_off(old[n].off) & mask; b->slots[i].used;
			    i = (i + 1) & mask)
				;
			b->slots[i] = old[n];
		}
		free(old);
	}
	mask = b->nslots - 1;
	for (i = dwarf_hash_off(off) & mask; (e = &b->slots[i])->used;
	    i = (i + 1) & mask) {
		if (e->off == off)
			return e;
	}
	return e;
}

/*
 * libdwfl's find_debuginfo callback: the module's separate debug file
 * (debugfile_find), never from debuginfod. A dwz alternate file (asked
 * for with its name and no CRC) is left to libdw, which looks for it
 * beside the debug file and by build-id under /usr/lib/debug.
 */
static int
dwarf_find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname,
    Dwarf_Addr base, const char *file_name, const char *debuglink,
    GElf_Word crc, char **debuginfo_file_name)
{
	const struct dwarf_bin *b = *userdata;
	int fd;

	(void)mod;
	(void)modname;
	(void)base;
	(void)file_name;
	errno = 0;
	if (b == NULL || (debuglink != NULL && crc == 0))
		return -1;
	fd = binary_debug_file(b->bin, debuglink, crc, debuginfo_file_name);
	errno = 0;
	return fd;
}

/* Fail b for good with reason why (interned). */
static void
dwarf_bin_fail(struct dwarf_bin *b, const char *why)
{
	b->why = dwarf_intern(b, why);
	if (b->dwfl != NULL)
		dwfl_end(b->dwfl);
	b->dwfl = NULL;
	b->mod = NULL;
	b->dw = NULL;
}

/* Fail b for good: "cannot read PATH: detail". */
static void
dwarf_bin_fail_read(struct dwarf_bin *b, const char *detail)
{
	char *why = xasprintf(_("cannot read %s: %s"), binary_path(b->bin), detail);

	dwarf_bin_fail(b, why);
	free(why);
}

/*
 * Open b: report the file to a Dwfl of its own and find its DWARF (in it,
 * or a separate debug file). On failure b->why says why, and nothing of
 * it stays open.
 */
static void
dwarf_bin_open(struct dwarf_bin *b)
{
	const char *path = binary_path(b->bin);
	struct stat st;
	void **userdata;
	Elf *elf;
	int fd;

	if (binary_kind(b->bin) != BINARY_FILE) {
		dwarf_bin_fail(b, _("no debug info"));
		return;
	}
	if ((fd = binary_open(b->bin, &st)) == -1) {
		dwarf_bin_fail_read(b, strerror(errno));
		return;
	}
	if ((b->dwfl = dwfl_begin(&dwarf_callbacks)) == NULL) {
		close(fd);
		dwarf_bin_fail_read(b, dwfl_errmsg(-1));
		return;
	}
	/* On success the Dwfl owns fd; on failure it is still ours. */
	b->mod = dwfl_report_elf(b->dwfl, binary_name(b->bin), path, fd, 0, true);
	if (b->mod == NULL) {
		close(fd);
		dwarf_bin_fail_read(b, dwfl_errmsg(-1));
		return;
	}
	if (dwfl_report_end(b->dwfl, NULL, NULL) != 0 ||
	    (elf = dwfl_module_getelf(b->mod, &b->bias)) == NULL) {
		dwarf_bin_fail_read(b, dwfl_errmsg(-1));
		return;
	}

	/* The callback finds b through the module's user data. */
	if (dwfl_module_info(b->mod, &userdata, NULL, NULL, NULL, NULL, NULL,
	    NULL) != NULL)
		*userdata = b;
	if ((b->dw = dwfl_module_getdwarf(b->mod, &b->dwbias)) == NULL)
		dwarf_bin_fail(b, _("no debug info"));
}

/* Add die's address ranges to t. */
static void
dwarf_ranges_add(struct dwarf_ranges *t, Dwarf_Die *die)
{
	Dwarf_Addr base, start, end;
	ptrdiff_t r = 0;

	while ((r = dwarf_ranges(die, r, &base, &start, &end)) > 0) {
		if (start >= end)
			continue;
		if (t->n == t->cap) {
			t->cap = t->cap == 0 ? 64 : 2 * t->cap;
			t->r = xreallocarray(t->r, t->cap, sizeof *t->r);
		}
		t->r[t->n].start = start;
		t->r[t->n].end = end;
		t->r[t->n].die = *die;
		t->n++;
	}
}

/* The DIE of the range of t around pc, or NULL. */
static Dwarf_Die *
dwarf_ranges_find(struct dwarf_ranges *t, Dwarf_Addr pc)
{
	/* The first range starting after pc. */
	size_t lo = SORTED_UPPER(t->r, t->n, start, pc), hi;

	/* Ranges should not overlap; a few earlier ones are tried in case. */
	for (hi = lo; hi > 0 && lo - hi < 8; hi--) {
		if (pc >= t->r[hi - 1].start && pc < t->r[hi - 1].end)
			return &t->r[hi - 1].die;
	}
	return NULL;
}

/* The compile unit around DWARF address pc from a table of every unit's
 * ranges, built on first use. */
static Dwarf_Die *
dwarf_cus_find(struct dwarf_bin *b, Dwarf_Addr pc)
{
	Dwarf_CU *cu = NULL;
	Dwarf_Die cudie, subdie;
	Dwarf_Half version;
	uint8_t type;

	if (!b->cus_built) {
		b->cus_built = true;
		while (dwarf_get_units(b->dw, cu, &cu, &version, &type, &cudie,
		    &subdie) == 0) {
			if (type == DWARF_UT_COMPILE || type == DWARF_UT_SKELETON ||
			    type == DWARF_UT_PARTIAL)
				dwarf_ranges_add(&b->cus, &cudie);
		}
		if (b->cus.n > 1)
			qsort(b->cus.r, b->cus.n, sizeof *b->cus.r, sorted_cmp_first);
	}
	return dwarf_ranges_find(&b->cus, pc);
}

/* Add the ranges of the functions among the children of parent (and in
 * namespaces and types there) to t. */
static void
dwarf_funcs_add(struct dwarf_ranges *t, Dwarf_Die *parent, unsigned depth)
{
	Dwarf_Die child;

	if (depth > DWARF_MAX_DEPTH || dwarf_child(parent, &child) != 0)
		return;
	do {
		switch (dwarf_tag(&child)) {
		case DWARF_TAG_SUBPROGRAM:
			dwarf_ranges_add(t, &child);
			break;
		case DWARF_TAG_NAMESPACE:
		case DWARF_TAG_CLASS_TYPE:
		case DWARF_TAG_STRUCTURE_TYPE:
		case DWARF_TAG_UNION_TYPE:
		case DWARF_TAG_INTERFACE_TYPE:
		case DWARF_TAG_MODULE:
			dwarf_funcs_add(t, &child, depth + 1);
			break;
		}
	} while (dwarf_siblingof(&child, &child) == 0);
}

/* The functions of unit cu by range, read on its first lookup: a lookup
 * in a large unit then walks one function's DIEs, not the unit's. */
static struct dwarf_ranges *
dwarf_unit_funcs(struct dwarf_bin *b, Dwarf_Die *cu)
{
	Dwarf_Off off = dwarf_dieoffset(cu);
	struct dwarf_unit *u;
	size_t lo = SORTED_LOWER(b->units, b->nunits, off, off);

	if (lo < b->nunits && b->units[lo].off == off)
		return &b->units[lo].funcs;
	b->units = xreallocarray(b->units, b->nunits + 1, sizeof *b->units);
	memmove(&b->units[lo + 1], &b->units[lo],
	    (b->nunits - lo) * sizeof *b->units);
	b->nunits++;
	u = &b->units[lo];
	memset(u, 0, sizeof *u);
	u->off = off;
	dwarf_funcs_add(&u->funcs, cu, 0);
	if (u->funcs.n > 1)
		qsort(u->funcs.r, u->funcs.n, sizeof *u->funcs.r, sorted_cmp_first);
	return &u->funcs;
}

/*
 * Drop "." segments, empty ones and "dir/.." pairs from path, in place:
 * lexically, as a path in a source tree is read (symbolic links are not
 * looked at). A leading "./" stays.
 */
static void
dwarf_normalize(char *path)
{
	bool abs = path[0] == '/', dot = path[0] == '.' && path[1] == '/';
	char *start = path + abs, *end = path + strlen(path);
	char *out = start, *p = start, *seg;
	size_t len, kept = 0;	/* segments written that a ".." can drop */

	/* Writing lags reading: out <= seg, and a segment's '/' is written
	 * over its own separator (or the last one's over the NUL) at most. */
	while (p < end) {
		for (seg = p; p < end && *p != '/'; p++)
			;
		len = (size_t)(p - seg);
		if (p < end)
			p++;
		if (len == 0 || (len == 1 && seg[0] == '.'))
			continue;
		if (len == 2 && seg[0] == '.' && seg[1] == '.') {
			if (kept > 0) {
				for (out--; out > start && out[-1] != '/'; out--)
					;
				kept--;
				continue;
			}
			if (abs)
				continue;
		} else
			kept++;
		memmove(out, seg, len);
		out += len;
		*out++ = '/';
	}
	if (out > start)
		out--;
	*out = '\0';
	if (dot && strncmp(path, "../", 3) != 0 && strcmp(path, "..") != 0) {
		memmove(path + 2, path, strlen(path) + 1);
		path[0] = '.';
		path[1] = '/';
	} else if (*path == '\0')
		strcpy(path, ".");
}

/*
 * The path of a file of unit cu's line table, interned. DWARF has a
 * relative directory of the table relative to the unit's DW_AT_comp_dir,
 * which libdw adds only for directory 0 (the comp dir itself): add it to
 * the others, so that "./x.c" of a unit compiled in ./misc becomes
 * "./misc/x.c"; then normalise ("./misc/../io/y.c" is "./io/y.c").
 */
static const char *
dwarf_path(struct dwarf_bin *c, Dwarf_Die *cu, const char *name)
{
	Dwarf_Attribute a;
	const char *dir, *p;
	char *full;
	size_t n;

	if (name == NULL)
		return NULL;
	if (name[0] == '/') {
		if (strstr(name, "/.") == NULL && strstr(name, "//") == NULL)
			return dwarf_intern(c, name);
		full = xstrdup(name);
	} else if ((dir = dwarf_formstring(dwarf_attr(cu, DWARF_AT_COMP_DIR,
	    &a))) == NULL || *dir == '\0')
		full = xstrdup(name);
	else {
		n = strlen(dir);
		while (n > 1 && dir[n - 1] == '/')
			n--;
		if (strncmp(name, dir, n) == 0 && name[n] == '/')
			full = xstrdup(name);
		else
			full = xasprintf("%.*s/%s", (int)n, dir, name);
	}
	dwarf_normalize(full);
	p = dwarf_intern(c, full);
	free(full);
	return p;
}

/* The name of the function an inlined scope is an instance of: its
 * demangled linkage name, else its name. */
static const char *
dwarf_scope_name(struct dwarf_bin *c, Dwarf_Die *die)
{
	Dwarf_Attribute a;
	const char *raw, *name;
	char *dem;

	raw = dwarf_formstring(dwarf_attr_integrate(die, DWARF_AT_LINKAGE_NAME, &a));
	if (raw == NULL)
		raw = dwarf_formstring(dwarf_attr_integrate(die,
		    DWARF_AT_MIPS_LINKAGE_NAME, &a));
	if (raw != NULL && (dem = demangle(raw)) != NULL) {
		name = dwarf_intern(c, dem);
		free(dem);
		return name;
	}
	name = dwarf_formstring(dwarf_attr_integrate(die, DWARF_AT_NAME, &a));
	return dwarf_intern(c, name != NULL ? name : raw);
}

/* True for the DIEs that code at an address can be nested in, below a
 * function. */
static bool
dwarf_is_scope(int tag)
{
	switch (tag) {
	case DWARF_TAG_INLINED_SUBROUTINE:
	case DWARF_TAG_LEXICAL_BLOCK:
	case DWARF_TAG_SUBPROGRAM:
	case DWARF_TAG_TRY_BLOCK:
	case DWARF_TAG_CATCH_BLOCK:
	case DWARF_TAG_WITH_STMT:
	case DWARF_TAG_ENTRY_POINT:
		return true;
	}
	return false;
}

/*
 * Fill e's inlined calls at pc in unit cu: from the function around pc
 * down through the scopes that contain pc, the inlined instances met,
 * innermost first, each with its DW_AT_call_file and DW_AT_call_line.
 */
static void
dwarf_inlines(struct dwarf_bin *b, struct dwarf_entry *e, Dwarf_Die *cu,
    Dwarf_Addr pc)
{
	struct dwarf_bin *c = b;
	Dwarf_Die *func, chain[DWARF_MAX_DEPTH], child;
	struct dwarf_frame *f;
	Dwarf_Attribute a;
	Dwarf_Files *files;
	Dwarf_Word v;
	size_t nfiles, n = 0, k = 0, i;
	bool deeper;

	if ((func = dwarf_ranges_find(dwarf_unit_funcs(b, cu), pc)) == NULL)
		return;
	chain[n++] = *func;
	do {
		deeper = false;
		if (dwarf_child(&chain[n - 1], &child) != 0)
			break;
		do {
			if (dwarf_is_scope(dwarf_tag(&child)) &&
			    dwarf_haspc(&child, pc) == 1) {
				chain[n++] = child;
				k += dwarf_tag(&child) == DWARF_TAG_INLINED_SUBROUTINE;
				deeper = true;
				break;
			}
		} while (dwarf_siblingof(&child, &child) == 0);
	} while (deeper && n < DWARF_MAX_DEPTH);
	if (k == 0)
		return;

	if (dwarf_getsrcfiles(cu, &files, &nfiles) != 0)
		files = NULL;
	f = xcalloc(k, sizeof *f);
	for (i = n, k = 0; i-- > 0; ) {
		if (dwarf_tag(&chain[i]) != DWARF_TAG_INLINED_SUBROUTINE)
			continue;
		f[k].function = dwarf_scope_name(c, &chain[i]);
		if (files != NULL && dwarf_formudata(dwarf_attr(&chain[i],
		    DWARF_AT_CALL_FILE, &a), &v) == 0 && v < nfiles)
			f[k].file = dwarf_path(c, cu, dwarf_filesrc(files, v, NULL, NULL));
		if (dwarf_formudata(dwarf_attr(&chain[i], DWARF_AT_CALL_LINE, &a),
		    &v) == 0 && v <= INT_MAX)
			f[k].line = (int)v;
		k++;
	}
	e->line.inlined = f;
	e->line.ninlined = k;
}

/* Answer e (offset e->off in b, opened): its line and inlined calls, or why not. */
static void
dwarf_resolve(struct dwarf_bin *b, struct dwarf_entry *e)
{
	struct dwarf_bin *c = b;
	Dwarf_Addr addr, cubias = b->dwbias;
	Dwarf_Lines *lines;
	Dwarf_Line *l;
	size_t nlines;
	Dwarf_Die *cu, *other;
	uint64_t vaddr;
	int line, col;

	if (binary_vaddr(b->bin, e->off, &vaddr) != 0) {
		e->why = dwarf_intern(c, _("offset outside the binary's segments"));
		return;
	}
	addr = vaddr + b->bias;

	/*
	 * libdwfl takes the unit of the last .debug_aranges entry at or
	 * before addr, even past its end: where .debug_aranges covers some
	 * units only (Go, or objects built without it), that unit's line
	 * table has no row for addr. Then the unit is the one whose own
	 * ranges cover addr.
	 */
	l = NULL;
	if ((cu = dwfl_module_addrdie(b->mod, addr, &cubias)) != NULL)
		l = dwarf_getsrc_die(cu, addr - cubias);
	if (l == NULL && addr >= b->dwbias &&
	    (other = dwarf_cus_find(b, addr - b->dwbias)) != NULL &&
	    (cu == NULL || dwarf_dieoffset(other) != dwarf_dieoffset(cu))) {
		cu = other;
		cubias = b->dwbias;
		l = dwarf_getsrc_die(cu, addr - cubias);
	}
	if (cu == NULL) {
		e->why = dwarf_intern(c, _("no debug info for this address"));
		return;
	}
	if (l == NULL) {
		if (dwarf_getsrclines(cu, &lines, &nlines) != 0 || nlines == 0)
			e->why = dwarf_intern(c, _("no line table"));
		else
			e->why = dwarf_intern(c, _("no line for this address"));
		return;
	}
	e->line.file = dwarf_path(c, cu, dwarf_linesrc(l, NULL, NULL));
	if (dwarf_lineno(l, &line) == 0 && line > 0)
		e->line.line = line;
	if (dwarf_linecol(l, &col) == 0 && col > 0)
		e->line.column = col;
	dwarf_inlines(b, e, cu, addr - cubias);
}

/* The DWARF state of binary bin, opened on first use. */
static struct dwarf_bin *
dwarf_bin_get(struct binary *bin)
{
	struct dwarf_bin *b = binary_slot(bin, BINARY_SLOT_DWARF);

	if (b == NULL) {
		b = xcalloc(1, sizeof *b);
		b->bin = bin;
		binary_set_slot(bin, BINARY_SLOT_DWARF, b, dwarf_bin_destroy);
		dwarf_bin_open(b);
	}
	return b;
}

/* The source line of file offset off in binary bin. */
int
dwarf_line(struct binary *bin, uint64_t off, struct dwarf_line *out,
    char **why)
{
	struct dwarf_bin *b = dwarf_bin_get(bin);
	struct dwarf_entry *e;

	memset(out, 0, sizeof *out);
	if (b->why != NULL) {
		if (why != NULL)
			*why = xstrdup(b->why);
		return -1;
	}
	e = dwarf_entry_get(b, off);
	if (!e->used) {
		e->used = true;
		e->off = off;
		b->nused++;
		dwarf_resolve(b, e);
	}
	if (e->why != NULL) {
		if (why != NULL)
			*why = xstrdup(e->why);
		return -1;
	}
	*out = e->line;
	return 0;
}
