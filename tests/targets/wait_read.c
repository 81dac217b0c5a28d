/* wait_read: one thread that spends 60 % of its wall time blocked in read
 * on a pipe and 40 % computing, by construction.
 *
 * The process has a single thread (no helper thread or child process that
 * a wall-clock sampler would also see waiting).  Each round it spins for
 * 40 ms of wall time (CLOCK_MONOTONIC, so preemption on a loaded machine
 * does not change the split) in burn, then arms a one-shot 60 ms interval
 * timer and calls wait_here, which blocks in read() on an empty pipe.  The
 * timer's SIGALRM handler writes one byte into that pipe; the handler is
 * installed with SA_RESTART, so read is restarted and returns that byte.
 * Every round is therefore 40 ms in burn and 60 ms blocked in read (plus
 * microseconds of timer and handler work):
 *
 *   wait-time    read's system call site (the C library's read) 60 %,
 *                burn 40 %, the wait being "read"
 *   cpu-clock    burn nearly 100 %, read's site next to nothing
 *
 * Usage: wait_read [SECONDS]   (default 30; exits by itself) */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 8
#define HOT __attribute__((noipa))
#else
#define HOT __attribute__((noinline))
#endif

#define BURN_SECS 0.040	/* wall time in burn per round */
#define WAIT_USECS 60000	/* wall time blocked in read per round */

volatile unsigned long wait_read_sink;
static int pipe_fds[2];

void burn(double secs);
void wait_here(void);

/* Monotonic time in seconds. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Spin for SECS seconds of wall time. */
HOT void
burn(double secs)
{
	double end = now() + secs;
	unsigned long i;

	while (now() < end)
		for (i = 0; i < 65536; i++)
			wait_read_sink += i;
}

/* Block in read until the timer's handler writes a byte. */
HOT void
wait_here(void)
{
	char c;
	ssize_t n;

	while ((n = read(pipe_fds[0], &c, 1)) < 0 && errno == EINTR)
		continue;
	if (n != 1) {
		fprintf(stderr, "wait_read: read: %s\n", n < 0 ? strerror(errno) : "end of file");
		exit(1);
	}
}

/* SIGALRM: wake the reader. */
static void
on_alarm(int sig)
{
	int saved = errno;
	char c = 'x';

	(void)sig;
	if (write(pipe_fds[1], &c, 1) != 1)
		_exit(1);
	errno = saved;
}

int
main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 30;
	double end = now() + secs;
	struct itimerval it;
	struct sigaction sa;

	if (pipe(pipe_fds) != 0) {
		perror("wait_read: pipe");
		return 1;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	memset(&it, 0, sizeof it);
	it.it_value.tv_usec = WAIT_USECS;
	while (now() < end) {
		burn(BURN_SECS);
		if (setitimer(ITIMER_REAL, &it, NULL) != 0) {
			perror("wait_read: setitimer");
			return 1;
		}
		wait_here();
	}
	return 0;
}
