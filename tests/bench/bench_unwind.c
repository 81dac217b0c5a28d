/*
 * Benchmark of unwinding a copied user stack (the budget: < 20 us per
 * sample at the 95th percentile): a program built here without frame
 * pointers stops 24 frames deep (recursion, then libc's qsort calling
 * back into it); its registers and 8 KB of stack are copied as a sampler
 * does, then unwound with CFI and walked by frame pointers many times
 * over, each time timed; the first unwind (the binaries' CFI read cold)
 * apart. Prints figures; asserts nothing.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "binary.h"
#include "frame.h"
#include "resolve.h"
#include "sample.h"
#include "unwind.h"

#define BENCH_RUNS	20000
#define BENCH_COPY	8192

static const char bench_src[] =
	"#include <stdint.h>\n#include <stdlib.h>\n#include <unistd.h>\n"
	"#define NOINLINE __attribute__((noinline))\n"
	"volatile int sink; static int fd;\n"
	"NOINLINE void leaf(void) {\n"
	"	uint64_t r[3];\n"
	"	__asm__ volatile(\"mov %%rsp, %0\\n\\tmov %%rbp, %1\\n\\tlea 0(%%rip), %2\"\n"
	"	    : \"=r\"(r[0]), \"=r\"(r[1]), \"=r\"(r[2]));\n"
	"	if (write(fd, r, sizeof r) != sizeof r) _exit(2);\n"
	"	for (;;) pause();\n"
	"}\n"
	"NOINLINE int cmp(const void *a, const void *b) { leaf(); return *(const int *)a - *(const int *)b; }\n"
	"NOINLINE void rec(int n) { if (n == 0) { int v[2] = { 2, 1 }; qsort(v, 2, sizeof v[0], cmp); } else rec(n - 1); sink++; }\n"
	"int main(int argc, char **argv) { (void)argc; fd = atoi(argv[1]); rec(18); sink++; return 0; }\n";

/* For qsort. */
static int
bench_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Unwind the copy many times one way; print the distribution. */
static void
bench_walk(const char *what, pid_t pid, enum resolve_walk walk,
    const struct rs_ustack *us, const unsigned char *bytes, size_t len)
{
	struct binary_cache *bins = binary_cache_new();
	struct resolver *r = resolve_new(bins);
	struct rs_addr addrs[128];
	struct unwind_result res;
	uint64_t *t = calloc(BENCH_RUNS, sizeof *t), first, t0;

	resolve_read_maps(r, pid);
	t0 = bench_ns();
	resolve_unwind(r, pid, walk, us, bytes, len, addrs, 128, &res);
	first = bench_ns() - t0;
	for (int i = 0; i < BENCH_RUNS; i++) {
		t0 = bench_ns();
		resolve_unwind(r, pid, walk, us, bytes, len, addrs, 128, &res);
		t[i] = bench_ns() - t0;
	}
	qsort(t, BENCH_RUNS, sizeof *t, bench_cmp);
	printf("unwind (%s): %zu frames%s; per sample %.1f us median, %.1f us at "
	    "the 95th percentile (budget < 20 us), %.1f us at the 99th; the first "
	    "(CFI read cold) %.1f ms\n", what, res.n, res.truncated ? ", truncated" : "",
	    (double)t[BENCH_RUNS / 2] / 1e3, (double)t[BENCH_RUNS * 95 / 100] / 1e3,
	    (double)t[BENCH_RUNS * 99 / 100] / 1e3, (double)first / 1e6);
	free(t);
	resolve_free(r);
	binary_cache_free(bins);
}

/* Run the benchmark. */
int
main(void)
{
	char dir[] = "/tmp/bench_unwind.XXXXXX", cmd[512], path[300], arg[16];
	unsigned char *bytes = malloc(BENCH_COPY);
	struct rs_ustack us;
	struct iovec local, remote;
	uint64_t regs[3];
	size_t len;
	int fds[2];
	pid_t pid;
	FILE *f;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof path, "%s/deep.c", dir);
	if ((f = fopen(path, "w")) == NULL || fputs(bench_src, f) < 0 || fclose(f) != 0)
		return 1;
	snprintf(cmd, sizeof cmd, "cd %s && gcc -O2 -fomit-frame-pointer -o deep deep.c", dir);
	if (system(cmd) != 0) {
		printf("unwind: no gcc: not measured\n");
		return 0;
	}
	snprintf(path, sizeof path, "%s/deep", dir);
	if (pipe(fds) != 0)
		return 1;
	if ((pid = fork()) == 0) {
		close(fds[0]);
		snprintf(arg, sizeof arg, "%d", fds[1]);
		execl(path, path, arg, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	if (read(fds[0], regs, sizeof regs) != (ssize_t)sizeof regs)
		return 1;
	memset(&us, 0, sizeof us);
	us.mask = (1ULL << RS_REG_SP) | (1ULL << RS_REG_BP) | (1ULL << RS_REG_IP);
	us.regs[RS_REG_SP] = us.sp = regs[0];
	us.regs[RS_REG_BP] = regs[1];
	us.regs[RS_REG_IP] = regs[2];
	for (len = BENCH_COPY; len >= 64; len /= 2) {
		local.iov_base = bytes;
		local.iov_len = len;
		remote.iov_base = (void *)(uintptr_t)regs[0];
		remote.iov_len = len;
		if (process_vm_readv(pid, &local, 1, &remote, 1, 0) == (ssize_t)len)
			break;
	}
	bench_walk("CFI, no frame pointers, 8 KB copied", pid, RESOLVE_WALK_CFI, &us, bytes, len);
	bench_walk("frame pointers on the same copy: none in this build, so the walk stops at once", pid, RESOLVE_WALK_FP, &us, bytes, len);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	(void)system(cmd);
	free(bytes);
	return 0;
}
