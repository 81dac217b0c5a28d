/* tracer: another tracer, to make a process "already traced".
 *
 * tracer PID      PTRACE_SEIZEs thread PID (a process's main thread), says
 *                 "seized PID" on stdout, and keeps it traced until this
 *                 program is killed (the kernel then detaches it).  It
 *                 behaves like a debugger told to continue: the tracee's
 *                 signals are passed on unchanged and its group-stops are
 *                 left alone (PTRACE_LISTEN), so the tracee runs as before,
 *                 only with TracerPid set to this program's pid.
 * tracer -c PID   seizes PID and exits at once (which detaches it): exits
 *                 0 where this machine lets a process trace a process that
 *                 is not its child (as rrstat-top -p does), else says why
 *                 and exits 1. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP 128
#endif

/* Whether a PTRACE_EVENT_STOP with signal SIG is a group-stop. */
static int
group_stop(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

int
main(int argc, char **argv)
{
	int check = argc == 3 && strcmp(argv[1], "-c") == 0;
	pid_t pid, w;
	int status, sig, event;
	long req;

	if (argc != 2 && !check) {
		fprintf(stderr, "usage: tracer [-c] PID\n");
		return 2;
	}
	pid = (pid_t)atol(argv[argc - 1]);
	if (pid <= 0) {
		fprintf(stderr, "tracer: bad pid %s\n", argv[argc - 1]);
		return 2;
	}
	if (ptrace(PTRACE_SEIZE, pid, NULL, NULL) != 0) {
		fprintf(stderr, "tracer: PTRACE_SEIZE %ld: %s\n", (long)pid, strerror(errno));
		return 1;
	}
	if (check)
		return 0;	/* the kernel detaches a tracer's tracees on its exit */
	printf("seized %ld\n", (long)pid);
	fflush(stdout);
	for (;;) {
		w = waitpid(pid, &status, __WALL);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return errno == ECHILD ? 0 : 1;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status))
			return 0;
		if (!WIFSTOPPED(status))
			continue;
		sig = WSTOPSIG(status);
		event = status >> 16;
		req = PTRACE_CONT;
		if (event == PTRACE_EVENT_STOP) {
			if (group_stop(sig))
				req = PTRACE_LISTEN;
			sig = 0;
		} else if (event != 0) {
			sig = 0;
		}
		/* Else a signal-delivery-stop: deliver the signal unchanged. */
		if (ptrace((enum __ptrace_request)req, pid, NULL, (void *)(long)sig) != 0 &&
		    errno != ESRCH) {
			fprintf(stderr, "tracer: ptrace resume %ld: %s\n", (long)pid, strerror(errno));
			return 1;
		}
	}
}
