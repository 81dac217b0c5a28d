/*
 * Unwinding copied user stacks: frame pointers, or call frame information
 * through libdw (dwarf_cfi_addrframe, dwarf_frame_cfa,
 * dwarf_frame_register) with this module's own evaluation of the rules'
 * DWARF expressions over the registers known and the bytes copied.
 *
 * Registers are kept in DWARF's x86-64 numbering (rax 0, rdx 1, rcx 2,
 * rbx 3, rsi 4, rdi 5, rbp 6, rsp 7, r8-r15 8-15, the return address
 * 16); the sample's are in perf's (sample.h) and mapped on entry. Other
 * machines get the sampled pc only.
 */
#include "config.h"

#include <sys/stat.h>

#include <elfutils/libdw.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "binary.h"
#include "frame.h"
#include "maps.h"
#include "sample.h"
#include "sorted.h"
#include "symtab.h"
#include "unwind.h"
#include "xmalloc.h"

/* DWARF expression operations, as the standard numbers them (<dwarf.h>
 * cannot be included: dwarf.h of this tree has its name). */
#define UNWIND_OP_addr		0x03
#define UNWIND_OP_deref		0x06
#define UNWIND_OP_const1u	0x08
#define UNWIND_OP_const8s	0x0f
#define UNWIND_OP_constu	0x10
#define UNWIND_OP_consts	0x11
#define UNWIND_OP_dup		0x12
#define UNWIND_OP_drop		0x13
#define UNWIND_OP_over		0x14
#define UNWIND_OP_swap		0x16
#define UNWIND_OP_and		0x1a
#define UNWIND_OP_minus		0x1c
#define UNWIND_OP_mul		0x1e
#define UNWIND_OP_neg		0x1f
#define UNWIND_OP_not		0x20
#define UNWIND_OP_or		0x21
#define UNWIND_OP_plus		0x22
#define UNWIND_OP_plus_uconst	0x23
#define UNWIND_OP_shl		0x24
#define UNWIND_OP_shr		0x25
#define UNWIND_OP_shra		0x26
#define UNWIND_OP_xor		0x27
#define UNWIND_OP_bra		0x28
#define UNWIND_OP_eq		0x29
#define UNWIND_OP_ge		0x2a
#define UNWIND_OP_gt		0x2b
#define UNWIND_OP_le		0x2c
#define UNWIND_OP_lt		0x2d
#define UNWIND_OP_ne		0x2e
#define UNWIND_OP_skip		0x2f
#define UNWIND_OP_lit0		0x30
#define UNWIND_OP_lit31		0x4f
#define UNWIND_OP_breg0		0x70
#define UNWIND_OP_breg31	0x8f
#define UNWIND_OP_bregx		0x92
#define UNWIND_OP_nop		0x96
#define UNWIND_OP_call_frame_cfa 0x9c
#define UNWIND_OP_stack_value	0x9f

#define UNWIND_NREGS	17	/* DWARF registers kept: rax .. r15, the return address */
#define UNWIND_SP	7
#define UNWIND_BP	6
#define UNWIND_RA	16
#define UNWIND_STACK	64	/* evaluation stack entries */
#define UNWIND_ROWS	8192	/* CFI rows kept per binary */
#define UNWIND_GUESS_REACH 4096	/* bytes above sp a frame pointer is looked for */
#define UNWIND_GUESS_FRAME (1u << 20)	/* a frame's size at most */

/* The registers of one frame. */
struct unwind_regs {
	uint64_t v[UNWIND_NREGS];
	uint32_t known;		/* bit i: v[i] is known */
};

/* The copied stack. */
struct unwind_mem {
	const unsigned char *bytes;
	size_t len;
	uint64_t base;		/* the address of bytes[0] */
};

/* One CFI row: what holds for pcs [start, end) (ELF addresses). */
struct unwind_row {
	uint64_t start;		/* first: sorted by it */
	uint64_t end;
	Dwarf_Frame *frame;
};

/* What a binary's CFI is, once opened. */
struct unwind_bin {
	struct binary *bin;
	bool failed;		/* no ELF image to read CFI from */
	bool dbg_tried;		/* .debug_frame looked for (on the first pc
				 * that .eh_frame does not cover) */
	int fd, dfd;		/* -1: none */
	Elf *elf, *delf;
	Dwarf_CFI *eh;		/* .eh_frame (dwarf_getcfi_elf) */
	Dwarf *dw;		/* for .debug_frame, the binary's or its debug file's */
	Dwarf_CFI *dbg;
	struct unwind_row *rows;	/* sorted, without overlap */
	size_t nrows, crows;
};

/* Release a binary's CFI (its slot's destructor). */
static void
unwind_bin_free(void *p)
{
	struct unwind_bin *u = p;

	for (size_t i = 0; i < u->nrows; i++)
		free(u->rows[i].frame);
	free(u->rows);
	if (u->eh != NULL)
		dwarf_cfi_end(u->eh);
	if (u->dw != NULL)
		dwarf_end(u->dw);
	if (u->delf != NULL)
		elf_end(u->delf);
	if (u->elf != NULL)
		elf_end(u->elf);
	if (u->dfd != -1)
		close(u->dfd);
	if (u->fd != -1)
		close(u->fd);
	free(u);
}

/* .debug_frame where the binary has it, else in its separate debug file. */
static void
unwind_debug_frame(struct unwind_bin *u, struct binary *b)
{
	if ((u->dw = dwarf_begin_elf(u->elf, DWARF_C_READ, NULL)) != NULL &&
	    (u->dbg = dwarf_getcfi(u->dw)) != NULL)
		return;
	if (u->dw != NULL) {
		dwarf_end(u->dw);
		u->dw = NULL;
	}
	if ((u->dfd = binary_debug_file(b, NULL, 0, NULL)) == -1)
		return;
	if ((u->delf = elf_begin(u->dfd, ELF_C_READ_MMAP, NULL)) != NULL &&
	    (u->dw = dwarf_begin_elf(u->delf, DWARF_C_READ, NULL)) != NULL)
		u->dbg = dwarf_getcfi(u->dw);
}

/* The CFI of b, opened on first use and kept in the binary. */
static struct unwind_bin *
unwind_bin(struct binary *b)
{
	struct unwind_bin *u = binary_slot(b, BINARY_SLOT_CFI);
	const unsigned char *img;
	struct stat st;
	size_t len;

	if (u != NULL)
		return u;
	u = xcalloc(1, sizeof *u);
	u->fd = u->dfd = -1;
	binary_set_slot(b, BINARY_SLOT_CFI, u, unwind_bin_free);
	if (binary_kind(b) == BINARY_FILE) {
		if ((u->fd = binary_open(b, &st)) != -1)
			u->elf = elf_begin(u->fd, ELF_C_READ_MMAP, NULL);
	} else if ((img = binary_image(b, &len)) != NULL) {
		/* libelf only reads the image. */
		u->elf = elf_memory((char *)(uintptr_t)img, len);
	}
	if (u->elf == NULL || elf_kind(u->elf) != ELF_K_ELF) {
		u->failed = true;
		return u;
	}
	u->eh = dwarf_getcfi_elf(u->elf);
	u->bin = b;
	return u;
}

/* The CFI row for ELF address pc, from the rows kept or looked up (and
 * kept, up to UNWIND_ROWS); *owned is set where the caller must free it. */
static Dwarf_Frame *
unwind_row(struct unwind_bin *u, uint64_t pc, bool *owned)
{
	Dwarf_Frame *f = NULL;
	Dwarf_Addr start, end;
	size_t i;

	*owned = false;
	i = SORTED_UPPER(u->rows, u->nrows, start, pc);
	if (i > 0 && pc < u->rows[i - 1].end)
		return u->rows[i - 1].frame;
	if (u->eh == NULL || dwarf_cfi_addrframe(u->eh, pc, &f) != 0) {
		if (!u->dbg_tried && binary_kind(u->bin) == BINARY_FILE)
			unwind_debug_frame(u, u->bin);
		u->dbg_tried = true;
		if (u->dbg == NULL || dwarf_cfi_addrframe(u->dbg, pc, &f) != 0)
			return NULL;
	}
	if (dwarf_frame_info(f, &start, &end, NULL) < 0 || start > pc || pc >= end ||
	    u->nrows == UNWIND_ROWS ||
	    (i < u->nrows && u->rows[i].start < end) ||
	    (i > 0 && u->rows[i - 1].end > start)) {
		*owned = true;
		return f;
	}
	if (u->nrows == u->crows) {
		u->crows = u->crows ? u->crows * 2 : 64;
		u->rows = xreallocarray(u->rows, u->crows, sizeof *u->rows);
	}
	memmove(&u->rows[i + 1], &u->rows[i], (u->nrows - i) * sizeof *u->rows);
	u->rows[i].start = start;
	u->rows[i].end = end;
	u->rows[i].frame = f;
	u->nrows++;
	return f;
}

/* Read the 8 bytes at addr from the copy. */
static bool
unwind_read(const struct unwind_mem *m, uint64_t addr, uint64_t *out)
{
	if (addr < m->base || addr - m->base > m->len || m->len - (addr - m->base) < 8)
		return false;
	memcpy(out, m->bytes + (addr - m->base), 8);
	return true;
}

/* The index of the op at byte offset off in ops, or n. */
static size_t
unwind_op_at(const Dwarf_Op *ops, size_t n, Dwarf_Word off)
{
	size_t i;

	for (i = 0; i < n && ops[i].offset != off; i++)
		;
	return i;
}

/*
 * Evaluate a CFI expression (a CFA rule, or a register's location or
 * value) over regs, the CFA and the copy: true with *out its result and
 * *value whether it is a value (DW_OP_stack_value) rather than an
 * address to read.
 */
static bool
unwind_eval(const Dwarf_Op *ops, size_t n, const struct unwind_regs *r,
    uint64_t cfa, const struct unwind_mem *m, uint64_t *out, bool *value)
{
	uint64_t st[UNWIND_STACK], a, b;
	size_t sp = 0, i, steps = 0;
	unsigned reg;

	*value = false;
#define PUSH(x) do { if (sp == UNWIND_STACK) return false; st[sp++] = (x); } while (0)
#define POP(x) do { if (sp == 0) return false; (x) = st[--sp]; } while (0)
	for (i = 0; i < n; i++) {
		const Dwarf_Op *op = &ops[i];
		uint8_t at = op->atom;

		if (++steps > 256)
			return false;	/* a loop */
		if (at >= UNWIND_OP_lit0 && at <= UNWIND_OP_lit31) {
			PUSH(at - UNWIND_OP_lit0);
			continue;
		}
		if ((at >= UNWIND_OP_breg0 && at <= UNWIND_OP_breg31) ||
		    at == UNWIND_OP_bregx) {
			reg = at == UNWIND_OP_bregx ? (unsigned)op->number :
			    (unsigned)(at - UNWIND_OP_breg0);
			if (reg >= UNWIND_NREGS || !(r->known & (1u << reg)))
				return false;
			PUSH(r->v[reg] + (at == UNWIND_OP_bregx ? op->number2 :
			    op->number));
			continue;
		}
		if (at >= UNWIND_OP_const1u && at <= UNWIND_OP_const8s) {
			PUSH(op->number);
			continue;
		}
		switch (at) {
		case UNWIND_OP_addr:
		case UNWIND_OP_constu:
		case UNWIND_OP_consts:
			PUSH(op->number);
			break;
		case UNWIND_OP_call_frame_cfa:
			PUSH(cfa);
			break;
		case UNWIND_OP_deref:
			POP(a);
			if (!unwind_read(m, a, &b))
				return false;
			PUSH(b);
			break;
		case UNWIND_OP_dup:
			if (sp == 0)
				return false;
			a = st[sp - 1];
			PUSH(a);
			break;
		case UNWIND_OP_drop:
			POP(a);
			break;
		case UNWIND_OP_over:
			if (sp < 2)
				return false;
			a = st[sp - 2];
			PUSH(a);
			break;
		case UNWIND_OP_swap:
			if (sp < 2)
				return false;
			a = st[sp - 1];
			st[sp - 1] = st[sp - 2];
			st[sp - 2] = a;
			break;
		case UNWIND_OP_plus_uconst:
			POP(a);
			PUSH(a + op->number);
			break;
		case UNWIND_OP_neg:
			POP(a);
			PUSH(-a);
			break;
		case UNWIND_OP_not:
			POP(a);
			PUSH(~a);
			break;
		case UNWIND_OP_skip:
		case UNWIND_OP_bra:
			if (at == UNWIND_OP_bra) {
				POP(a);
				if (a == 0)
					break;
			}
			/* The target: this op's end plus the signed offset. */
			i = unwind_op_at(ops, n, op->offset + 3 + (uint64_t)(int64_t)(int16_t)op->number);
			if (i == n)
				return false;
			i--;
			break;
		case UNWIND_OP_nop:
			break;
		case UNWIND_OP_stack_value:
			*value = true;
			i = n;
			break;
		default:
			POP(b);
			POP(a);
			switch (at) {
			case UNWIND_OP_and: PUSH(a & b); break;
			case UNWIND_OP_minus: PUSH(a - b); break;
			case UNWIND_OP_mul: PUSH(a * b); break;
			case UNWIND_OP_or: PUSH(a | b); break;
			case UNWIND_OP_plus: PUSH(a + b); break;
			case UNWIND_OP_shl: PUSH(b < 64 ? a << b : 0); break;
			case UNWIND_OP_shr: PUSH(b < 64 ? a >> b : 0); break;
			case UNWIND_OP_shra: PUSH((uint64_t)((int64_t)a >> (b < 64 ? b : 63))); break;
			case UNWIND_OP_xor: PUSH(a ^ b); break;
			case UNWIND_OP_eq: PUSH(a == b); break;
			case UNWIND_OP_ge: PUSH((int64_t)a >= (int64_t)b); break;
			case UNWIND_OP_gt: PUSH((int64_t)a > (int64_t)b); break;
			case UNWIND_OP_le: PUSH((int64_t)a <= (int64_t)b); break;
			case UNWIND_OP_lt: PUSH((int64_t)a < (int64_t)b); break;
			case UNWIND_OP_ne: PUSH(a != b); break;
			default:
				return false;	/* an operation CFI does not need */
			}
			break;
		}
	}
#undef PUSH
#undef POP
	if (sp == 0)
		return false;
	*out = st[sp - 1];
	return true;
}

/* The registers of a sample, in DWARF's numbering; false where the pc
 * or sp is not among them. */
static bool
unwind_regs_of(const struct rs_ustack *us, struct unwind_regs *r)
{
#if defined(__x86_64__)
	static const uint8_t perf_of[UNWIND_NREGS] = {
		0, 3, 2, 1, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23, 8,
	};

	memset(r, 0, sizeof *r);
	for (unsigned i = 0; i < UNWIND_NREGS; i++) {
		if (us->mask & (1ULL << perf_of[i])) {
			r->v[i] = us->regs[perf_of[i]];
			r->known |= 1u << i;
		}
	}
	return (r->known & (1u << UNWIND_RA)) && (r->known & (1u << UNWIND_SP));
#else
	(void)us;
	memset(r, 0, sizeof *r);
	return false;
#endif
}

/* Append one address. */
static void
unwind_put(struct rs_addr *out, size_t max, struct unwind_result *res,
    uint64_t ip, bool exact)
{
	if (res->n < max) {
		out[res->n].ip = ip;
		out[res->n].flags = exact ? 0 : RS_ADDR_CALLER;
		res->n++;
	}
}

/* Begin an unwind: the sample's registers into r and its pc as the
 * first address; false (the stack cut short) where they lack the pc or sp. */
static bool
unwind_start(const struct rs_ustack *us, struct rs_addr *out, size_t max,
    struct unwind_result *res, struct unwind_regs *r)
{
	memset(res, 0, sizeof *res);
	if (!unwind_regs_of(us, r)) {
		res->truncated = true;
		return false;
	}
	unwind_put(out, max, res, r->v[UNWIND_RA], true);
	return true;
}

/* One frame-pointer step from r into next: false where it cannot be
 * taken; *end where the chain ends (a zero frame pointer). */
static bool
unwind_fp_step(const struct unwind_regs *r, const struct unwind_mem *m,
    struct unwind_regs *next, bool *end)
{
	uint64_t bp = r->v[UNWIND_BP], saved, ra;

	*end = false;
	if (!(r->known & (1u << UNWIND_BP)))
		return false;
	if (bp == 0) {
		*end = true;
		return false;
	}
	if (!unwind_read(m, bp, &saved) || !unwind_read(m, bp + 8, &ra))
		return false;
	memset(next, 0, sizeof *next);
	next->v[UNWIND_BP] = saved;
	next->v[UNWIND_SP] = bp + 16;
	next->v[UNWIND_RA] = ra;
	next->known = (1u << UNWIND_BP) | (1u << UNWIND_SP) | (1u << UNWIND_RA);
	return true;
}

/* Walk the frame pointers. */
void
unwind_fp(const struct rs_ustack *us, const unsigned char *bytes, size_t len,
    struct rs_addr *out, size_t max, struct unwind_result *res)
{
	struct unwind_mem m = { bytes, len, us->sp };
	struct unwind_regs r, next;
	bool end;

	if (!unwind_start(us, out, max, res, &r))
		return;
	while (res->n < max) {
		if (!unwind_fp_step(&r, &m, &next, &end)) {
			res->truncated = !end;
			return;
		}
		/* The chain runs up the stack, or it is not a chain. */
		if (next.v[UNWIND_RA] == 0)
			return;
		if (next.v[UNWIND_SP] <= r.v[UNWIND_SP] && (r.known & (1u << UNWIND_SP))) {
			res->truncated = true;
			return;
		}
		unwind_put(out, max, res, next.v[UNWIND_RA], false);
		r = next;
	}
}

/* Where a process's code is: its mappings and their binaries. */
struct unwind_where {
	struct binary_cache *bins;
	pid_t pid;
	struct maps *maps;
};

/* The binary and file offset of address addr in the process. */
static struct binary *
unwind_locate(struct unwind_where *w, uint64_t addr, uint64_t *off)
{
	struct map *mp;

	if ((mp = maps_find(w->maps, addr)) == NULL)
		return NULL;
	*off = addr - mp->start + mp->offset;
	return binary_of_map(w->bins, w->pid, mp);
}

/* Whether ra is a return address: executable code of a binary just after
 * an x86-64 call (direct rel32, or indirect through a register or memory,
 * with or without a REX prefix). */
static bool
unwind_after_call(struct unwind_where *w, uint64_t ra)
{
	const unsigned char *p;
	struct unwind_bin *u;
	struct binary *b;
	Elf_Data *d;
	uint64_t off;
	unsigned char mrm;

	if ((b = unwind_locate(w, ra, &off)) == NULL || off < 7 ||
	    (u = unwind_bin(b))->elf == NULL ||
	    (d = elf_getdata_rawchunk(u->elf, (int64_t)(off - 7), 7, ELF_T_BYTE)) == NULL ||
	    d->d_buf == NULL)
		return false;
	p = d->d_buf;		/* p[6] is the byte before ra */
	if (p[2] == 0xe8)
		return true;				/* call rel32 */
	for (int len = 2; len <= 7; len++) {
		if (p[7 - len] != 0xff)
			continue;
		mrm = p[8 - len];
		if (((mrm >> 3) & 7) != 2)
			continue;			/* not /2: not a call */
		switch (mrm >> 6) {
		case 3:					/* call *%reg */
			if (len == 2)
				return true;
			break;
		case 1:					/* disp8(%reg), perhaps an SIB */
			if (len == 3 || len == 4)
				return true;
			break;
		case 2:					/* disp32(%reg), perhaps an SIB */
			if (len == 6 || len == 7)
				return true;
			break;
		default:				/* (%reg), disp32(%rip) */
			if (len == 2 || len == 3 || ((mrm & 7) == 5 && len == 6))
				return true;
			break;
		}
	}
	return false;
}

/*
 * A guess at the frame pointer where a rule needs it and it is unknown:
 * a blocked thread's registers are only sp and pc, and a caller built
 * with frame pointers finds its frame through rbp, which the functions
 * below it kept as it was. The frame it set up is on the stack above sp:
 * its saved rbp (0, or an address further up) with a return address into
 * executable code just above it; the first such pair is taken.
 */
static bool
unwind_guess_bp(const struct unwind_regs *r, const struct unwind_mem *m,
    struct unwind_where *w, uint64_t *bp)
{
	uint64_t sp = r->v[UNWIND_SP], x, saved, ra;

	if (!(r->known & (1u << UNWIND_SP)))
		return false;
	for (x = (sp + 7) & ~(uint64_t)7; x - sp < UNWIND_GUESS_REACH; x += 8) {
		if (!unwind_read(m, x, &saved) || !unwind_read(m, x + 8, &ra))
			return false;
		if (saved != 0 && (saved <= x || saved - x > UNWIND_GUESS_FRAME))
			continue;
		if (!unwind_after_call(w, ra))
			continue;
		*bp = x;
		return true;
	}
	return false;
}

/* The caller's registers by the CFI row f: false where they cannot be
 * had; *end where the return address is undefined (the outermost frame). */
static bool
unwind_cfi_step(Dwarf_Frame *f, const struct unwind_regs *r0,
    const struct unwind_mem *m, struct unwind_where *w, struct unwind_regs *next,
    bool *end)
{
	struct unwind_regs guessed;
	const struct unwind_regs *r = r0;
	Dwarf_Op mem[3], *ops;
	size_t nops;
	uint64_t cfa, v;
	bool value;
	int ra;

	*end = false;
	if (dwarf_frame_cfa(f, &ops, &nops) != 0 || nops == 0)
		return false;
	if (!unwind_eval(ops, nops, r, 0, m, &cfa, &value)) {
		/* A frame found through rbp, which is unknown: guess it. */
		if ((r->known & (1u << UNWIND_BP)) || nops != 1 ||
		    (ops[0].atom != UNWIND_OP_breg0 + UNWIND_BP &&
		    (ops[0].atom != UNWIND_OP_bregx || ops[0].number != UNWIND_BP)))
			return false;
		guessed = *r;
		if (!unwind_guess_bp(r, m, w, &guessed.v[UNWIND_BP]))
			return false;
		guessed.known |= 1u << UNWIND_BP;
		r = &guessed;
		if (!unwind_eval(ops, nops, r, 0, m, &cfa, &value))
			return false;
	}
	if ((ra = dwarf_frame_info(f, NULL, NULL, NULL)) < 0)
		return false;
	memset(next, 0, sizeof *next);
	for (int reg = 0; reg < UNWIND_NREGS; reg++) {
		if (reg == UNWIND_SP)
			continue;
		if (dwarf_frame_register(f, reg, mem, &ops, &nops) != 0)
			continue;
		if (nops == 0 && ops == NULL) {		/* same value */
			if (r->known & (1u << reg)) {
				next->v[reg] = r->v[reg];
				next->known |= 1u << reg;
			}
			continue;
		}
		if (nops == 0)				/* undefined */
			continue;
		if (!unwind_eval(ops, nops, r, cfa, m, &v, &value))
			continue;
		if (!value && !unwind_read(m, v, &v))
			continue;
		next->v[reg] = v;
		next->known |= 1u << reg;
	}
	next->v[UNWIND_SP] = cfa;
	next->known |= 1u << UNWIND_SP;
	if (ra != UNWIND_RA) {
		/* The return address in another column: it is the caller's pc. */
		if (ra < 0 || ra >= UNWIND_NREGS || !(next->known & (1u << ra)))
			next->known &= ~(1u << UNWIND_RA);
		else
			next->v[UNWIND_RA] = next->v[ra];
	}
	if (!(next->known & (1u << UNWIND_RA))) {
		/* Undefined: the outermost frame, where the rule says so. */
		if (dwarf_frame_register(f, ra, mem, &ops, &nops) == 0 &&
		    nops == 0 && ops != NULL)
			*end = true;
		return false;
	}
	return true;
}

/* Unwind with CFI. */
void
unwind_cfi(struct binary_cache *bins, pid_t pid, struct maps *maps,
    const struct rs_ustack *us, const unsigned char *bytes, size_t len,
    struct rs_addr *out, size_t max, struct unwind_result *res)
{
	struct unwind_mem m = { bytes, len, us->sp };
	struct unwind_where where = { bins, pid, maps };
	struct unwind_regs r, next;
	struct unwind_bin *u;
	struct binary *b;
	Dwarf_Frame *f;
	uint64_t pc, look, vaddr, off;
	bool exact = true, owned, end, ok, signal = false;

	if (!unwind_start(us, out, max, res, &r))
		return;
	while (res->n < max) {
		pc = r.v[UNWIND_RA];
		look = exact || pc == 0 ? pc : pc - 1;
		f = NULL;
		owned = false;
		if ((b = unwind_locate(&where, look, &off)) != NULL) {
			u = unwind_bin(b);
			if (!u->failed && binary_vaddr(b, off, &vaddr) == 0)
				f = unwind_row(u, vaddr, &owned);
		}
		end = false;
		if (f != NULL) {
			ok = unwind_cfi_step(f, &r, &m, &where, &next, &end);
			if (ok)
				dwarf_frame_info(f, NULL, NULL, &signal);
		} else {
			/* No CFI (JIT code, say): one frame-pointer step. */
			ok = unwind_fp_step(&r, &m, &next, &end);
			signal = false;
		}
		if (owned)
			free(f);
		if (!ok) {
			res->truncated = !end;
			return;
		}
		if (next.v[UNWIND_RA] == 0)
			return;
		if (next.v[UNWIND_SP] <= r.v[UNWIND_SP] && !signal) {
			res->truncated = true;	/* no progress up the stack */
			return;
		}
		/* A signal frame's caller was interrupted, not calling:
		 * its pc is exact. */
		exact = signal;
		unwind_put(out, max, res, next.v[UNWIND_RA], exact);
		r = next;
	}
}

/* Whether the code at p sets up a frame pointer first: push %rbp (after
 * an endbr64), then mov %rsp,%rbp among the next instructions (compilers
 * schedule others in between). */
static bool
unwind_fp_prologue(const unsigned char *p, size_t n)
{
	static const unsigned char endbr64[] = { 0xf3, 0x0f, 0x1e, 0xfa };
	static const unsigned char mov[] = { 0x48, 0x89, 0xe5 };

	if (n >= sizeof endbr64 && memcmp(p, endbr64, sizeof endbr64) == 0) {
		p += sizeof endbr64;
		n -= sizeof endbr64;
	}
	if (n < 1 + sizeof mov || p[0] != 0x55)
		return false;
	return memmem(p + 1, n - 1, mov, sizeof mov) != NULL;
}

/* Whether f is start-up code the C runtime links into every program,
 * which never keeps frame pointers, whatever the program was built with. */
static bool
unwind_crt(const struct symtab_func *f)
{
	static const char *const crt[] = {
		"_start", "_init", "_fini", "deregister_tm_clones",
		"register_tm_clones", "__do_global_dtors_aux", "frame_dummy",
		"__libc_csu_init", "__libc_csu_fini", "_dl_relocate_static_pie",
	};

	for (size_t i = 0; i < sizeof crt / sizeof crt[0]; i++)
		if (f->name != NULL && strcmp(f->name, crt[i]) == 0)
			return true;
	return false;
}

/* The share of a program's functions that set up a frame pointer. */
int
unwind_fp_share(const char *path)
{
	struct binary_cache *bins = binary_cache_new();
	struct binary *b = binary_for_path(bins, path);
	const struct symtab_func *f;
	unsigned char code[20];
	size_t n, i, step, looked = 0, with = 0;
	struct stat st;
	int fd, share = -1;

	n = binary_nfuncs(b);
	if (n != 0 && (fd = binary_open(b, &st)) != -1) {
		step = n > UNWIND_FP_LOOK ? n / UNWIND_FP_LOOK : 1;
		for (i = 0; i < n && looked < UNWIND_FP_LOOK; i += step) {
			f = binary_func_at(b, i);
			if (f == NULL || f->size < 16 || unwind_crt(f) ||
			    pread(fd, code, sizeof code, (off_t)f->start) != (ssize_t)sizeof code)
				continue;
			looked++;
			with += unwind_fp_prologue(code, sizeof code);
		}
		close(fd);
		if (looked != 0)
			share = (int)(with * 100 / looked);
	}
	binary_cache_free(bins);
	return share;
}
