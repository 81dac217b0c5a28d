/* noperf: run a command where "the kernel refuses perf events".
 *
 * Installs a seccomp filter (raw classic BPF, no libseccomp) under which
 * perf_event_open fails with EACCES, as it does under
 * perf_event_paranoid 3 or in a container that forbids it, and lets every
 * other system call through; then execs the command.  The filter is
 * inherited by everything the command starts.  It checks the system
 * call's architecture: on x86-64 the 64-bit, x32 and i386 numbers of
 * perf_event_open are refused, elsewhere the native one.
 *
 * Usage: noperf COMMAND [ARG...]
 * Exits 77 (and says why) where the filter cannot be installed, 127 where
 * the command cannot be run. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#define NATIVE_NR 298
#define X32_NR (298 | 0x40000000)	/* __X32_SYSCALL_BIT */
#define COMPAT_ARCH AUDIT_ARCH_I386
#define COMPAT_NR 336
#elif defined(__i386__)
#define NATIVE_ARCH AUDIT_ARCH_I386
#define NATIVE_NR 336
#elif defined(__aarch64__)
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#define NATIVE_NR 241
#define COMPAT_ARCH AUDIT_ARCH_ARM
#define COMPAT_NR 364
#elif defined(__arm__) && defined(__ARMEL__)
#define NATIVE_ARCH AUDIT_ARCH_ARM
#define NATIVE_NR 364
#elif defined(__riscv) && __riscv_xlen == 64
#define NATIVE_ARCH AUDIT_ARCH_RISCV64
#define NATIVE_NR 241
#endif

#if defined(NATIVE_NR) && defined(__NR_perf_event_open) && NATIVE_NR != __NR_perf_event_open
#error "noperf: the perf_event_open number of this architecture is wrong here"
#endif
#ifndef X32_NR
#define X32_NR NATIVE_NR
#endif
#ifndef COMPAT_ARCH
#define COMPAT_ARCH NATIVE_ARCH
#define COMPAT_NR NATIVE_NR
#endif

#define REFUSE (SECCOMP_RET_ERRNO | (EACCES & SECCOMP_RET_DATA))

int
main(int argc, char **argv)
{
#ifdef NATIVE_ARCH
	struct sock_filter filter[] = {
		/* 0 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		/* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_ARCH, 0, 4),
		/* 2 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		/* 3 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_NR, 6, 0),
		/* 4 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, X32_NR, 5, 0),
		/* 5 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		/* 6 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, COMPAT_ARCH, 0, 2),
		/* 7 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		/* 8 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, COMPAT_NR, 1, 0),
		/* 9 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		/* 10 */ BPF_STMT(BPF_RET | BPF_K, REFUSE),
	};
	struct sock_fprog prog = {
		.len = (unsigned short)(sizeof filter / sizeof filter[0]),
		.filter = filter,
	};

	if (argc < 2) {
		fprintf(stderr, "usage: noperf COMMAND [ARG...]\n");
		return 2;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		fprintf(stderr, "noperf: prctl(PR_SET_NO_NEW_PRIVS): %s\n", strerror(errno));
		return 77;
	}
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) != 0) {
		fprintf(stderr, "noperf: prctl(PR_SET_SECCOMP): %s\n", strerror(errno));
		return 77;
	}
	execvp(argv[1], argv + 1);
	fprintf(stderr, "noperf: %s: %s\n", argv[1], strerror(errno));
	return 127;
#else
	(void)argc;
	(void)argv;
	fprintf(stderr, "noperf: no seccomp filter for this architecture\n");
	return 77;
#endif
}
