/*
 * The profiled processes: attached by pid, or spawned from a command line
 * and held before exec until the sampler has armed its events.
 */
#ifndef RS_TARGET_H
#define RS_TARGET_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>

struct target_proc {
	pid_t pid;
	char comm[64];		/* from /proc/PID/comm at attach */
	bool exited;
	uint64_t threads;	/* its threads at the last target_poll */
};

struct target {
	struct target_proc *procs;
	size_t n;
	bool spawned;		/* procs[0] is our child */
	int go_fd;		/* spawned: closing it lets the child exec */
	int err_fd;		/* spawned: exec failure errno arrives here */
	char *command;		/* spawned: argv[0] as given */
	int status;		/* spawned: wait status once reaped */
	bool reaped;
};

void target_init(struct target *t);

/* Check that every pid exists and can be read; remember its name.
 * Returns 0, or -1 with *cause set. */
int target_attach(struct target *t, const pid_t *pids, size_t n, char **cause);

/* Check that this process may profile every process of t, before a
 * sampler opens: not itself, not a kernel thread (no user space), and
 * with the rights to read its memory map (else the message names the
 * owners, or kernel.yama.ptrace_scope, and the fix). Returns 0, or -1
 * with *cause set. */
int target_check(const struct target *t, char **cause);

/* Fork argv; the child waits before exec until target_go. */
int target_spawn(struct target *t, char *const argv[], char **cause);

/* Let a spawned child exec; -1 with *cause set if exec failed. */
int target_go(struct target *t, char **cause);

/* The threads of pid now (caller frees *tids). */
int target_threads(pid_t pid, pid_t **tids, size_t *n, char **cause);

/* Update exited flags; true while at least one process is alive. A
 * spawned child is looked at without reaping (waitid WNOWAIT) and reaped
 * only once it has exited, so that the ptrace sampler's stops of it, in
 * the same thread group, are never consumed here; ECHILD (the sampler
 * reaped it) counts as exited. */
bool target_poll(struct target *t);

/* Processes still alive. */
size_t target_alive_count(const struct target *t);

/* Threads of the live processes, summed (read now). */
size_t target_thread_count(const struct target *t);

/* The same as the last target_poll read them (no file read). */
size_t target_polled_threads(const struct target *t);

/* "pid 1234 (xz)" or "pids 1,2,3" (caller frees). */
char *target_describe(const struct target *t);

/* The program of the first process, as a path this process can open:
 * /proc/PID/exe where attached, the command found on $PATH where spawned
 * (allocated); NULL where there is none. */
char *target_exe(const struct target *t);

/* A spawned child still running when we end gets SIGTERM, then is reaped
 * (SIGKILL after a grace period), as target_poll reaps. Call it after
 * sampler_stop. No-op for attached processes. */
void target_end(struct target *t);

void target_free(struct target *t);

#endif
