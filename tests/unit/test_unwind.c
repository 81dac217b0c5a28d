/*
 * Unit tests for the unwinder (unwind.c through resolve_unwind): a child
 * program built at test time in three ways (frame pointers; -O2 without
 * them; a stripped copy with .eh_frame only) stops inside
 * main -> outer -> mid -> leaf and hands us its sp, bp and ip; we copy
 * its stack as a sampler would and unwind it, by frame pointers and by
 * CFI, with sp and ip alone (a blocked thread's), and with a stack copy
 * cut short.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "binary.h"
#include "check.h"
#include "frame.h"
#include "resolve.h"
#include "sample.h"
#include "symtab.h"
#include "unwind.h"

#define TEST_COPY 16384

static const char src_chain[] =
	"#include <stdint.h>\n"
	"#include <stdlib.h>\n"
	"#include <unistd.h>\n"
	"#define NOINLINE __attribute__((noinline))\n"
	"volatile int sink;\n"
	"NOINLINE void leaf(int fd) {\n"
	"	uint64_t r[3];\n"
	"	__asm__ volatile(\"mov %%rsp, %0\\n\\tmov %%rbp, %1\\n\\tlea 0(%%rip), %2\"\n"
	"	    : \"=r\"(r[0]), \"=r\"(r[1]), \"=r\"(r[2]));\n"
	"	if (write(fd, r, sizeof r) != sizeof r) _exit(2);\n"
	"	for (;;) pause();\n"
	"}\n"
	"NOINLINE void mid(int fd) { leaf(fd); sink++; }\n"
	"NOINLINE void outer(int fd) { mid(fd); sink++; }\n"
	"int main(int argc, char **argv) { (void)argc; outer(atoi(argv[1])); sink++; return 0; }\n";

static char tmpdir[256];


/* A stopped child and its copied stack. */
struct child {
	pid_t pid;
	struct rs_ustack us;
	unsigned char *bytes;
	size_t len;
};

/* Start the fixture name and copy its stack once it stops in leaf. */
static bool
child_start(const char *name, struct child *c)
{
	char path[600], arg[16];
	uint64_t regs[3];
	int fds[2];
	struct iovec local, remote;
	ssize_t got;

	memset(c, 0, sizeof *c);
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	if (pipe(fds) != 0)
		return false;
	if ((c->pid = fork()) == 0) {
		close(fds[0]);
		snprintf(arg, sizeof arg, "%d", fds[1]);
		execl(path, path, arg, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	got = read(fds[0], regs, sizeof regs);
	close(fds[0]);
	if (c->pid < 0 || got != (ssize_t)sizeof regs)
		return false;
	c->us.mask = (1ULL << RS_REG_SP) | (1ULL << RS_REG_BP) | (1ULL << RS_REG_IP);
	c->us.regs[RS_REG_SP] = regs[0];
	c->us.regs[RS_REG_BP] = regs[1];
	c->us.regs[RS_REG_IP] = regs[2];
	c->us.sp = regs[0];
	/* As a sampler copies: as much as there is, up to TEST_COPY. */
	c->bytes = malloc(TEST_COPY);
	for (c->len = TEST_COPY; c->len >= 64; c->len /= 2) {
		local.iov_base = c->bytes;
		local.iov_len = c->len;
		remote.iov_base = (void *)(uintptr_t)regs[0];
		remote.iov_len = c->len;
		if (process_vm_readv(c->pid, &local, 1, &remote, 1, 0) == (ssize_t)c->len)
			return true;
	}
	return false;
}

/* End the child. */
static void
child_end(struct child *c)
{
	if (c->pid > 0) {
		kill(c->pid, SIGKILL);
		waitpid(c->pid, NULL, 0);
	}
	free(c->bytes);
}

/* The names of an unwound stack, ';'-separated, into buf; the result. */
static void
unwound(struct child *c, enum resolve_walk walk, uint64_t mask, size_t len,
    char *buf, size_t size, struct unwind_result *res)
{
	struct binary_cache *bins = binary_cache_new();
	struct resolver *r = resolve_new(bins);
	struct rs_addr addrs[64];
	struct rs_frame frames[64];
	struct rs_ustack us = c->us;

	us.mask = mask;
	resolve_read_maps(r, c->pid);
	resolve_unwind(r, c->pid, walk, &us, c->bytes, len, addrs, 64, res);
	resolve_stack(r, c->pid, addrs, res->n, frames);
	buf[0] = '\0';
	for (size_t i = 0; i < res->n; i++) {
		const char *n = frames[i].func != NULL ? frames[i].func->name : "?";

		if (strlen(buf) + strlen(n) + 2 < size) {
			if (i > 0)
				strcat(buf, ";");
			strcat(buf, n);
		}
	}
	resolve_free(r);
	binary_cache_free(bins);
}

/* The fixture with frame pointers: both walks give the chain. */
static void
test_fp(void)
{
	struct unwind_result res;
	struct child c;
	char names[2048];
	uint64_t all = (1ULL << RS_REG_SP) | (1ULL << RS_REG_BP) | (1ULL << RS_REG_IP);

	CHECK(child_start("chain-fp", &c));
	unwound(&c, RESOLVE_WALK_FP, all, c.len, names, sizeof names, &res);
	fprintf(stderr, "fp walk: %s%s\n", names, res.truncated ? " (truncated)" : "");
	CHECK(strncmp(names, "leaf;mid;outer;main", 19) == 0);
	unwound(&c, RESOLVE_WALK_CFI, all, c.len, names, sizeof names, &res);
	fprintf(stderr, "cfi on the fp build: %s%s\n", names, res.truncated ? " (truncated)" : "");
	CHECK(strncmp(names, "leaf;mid;outer;main", 19) == 0);
	CHECK(!res.truncated);
	/* sp and ip alone (a blocked thread's): the frames found through
	 * rbp need it guessed from the stack. */
	unwound(&c, RESOLVE_WALK_CFI, (1ULL << RS_REG_SP) | (1ULL << RS_REG_IP),
	    c.len, names, sizeof names, &res);
	fprintf(stderr, "cfi on the fp build, sp and ip: %s%s\n", names,
	    res.truncated ? " (truncated)" : "");
	CHECK(strncmp(names, "leaf;mid;outer;main", 19) == 0);
	CHECK(!res.truncated);
	child_end(&c);
}

/* Without frame pointers, CFI gives the chain to the outermost frame,
 * with sp and ip alone too; a frame-pointer walk asked for without bp
 * takes CFI; a copy cut short ends the stack, marked truncated. */
static void
test_cfi(const char *name, bool named)
{
	struct unwind_result res;
	struct child c;
	char names[2048];
	uint64_t spip = (1ULL << RS_REG_SP) | (1ULL << RS_REG_IP);

	CHECK(child_start(name, &c));
	unwound(&c, RESOLVE_WALK_CFI, spip, c.len, names, sizeof names, &res);
	fprintf(stderr, "cfi (%s, sp and ip): %s%s\n", name, names,
	    res.truncated ? " (truncated)" : "");
	CHECK(!res.truncated);
	CHECK(res.n >= 5);
	if (named)
		CHECK(strncmp(names, "leaf;mid;outer;main;", 20) == 0);
	else
		CHECK(strncmp(names, "chain-stripped+0x", 17) == 0 &&
		    strstr(names, ";__libc_start_call_main;") != NULL &&
		    strstr(names, ";leaf") == NULL);
	unwound(&c, RESOLVE_WALK_FP, spip, c.len, names, sizeof names, &res);
	CHECK(!res.truncated && res.n >= 5);
	/* 16 bytes of stack: leaf's own frame and no more. */
	unwound(&c, RESOLVE_WALK_CFI, spip, 16, names, sizeof names, &res);
	fprintf(stderr, "cfi (%s, 16 bytes): %s%s\n", name, names,
	    res.truncated ? " (truncated)" : "");
	CHECK(res.truncated);
	CHECK(res.n >= 1 && res.n < 4);
	child_end(&c);
}

/* Run the tests. */
int
main(void)
{
	const char *t = getenv("TMPDIR");

#if !defined(__x86_64__)
	fprintf(stderr, "test_unwind: x86-64 only: skipped\n");
	return 77;
#endif
	snprintf(tmpdir, sizeof tmpdir, "%s/test_unwind.XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp");
	if (!check_sh("{ command -v gcc && command -v strip; } >/dev/null") ||
	    mkdtemp(tmpdir) == NULL) {
		fprintf(stderr, "test_unwind: no gcc/strip: skipped\n");
		return 77;
	}
	{
		FILE *f;
		char p[600];

		snprintf(p, sizeof p, "%s/chain.c", tmpdir);
		f = fopen(p, "w");
		CHECK(f != NULL && fputs(src_chain, f) >= 0 && fclose(f) == 0);
	}
	if (!check_sh("cd '%s' && gcc -O1 -fno-omit-frame-pointer -o chain-fp chain.c && "
	    "gcc -O2 -fomit-frame-pointer -o chain-nofp chain.c && "
	    "strip --strip-all -o chain-stripped chain-nofp", tmpdir)) {
		fprintf(stderr, "test_unwind: gcc cannot build the fixture: skipped\n");
		(void)check_sh("rm -rf '%s'", tmpdir);
		return 77;
	}
	test_fp();
	test_cfi("chain-nofp", true);
	test_cfi("chain-stripped", false);
	(void)check_sh("rm -rf '%s'", tmpdir);
	return check_exit("test_unwind");
}
