/* perf_probe: can this machine run the integration tests?
 *
 * perf_probe          opens a cpu-clock sampling event on a child process,
 *                     as rrstat-top -p does; exits 0 if the kernel allows it
 * perf_probe cycles   opens a cpu-cycles counter on itself; exits 0 if
 *                     there is a hardware PMU for it
 * Otherwise it prints the reason on stderr and exits 1. */
#include <errno.h>
#include <linux/perf_event.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* The perf_event_open system call, which the C library does not wrap. */
static int
probe_open(struct perf_event_attr *attr, pid_t pid)
{
	return (int)syscall(SYS_perf_event_open, attr, pid, -1, -1, 0UL);
}

/* Opens a cpu-clock sampling event on a child that waits for its end. */
static int
probe_sampling(void)
{
	struct perf_event_attr attr;
	int fds[2], fd, saved;
	pid_t child;
	char c;

	if (pipe(fds) != 0) {
		perror("perf_probe: pipe");
		return 1;
	}
	if ((child = fork()) < 0) {
		perror("perf_probe: fork");
		return 1;
	}
	if (child == 0) {
		close(fds[1]);
		while (read(fds[0], &c, 1) < 0 && errno == EINTR)
			continue;
		_exit(0);
	}
	close(fds[0]);
	memset(&attr, 0, sizeof attr);
	attr.size = sizeof attr;
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_CPU_CLOCK;
	attr.freq = 1;
	attr.sample_freq = 1000;
	attr.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID;
	attr.exclude_kernel = 1;
	attr.exclude_hv = 1;
	fd = probe_open(&attr, child);
	saved = errno;
	close(fds[1]);
	waitpid(child, NULL, 0);
	if (fd < 0) {
		fprintf(stderr, "perf_event_open(cpu-clock, pid %ld): %s\n",
		    (long)child, strerror(saved));
		return 1;
	}
	close(fd);
	return 0;
}

/* Opens a cpu-cycles counter on this process. */
static int
probe_cycles(void)
{
	struct perf_event_attr attr;
	int fd;

	memset(&attr, 0, sizeof attr);
	attr.size = sizeof attr;
	attr.type = PERF_TYPE_HARDWARE;
	attr.config = PERF_COUNT_HW_CPU_CYCLES;
	attr.exclude_kernel = 1;
	attr.exclude_hv = 1;
	if ((fd = probe_open(&attr, 0)) < 0) {
		fprintf(stderr, "perf_event_open(cpu-cycles): %s\n",
		    strerror(errno));
		return 1;
	}
	close(fd);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 1)
		return probe_sampling();
	if (argc == 2 && strcmp(argv[1], "cycles") == 0)
		return probe_cycles();
	fprintf(stderr, "usage: perf_probe [cycles]\n");
	return 2;
}
