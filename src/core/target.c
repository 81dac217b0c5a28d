/* The profiled processes: attach, spawn, threads, liveness. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "echo.h"
#include "i18n.h"
#include "procstat.h"
#include "target.h"
#include "xmalloc.h"

#define TARGET_PF_KTHREAD 0x00200000	/* include/linux/sched.h */

/* An empty target. */
void
target_init(struct target *t)
{
	memset(t, 0, sizeof *t);
	t->go_fd = -1;
	t->err_fd = -1;
}

/* Read /proc/PID/comm into buf; false if the process is gone. */
static bool
target_read_comm(pid_t pid, char *buf, size_t len)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
	f = fopen(path, "re");
	if (f == NULL)
		return false;
	if (fgets(buf, (int)len, f) == NULL)
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
	return true;
}

/* The state letter of /proc/PID/stat, or 0 where the process is gone;
 * '?' where the file cannot be opened (out of descriptors) but the
 * process is there. Its thread count in *threads where given (0 where
 * unknown). */
static char
target_stat(pid_t pid, uint64_t *threads)
{
	struct procstat_stat st;
	char path[64], buf[1024];
	ssize_t len;
	int fd;

	if (threads != NULL)
		*threads = 0;
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT && errno != ESRCH &&
		    (kill(pid, 0) == 0 || errno == EPERM))
			return '?';
		return 0;
	}
	len = read(fd, buf, sizeof buf);
	close(fd);
	if (len <= 0 || procstat_parse_stat(buf, (size_t)len, &st) < 0)
		return 0;
	if (threads != NULL)
		*threads = st.threads;
	return st.state;
}

/* The state letter of /proc/PID/stat (see target_stat). */
static char
target_state(pid_t pid)
{
	return target_stat(pid, NULL);
}

/* Add one process to the target. */
static struct target_proc *
target_add(struct target *t, pid_t pid)
{
	struct target_proc *p;

	t->procs = xreallocarray(t->procs, t->n + 1, sizeof *t->procs);
	p = &t->procs[t->n++];
	memset(p, 0, sizeof *p);
	p->pid = pid;
	return p;
}

/* Attach to existing processes. */
int
target_attach(struct target *t, const pid_t *pids, size_t n, char **cause)
{
	for (size_t i = 0; i < n; i++) {
		char state;
		struct target_proc *p;

		if (pids[i] <= 0) {
			*cause = xasprintf(_("invalid pid %d"), (int)pids[i]);
			return -1;
		}
		for (size_t j = 0; j < t->n; j++)
			if (t->procs[j].pid == pids[i])
				goto next;
		if (kill(pids[i], 0) < 0 && errno == ESRCH) {
			*cause = xasprintf(_("process %d does not exist"), (int)pids[i]);
			return -1;
		}
		state = target_state(pids[i]);
		if (state == 0 || state == 'Z' || state == 'X') {
			*cause = xasprintf(_("process %d does not exist or has exited"),
			    (int)pids[i]);
			return -1;
		}
		p = target_add(t, pids[i]);
		if (!target_read_comm(pids[i], p->comm, sizeof p->comm)) {
			*cause = xasprintf(_("process %d exited during attach"), (int)pids[i]);
			return -1;
		}
	next:;
	}
	return 0;
}

/* A "Name:\tvalue" field of /proc/PID/status as a number, or -1. */
static long
target_status_field(pid_t pid, const char *name)
{
	char path[64], line[256];
	size_t len = strlen(name);
	long v = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "re")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, name, len) == 0 && line[len] == ':') {
			v = strtol(line + len + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

/* Whether pid is a kernel thread: PF_KTHREAD in the flags of
 * /proc/PID/stat (its 9th field). */
static bool
target_kthread(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long flags;
	ssize_t len;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	len = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (len <= 0)
		return false;
	buf[len] = '\0';
	if ((p = strrchr(buf, ')')) == NULL)
		return false;
	/* state ppid pgrp session tty_nr tpgid flags */
	if (sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %lu", &flags) != 1)
		return false;
	return (flags & TARGET_PF_KTHREAD) != 0;
}

/* Why this process may not read pid's memory map (errno err): the
 * owners, and kernel.yama.ptrace_scope where it restricts. */
static char *
target_denied(pid_t pid, const char *comm, int err)
{
	long owner = target_status_field(pid, "Uid"), scope = -1;
	FILE *f;

	if ((f = fopen("/proc/sys/kernel/yama/ptrace_scope", "re")) != NULL) {
		if (fscanf(f, "%ld", &scope) != 1)
			scope = -1;
		fclose(f);
	}
	if (scope >= 1 && (owner < 0 || (uid_t)owner == geteuid()))
		return xasprintf(_("no permission to profile process %d (%s): kernel.yama.ptrace_scope is %ld: run as root, grant CAP_SYS_PTRACE, or lower that sysctl"),
		    (int)pid, comm, scope);
	if (owner >= 0)
		return xasprintf(_("no permission to profile process %d (%s, owned by uid %ld) as uid %ld: run as root or as its owner, or grant CAP_SYS_PTRACE"),
		    (int)pid, comm, owner, (long)geteuid());
	return xasprintf(_("no permission to profile process %d (%s): %s"),
	    (int)pid, comm, strerror(err));
}

/* Check that every process of t can be profiled by this one. */
int
target_check(const struct target *t, char **cause)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct target_proc *p = &t->procs[i];
		char path[64];
		int fd;

		if (target_status_field(p->pid, "Tgid") == (long)getpid()) {
			*cause = xasprintf(_("process %d is rrstat-top itself: a profiler cannot profile itself"),
			    (int)p->pid);
			return -1;
		}
		if (target_kthread(p->pid)) {
			*cause = xasprintf(_("process %d (%s) is a kernel thread: it has no user space to sample"),
			    (int)p->pid, p->comm);
			return -1;
		}
		snprintf(path, sizeof path, "/proc/%d/maps", (int)p->pid);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
			close(fd);
			continue;
		}
		if (errno == EACCES || errno == EPERM) {
			*cause = target_denied(p->pid, p->comm, errno);
			return -1;
		}
		if (errno == ENOENT || errno == ESRCH) {
			*cause = xasprintf(_("process %d exited during attach"),
			    (int)p->pid);
			return -1;
		}
	}
	return 0;
}

/* Fork a child that waits for target_go before it execs argv. */
int
target_spawn(struct target *t, char *const argv[], char **cause)
{
	int go[2], err[2];
	pid_t pid;

	if (pipe2(go, O_CLOEXEC) < 0) {
		*cause = xasprintf(_("cannot create a pipe: %s"), strerror(errno));
		return -1;
	}
	if (pipe2(err, O_CLOEXEC) < 0) {
		*cause = xasprintf(_("cannot create a pipe: %s"), strerror(errno));
		close(go[0]);
		close(go[1]);
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		*cause = xasprintf(_("cannot fork: %s"), strerror(errno));
		close(go[0]);
		close(go[1]);
		close(err[0]);
		close(err[1]);
		return -1;
	}
	if (pid == 0) {
		char c = 0;
		ssize_t r;
		int e;

		close(go[1]);
		close(err[0]);
		/* Wait until the parent has armed the events; if it goes
		 * away instead (EOF without the byte), never run at all. */
		do
			r = read(go[0], &c, 1);
		while (r < 0 && errno == EINTR);
		if (r != 1 || c != 'g')
			_exit(127);
		{
			sigset_t none;

			sigemptyset(&none);
			sigprocmask(SIG_SETMASK, &none, NULL);
		}
		signal(SIGPIPE, SIG_DFL);
		execvp(argv[0], argv);
		e = errno;
		if (write(err[1], &e, sizeof e) < 0)
			_exit(127);
		_exit(127);
	}
	close(go[0]);
	close(err[1]);
	t->go_fd = go[1];
	t->err_fd = err[0];
	t->spawned = true;
	t->command = xstrdup(argv[0]);
	target_add(t, pid);
	snprintf(t->procs[0].comm, sizeof t->procs[0].comm, "%s", argv[0]);
	{
		const char *slash = strrchr(argv[0], '/');

		if (slash != NULL)
			snprintf(t->procs[0].comm, sizeof t->procs[0].comm, "%s",
			    slash + 1);
	}
	return 0;
}

/*
 * Reap the spawned child if it has ended; true once it has. The sampler's
 * tracer thread shares our thread group, so a plain waitpid here could
 * consume its ptrace stops of this child: look first without reaping
 * (WNOWAIT), and reap only an exit. ECHILD means the tracer thread reaped
 * it already (its status is then unknown).
 */
static bool
target_reap(struct target *t)
{
	pid_t pid = t->procs[0].pid, r;
	siginfo_t si;

	memset(&si, 0, sizeof si);
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0) {
		if (errno != ECHILD)
			return false;
		t->reaped = true;
		return true;
	}
	if (si.si_pid != pid || (si.si_code != CLD_EXITED &&
	    si.si_code != CLD_KILLED && si.si_code != CLD_DUMPED))
		return false;
	r = waitpid(pid, &t->status, WNOHANG);
	if (r == 0 || (r < 0 && errno != ECHILD))
		return false;
	t->reaped = true;
	return true;
}

/* Wait up to ms milliseconds for the spawned child to end and reap it. */
static bool
target_reap_wait(struct target *t, int ms)
{
	struct timespec ts = { 0, 1000 * 1000 };

	for (int i = 0; i < ms; i++) {
		if (target_reap(t))
			return true;
		nanosleep(&ts, NULL);
	}
	return target_reap(t);
}

/* Release the spawned child and learn whether its exec worked. */
int
target_go(struct target *t, char **cause)
{
	ssize_t len;
	int e;

	if (!t->spawned || t->go_fd < 0)
		return 0;
	if (write(t->go_fd, "g", 1) != 1) {
		*cause = xasprintf(_("cannot start %s: %s"), t->procs[0].comm,
		    strerror(errno));
		return -1;
	}
	close(t->go_fd);
	t->go_fd = -1;
	do
		len = read(t->err_fd, &e, sizeof e);
	while (len < 0 && errno == EINTR);
	close(t->err_fd);
	t->err_fd = -1;
	if (len == (ssize_t)sizeof e) {
		*cause = xasprintf(_("cannot run %s: %s"), ECHO(t->command),
		    strerror(e));
		/* It exits at once (through its tracer, if one holds it). */
		target_reap_wait(t, 5000);
		t->procs[0].exited = true;
		return -1;
	}
	return 0;
}

/* Sort helper for thread ids. */
static int
target_cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/* List /proc/PID/task. */
int
target_threads(pid_t pid, pid_t **tids, size_t *n, char **cause)
{
	char path[64];
	struct dirent *de;
	size_t cap = 16;
	DIR *d;

	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (d == NULL) {
		if (errno == ENOENT)
			*cause = xasprintf(_("process %d does not exist"), (int)pid);
		else
			*cause = xasprintf(_("cannot read %s: %s"), path, strerror(errno));
		return -1;
	}
	*n = 0;
	*tids = xreallocarray(NULL, cap, sizeof **tids);
	while ((de = readdir(d)) != NULL) {
		char *end;
		long v = strtol(de->d_name, &end, 10);

		if (de->d_name[0] == '.' || *end != '\0' || v <= 0)
			continue;
		if (*n == cap) {
			cap *= 2;
			*tids = xreallocarray(*tids, cap, sizeof **tids);
		}
		(*tids)[(*n)++] = (pid_t)v;
	}
	closedir(d);
	qsort(*tids, *n, sizeof **tids, target_cmp_pid);
	return 0;
}

/* Mark processes that have gone. */
bool
target_poll(struct target *t)
{
	bool any = false;

	for (size_t i = 0; i < t->n; i++) {
		struct target_proc *p = &t->procs[i];

		if (p->exited)
			continue;
		if (t->spawned && i == 0) {
			if (t->go_fd >= 0) {
				(void)target_stat(p->pid, &p->threads);
				any = true;
				continue;
			}
			if (target_reap(t)) {
				p->exited = true;
				continue;
			}
			(void)target_stat(p->pid, &p->threads);
		} else {
			char s = target_stat(p->pid, &p->threads);

			if (s == 0 || s == 'Z' || s == 'X') {
				p->exited = true;
				continue;
			}
		}
		any = true;
	}
	return any;
}

/* The threads of the live processes as the last target_poll read them
 * (the same read of /proc/PID/stat: one a process each refresh). */
size_t
target_polled_threads(const struct target *t)
{
	size_t total = 0;

	for (size_t i = 0; i < t->n; i++)
		if (!t->procs[i].exited)
			total += t->procs[i].threads;
	return total;
}

/* Count the live processes. */
size_t
target_alive_count(const struct target *t)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n; i++)
		if (!t->procs[i].exited)
			n++;
	return n;
}

/* Count threads of live processes from /proc/PID/stat (one read of a
 * short file: this runs every refresh). */
size_t
target_thread_count(const struct target *t)
{
	size_t total = 0;
	uint64_t v;

	for (size_t i = 0; i < t->n; i++) {
		if (t->procs[i].exited)
			continue;
		(void)target_stat(t->procs[i].pid, &v);
		total += v;
	}
	return total;
}

/* Describe the target in one phrase. */
char *
target_describe(const struct target *t)
{
	char *s, *tmp;

	if (t->n == 1)
		return xasprintf("pid %d (%s)", (int)t->procs[0].pid, t->procs[0].comm);
	s = xstrdup("pids ");
	for (size_t i = 0; i < t->n; i++) {
		tmp = xasprintf("%s%s%d (%s)", s, i ? ", " : "", (int)t->procs[i].pid,
		    t->procs[i].comm);
		free(s);
		s = tmp;
	}
	return s;
}

/* Stop a spawned child that outlives the session, and reap it. */
void
target_end(struct target *t)
{
	pid_t pid;
	struct timespec ts = { 0, 20 * 1000 * 1000 };

	if (!t->spawned || t->reaped || t->n == 0)
		return;
	pid = t->procs[0].pid;
	if (t->go_fd >= 0) {
		close(t->go_fd);
		t->go_fd = -1;
	}
	kill(pid, SIGTERM);
	for (int i = 0; i < 100; i++) {
		if (target_reap(t)) {
			t->procs[0].exited = true;
			return;
		}
		nanosleep(&ts, NULL);
	}
	kill(pid, SIGKILL);
	target_reap_wait(t, 5000);
	t->procs[0].exited = true;
}

/* Release everything the target holds. */
void
target_free(struct target *t)
{
	if (t->go_fd >= 0)
		close(t->go_fd);
	if (t->err_fd >= 0)
		close(t->err_fd);
	free(t->procs);
	free(t->command);
	target_init(t);
}

/* The first process's program, as a path we can open. */
char *
target_exe(const struct target *t)
{
	const char *path, *p, *end;
	char *try;

	if (t->n == 0)
		return NULL;
	if (!t->spawned)
		return xasprintf("/proc/%ld/exe", (long)t->procs[0].pid);
	if (t->command == NULL)
		return NULL;
	if (strchr(t->command, '/') != NULL)
		return xstrdup(t->command);
	if ((path = getenv("PATH")) == NULL)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; ; p = end + 1) {
		end = strchr(p, ':');
		if (end == NULL)
			end = p + strlen(p);
		if (end == p)	/* an empty entry: the current directory */
			try = xasprintf("./%s", t->command);
		else
			try = xasprintf("%.*s/%s", (int)(end - p), p, t->command);
		if (access(try, X_OK) == 0)
			return try;
		free(try);
		if (*end == '\0')
			return NULL;
	}
}
