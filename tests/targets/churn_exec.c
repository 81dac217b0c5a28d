/* churn_exec: threads that come and go, then an exec of itself.
 *
 * Before the exec, the main thread starts two threads, waits for both in
 * pthread_join and starts two more, over and over; each thread spins in
 * churn_work for about 20 to 50 ms of CPU time and exits.  So nearly all
 * on-CPU samples of that phase are in churn_work, spread over many
 * short-lived threads.
 *
 * On SIGUSR1, or once EXEC_AFTER seconds have passed, the main thread
 * calls execv on its own executable right after starting a pair of
 * threads, while both are still spinning (the kernel ends them on exec).
 * The new image, told so by the argument --after-exec, has one thread
 * only, which spins in after_exec_work until the end; churn_work is never
 * called again.  So after the exec nearly all on-CPU samples are in
 * after_exec_work, at new addresses (a new mapping of the executable).
 * /proc/PID/cmdline shows --after-exec once the exec has happened.
 *
 * Usage: churn_exec [SECONDS [EXEC_AFTER]]   (defaults 30 and 1.5;
 *        EXEC_AFTER 0: only on SIGUSR1; exits by itself after SECONDS) */
#define _GNU_SOURCE 1	/* pthread_setname_np */
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 8
#define HOT __attribute__((noipa))
#else
#define HOT __attribute__((noinline))
#endif

volatile unsigned long churn_sink;
static volatile sig_atomic_t exec_asked;

void churn_work(unsigned long n);
void after_exec_work(unsigned long n);

/* N iterations of busy work (before the exec). */
HOT void
churn_work(unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		churn_sink += i;
}

/* N iterations of busy work (after the exec). */
HOT void
after_exec_work(unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		churn_sink += i + 1;
}

/* Thread CPU time in seconds. */
static double
cputime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Monotonic time in seconds (the same clock in both images). */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One short-lived thread: ARG (a slot number) picks its length. */
static void *
worker(void *arg)
{
	double end = cputime() + 0.020 + 0.015 * (double)(long)arg;

	while (cputime() < end)
		churn_work(1UL << 18);
	return NULL;
}

/* SIGUSR1: exec now. */
static void
on_usr1(int sig)
{
	(void)sig;
	exec_asked = 1;
}

/* Replace this image with a new one of the same executable that runs
 * after_exec_work until the monotonic time END. */
static void
exec_self(const char *argv0, double end)
{
	char path[PATH_MAX], arg[64];
	char *args[4];
	ssize_t n;

	n = readlink("/proc/self/exe", path, sizeof path - 1);
	if (n <= 0) {
		perror("churn_exec: readlink /proc/self/exe");
		exit(1);
	}
	path[n] = '\0';
	snprintf(arg, sizeof arg, "%.6f", end);
	args[0] = (char *)argv0;
	args[1] = (char *)"--after-exec";
	args[2] = arg;
	args[3] = NULL;
	execv(path, args);
	perror("churn_exec: execv");
	exit(1);
}

int
main(int argc, char **argv)
{
	double start = now(), end, exec_at;
	struct sigaction sa;
	pthread_t t[2];
	long i;

	if (argc == 3 && strcmp(argv[1], "--after-exec") == 0) {
		end = atof(argv[2]);
		while (now() < end)
			after_exec_work(1UL << 20);
		return 0;
	}
	end = start + (argc > 1 ? atof(argv[1]) : 30);
	exec_at = argc > 2 ? atof(argv[2]) : 1.5;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	while (now() < end) {
		for (i = 0; i < 2; i++) {
			if (pthread_create(&t[i], NULL, worker, (void *)i) != 0) {
				fprintf(stderr, "churn_exec: pthread_create failed\n");
				return 1;
			}
			pthread_setname_np(t[i], "churn_work");
		}
		if (exec_asked || (exec_at > 0 && now() >= start + exec_at))
			exec_self(argv[0], end);
		for (i = 0; i < 2; i++)
			pthread_join(t[i], NULL);
	}
	return 0;
}
