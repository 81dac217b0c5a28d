/*
 * procstat: the /proc parsers on the kernel's own formats (and on text
 * that is not), and the readers on live threads of this process: a thread
 * blocked in read(2) is found in SYS_read with its pc at the syscall site,
 * a spinning one is running and its CPU time grows.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "procstat.h"

static int pipefd[2];
static atomic_int spin_go = 1;
static atomic_long reader_tid;
static atomic_long spinner_tid;

static int
parse_stat(const char *text, struct procstat_stat *st)
{
	return procstat_parse_stat(text, strlen(text), st);
}

static void
test_parse_stat(void)
{
	struct procstat_stat st;
	const char *plain = "1234 (work) S 1 1234 1234 34816 1234 4194304 "
	    "117 0 3 0 250 13 0 0 20 0 1 0 8675309 2576384 320 "
	    "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
	/* A name with blanks, parentheses and a ") S " of its own. */
	const char *odd = "77 (a) S (b c) R 1 77 77 0 -1 4194560 9 0 1 0 5 6 "
	    "0 0 20 0 1 0 1 1 1 1\n";

	CHECK(parse_stat(plain, &st) == 0);
	CHECK(st.state == 'S');
	CHECK_U64(st.minflt, 117);
	CHECK_U64(st.majflt, 3);
	CHECK_U64(st.utime, 250);
	CHECK_U64(st.stime, 13);
	CHECK_U64(st.threads, 1);
	CHECK(parse_stat(odd, &st) == 0);
	CHECK(st.state == 'R');
	CHECK_U64(st.minflt, 9);
	CHECK_U64(st.majflt, 1);
	CHECK_U64(st.utime, 5);
	CHECK_U64(st.stime, 6);
	CHECK_U64(st.threads, 1);
	/* A real-time thread's negative priority, 64 threads; a line that
	 * stops before num_threads still gives the rest. */
	CHECK(parse_stat("9 (rt) S 1 9 9 0 -1 0 1 0 0 0 2 3 0 0 -51 0 64 0 1\n", &st) == 0);
	CHECK_U64(st.threads, 64);
	CHECK(parse_stat("9 (rt) S 1 9 9 0 -1 0 1 0 0 0 2 3 0 0 -51", &st) == 0);
	CHECK_U64(st.threads, 0);
	CHECK_U64(st.stime, 3);
	CHECK(parse_stat("", &st) < 0);
	CHECK(parse_stat("12 (x", &st) < 0);
	CHECK(parse_stat("12 (x)", &st) < 0);
	CHECK(parse_stat("12 (x) R 1 2", &st) < 0);
	CHECK(parse_stat("12 (x) R a b c d e f g h i j k l", &st) < 0);
	/* Not NUL-terminated: the length bounds the parse. */
	CHECK(procstat_parse_stat(plain, 20, &st) < 0);
}

static void
test_parse_other(void)
{
	struct procstat_sched sc;
	struct procstat_syscall sy;
	uint64_t vol = 0, invol = 0;
	const char *status = "Name:\twork\nState:\tS (sleeping)\n"
	    "Tgid:\t1234\nvoluntary_ctxt_switches:\t150\n"
	    "nonvoluntary_ctxt_switches:\t7\n";
	const char *full = "0 0x3 0x7ffd1234 0x1 0x0 0x0 0x0 0x7ffd0000 0x7f00aa12\n";
	const char *nosys = "-1 0x7ffd0010 0x401136\n";

	CHECK(procstat_parse_sched("123456789 42 17\n", 16, &sc) == 0);
	CHECK_U64(sc.run_ns, 123456789);
	CHECK_U64(sc.wait_ns, 42);
	CHECK_U64(sc.slices, 17);
	CHECK(procstat_parse_sched("12 x", 4, &sc) < 0);
	CHECK(procstat_parse_sched("99999999999999999999999 1 1", 27, &sc) < 0);

	CHECK(procstat_parse_syscall("running\n", 8, &sy) == 0);
	CHECK(sy.where == PROCSTAT_RUNNING);
	CHECK(procstat_parse_syscall(full, strlen(full), &sy) == 0);
	CHECK(sy.where == PROCSTAT_SYSCALL);
	CHECK(sy.nr == 0);
	CHECK_U64(sy.sp, 0x7ffd0000);
	CHECK_U64(sy.pc, 0x7f00aa12);
	CHECK(procstat_parse_syscall(nosys, strlen(nosys), &sy) == 0);
	CHECK(sy.where == PROCSTAT_NOSYSCALL);
	CHECK_U64(sy.sp, 0x7ffd0010);
	CHECK_U64(sy.pc, 0x401136);
	CHECK(procstat_parse_syscall("0 0x3 0x4\n", 10, &sy) < 0);
	CHECK(procstat_parse_syscall("-1 0x10\n", 8, &sy) < 0);
	CHECK(procstat_parse_syscall("zzz", 3, &sy) < 0);
	CHECK(procstat_parse_syscall("-1 0x11111111111111111 0x1", 26, &sy) < 0);

	CHECK(procstat_parse_ctxt(status, strlen(status), &vol, &invol) == 0);
	CHECK_U64(vol, 150);
	CHECK_U64(invol, 7);
	CHECK(procstat_parse_ctxt("Name:\tx\n", 8, &vol, &invol) < 0);

#if defined(__x86_64__)
	CHECK_STR(procstat_syscall_name(0), "read");
	CHECK_STR(procstat_syscall_name(SYS_futex), "futex");
	CHECK_STR(procstat_syscall_name(SYS_clock_nanosleep), "clock_nanosleep");
#endif
	CHECK(procstat_syscall_name(-1) == NULL);
	CHECK(procstat_syscall_name(100000) == NULL);
}

/* Blocks in read(2) until the test writes. */
static void *
reader(void *arg)
{
	char c;

	(void)arg;
	atomic_store(&reader_tid, (long)syscall(SYS_gettid));
	if (read(pipefd[0], &c, 1) != 1)
		return NULL;
	return NULL;
}

/* Spins until told to stop. */
static void *
spinner(void *arg)
{
	volatile uint64_t x = 0;

	(void)arg;
	atomic_store(&spinner_tid, (long)syscall(SYS_gettid));
	while (atomic_load_explicit(&spin_go, memory_order_relaxed))
		x++;
	return NULL;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void
test_live(void)
{
	pthread_t rt, st;
	struct procstat_thread t;
	struct procstat_stat ps;
	struct procstat_sched s1, s2;
	struct procstat_syscall sy;
	uint64_t vol, invol;
	int blocked = 0;

	CHECK(pipe(pipefd) == 0);
	CHECK(pthread_create(&rt, NULL, reader, NULL) == 0);
	CHECK(pthread_create(&st, NULL, spinner, NULL) == 0);
	while (atomic_load(&reader_tid) == 0 || atomic_load(&spinner_tid) == 0)
		sleep_ms(1);

	/* The reader: blocked in read, its pc in this process's memory. */
	procstat_thread_init(&t, getpid(), (pid_t)atomic_load(&reader_tid));
	for (int i = 0; i < 200 && !blocked; i++) {
		sleep_ms(5);
		if (procstat_read_stat(&t, &ps) == 0 && ps.state == 'S' &&
		    procstat_read_syscall(&t, &sy) == 0 && sy.where == PROCSTAT_SYSCALL)
			blocked = 1;
	}
	CHECK(blocked);
	CHECK(sy.nr == SYS_read);
	CHECK(sy.pc != 0 && sy.sp != 0);
	CHECK(procstat_read_ctxt(&t, &vol, &invol) == 0);
	CHECK(vol >= 1);
	CHECK(write(pipefd[1], "x", 1) == 1);
	CHECK(pthread_join(rt, NULL) == 0);
	/* Gone: its kept files now say so (join returns as the thread
	 * exits; the kernel lets go of it a moment later). */
	for (int i = 0; i < 200 && procstat_read_stat(&t, &ps) == 0; i++)
		sleep_ms(5);
	CHECK(procstat_read_stat(&t, &ps) < 0 && errno == ESRCH);
	CHECK(procstat_read_syscall(&t, &sy) < 0 && errno == ESRCH);
	procstat_thread_close(&t);
	procstat_thread_close(&t);

	/* The spinner: running, its CPU time growing. */
	procstat_thread_init(&t, getpid(), (pid_t)atomic_load(&spinner_tid));
	CHECK(procstat_read_sched(&t, &s1) == 0);
	sleep_ms(50);
	CHECK(procstat_read_sched(&t, &s2) == 0);
	CHECK(s2.run_ns > s1.run_ns);
	CHECK(procstat_read_stat(&t, &ps) == 0);
	CHECK(ps.state == 'R');
	CHECK(ps.threads >= 2);	/* this thread and the spinner */
	CHECK(procstat_read_syscall(&t, &sy) == 0);
	CHECK(sy.where == PROCSTAT_RUNNING);
	atomic_store(&spin_go, 0);
	CHECK(pthread_join(st, NULL) == 0);
	procstat_thread_close(&t);

	/* A thread that never was. */
	procstat_thread_init(&t, getpid(), 0x7ffffff0);
	CHECK(procstat_read_stat(&t, &ps) < 0 && errno == ESRCH);
	procstat_thread_close(&t);
	close(pipefd[0]);
	close(pipefd[1]);
}

int
main(void)
{
	test_parse_stat();
	test_parse_other();
	test_live();
	return check_exit("test_procstat");
}
