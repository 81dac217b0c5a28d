/*
 * Call stacks in the ring's record format (sample.h), as both samplers
 * produce them: a thread's user registers in perf's PERF_REG_X86_*
 * numbering, the top of its user stack copied from its memory, and the
 * RS_REC_STACK record that carries either (or a perf call chain) in
 * front of its sample. Copies only: nothing here walks or unwinds.
 */
#ifndef RS_USTACK_H
#define RS_USTACK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

#include "sample.h"

/* Ring slots of a stack record with bytes of payload, header included. */
#define USTACK_SLOTS(bytes)	(1 + RS_PAYLOAD_SLOTS(bytes))

/* Ring slots of one sample with a user stack of stack_size bytes: the
 * RS_STACK_USER record, its payload, the RS_REC_SAMPLE. */
#define USTACK_USER_UNIT(stack_size) \
	(USTACK_SLOTS(sizeof(struct rs_ustack) + (stack_size)) + 1)

/* Where a stack record's payload goes: the slots after its header. */
static inline unsigned char *
ustack_payload(struct rs_sample *rec)
{
	return (unsigned char *)(rec + 1);
}

/* Make rec the header of a stack record of kind (enum rs_stack_kind)
 * whose bytes of payload are in place after it (ustack_payload), for
 * sample (its pid, tid, time and event); count is its ip (CHAIN: the
 * entries, USER: the bytes of stack). Returns the slots it takes. */
size_t ustack_header(struct rs_sample *rec, const struct rs_sample *sample,
    unsigned kind, uint64_t count, size_t bytes);

/* Copy up to len bytes of process pid's memory from addr into buf, one
 * page at a time, up to the first page that cannot be read (where the
 * stack's mapping ends). Returns the bytes copied (0: none). */
size_t ustack_read(pid_t pid, uint64_t addr, void *buf, size_t len);

/* Make rec (room for USTACK_SLOTS(sizeof *u + stack_size) slots) an
 * RS_STACK_USER record for sample: u, then up to stack_size bytes of
 * the sampled thread's memory from u->sp (fewer where the stack's
 * mapping ends, none where it cannot be read). Returns its slots. */
size_t ustack_user(struct rs_sample *rec, const struct rs_sample *sample,
    const struct rs_ustack *u, size_t stack_size);

/* Set u to what a blocked thread's /proc/PID/task/TID/syscall tells:
 * its stack and instruction pointers, no other register. */
void ustack_sp_ip(struct rs_ustack *u, uint64_t sp, uint64_t ip);

/* Set u from a stopped tracee's general registers (PTRACE_GETREGS on
 * x86-64: every one of perf's 24; elsewhere the stack and instruction
 * pointers alone). */
void ustack_from_regs(struct rs_ustack *u, const struct user_regs_struct *r);

#endif
