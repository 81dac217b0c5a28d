/*
 * A thread's state read from /proc without stopping it: run state, CPU
 * time, fault and context-switch counters, and, for a blocked thread, the
 * system call it waits in with its user-space instruction and stack
 * pointers. The ptrace sampler weighs its samples with these; both
 * samplers find blocked threads' wait sites with them (wait-time).
 */
#ifndef RS_PROCSTAT_H
#define RS_PROCSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* From /proc/PID/task/TID/stat. */
struct procstat_stat {
	char state;		/* 'R' running or runnable, 'S', 'D', 'T', 't', 'Z', ... */
	uint64_t minflt;	/* minor faults */
	uint64_t majflt;	/* major faults */
	uint64_t utime;		/* clock ticks in user mode */
	uint64_t stime;		/* clock ticks in kernel mode */
	uint64_t threads;	/* num_threads (field 20); 0 where the line
				 * stops before it */
};

/* From /proc/PID/task/TID/schedstat. */
struct procstat_sched {
	uint64_t run_ns;	/* time on a CPU */
	uint64_t wait_ns;	/* time runnable, waiting for a CPU */
	uint64_t slices;	/* times scheduled in */
};

/* From /proc/PID/task/TID/syscall. */
enum procstat_where {
	PROCSTAT_RUNNING,	/* on a CPU or runnable: no site to read */
	PROCSTAT_SYSCALL,	/* blocked in system call nr */
	PROCSTAT_NOSYSCALL,	/* blocked outside a system call (a fault) */
};

struct procstat_syscall {
	enum procstat_where where;
	long nr;		/* PROCSTAT_SYSCALL: the system call number */
	uint64_t sp;		/* user stack pointer (not PROCSTAT_RUNNING) */
	uint64_t pc;		/* user instruction pointer: the syscall site */
};

/* Parsers of each file's text (len bytes, need not end in NUL). Each
 * returns 0, or -1 where the text is not what the kernel writes. */
int procstat_parse_stat(const char *buf, size_t len, struct procstat_stat *out);
int procstat_parse_sched(const char *buf, size_t len, struct procstat_sched *out);
int procstat_parse_syscall(const char *buf, size_t len,
    struct procstat_syscall *out);
/* voluntary_ctxt_switches + nonvoluntary_ctxt_switches from status. */
int procstat_parse_ctxt(const char *buf, size_t len, uint64_t *vol,
    uint64_t *invol);

/* The name of system call nr on this machine's architecture ("read",
 * "futex"), or NULL where unknown. */
const char *procstat_syscall_name(long nr);

/* One thread's files, opened on first use and kept open, so each read
 * is one pread. */
struct procstat_thread {
	pid_t pid;
	pid_t tid;
	int stat_fd;
	int sched_fd;
	int status_fd;
	int syscall_fd;
};

void procstat_thread_init(struct procstat_thread *t, pid_t pid, pid_t tid);

/* Read one file of the thread. 0, or -1 with errno set (ESRCH where the
 * thread is gone, EINVAL where the text cannot be parsed). */
int procstat_read_stat(struct procstat_thread *t, struct procstat_stat *out);
int procstat_read_sched(struct procstat_thread *t, struct procstat_sched *out);
int procstat_read_syscall(struct procstat_thread *t,
    struct procstat_syscall *out);
int procstat_read_ctxt(struct procstat_thread *t, uint64_t *vol,
    uint64_t *invol);

/* Close the thread's files (idempotent). */
void procstat_thread_close(struct procstat_thread *t);


#endif
