/*
 * Call stacks in the ring's record format: user registers in perf's
 * numbering, the top of a thread's user stack read with
 * process_vm_readv, and the header of the stack record that carries
 * them.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/uio.h>

#include "ustack.h"

#define USTACK_CHUNK	4096	/* the smallest page: iovecs never cross one */
#define USTACK_MAX_IOV	(RS_STACK_MAX_BYTES / USTACK_CHUNK + 2)

/* Fill a stack record's header. */
size_t
ustack_header(struct rs_sample *rec, const struct rs_sample *sample,
    unsigned kind, uint64_t count, size_t bytes)
{
	size_t n = RS_PAYLOAD_SLOTS(bytes);

	memset(rec, 0, sizeof *rec);
	rec->kind = RS_REC_STACK;
	rec->pid = sample->pid;
	rec->tid = sample->tid;
	rec->time = sample->time;
	rec->event = sample->event;
	rec->period = kind;
	rec->ip = count;
	rec->arg = (uint32_t)n;
	return 1 + n;
}

/* Read [addr, addr + len) of pid's memory page by page: one remote
 * iovec per 4 KiB, so the copy stops at the first page that cannot be
 * read (process_vm_readv never splits an iovec in a partial read).
 * At most RS_STACK_MAX_BYTES. */
size_t
ustack_read(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local, remote[USTACK_MAX_IOV];
	uint64_t at = addr;
	size_t n = 0, left = len;
	ssize_t got;

	if (len == 0 || addr == 0)
		return 0;
	while (left > 0 && n < USTACK_MAX_IOV) {
		size_t chunk = USTACK_CHUNK - (size_t)(at & (USTACK_CHUNK - 1));

		if (chunk > left)
			chunk = left;
		remote[n].iov_base = (void *)(uintptr_t)at;
		remote[n].iov_len = chunk;
		n++;
		at += chunk;
		left -= chunk;
	}
	local.iov_base = buf;
	local.iov_len = len - left;
	do
		got = process_vm_readv(pid, &local, 1, remote, n, 0);
	while (got < 0 && errno == EINTR);
	return got > 0 ? (size_t)got : 0;
}

/* A user stack record: the registers, then the bytes from sp. */
size_t
ustack_user(struct rs_sample *rec, const struct rs_sample *sample,
    const struct rs_ustack *u, size_t stack_size)
{
	unsigned char *pl = ustack_payload(rec);
	size_t got;

	memcpy(pl, u, sizeof *u);
	got = ustack_read((pid_t)sample->tid, u->sp, pl + sizeof *u, stack_size);
	return ustack_header(rec, sample, RS_STACK_USER, got, sizeof *u + got);
}

/* Only sp and ip. */
void
ustack_sp_ip(struct rs_ustack *u, uint64_t sp, uint64_t ip)
{
	memset(u, 0, sizeof *u);
	u->mask = 1ull << RS_REG_SP | 1ull << RS_REG_IP;
	u->regs[RS_REG_SP] = sp;
	u->regs[RS_REG_IP] = ip;
	u->sp = sp;
}

/* user_regs_struct -> PERF_REG_X86_* (AX 0 ... R15 23). */
void
ustack_from_regs(struct rs_ustack *u, const struct user_regs_struct *r)
{
#if defined(__x86_64__)
	const unsigned long long v[RS_USTACK_NREGS] = {
		r->rax, r->rbx, r->rcx, r->rdx, r->rsi, r->rdi, r->rbp, r->rsp,
		r->rip, r->eflags, r->cs, r->ss, r->ds, r->es, r->fs, r->gs,
		r->r8, r->r9, r->r10, r->r11, r->r12, r->r13, r->r14, r->r15,
	};

	memset(u, 0, sizeof *u);
	for (unsigned i = 0; i < RS_USTACK_NREGS; i++)
		u->regs[i] = v[i];
	u->mask = (1ull << RS_USTACK_NREGS) - 1;
	u->sp = r->rsp;
#elif defined(__aarch64__)
	ustack_sp_ip(u, r->sp, r->pc);
#else
	(void)r;
	memset(u, 0, sizeof *u);
#endif
}
