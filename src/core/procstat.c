/*
 * Thread state from /proc, read without stopping the thread. Files are
 * kept open per thread and re-read with pread, so one sample costs one
 * system call per file; while at most half of RLIMIT_NOFILE is kept so,
 * beyond that (thousands of threads) each read opens and closes its file,
 * so that the rest of the program still has descriptors.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "parse.h"
#include "procstat.h"

#if defined(__x86_64__)
static const char *const procstat_names[] = {
#include "syscalls_x86_64.h"
};
#define PROCSTAT_NNAMES (sizeof procstat_names / sizeof procstat_names[0])
#endif

/* The name of system call nr, where this architecture's table has it. */
const char *
procstat_syscall_name(long nr)
{
#ifdef PROCSTAT_NNAMES
	if (nr >= 0 && (unsigned long)nr < PROCSTAT_NNAMES)
		return procstat_names[nr];
#endif
	(void)nr;
	return NULL;
}

/*
 * The largest decimal procstat_u64 takes: what its own overflow check let
 * through before it read its digits with parse_dec (UINT64_MAX - 6).
 */
#define PROCSTAT_DEC_MAX	((UINT64_MAX - 9) / 10 * 10 + 9)

/* Parse an unsigned decimal at *p (after blanks); advance *p. */
static int
procstat_u64(const char **p, const char *end, uint64_t *out)
{
	const char *s = *p;

	while (s < end && *s == ' ')
		s++;
	if (!parse_dec(&s, end, PROCSTAT_DEC_MAX, out))
		return -1;
	*p = s;
	return 0;
}

/* Skip one blank-separated field at *p. */
static int
procstat_skip(const char **p, const char *end)
{
	const char *s = *p;

	while (s < end && *s == ' ')
		s++;
	if (s == end || *s == '\n')
		return -1;
	while (s < end && *s != ' ' && *s != '\n')
		s++;
	*p = s;
	return 0;
}

/* "pid (comm) S ppid ..." : the comm may hold blanks and parentheses, so
 * the fields start after the last ')'. */
int
procstat_parse_stat(const char *buf, size_t len, struct procstat_stat *out)
{
	const char *end = buf + len, *p = NULL;
	uint64_t v;

	for (const char *q = buf; q < end; q++)
		if (*q == ')')
			p = q + 1;
	if (p == NULL || p + 2 > end || p[0] != ' ')
		return -1;
	memset(out, 0, sizeof *out);
	out->state = p[1];
	p += 2;
	/* Fields 4..15: ppid pgrp session tty_nr tpgid flags minflt cminflt
	 * majflt cmajflt utime stime. */
	for (int field = 4; field <= 15; field++) {
		if (procstat_u64(&p, end, &v) < 0) {
			/* tty_nr and tpgid may be negative. */
			if ((field == 7 || field == 8) && procstat_skip(&p, end) == 0)
				continue;
			return -1;
		}
		switch (field) {
		case 10:
			out->minflt = v;
			break;
		case 12:
			out->majflt = v;
			break;
		case 14:
			out->utime = v;
			break;
		case 15:
			out->stime = v;
			break;
		default:
			break;
		}
	}
	/* Fields 16..19: cutime cstime priority nice (the last two may be
	 * negative); 20: num_threads, where the line goes that far. */
	for (int field = 16; field <= 19; field++)
		if (procstat_skip(&p, end) < 0)
			return 0;
	if (procstat_u64(&p, end, &v) == 0)
		out->threads = v;
	return 0;
}

/* "run_ns wait_ns slices". */
int
procstat_parse_sched(const char *buf, size_t len, struct procstat_sched *out)
{
	const char *p = buf, *end = buf + len;

	if (procstat_u64(&p, end, &out->run_ns) < 0 ||
	    procstat_u64(&p, end, &out->wait_ns) < 0 ||
	    procstat_u64(&p, end, &out->slices) < 0)
		return -1;
	return 0;
}

/* Parse a hexadecimal "0x..." field (at most 16 digits) at *p. */
static int
procstat_hex(const char **p, const char *end, uint64_t *out)
{
	const char *s = *p, *digits;
	uint64_t v;

	while (s < end && *s == ' ')
		s++;
	if (end - s < 3 || s[0] != '0' || s[1] != 'x')
		return -1;
	digits = s += 2;
	if (!parse_hex(&s, end, UINT64_MAX, &v) || s - digits > 16)
		return -1;
	*p = s;
	*out = v;
	return 0;
}

/* "running", or "-1 SP PC", or "NR A1 A2 A3 A4 A5 A6 SP PC". */
int
procstat_parse_syscall(const char *buf, size_t len,
    struct procstat_syscall *out)
{
	const char *p = buf, *end = buf + len;
	uint64_t nr;

	memset(out, 0, sizeof *out);
	if (len >= 7 && memcmp(buf, "running", 7) == 0) {
		out->where = PROCSTAT_RUNNING;
		return 0;
	}
	if (len >= 2 && buf[0] == '-' && buf[1] == '1') {
		p += 2;
		out->where = PROCSTAT_NOSYSCALL;
		out->nr = -1;
	} else {
		if (procstat_u64(&p, end, &nr) < 0 || nr > 1000000)
			return -1;
		out->where = PROCSTAT_SYSCALL;
		out->nr = (long)nr;
		for (int i = 0; i < 6; i++) {
			uint64_t arg;

			if (procstat_hex(&p, end, &arg) < 0)
				return -1;
		}
	}
	if (procstat_hex(&p, end, &out->sp) < 0 ||
	    procstat_hex(&p, end, &out->pc) < 0)
		return -1;
	return 0;
}

/* Find "key:\t N" in status text. */
static int
procstat_status_field(const char *buf, size_t len, const char *key,
    uint64_t *out)
{
	size_t klen = strlen(key);
	const char *p = buf, *end = buf + len, *line, *lend;

	while (parse_line(&p, end, &line, &lend)) {
		if ((size_t)(lend - line) > klen && memcmp(line, key, klen) == 0 &&
		    line[klen] == ':') {
			p = line + klen + 1;
			parse_blanks(&p, lend);
			return procstat_u64(&p, lend, out);
		}
	}
	return -1;
}

int
procstat_parse_ctxt(const char *buf, size_t len, uint64_t *vol,
    uint64_t *invol)
{
	if (procstat_status_field(buf, len, "voluntary_ctxt_switches", vol) < 0 ||
	    procstat_status_field(buf, len, "nonvoluntary_ctxt_switches", invol) < 0)
		return -1;
	return 0;
}

void
procstat_thread_init(struct procstat_thread *t, pid_t pid, pid_t tid)
{
	t->pid = pid;
	t->tid = tid;
	t->stat_fd = -1;
	t->sched_fd = -1;
	t->status_fd = -1;
	t->syscall_fd = -1;
}

#define PROCSTAT_RESERVE	64	/* descriptors never kept open */

static atomic_size_t procstat_kept;	/* files kept open, every thread's */

/* Whether one more file may be kept open: the kept ones stay under half
 * of what is left of RLIMIT_NOFILE after a reserve. */
static bool
procstat_may_keep(void)
{
	struct rlimit rl;
	rlim_t budget;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return false;
	if (rl.rlim_cur == RLIM_INFINITY)
		return true;
	budget = rl.rlim_cur > PROCSTAT_RESERVE ?
	    (rl.rlim_cur - PROCSTAT_RESERVE) / 2 : 0;
	return atomic_load_explicit(&procstat_kept, memory_order_relaxed) < budget;
}

/* Read the whole of one of the thread's files into buf (opened on first
 * use and kept, while the budget allows, else opened for this read
 * alone); the length, or -1 with errno set (ESRCH: the thread is gone). */
static ssize_t
procstat_pread(struct procstat_thread *t, int *fd, const char *file,
    char *buf, size_t size)
{
	ssize_t n;
	int once = -1;

	if (*fd < 0) {
		char path[96];
		bool keep = procstat_may_keep();

		snprintf(path, sizeof path, "/proc/%d/task/%d/%s", (int)t->pid,
		    (int)t->tid, file);
		once = open(path, O_RDONLY | O_CLOEXEC);
		if (once < 0) {
			if (errno == ENOENT)
				errno = ESRCH;
			return -1;
		}
		if (keep) {
			*fd = once;
			once = -1;
			atomic_fetch_add_explicit(&procstat_kept, 1, memory_order_relaxed);
		}
	}
	do
		n = pread(once >= 0 ? once : *fd, buf, size - 1, 0);
	while (n < 0 && errno == EINTR);
	if (once >= 0) {
		int err = errno;

		close(once);
		errno = err;
	}
	if (n <= 0) {
		/* A gone thread's open files read as nothing, or ESRCH. */
		if (n == 0 || errno == ENOENT)
			errno = ESRCH;
		return -1;
	}
	buf[n] = '\0';
	return n;
}

int
procstat_read_stat(struct procstat_thread *t, struct procstat_stat *out)
{
	char buf[1024];
	ssize_t n = procstat_pread(t, &t->stat_fd, "stat", buf, sizeof buf);

	if (n < 0)
		return -1;
	if (procstat_parse_stat(buf, (size_t)n, out) < 0) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int
procstat_read_sched(struct procstat_thread *t, struct procstat_sched *out)
{
	char buf[128];
	ssize_t n = procstat_pread(t, &t->sched_fd, "schedstat", buf, sizeof buf);

	if (n < 0)
		return -1;
	if (procstat_parse_sched(buf, (size_t)n, out) < 0) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int
procstat_read_syscall(struct procstat_thread *t, struct procstat_syscall *out)
{
	char buf[256];
	ssize_t n = procstat_pread(t, &t->syscall_fd, "syscall", buf, sizeof buf);

	if (n < 0)
		return -1;
	if (procstat_parse_syscall(buf, (size_t)n, out) < 0) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int
procstat_read_ctxt(struct procstat_thread *t, uint64_t *vol, uint64_t *invol)
{
	char buf[4096];
	ssize_t n = procstat_pread(t, &t->status_fd, "status", buf, sizeof buf);

	if (n < 0)
		return -1;
	if (procstat_parse_ctxt(buf, (size_t)n, vol, invol) < 0) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

void
procstat_thread_close(struct procstat_thread *t)
{
	int *fds[] = { &t->stat_fd, &t->sched_fd, &t->status_fd, &t->syscall_fd };

	for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++) {
		if (*fds[i] >= 0) {
			close(*fds[i]);
			atomic_fetch_sub_explicit(&procstat_kept, 1, memory_order_relaxed);
		}
		*fds[i] = -1;
	}
}
